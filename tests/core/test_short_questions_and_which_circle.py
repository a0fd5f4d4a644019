"""Walkthrough wave 2, learners' texts: the short everyday ways of asking when the next meeting
is ("c quand la prochaine?"), NEWCIRCLE with the circle's name in one text, coming back after
leaving, a JOIN code with an emoji after it, and which circle a learner's words go to when she
is in several (the one named by its day, the one still running)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_finished_circles import AFTER_ATELIER, SHORT_CIRCLE
from tests.core.test_sms_words import Phones, joined
from tests.rhythm.test_reading_answers import passed_on_to
from tests.seasons import open_circle, starts

PHONE = "+254711000001"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "when's the next one?"),
        ("es", "cuándo es la próxima?"),
        ("fr", "c quand la prochaine?"),
        ("de", "Wann ist das nächste?"),
        ("sw", "ijayo ni lini?"),
        ("da", "hvornår er den næste?"),
    ],
)
async def test_the_short_when_is_the_next_one_is_answered(
    chat: Chat, phones: Phones, language: str, text: str
) -> None:
    """sms 17: "c quand la prochaine reunion?" was answered, "c quand la prochaine?" passed on."""
    await joined(chat, phones, PHONE, language)
    for said in ("/skip", "2"):  # the goal and sharing questions
        await phones.say(PHONE, said)
    answer = await phones.say(PHONE, text)
    assert "Detroit Public Library" in answer, answer  # the next meeting's place
    assert not await chat.deliver(), "passed on to the facilitator"


async def test_when_is_the_next_assignment_due_still_reaches_the_facilitator(
    chat: Chat, phones: Phones
) -> None:
    await joined(chat, phones, PHONE)
    for said in ("/skip", "2"):
        await phones.say(PHONE, said)
    answer = await phones.say(PHONE, "when is the next assignment due?")
    assert "passed that on" in answer, answer


@pytest.mark.parametrize("before", [(), ("/language en",), ("LEAVE", "YES")])
async def test_newcircle_with_its_name_starts_the_set_up_named_so(
    chat: Chat, phones: Phones, before: tuple[str, ...]
) -> None:
    """sms 23: "NEWCIRCLE Siaya computer club" got "I didn't catch that". From a new number,
    and from one that has left its circle."""
    if "LEAVE" in before:
        await joined(chat, phones, PHONE)
        for said in ("/skip", "2"):
            await phones.say(PHONE, said)
    for said in before:
        await phones.say(PHONE, said)
    answer = await phones.say(PHONE, "NEWCIRCLE Siaya computer club")
    assert "didn't catch" not in answer, answer
    assert "Which online course" in answer, answer  # the name taken: the next question asked


async def test_coming_back_after_the_facilitators_goodbye_is_told_how(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 11: Zawadi left (/ondoka), her facilitator answered; her "nataka kurudi" three
    days later only went on to Élodie, with no word of how to join again."""
    code = await open_circle(chat, core, {"Otieno": True})
    await chat.say("Otieno", "/language sw")
    clock.set(starts(1) + timedelta(days=1))
    await chat.say("Otieno", "/ondoka")
    assert "Umeondoka" in await chat.say("Otieno", "ndiyo")
    await chat.deliver()
    clock.set(starts(1) + timedelta(days=3))
    await chat.say("Amina", "/reply Otieno Pole sana, karibu tena wakati wowote!")
    await chat.deliver()
    clock.set(starts(1) + timedelta(days=4))
    reply = await chat.say("Otieno", "Habari, nataka kurudi kwenye kikundi tafadhali")
    assert "Uliondoka Python for Everyone tarehe" in reply, reply
    assert code in reply, reply
    told = passed_on_to(await chat.deliver(), "Amina")
    assert any("nataka kurudi" in text for text in told), told


