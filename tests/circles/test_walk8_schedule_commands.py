"""Schedule commands that tell everyone (walkthrough 8): /skipweek asks first (mix 26) and a
place booked for a date stays on it, members told where that date now meets (fac 17);
/addmeeting asks about a date far after the last meeting (fac 12); /reschedule to another
day clears the answers about coming and asks again (fac 31)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Meeting, Rsvp
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"  # Thursdays 18:00 in Detroit, meetings 1-6 from Oct 29, 2026


async def with_learners(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for learner in ("Brian", "Chen"):
        assert "Welcome" in await chat.say(learner, f"/join {code}")
    await chat.deliver()


def texts_to(sent: list, name: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == name.casefold()]


async def test_skipweek_asks_first_and_a_booked_place_stays_on_its_date(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await with_learners(chat, core)
    assert "Change the venue and send this to 2 members?" in await chat.say(
        "Amina", "/edit venue 4 Fleet Branch, computer lab"
    )
    await chat.say("Amina", "1")
    await chat.deliver()

    asked = await chat.say("Amina", "/skipweek 2")
    assert asked.startswith(
        "Skip a week in Python for Everyone? Meeting 2 moves to Thursday, November 12, 2026 "
        "at 6:00 PM (EST), and each meeting after it a week later."
    ), asked
    assert (
        "Fleet Branch, computer lab stays booked for Thursday, Nov 19, 6:00 PM, which is "
        "meeting 3 from now on."
    ) in asked
    assert await chat.deliver() == []  # nobody told before the yes
    assert await chat.say("Amina", "no") == "OK, the meetings stay as they are."
    assert "November 5" in await chat.say("Amina", "/schedule")

    await chat.say("Amina", "/skipweek 2")
    done = await chat.say("Amina", "yes")
    assert done.startswith("Python for Everyone skips a week: meeting 2 is now"), done
    clock.advance(timedelta(minutes=10))  # gathered with the place change made just before
    [told] = texts_to(await chat.deliver(), "Brian")
    assert "Meeting 3 (Thursday, Nov 19, 6:00 PM) is at Fleet Branch, computer lab." in told
    async with open_session(core) as session:
        rows = (await session.exec(select(Meeting).order_by(col(Meeting.number)))).all()
        venues = {m.number: m.venue for m in rows}
    assert venues[3] == "Fleet Branch, computer lab" and venues[4] is None


async def test_a_far_new_meeting_is_asked_about(chat: Chat, core: Core) -> None:
    await with_learners(chat, core)
    asked = await chat.say("Amina", "/addmeeting 12/31/2099 7pm")
    assert "73 years after the last one" in asked, asked
    assert "Or did you mean Thursday, December 31, 2026?" in asked, asked
    assert await chat.deliver() == []
    assert await chat.say("Amina", "no") == "OK, no meeting is added."
    assert "73 years" in await chat.say("Amina", "/addmeeting 12/31/2099 7pm")
    assert "Meeting 7 is added" in await chat.say("Amina", "yes")
    # A date near the last meeting is added at once, as before.
    assert "Meeting 8 is added" in await chat.say("Amina", "/addmeeting 1/6/2100 7pm")


async def test_a_meeting_moved_to_another_day_asks_again_who_comes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await with_learners(chat, core)
    await chat.say("Brian", "/rsvp yes 3")
    await chat.say("Chen", "/rsvp no 3")
    await chat.say("Brian", "/rsvp yes 4")
    await chat.deliver()

    moved = await chat.say("Amina", "/reschedule 3 2026-11-13 18:00")
    assert moved.endswith(
        "2 answers about coming were for the old day, so they're cleared: the reminder will "
        "ask again."
    ), moved
    await chat.deliver()
    # Another time the same day: the answers stand.
    assert "cleared" not in await chat.say("Amina", "/reschedule 4 7pm")
    async with open_session(core) as session:
        answers = (await session.exec(select(Rsvp))).all()
        meetings = {m.id: m.number for m in (await session.exec(select(Meeting))).all()}
    assert [meetings[a.meeting_id] for a in answers] == [4]
    # The digest counts them as not answered yet, and the reminder asks them again.
    clock.set(datetime(2026, 11, 12, 23, 0, tzinfo=UTC))  # 24 hours before Friday 6 PM
    await core.tick()
    reminders = texts_to(await chat.deliver(), "Brian")
    assert any("Will you come?" in text for text in reminders), reminders


async def test_a_venue_starting_with_a_number_is_asked_about(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 24: "5 Points Community Center" is a place, or meeting 5 at "Points ..."."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    asked = await chat.say("Amina", "/edit venue 5 Points Community Center")
    assert asked.startswith(
        "Set “Points Community Center” as the venue of meeting 5 only?\n"
        'If "5" is part of the address, answer no and send '
        '/edit venue "5 Points Community Center".'
    ), asked
    assert await chat.say("Amina", "no") == "OK, the venue stays as it was."
    every = await chat.say("Amina", "/edit venue “5 Points Community Center”")
    assert "5 Points Community Center, Detroit" in every, every

    # A meeting gone by can't be the one meant: the number is the address's.
    clock.advance(timedelta(days=20))  # meetings 1 and 2 are over
    asked = await chat.say("Amina", "/edit venue 2 East 5th Street community center")
    assert asked.startswith(
        "Meeting 2 has already happened. Set “2 East 5th Street community center” as the "
        "venue of every meeting?"
    ), asked
    assert "2 East 5th Street community center" in await chat.say("Amina", "yes")


async def test_a_yes_cleared_by_a_move_is_said_to_whoever_gave_it(chat: Chat, core: Core) -> None:
    """fac 17: Brian said yes to Tuesday's meeting; it moved to Wednesday, which cleared his yes
    without a word to him, and the digest then counted him as not answering."""
    await with_learners(chat, core)
    await chat.say("Brian", "/rsvp yes 3")
    await chat.deliver()
    await chat.say("Amina", "/reschedule 3 2026-11-13 18:00")
    sent = await chat.deliver()
    [brian] = texts_to(sent, "Brian")
    [chen] = texts_to(sent, "Chen")
    assert "has moved to Friday, Nov 13, 6:00 PM" in brian and "has moved to" in chen
    assert "Your yes was for the old day" in brian, brian
    assert "yes" not in chen, chen
