"""The circle's calendar: meetings as UTC instants derived from local wall time in its zone.

A weekly 18:00 meeting stays at 18:00 local across a DST change because each meeting's instant is
computed from its own local date, never by adding 7 x 24 hours to the previous instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.storage.models import Circle, Meeting, MeetingStatus


def local_instant(day: date, at: time, zone: str) -> datetime:
    """The UTC instant of a local wall time. In a spring-forward gap it lands just after the gap."""
    local = datetime.combine(day, at, tzinfo=ZoneInfo(zone))
    # Round-trip through UTC so a time that does not exist locally becomes one that does.
    return local.astimezone(UTC)


def first_meeting_date(start: date, weekday: int) -> date:
    """The first `weekday` on or after `start`."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def planned_start(circle: Circle, number: int) -> datetime:
    """When meeting `number` was planned to start: its week's day at the circle's usual time."""
    day = circle.start_date + timedelta(weeks=number - 1)
    return local_instant(day, circle.start_time, circle.timezone)


def plan(circle: Circle) -> list[Meeting]:
    assert circle.id is not None
    duration = timedelta(minutes=circle.duration_minutes)
    meetings = []
    for index in range(circle.meeting_count):
        starts_at = planned_start(circle, index + 1)
        meetings.append(
            Meeting(
                circle_id=circle.id,
                number=index + 1,
                starts_at=starts_at,
                ends_at=starts_at + duration,
            )
        )
    return meetings


async def schedule(session: AsyncSession, circle_id: int) -> list[Meeting]:
    return list(
        (
            await session.exec(
                select(Meeting).where(Meeting.circle_id == circle_id).order_by(col(Meeting.number))
            )
        ).all()
    )


async def meeting_by_number(session: AsyncSession, circle: Circle, number: int) -> Meeting:
    meeting = (
        await session.exec(
            select(Meeting).where(Meeting.circle_id == circle.id, Meeting.number == number)
        )
    ).first()
    if meeting is None:
        raise UserError(
            N_("There is no meeting %(number)d. This circle has meetings 1 to %(count)d."),
            number=number,
            count=circle.meeting_count,
        )
    return meeting


async def upcoming(session: AsyncSession, circle_id: int, now: datetime) -> Meeting | None:
    """The meeting happening now or next; never one that has ended, never a cancelled one."""
    return (
        await session.exec(
            select(Meeting)
            .where(
                Meeting.circle_id == circle_id,
                Meeting.status != MeetingStatus.CANCELLED,
                col(Meeting.ends_at) > now,
            )
            .order_by(col(Meeting.starts_at))
            .limit(1)
        )
    ).first()


async def reschedule(
    session: AsyncSession, circle: Circle, number: int, day: date, at: time, now: datetime
) -> tuple[Meeting, datetime]:
    """Move one meeting to a new local date and time. Returns the meeting and its old start."""
    meeting = await meeting_by_number(session, circle, number)
    if meeting.status == MeetingStatus.CANCELLED:
        raise UserError(N_("Meeting %(number)d is cancelled, so it can't be moved."), number=number)
    if meeting.ends_at <= now:
        raise UserError(N_("Meeting %(number)d has already happened."), number=number)
    starts_at = local_instant(day, at, circle.timezone)
    if starts_at <= now:
        raise UserError(N_("That time has already passed. Pick a time in the future."))
    ends_at = starts_at + timedelta(minutes=circle.duration_minutes)
    assert circle.id is not None
    _check_order(await schedule(session, circle.id), meeting, starts_at, ends_at)
    old_start = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    # Back at its planned time, a meeting is no longer "moved" for anyone reading /schedule.
    moved = starts_at != planned_start(circle, meeting.number)
    meeting.status = MeetingStatus.MOVED if moved else MeetingStatus.SCHEDULED
    meeting.sequence += 1  # calendar apps replace their copy of the event (.ics SEQUENCE)
    session.add(meeting)
    return meeting, old_start


def _check_order(
    planned: list[Meeting], meeting: Meeting, starts_at: datetime, ends_at: datetime
) -> None:
    """Refuse a move that would overlap or pass the meeting before or after it, so meetings
    never share a start and their numbers keep following the calendar. Cancelled meetings
    don't take place, so their time is free."""
    taking_place = [m for m in planned if m.status != MeetingStatus.CANCELLED or m.id == meeting.id]
    at = [m.id for m in taking_place].index(meeting.id)
    before = taking_place[at - 1] if at > 0 else None
    after = taking_place[at + 1] if at + 1 < len(taking_place) else None
    if (before is None or before.ends_at <= starts_at) and (
        after is None or ends_at <= after.starts_at
    ):
        return
    if before is not None and after is not None:
        raise UserError(
            N_(
                "Meeting %(number)d has to come after meeting %(before)d and before meeting "
                "%(after)d. /schedule shows when they are."
            ),
            number=meeting.number,
            before=before.number,
            after=after.number,
        )
    if after is not None:
        raise UserError(
            N_(
                "Meeting %(number)d has to come before meeting %(after)d. "
                "/schedule shows when they are."
            ),
            number=meeting.number,
            after=after.number,
        )
    assert before is not None
    raise UserError(
        N_(
            "Meeting %(number)d has to come after meeting %(before)d. "
            "/schedule shows when they are."
        ),
        number=meeting.number,
        before=before.number,
    )


async def cancel(session: AsyncSession, circle: Circle, number: int, now: datetime) -> Meeting:
    """Cancel one meeting; the others keep their numbers."""
    meeting = await meeting_by_number(session, circle, number)
    if meeting.status == MeetingStatus.CANCELLED:
        raise UserError(N_("Meeting %(number)d is already cancelled."), number=number)
    if meeting.ends_at <= now:
        raise UserError(N_("Meeting %(number)d has already happened."), number=number)
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    session.add(meeting)
    return meeting


async def bounds(session: AsyncSession, circle_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(first, last) meeting number of each circle, cancelled meetings left out."""
    found: dict[int, tuple[int, int]] = {}
    for start in range(0, len(circle_ids), 1000):
        rows = await session.exec(
            select(Meeting.circle_id, func.min(Meeting.number), func.max(Meeting.number))
            .where(
                col(Meeting.circle_id).in_(circle_ids[start : start + 1000]),
                Meeting.status != MeetingStatus.CANCELLED,
            )
            .group_by(col(Meeting.circle_id))
        )
        found.update({circle_id: (first, last) for circle_id, first, last in rows.all()})
    return found


async def held(session: AsyncSession, circle_id: int, now: datetime) -> list[Meeting]:
    """The meetings that have started so far (not cancelled ones), in order."""
    return [
        m
        for m in await schedule(session, circle_id)
        if m.status != MeetingStatus.CANCELLED and m.starts_at <= now
    ]
