"""The weekly check-in: a 1-5 rating and one open answer per learner per meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.chat.messages import Choice
from bot.circles.meetings import local_instant
from bot.rhythm.reflections import clip
from bot.storage.models import CheckIn, Circle, Meeting, MeetingStatus
from prompts import checkin as checkin_prompts

RATINGS = range(1, 6)
NUDGE_AFTER = timedelta(hours=48)


class Timed(Protocol):
    """A meeting's times: a Meeting, or the tick's lighter bot.rhythm.timetable.MeetingTimes."""

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...


def due_at(circle: Circle, meeting: Timed) -> datetime:
    """When a meeting's check-in goes out: N days later at a local time, never before it ends."""
    local_day = meeting.starts_at.astimezone(ZoneInfo(circle.timezone)).date()
    due = local_instant(
        local_day + timedelta(days=circle.checkin_days_after), circle.checkin_time, circle.timezone
    )
    return max(due, meeting.ends_at)


def rating_choices(tr: Translator) -> list[Choice]:
    """1 to 5, as buttons (or "Reply 1 for hard going, ... or 5 for great" where there are none)."""
    labels = checkin_prompts.RATING_LABELS
    return [Choice(tr._(label), str(n)) for n, label in enumerate(labels, start=1)]


def parse_rating(text: str, tr: Translator | None = None) -> int | None:
    """1 to 5 from the number, or from the answer's words ("good", or the reader's "bien"):
    buttons show the words, and some people type what they read."""
    text = text.strip().rstrip(".!")
    if text.isdecimal() and int(text) in RATINGS:
        return int(text)
    typed = plain(text)
    for number, label in enumerate(checkin_prompts.RATING_LABELS, start=1):
        if typed and typed in {plain(label), plain(tr._(label)) if tr else ""}:
            return number
    return None


async def open_meeting(session: AsyncSession, circle_id: int, now: datetime) -> Meeting:
    """The meeting whose check-in is open: the last one that has ended, until the next starts."""
    held = (
        await session.exec(
            select(Meeting)
            .where(
                Meeting.circle_id == circle_id,
                Meeting.status != MeetingStatus.CANCELLED,
                col(Meeting.starts_at) <= now,
            )
            .order_by(col(Meeting.starts_at).desc())
        )
    ).first()
    if held is None:
        raise UserError(
            N_("Your circle hasn't met yet. The first check-in comes after the first meeting.")
        )
    if held.ends_at > now:
        raise UserError(
            N_(
                "The meeting is on right now. I'll ask how it went afterwards, "
                "or send /checkin then."
            )
        )
    return held


async def of(session: AsyncSession, meeting_id: int, person_id: int) -> CheckIn | None:
    return (
        await session.exec(
            select(CheckIn).where(CheckIn.meeting_id == meeting_id, CheckIn.person_id == person_id)
        )
    ).first()


async def _row(session: AsyncSession, meeting: Meeting, person_id: int, now: datetime) -> CheckIn:
    """The person's check-in for the meeting, new if they have not answered yet."""
    assert meeting.id is not None
    return await of(session, meeting.id, person_id) or CheckIn(
        circle_id=meeting.circle_id,
        meeting_id=meeting.id,
        person_id=person_id,
        answered_at=now,
        updated_at=now,
    )


async def record_rating(
    session: AsyncSession, meeting: Meeting, person_id: int, rating: int, now: datetime
) -> CheckIn:
    assert rating in RATINGS
    checkin = await _row(session, meeting, person_id, now)
    checkin.rating = rating
    checkin.updated_at = now
    session.add(checkin)
    await session.flush()
    return checkin


async def record_answer(
    session: AsyncSession,
    meeting: Meeting,
    person_id: int,
    prompt_key: str,
    text: str,
    now: datetime,
) -> bool:
    """Store the open answer. True when it was shortened to the stored limit."""
    checkin = await _row(session, meeting, person_id, now)
    checkin.answer, clipped = clip(text)
    checkin.prompt_key = prompt_key
    checkin.updated_at = now
    session.add(checkin)
    await session.flush()
    return clipped


@dataclass(frozen=True)
class WeekStats:
    asked: int
    answered: int
    average: float | None


async def for_meetings(session: AsyncSession, meeting_ids: list[int]) -> dict[int, list[CheckIn]]:
    found: dict[int, list[CheckIn]] = {meeting_id: [] for meeting_id in meeting_ids}
    if meeting_ids:
        rows = await session.exec(select(CheckIn).where(col(CheckIn.meeting_id).in_(meeting_ids)))
        for row in rows.all():
            found[row.meeting_id].append(row)
    return found


def stats(checkins: list[CheckIn], learner_ids: list[int]) -> WeekStats:
    mine = [c for c in checkins if c.person_id in set(learner_ids)]
    ratings = [c.rating for c in mine if c.rating is not None]
    average = sum(ratings) / len(ratings) if ratings else None
    return WeekStats(len(learner_ids), len(mine), average)


async def prompts_asked(
    session: AsyncSession, circle_id: int, except_meeting: int | None
) -> set[str]:
    """The open questions this circle has answered in other weeks, so a week repeats none."""
    rows = await session.exec(
        select(CheckIn.prompt_key).where(
            CheckIn.circle_id == circle_id,
            CheckIn.meeting_id != except_meeting,
            col(CheckIn.prompt_key).is_not(None),
        )
    )
    return {key for key in rows.all() if key}