# Wanjiru's circle meets on Saturdays from 31 October, run by Wanjiru with Peter; Atelier
# Python (Amina's) met twice and is over by AFTER_ATELIER.
SATURDAY_CIRCLE = (
    '/newcircle name="Siaya Readers" course="Digital Literacy" venue="Siaya Library" '
    "city=Siaya country=KE zone=Africa/Nairobi start=2026-10-31 time=10:00 meetings=6"
)
REHEMA = "+254722000009"


async def _in_a_finished_and_a_running_circle(chat: Chat, core: Core, phones: Phones) -> None:
    assert "is ready" in await chat.say("Amina", SHORT_CIRCLE)
    assert "is ready" in await chat.say("Wanjiru", SATURDAY_CIRCLE)
    await phones.say(REHEMA, "JOIN " + await code_of(core, "Atelier Python"))
    for said in ("Mama Rehema", "/skip", "/skip"):  # her name, the goal, sharing
        await phones.say(REHEMA, said)
    await phones.say(REHEMA, "JOIN " + await code_of(core, "Siaya Readers"))
    for said in ("/skip", "/skip"):
        await phones.say(REHEMA, said)
    await chat.say("Peter", "/join " + await code_of(core, "Siaya Readers"))
    await chat.say("Wanjiru", "/cofacilitator add Peter")
    await chat.deliver()


async def test_a_learners_words_go_to_the_circle_still_running(
    chat: Chat, core: Core, clock: FakeClock, phones: Phones
) -> None:
    """sms 29: Mama Rehema's words went to the finished circle's facilitator; the running
    circle's co-facilitator never saw them."""
    await _in_a_finished_and_a_running_circle(chat, core, phones)
    clock.set(AFTER_ATELIER)
    await core.tick()  # Atelier Python's last check-in is asked
    await chat.deliver()
    text = "Please stop the reminders for Saturday 6th because I am travelling"
    answer = await phones.say(REHEMA, text)
    assert "passed that on to Wanjiru and Peter" in answer, answer
    delivered = await chat.deliver()
    assert any(text in t for t in passed_on_to(delivered, "Peter")), delivered
    assert not passed_on_to(delivered, "Amina"), delivered


