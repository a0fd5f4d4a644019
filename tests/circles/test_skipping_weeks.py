"""/skipweek MEETING WEEKS: a library closed for two weeks moves the meetings on two weeks at
once, after asking, with one notice to the learners; a place booked for a date stays on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Meeting, Rsvp
from tests.circles.test_walk8_schedule_commands import texts_to, with_learners
from tests.conftest import Chat
from tests.database import open_session


async def test_two_weeks_are_skipped_at_once_after_asking(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await with_learners(chat, core)  # Thursdays in Detroit: meeting 2 on Nov 5, 3 on Nov 12
    asked = await chat.say("Amina", "/skipweek 2 2")
    assert asked.startswith(
        "Skip 2 weeks in Python for Everyone? Meeting 2 moves to Thursday, November 19, 2026 "
        "at 6:00 PM (EST), and each meeting after it as many weeks later."
    ), asked
    assert await chat.deliver() == []  # nobody told before the yes
    done = await chat.say("Amina", "yes")
    assert done.startswith("Python for Everyone skips 2 weeks: meeting 2 is now"), done
    clock.advance(timedelta(minutes=10))
    told = texts_to(await chat.deliver(), "Brian")
    assert len(told) == 1, told  # one notice, not one a week
    assert "skips 2 weeks" in told[0] and "November 19" in told[0], told
    async with open_session(core) as session:
        rows = (await session.exec(select(Meeting).order_by(col(Meeting.number)))).all()
    days = {m.number: m.starts_at.date().isoformat() for m in rows}
    assert days[1] == "2026-10-29"
    assert days[2] == "2026-11-19" and days[3] == "2026-11-26" and days[6] == "2026-12-17"


async def test_a_place_booked_for_a_date_stays_on_it_when_two_weeks_are_skipped(
    chat: Chat, core: Core
) -> None:
    await with_learners(chat, core)
    await chat.say("Amina", "/edit venue 4 Fleet Branch, computer lab")  # Nov 19
    await chat.say("Amina", "1")
    asked = await chat.say("Amina", "/skipweek 2 2 weeks")
    assert (
        "Fleet Branch, computer lab stays booked for Thursday, Nov 19, 6:00 PM, which is "
        "meeting 2 from now on."
    ) in asked, asked
    await chat.say("Amina", "yes")
    async with open_session(core) as session:
        rows = (await session.exec(select(Meeting).order_by(col(Meeting.number)))).all()
    venues = {m.number: m.venue for m in rows}
    assert venues[2] == "Fleet Branch, computer lab" and venues[4] is None


async def test_too_many_weeks_are_refused_and_change_nothing(chat: Chat, core: Core) -> None:
    await with_learners(chat, core)
    assert "You can skip from 1 to 8 weeks at once." in await chat.say("Amina", "/skipweek 2 20")
    assert "Usage: /skipweek MEETING [WEEKS]" in await chat.say("Amina", "/skipweek 2 soon")
    assert "November 5" in await chat.say("Amina", "/schedule")
    # One week, as before, when no number of weeks is given.
    assert (await chat.say("Amina", "/skipweek 2")).startswith("Skip a week in")


async def test_skipping_weeks_clears_the_answers_given_for_the_old_dates(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D7: a "no" for 5 November (a party that evening) says nothing about 19 November: after
    /skipweek the answers are cleared, as /reschedule to another day clears them."""
    await with_learners(chat, core)
    await chat.say("Brian", "/rsvp no 2")
    await chat.say("Chen", "/rsvp yes 3")
    await chat.deliver()
    await chat.say("Amina", "/skipweek 2 2")
    done = await chat.say("Amina", "yes")
    assert done.endswith(
        "2 answers about coming were for the old day, so they're cleared: the reminder will "
        "ask again."
    ), done
    async with open_session(core) as session:
        assert (await session.exec(select(Rsvp))).all() == []
    # The reminder before the new date asks Brian, rather than telling him he said no.
    clock.set(datetime(2026, 11, 18, 23, 0, tzinfo=UTC))  # 24 hours before Nov 19, 6 PM EST
    await core.tick()
    reminders = texts_to(await chat.deliver(), "Brian")
    assert any("Will you come?" in text for text in reminders), reminders
