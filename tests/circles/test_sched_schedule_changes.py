"""Walkthroughs fac 6, 41, 38 and 48: schedule changes made close together reach a learner as
one message (one about to start goes at once); every meeting still to come moves to a new time
or weekday with one notice, after the new dates are shown; a circle nobody joined yet can still
move its first meeting after its date went by; moving online warns of the members on SMS and
gives them the number to call in."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.platforms import PLATFORMS

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursdays 18:00 in Detroit, 6 of them
LATER = "They'll hear in %d minutes, with any other changes you make meanwhile."


async def circle_with_learners(chat: Chat, core: Core) -> str:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for learner in ("Brian", "Chen"):
        assert "Welcome" in await chat.say(learner, f"/join {code}")
    await chat.deliver()
    return code


def texts_to(sent: list, name: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == name.casefold()]


async def test_changes_close_together_reach_a_learner_as_one_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    # The first change goes at once, as before.
    assert await chat.say("Amina", "/reschedule 3 2026-11-13 18:00") == (
        "Meeting 3 is now Friday, November 13, 2026 at 6:00 PM (EST). I'm letting 2 members know."
    )
    [first] = texts_to(await chat.deliver(), "Brian")
    assert first.startswith("Python for Everyone: meeting 3 has moved to Friday, Nov 13")

    # The ones made in the next ten minutes wait, and the facilitator is told so.
    clock.advance(timedelta(minutes=2))
    await chat.say("Amina", "/cancel 4")
    assert await chat.say("Amina", "yes") == (
        "Meeting 4 is cancelled. I'm letting 2 members know. " + LATER % 8
    )
    clock.advance(timedelta(minutes=3))
    moved_again = await chat.say("Amina", "/reschedule 3 2026-11-13 19:00")
    assert moved_again.endswith(LATER % 5)
    assert (await chat.say("Amina", "/addmeeting 2026-12-10 18:00")).endswith(LATER % 5)
    assert await chat.deliver() == []

    clock.advance(timedelta(minutes=5))
    sent = await chat.deliver()
    gathered = (
        "Changes to Python for Everyone: meeting 3 is now Friday, Nov 13, 7:00 PM; "
        "meeting 4 (Thursday, Nov 19, 6:00 PM) is cancelled; new meeting 7 on Thursday, Dec 10, "
        "6:00 PM."
    )
    assert texts_to(sent, "Brian") == [gathered]
    assert texts_to(sent, "Chen") == [gathered]
    assert texts_to(sent, "Amina") == []  # the one who made the changes knows them

    # A change to a meeting about to start goes at once, with what was gathered so far.
    clock.set(MEETING_1 - timedelta(minutes=90))
    assert "I'm letting 2" in await chat.say("Amina", "/reschedule 5 2026-11-27 18:00")
    assert len(texts_to(await chat.deliver(), "Brian")) == 1
    clock.advance(timedelta(minutes=1))
    assert (await chat.say("Amina", "/reschedule 6 2026-12-04 18:00")).endswith(LATER % 9)
    clock.advance(timedelta(minutes=1))
    tonight = await chat.say("Amina", "/reschedule 1 2026-10-29 18:30")
    assert tonight == (
        "Meeting 1 is now Thursday, October 29, 2026 at 6:30 PM (EDT). I'm letting 2 members know."
    )
    assert texts_to(await chat.deliver(), "Brian") == [
        "Changes to Python for Everyone: meeting 1 is now Thursday, Oct 29, 6:30 PM; "
        "meeting 6 is now Friday, Dec 4, 6:00 PM."
    ]


async def test_a_place_for_one_meeting_changed_soon_after_says_when_they_hear(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D22 (in part): a change gathered with one made minutes before says so in the
    facilitator's reply, for one meeting's place too."""
    await circle_with_learners(chat, core)
    await chat.say("Amina", "/reschedule 3 2026-11-13 18:00")
    await chat.deliver()
    clock.advance(timedelta(minutes=1))
    assert "Change the venue and send this to 2 members?" in await chat.say(
        "Amina", "/edit venue 4 Central Library"
    )
    done = await chat.say("Amina", "1")
    assert done.startswith("Meeting 4 is here now: Central Library"), done
    assert done.endswith(LATER % 9), done