async def test_coming_back_to_a_running_circle_beside_a_finished_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 39: Brian left Marcus's running circle and is still in Amina's finished one; his
    "is the group still meeting on thursdays?" went to Amina, with no word of the way back."""
    assert "is ready" in await chat.say("Amina", SHORT_CIRCLE)
    assert "is ready" in await chat.say("Marcus", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for circle in ("Atelier Python", "Python for Everyone"):
        assert "Welcome" in await chat.say("Brian", "/join " + await code_of(core, circle))
        await chat.say("Brian", "/skip")
        await chat.say("Brian", "/skip")
    clock.set(AFTER_ATELIER)
    await chat.say("Brian", "/leave new job is crazy, sorry")
    assert "You've left" in await chat.say("Brian", "yes")
    await chat.deliver()
    clock.set(AFTER_ATELIER + timedelta(days=7))
    reply = await chat.say(
        "Brian", "hey is the group still meeting on thursdays? things calmed down at work"
    )
    assert "You left Python for Everyone on October 30" in reply, reply
    assert f"/join {code}" in reply, reply
    assert "passed that on to Marcus" in reply, reply
    delivered = await chat.deliver()
    assert any("things calmed down" in t for t in passed_on_to(delivered, "Marcus")), delivered
    assert not passed_on_to(delivered, "Amina"), delivered


@pytest.mark.parametrize("split", [True, False])
@pytest.mark.parametrize("after", ["", "👍🔥", "🙏", "!!", " 👍"])
@pytest.mark.parametrize("answered", [None, (), ("/skip",), ("/skip", "2")])
async def test_emoji_after_a_join_code_still_joins(
    chat: Chat,
    core: Core,
    phones: Phones,
    after: str,
    answered: tuple[str, ...] | None,
    split: bool,
) -> None:
    """sms 28: "jiunge pak nrf7 👍🔥" was passed on; without the emoji it joined. From a
    new number, and from a learner of another circle, a question of hers waiting or not."""
    if answered is not None:
        await joined(chat, phones, PHONE, "sw")
        for said in answered:  # the goal and sharing questions
            await phones.say(PHONE, said)
    assert "is ready" in await chat.say("Wanjiru", SATURDAY_CIRCLE)
    code = (await code_of(core, "Siaya Readers")).lower()
    typed = f"{code[:3]} {code[3:]}" if split else code
    answer = await phones.say(PHONE, f"jiunge {typed} {after}")
    assert "Siaya Readers" in answer, answer
    assert "nimeufikisha" not in answer and "passed that on" not in answer, answer


# Intro to Python meets on Tuesdays at the library, run by Dana since Amina handed it over;
# Python Online on Thursdays evenings, run by Marcus. Mrs. Johnson texts, in both.
TUESDAY_CIRCLE = (
    '/newcircle name="Intro to Python" course="Python for Everybody" '
    'venue="Detroit Public Library" city=Detroit country=US zone=America/Detroit '
    "start=2026-11-03 time=18:00 meetings=6"
)
THURSDAY_CIRCLE = (
    '/newcircle name="Python Online" course="Python for Everybody" venue="Zoom" '
    "city=Detroit country=US zone=America/Detroit start=2026-11-05 time=19:00 meetings=6"
)
JOHNSON = "+13135550199"


async def _in_dana_and_marcus_circles(chat: Chat, core: Core, phones: Phones) -> None:
    assert "is ready" in await chat.say("Amina", TUESDAY_CIRCLE)
    await chat.say("Dana", "/join " + await code_of(core, "Intro to Python"))
    await chat.say("Amina", "/cofacilitator add Dana")
    await chat.say("Amina", "/handover Dana")
    assert "Dana now facilitates" in await chat.say("Amina", "3")
    assert "is ready" in await chat.say("Marcus", THURSDAY_CIRCLE)
    await phones.say(JOHNSON, "JOIN " + await code_of(core, "Intro to Python"))
    for said in ("Mrs. Johnson", "/skip", "/skip"):  # her name, the goal, sharing
        await phones.say(JOHNSON, said)
    await phones.say(JOHNSON, "JOIN " + await code_of(core, "Python Online"))
    for said in ("/skip", "/skip"):
        await phones.say(JOHNSON, said)
    await chat.deliver()


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 2, 15, 0, tzinfo=UTC),  # the Monday before
        datetime(2026, 11, 3, 15, 0, tzinfo=UTC),  # Tuesday, its meeting's day
        datetime(2026, 11, 5, 15, 0, tzinfo=UTC),  # Thursday, Python Online's day
        datetime(2026, 11, 9, 15, 0, tzinfo=UTC),  # the next Monday
    ],
)
async def test_words_naming_a_circles_day_reach_its_facilitator(
    chat: Chat, core: Core, clock: FakeClock, phones: Phones, now: datetime
) -> None:
    """fac 13: "I will be 15 minutes late on Tuesday, the bus" went to Marcus."""
    await _in_dana_and_marcus_circles(chat, core, phones)
    clock.set(now)
    text = "I will be 15 minutes late on Tuesday, the bus"
    answer = await phones.say(JOHNSON, text)
    assert "Marcus" not in answer, answer
    delivered = await chat.deliver()
    assert any(text in t for t in passed_on_to(delivered, "Dana")), delivered
    assert not passed_on_to(delivered, "Marcus"), delivered


async def test_help_says_whom_her_texts_reach_in_each_circle(
    chat: Chat, core: Core, phones: Phones
) -> None:
    """fac 13: HELP named only Marcus and Python Online."""
    await _in_dana_and_marcus_circles(chat, core, phones)
    answer = await phones.say(JOHNSON, "help")
    assert "Dana" in answer and "Intro to Python" in answer, answer
    assert "Marcus" in answer and "Python Online" in answer, answer
