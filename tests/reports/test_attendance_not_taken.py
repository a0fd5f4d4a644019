"""Meetings nobody took attendance for, in the digest, /report and the close-out (issue 16: W4,
W12): "not taken", never 0; drifting judged only on meetings with attendance; the closing
summary waits for the last meeting's attendance; a learner who took the circle over still
counts for the weeks they were a learner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.reports.closeout import ATTENDANCE_WAIT, SETTLE, summary_due
from bot.storage.models import Membership, Person, Role
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session
from tests.seasons import Week, open_circle, play_week, starts

TWO_MEETINGS = DETROIT_CIRCLE.replace("meetings=6", "meetings=2")


async def quiet_weeks(chat: Chat, core: Core, clock: FakeClock) -> None:
    """Both came to meeting 1; nobody took attendance at meetings 2 and 3, where Brian still
    answered every check-in and Chioma none."""
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma"), ratings={"Brian": 4}))
    await play_week(chat, core, clock, 2, Week(ratings={"Brian": 4}))
    await play_week(chat, core, clock, 3, Week(ratings={"Brian": 5}))


async def test_a_meeting_without_attendance_is_not_taken_and_makes_nobody_drift(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await quiet_weeks(chat, core, clock)
    report = await chat.say("Amina", "/report")
    assert "Attendance: 2 at meeting 1, meeting 2 not taken, meeting 3 not taken" in report
    assert "drifting" not in report  # two meetings nobody ticked are not two meetings missed
    assert "with attendance taken" not in report  # one meeting with attendance: no retention
    digest = await chat.say("Amina", "/digest")
    assert "Attendance so far: 2 at meeting 1, meeting 2 not taken, meeting 3 not taken" in digest
    assert "missed the last two meetings" not in digest
    # The check-ins since say who went quiet (G4, D31): attendance taken only at meeting 1
    # says nothing about the weeks after it.
    assert "May be drifting away (didn't answer the last two check-ins): Chioma." in digest


async def test_retention_and_drifting_count_the_meetings_with_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await quiet_weeks(chat, core, clock)
    await play_week(chat, core, clock, 4, Week(came=("Brian",), ratings={"Brian": 5}))
    await play_week(chat, core, clock, 5, Week(ratings={"Brian": 5}))
    report = await chat.say("Amina", "/report")
    assert (
        "Attendance: 2 at meeting 1, meeting 2 not taken, meeting 3 not taken, 1 at meeting 4, "
        "meeting 5 not taken" in report
    )
    # From meeting 1 to meeting 4, the latest with attendance (not "0 came to the latest").
    assert (
        "1 of the 2 learners at meeting 1 came to meeting 4 (50%): the first and latest "
        "meetings with attendance taken."
    ) in report
    assert "drifting" not in report  # Chioma came to meeting 1, one of the last two taken
    await play_week(chat, core, clock, 6, Week(came=("Brian",), ratings={"Brian": 5}))
    report = await chat.say("Amina", "/report")
    assert "missed the last two meetings): Chioma." in report  # missed 4 and 6


async def summaries(chat: Chat) -> list[str]:
    return [m.text for m in await chat.deliver() if "Thank you for facilitating" in m.text]


async def test_the_closing_summary_waits_for_the_last_meetings_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False}, TWO_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma")))
    ended = starts(2) + timedelta(minutes=90)
    clock.set(ended + timedelta(minutes=1))
    await core.tick()
    delivered = await chat.deliver()
    # The learners' thank-you goes as the last meeting ends; the summary not yet.
    assert any("Thank you for being part of it" in m.text for m in delivered)
    assert not any("Thank you for facilitating" in m.text for m in delivered)

    clock.set(ended + timedelta(minutes=20))
    await chat.say("Amina", "/attendance 2")
    assert "Saved: 1 of 2" in await chat.say("Amina", "2 done")
    await core.tick()
    assert await summaries(chat) == []  # she may still be ticking
    clock.set(ended + timedelta(minutes=20) + SETTLE)
    await core.tick()
    [summary] = await summaries(chat)
    assert "Attendance: 2 at meeting 1, 1 at meeting 2" in summary
    assert "0 came to the latest" not in summary
    clock.set(ended + ATTENDANCE_WAIT + timedelta(hours=1))
    await core.tick()
    assert await summaries(chat) == []  # once


async def test_without_attendance_the_closing_summary_comes_the_next_morning(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    ended = starts(2) + timedelta(minutes=90)
    clock.set(ended + ATTENDANCE_WAIT - timedelta(minutes=1))
    await core.tick()
    assert await summaries(chat) == []
    clock.set(ended + ATTENDANCE_WAIT)
    await core.tick()
    [summary] = await summaries(chat)
    assert "Attendance: 1 at meeting 1, meeting 2 not taken" in summary


async def test_a_learner_who_became_co_facilitator_still_counts_for_their_weeks(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Chioma, the only learner, came to meeting 1 and answered its check-in, then became a
    co-facilitator: her week is still a check-in that went out and was answered."""
    await open_circle(chat, core, {"Chioma": True})
    await play_week(chat, core, clock, 1, Week(came=("Chioma",), ratings={"Chioma": 4}))
    async with open_session(core) as session, session.begin():
        chioma = (await session.exec(select(Person).where(Person.display_name == "Chioma"))).one()
        membership = (
            await session.exec(select(Membership).where(Membership.person_id == chioma.id))
        ).one()
        membership.role = Role.COFACILITATOR
        session.add(membership)
    report = await chat.say("Amina", "/report")
    assert "No check-ins have gone out yet." not in report
    assert "Check-ins: 1 of 1 answered (100%)." in report
    assert "Attendance: 1 at meeting 1" in report
    assert "0 learners in the circle now." in report  # she facilitates now


def test_without_attendance_an_afternoon_circles_summary_waits_for_the_morning() -> None:
    """lang 31: Tableurs pour tous ended at 15:00 in Toronto; with no attendance taken its
    closing summary came at 03:00. It comes at 07:00 instead; an evening meeting's, as before,
    the next morning 12 hours after."""
    toronto = ZoneInfo("America/Toronto")
    ended = datetime(2027, 3, 2, 15, 0, tzinfo=toronto).astimezone(UTC)
    due = summary_due(ended, None, "America/Toronto").astimezone(toronto)
    assert due == datetime(2027, 3, 3, 7, 0, tzinfo=toronto)
    evening = datetime(2027, 3, 2, 20, 30, tzinfo=toronto).astimezone(UTC)
    assert summary_due(evening, None, "America/Toronto") == evening + ATTENDANCE_WAIT


async def test_a_yes_to_a_later_meeting_nobody_took_attendance_for_is_no_drifting_away(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C13: Chioma missed meetings 2 and 3 (attendance taken), then said yes to meeting 4,
    whose attendance nobody took: "missed the last two meetings" would call her gone when, as
    far as anyone knows, she came back."""
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma")))
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))
    await play_week(chat, core, clock, 3, Week(came=("Brian",)))
    report = await chat.say("Amina", "/report")
    assert "missed the last two meetings): Chioma." in report
    await play_week(chat, core, clock, 4, Week(yes=("Chioma",)))
    report = await chat.say("Amina", "/report")
    assert "meeting 4 not taken" in report
    assert "Chioma" not in report
    assert "missed the last two meetings" not in await chat.say("Amina", "/digest")
