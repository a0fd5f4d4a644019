"""The course survey's 1-5 stays answerable after other questions came and went (walks A15,
D10): a "5" once a newer reminder is answered, or weeks later in a sentence ("I would give it a
5"), is the survey's answer, never "Nothing is waiting" nor a message for the facilitators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.dialogue.test_several_open_questions import LATER_CIRCLE
from tests.network.test_survey import TWO_WEEKS, answers_of, delivered, end_the_circle
from tests.seasons import open_circle


async def test_a_five_after_answering_a_newer_reminder_answers_the_survey(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    sent = await end_the_circle(chat, core, clock)
    assert "from 1 to 5" in sent["brian"]
    await chat.say("Dede", LATER_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    clock.set(datetime(2026, 11, 9, 16, 5, tzinfo=UTC))  # Digital Skills' 24-hour reminder
    await core.tick()
    assert "Reply 1 for Yes or 2 for No" in (await delivered(chat))["brian"]
    assert "see you" in (await chat.say("Brian", "1")).casefold()
    reply = await chat.say("Brian", "5")
    assert "Nothing is waiting" not in reply and "passed" not in reply, reply
    brian = await answers_of(core, "Brian")
    assert brian is not None and brian.rating == 5


async def test_a_rating_weeks_later_in_a_sentence_answers_the_survey(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    sent = await end_the_circle(chat, core, clock)
    assert "from 1 to 5" in sent["brian"]
    clock.set(clock.now() + timedelta(days=18))
    reply = await chat.say(
        "Brian", "Oh I am sorry I missed this. I would give it a 5, it was very clear."
    )
    assert "passed that on" not in reply, reply
    brian = await answers_of(core, "Brian")
    assert brian is not None and brian.rating == 5


@pytest.mark.parametrize(("language", "skip", "done"), [("de", "/ueberspringen", "kein Tipp")])
async def test_skip_in_the_readers_language_skips_the_tip_question(
    chat: Chat, core: Core, clock: FakeClock, language: str, skip: str, done: str
) -> None:
    """D17: /ueberspringen, which the tip question offers, skipped an older question instead
    and left the learner stuck on the tip."""
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", f"/language {language}")
    await chat.say("Brian", "4")  # the rating
    await chat.say("Brian", "1")  # the goal
    assert skip in await chat.say("Brian", "1")  # would recommend; the tip question
    assert done in await chat.say("Brian", skip)
    brian = await answers_of(core, "Brian")
    assert brian is not None and brian.rating == 4 and brian.tip is None
