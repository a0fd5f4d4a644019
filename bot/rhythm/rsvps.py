"""RSVPs: who says they will come to a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.storage.models import Circle, Meeting, MeetingStatus, Rsvp, RsvpAnswer


@dataclass(frozen=True)
class RsvpCounts:
    yes: int
    no: int
    unknown: int  # not answered yet
    maybe: int = 0  # not sure yet: counted apart from yes, no and not answered


async def record(
    session: AsyncSession,
    meeting: Meeting,
    person_id: int,
    answer: RsvpAnswer,
    now: datetime,
    during: bool = False,
) -> Rsvp:
    """Store or change an RSVP; refused for a cancelled meeting or one that has started, but
    `during` the meeting a no is still taken: the learner is missed, with her reason."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise UserError(
            N_("Meeting %(number)d is cancelled, so there's nothing to answer."),
            number=meeting.number,
        )
    going_on = meeting.starts_at <= now < meeting.ends_at
    if meeting.starts_at <= now and not (during and going_on and answer == RsvpAnswer.NO):
        raise UserError(
            N_("Meeting %(number)d has already started, so it's too late to answer."),
            number=meeting.number,
        )
    assert meeting.id is not None
    rsvp = (
        await session.exec(
            select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.person_id == person_id)
        )
    ).first()
    if rsvp is None:
        rsvp = Rsvp(meeting_id=meeting.id, person_id=person_id, answer=answer, answered_at=now)
    rsvp.answer = answer
    rsvp.answered_at = now
    session.add(rsvp)
    await session.flush()
    return rsvp


async def meeting_on(session: AsyncSession, circle: Circle, day: date) -> Meeting | None:
    """The circle's meeting on `day`, a date in the circle's own zone ("/rsvp no Tuesday"):
    one that still takes place if there is one, else a cancelled one (so the answer can say
    it is cancelled); None when no meeting falls on that day."""
    zone = ZoneInfo(circle.timezone)
    rows = await session.exec(
        select(Meeting).where(Meeting.circle_id == circle.id).order_by(col(Meeting.starts_at))
    )
    that_day = [m for m in rows.all() if m.starts_at.astimezone(zone).date() == day]
    held = [m for m in that_day if m.status != MeetingStatus.CANCELLED]
    found = held or that_day
    return found[0] if found else None


async def answers(session: AsyncSession, meeting_id: int) -> dict[int, RsvpAnswer]:
    rows = await session.exec(select(Rsvp).where(Rsvp.meeting_id == meeting_id))
    return {row.person_id: RsvpAnswer(row.answer) for row in rows.all()}


async def counts(session: AsyncSession, meeting_id: int, learner_ids: list[int]) -> RsvpCounts:
    """Yes, no, maybe and not yet, among the given learners (current members only)."""
    given = await answers(session, meeting_id)
    yes = sum(1 for person in learner_ids if given.get(person) == RsvpAnswer.YES)
    no = sum(1 for person in learner_ids if given.get(person) == RsvpAnswer.NO)
    maybe = sum(1 for person in learner_ids if given.get(person) == RsvpAnswer.MAYBE)
    return RsvpCounts(yes, no, len(learner_ids) - yes - no - maybe, maybe)


def reminds(answer: RsvpAnswer | None, offset: int, offsets: list[int]) -> bool:
    """Whether the reminder `offset` minutes before a meeting goes to a learner who answered
    `answer`. One who said no hears only the first ("Changed your mind?"): a later one would be
    a paid SMS for nothing."""
    return answer is not RsvpAnswer.NO or offset >= max(offsets, default=offset)
