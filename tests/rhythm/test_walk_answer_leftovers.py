"""Leftovers of the walkthroughs about answers: a facilitator correcting "Nobody came?" with a
no and a name, and the saved line with a single learner ("1 of 1 learners came")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Attendance, RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, reminded, rsvps
from tests.rhythm.test_rhythm import MEETING_1, count, start_circle
from tests.seasons import Week, checkin_due, open_circle, play_week, starts


async def test_no_and_a_name_to_nobody_came_ticks_that_learner(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Otieno")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    assert (await chat.say("Amina", "done")).startswith("Nobody came to meeting 1?")
    saved = await chat.say("Amina", "no wait, Otieno came")
    assert saved == "Saved: Otieno came to meeting 1."
    assert await count(core, Attendance) == 1


async def test_a_bare_no_to_nobody_came_goes_back_to_the_list(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Otieno", "Wambui")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    await chat.say("Amina", "done")
    sheet = await chat.say("Amina", "No")
    assert sheet.startswith("Who came to meeting 1") and "[ ] 2. Wambui" in sheet
    assert await chat.say("Amina", "2 done") == "Saved: 1 of 2 learners came to meeting 1."


async def test_one_learner_is_named_not_counted(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Otieno")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    # A name nobody on the sheet has is said (G4, C13).
    assert (await chat.say("Amina", "Zola")).startswith(
        "Zola isn't on the list for Python for Everyone."
    )
    assert await chat.say("Amina", "1 done") == "Saved: Otieno came to meeting 1."


async def _asked_the_open_question(chat: Chat, core: Core, clock: FakeClock, shares: bool) -> None:
    await open_circle(chat, core, {"Luc": shares})
    await play_week(chat, core, clock, 1, Week(came=("Luc",)))
    clock.set(checkin_due(1) + timedelta(hours=1))
    await core.tick()
    await chat.deliver()
    assert (await chat.say("Luc", "3")).endswith("?")


async def test_a_short_check_in_answer_gets_a_short_thanks(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 39: "no, nothing" was called "really useful to hear"."""
    await _asked_the_open_question(chat, core, clock, shares=True)
    assert await chat.say("Luc", "no, nothing") == "Thanks, got it!"


async def test_a_shared_answer_says_who_will_read_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 39: Luc, lost in the functions, heard nothing of whether anyone would know."""
    await _asked_the_open_question(chat, core, clock, shares=True)
    thanked = await chat.say("Luc", "I missed two weeks and I'm lost in the functions")
    # Walkthrough 8 (fac 4): a kind, neutral thanks for any written answer.
    assert thanked == "Thank you for sharing that with me. Amina will see it."


async def test_a_shared_answer_speaking_of_the_facilitator_is_kept_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C7: "...LA SEÑORITA ROSA TIENE MUCHA PACIENCIA" was kept and passed on too: two
    thanks in one SMS, and an item in Rosa's inbox to answer, beside the digest's copy."""
    await _asked_the_open_question(chat, core, clock, shares=True)
    words = "I was a bit nervous but everyone was kind. Miss Amina is very patient."
    thanked = await chat.say("Luc", words)
    assert thanked == "Thank you for sharing that with me. Amina will see it.", thanked
    assert not [m for m in await chat.deliver() if words in m.text]


async def test_a_short_answer_with_news_is_thanked_as_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _asked_the_open_question(chat, core, clock, shares=False)
    thanked = await chat.say("Luc", "Loops made sense.")
    assert thanked.startswith("Thank you for sharing that") and "Amina will see it" not in thanked
    assert "It stays between you and me." in thanked


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "oui je serai là, merci"),
        ("en", "yes I'll be there, thanks"),
        ("es", "sí, ahí estaré, gracias"),
    ],
)
async def test_a_yes_said_again_with_thanks_is_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    """lang 45: Sophie got "oui je serai là, merci" as a numbered message to /reply to."""
    reply = await answer_reminder(chat, core, clock, "Josee", language, typed)
    assert await rsvps(core) == [RsvpAnswer.YES], reply
    assert not passed_on_to(await chat.deliver(), "Amina")


async def test_a_yes_with_news_is_still_passed_on(chat: Chat, core: Core, clock: FakeClock) -> None:
    reply = await answer_reminder(
        chat, core, clock, "Josee", "fr", "oui je serai là, merci. Je peux amener ma fille ?"
    )
    assert await rsvps(core) == [RsvpAnswer.YES], reply
    assert passed_on_to(await chat.deliver(), "Amina")


async def test_a_yes_after_the_start_is_welcomed_and_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 46: Diego, on his way 15 minutes after the start, was told it was too late to
    answer, and nothing reached his facilitator."""
    await open_circle(chat, core, {"Diego": True})
    await reminded(chat, core, clock, "Diego", 1)
    clock.set(starts(1) + timedelta(minutes=15))
    welcomed = await chat.say("Diego", "yes sorry on my way")
    assert welcomed == (
        "We're expecting you! When you arrive, send /here.\nThanks, I've passed that on to Amina."
    )
    [told] = passed_on_to(await chat.deliver(), "Amina")
    assert told.startswith(
        "Diego is on the way to meeting 1 of Python for Everyone.\nyes sorry on my way\n"
    )
    assert "Welcome!" in await chat.say("Diego", "/here")


async def test_a_late_yes_with_news_reaches_the_facilitator_once(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Diego": True})
    await chat.say("Diego", "/language es")
    await reminded(chat, core, clock, "Diego", 1)
    clock.set(starts(1) + timedelta(minutes=15))
    typed = "sí perdón, el autobús se retrasó mucho, ya voy llegando en diez minutos"
    welcomed = await chat.say("Diego", typed)
    assert welcomed.startswith("¡Te esperamos! Al llegar, envía /presente.")
    [told] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in told


async def test_a_late_yes_with_a_long_story_is_passed_on_once(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Diego": True})
    await reminded(chat, core, clock, "Diego", 1)
    clock.set(starts(1) + timedelta(minutes=15))
    typed = "yes sorry, the bus broke down near the market, I'll be there in ten minutes"
    welcomed = await chat.say("Diego", typed)
    assert welcomed.endswith("Thanks, I've passed that on to Amina."), welcomed
    [told] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in told