async def test_every_meeting_still_to_come_moves_to_a_new_time_or_weekday_at_once(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    clock.set(MEETING_1 + timedelta(hours=3))  # meeting 1 is held: it stays when it was
    assert await chat.say("Amina", "/edit time 18:30") == (
        "Move every meeting of Python for Everyone still to come to 6:30 PM? They would be:\n"
        "2. Thursday, Nov 5, 6:30 PM\n"
        "3. Thursday, Nov 12, 6:30 PM\n"
        "4. Thursday, Nov 19, 6:30 PM\n"
        "5. Thursday, Nov 26, 6:30 PM\n"
        "6. Thursday, Dec 3, 6:30 PM\n"
        "Reply 1 for Yes or 2 for No."
    )
    assert await chat.deliver() == []  # nothing changes, nobody is told, before the answer
    assert await chat.say("Amina", "yes") == (
        "Python for Everyone now meets at 6:30 PM, from meeting 2 (Thursday, Nov 5, 6:30 PM). "
        "I'm letting 2 members know."
    )
    assert texts_to(await chat.deliver(), "Brian") == [
        "Python for Everyone now meets at 6:30 PM, from meeting 2 (Thursday, Nov 5, 6:30 PM)."
    ]
    listing = await chat.say("Brian", "/schedule")
    assert "1. Thursday, October 29, 2026 at 6:00 PM (EDT)" in listing
    assert "2. Thursday, November 5, 2026 at 6:30 PM (EST)" in listing
    assert "moved" not in listing  # the new time is the usual one now

    clock.advance(timedelta(minutes=11))
    question = await chat.say("Amina", "/edit weekday wednesday")
    assert question.startswith(
        "Move every meeting of Python for Everyone still to come to the Wednesday of its week, "
        "at the same time? They would be:\n2. Wednesday, Nov 4, 6:30 PM\n"
    )
    assert await chat.say("Amina", "no") == "OK, the meetings stay as they are."
    assert "Wednesday" not in await chat.say("Brian", "/schedule")

    await chat.say("Amina", "/edit weekday wednesday")
    assert (await chat.say("Amina", "yes")).startswith(
        "Python for Everyone now meets on Wednesday, same time, from meeting 2 "
        "(Wednesday, Nov 4, 6:30 PM)."
    )
    assert texts_to(await chat.deliver(), "Chen") == [
        "Python for Everyone now meets on Wednesday, same time, from meeting 2 "
        "(Wednesday, Nov 4, 6:30 PM)."
    ]
    assert "6. Wednesday, December 2, 2026 at 6:30 PM (EST)" in await chat.say("Brian", "/schedule")
    # Words it can't read get the usage; the words are the reader's own (Spanish here).
    assert await chat.say("Amina", "/edit weekday someday") == (
        "Usage: /edit weekday WEEKDAY\nFor example: /edit weekday wednesday"
    )
    await chat.say("Amina", "/language es")
    assert (await chat.say("Amina", "/edit hora 19:00")).startswith(
        "¿Pasar cada reunión pendiente de Python for Everyone a las"
    )


async def test_a_circle_nobody_joined_can_still_move_its_first_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    # Two days before the first meeting, with nobody in: the facilitator hears of it, once.
    clock.set(MEETING_1 - timedelta(days=2, hours=1))
    await core.tick()
    assert "Nobody has joined" not in " ".join(texts_to(await chat.deliver(), "Amina"))
    clock.set(MEETING_1 - timedelta(days=2) + timedelta(minutes=5))
    await core.tick()
    assert texts_to(await chat.deliver(), "Amina") == [
        "Nobody has joined Python for Everyone yet, and its first meeting is Thursday, "
        "October 29, 2026 at 6:00 PM (EDT). Send /invite for an invitation to forward to "
        "people who might like to come."
    ]
    assert (await chat.say("Amina", "/reschedule 1 2026-10-30 18:00")).startswith(
        "Meeting 1 is now"
    )
    await chat.deliver()
    clock.advance(timedelta(days=1))  # past the moved meeting's own two days before
    await core.tick()
    assert "Nobody has joined" not in " ".join(texts_to(await chat.deliver(), "Amina"))

    clock.set(MEETING_1 + timedelta(days=2))  # meeting 1's date went by with nobody there
    assert await chat.say("Amina", "/reschedule 1 2026-11-04 18:00") == (
        "Meeting 1 is now Wednesday, November 4, 2026 at 6:00 PM (EST)."
    )
    assert (await chat.say("Amina", "/skipweek 2")).startswith(
        "Python for Everyone skips a week: meeting 2 is now Thursday, November 12"
    )
    code = await code_of(core, CIRCLE)
    assert "Meeting 1 of 6: Wednesday, November 4" in await chat.say("Brian", f"/join {code}")
    # Once someone has joined, a meeting that went by did happen.
    clock.set(datetime(2026, 11, 5, 12, 0, tzinfo=UTC))
    assert await chat.say("Amina", "/reschedule 1 2026-11-10 18:00") == (
        "Meeting 1 has already happened."
    )


@pytest.fixture
def chats(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def _delivered(console: Chat, sms: Chat) -> None:
    while await sms.core.dispatch({"console": console, "sms": sms}):
        pass


async def test_moving_online_warns_of_members_on_sms_and_gives_them_the_number_to_call(
    chats: tuple[Chat, Chat], clock: FakeClock
) -> None:
    console, sms = chats
    assert "is ready" in await console.say("Amina", DETROIT_CIRCLE)
    code = await code_of(console.core, CIRCLE)
    await console.say("Brian", f"/join {code}")
    await sms.say("Wanjiru", f"JOIN {code}")
    await sms.say("Wanjiru", "Wanjiru")
    await _delivered(console, sms)

    asked = await console.say("Amina", "/edit venue online https://meet.jit.si/py")
    assert asked.startswith("Python for Everyone meets somewhere new from meeting 1")
    assert "online at https://meet.jit.si/py." in asked
    assert asked.endswith(
        "Change the venue and send this to 2 members?\n1 member gets my messages by SMS, "
        "on a phone that may not open a link. If the meeting has a number to call in, "
        "add it after this: /edit dialin NUMBER\nReply 1 for Yes or 2 for No."
    )
    await console.say("Amina", "yes")
    await console.say("Amina", "/edit dialin +1 646 558 8656")
    await _delivered(console, sms)

    clock.advance(timedelta(minutes=11))
    await console.say("Amina", "/edit venue Detroit Public Library")
    await console.say("Amina", "yes")
    await _delivered(console, sms)
    clock.advance(timedelta(minutes=11))
    asked = await console.say("Amina", "/edit link https://meet.jit.si/py2")
    assert (
        "1 member gets my messages by SMS, on a phone that may not open a link: their notice "
        "gives +1 646 558 8656 to call in." in asked
    )
    await console.say("Amina", "yes")
    before = len(sms.sent)
    await _delivered(console, sms)
    [notice] = [m.text for m in sms.sent[before:] if m.address.chat_id == "wanjiru"]
    assert "online at https://meet.jit.si/py2" in notice
    assert notice.endswith("Or call +1 646 558 8656 to join by phone.")
