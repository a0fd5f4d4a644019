"""Who missed a meeting, as far as we were told: the check-in after it asks them about their
week, not about a meeting they were not at.

Someone missed a meeting when they were not marked there and either said they would not come
(/rsvp no) or a facilitator took attendance without them. Nobody ticked and no answer: we don't
know, so they are asked about the meeting like everyone else.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.rhythm import attendance
from bot.storage.models import Attendance, AttendanceSource, Meeting, Rsvp, RsvpAnswer


@dataclass(frozen=True)
class Absences:
    """What is known about who came to some meetings, as (meeting, person) pairs."""

    said_no: frozenset[tuple[int, int]]
    present: frozenset[tuple[int, int]]
    ticked: frozenset[int]  # meetings a facilitator took attendance for

    def missed(self, meeting_id: int, person_id: int) -> bool:
        pair = (meeting_id, person_id)
        if pair in self.present:  # said no, then came after all
            return False
        return pair in self.said_no or meeting_id in self.ticked


NONE_KNOWN = Absences(frozenset(), frozenset(), frozenset())


async def of_meetings(session: AsyncSession, meeting_ids: Collection[int | None]) -> Absences:
    """Absences at these meetings: two statements however many."""
    ids = sorted({m for m in meeting_ids if m is not None})
    if not ids:
        return NONE_KNOWN
    said_no = await session.exec(
        select(Rsvp.meeting_id, Rsvp.person_id).where(
            col(Rsvp.meeting_id).in_(ids), Rsvp.answer == RsvpAnswer.NO
        )
    )
    marks = (
        await session.exec(
            select(Attendance.meeting_id, Attendance.person_id, Attendance.source).where(
                col(Attendance.meeting_id).in_(ids)
            )
        )
    ).all()
    ticked = {m for m, _, source in marks if source == AttendanceSource.FACILITATOR}
    # "Nobody came" leaves no row: everyone missed that meeting.
    ticked |= await attendance.taken_with_nobody(session, ids)
    return Absences(
        frozenset(said_no.all()),
        frozenset((meeting, person) for meeting, person, _ in marks),
        frozenset(ticked),
    )


async def told(session: AsyncSession, meeting: Meeting, person_id: int, now: datetime) -> bool:
    """A learner who told us, after it, that she wasn't at `meeting` ("sikuweza kuja" to its
    check-in): her No for it, the one record of her own word about coming, so the digest, the
    reports and the export read her as missing it (and never as not heard from). Never over a
    mark that she was there. Whether it was noted."""
    assert meeting.id is not None
    there = await session.exec(
        select(Attendance.id).where(
            Attendance.meeting_id == meeting.id, Attendance.person_id == person_id
        )
    )
    if there.first() is not None:
        return False
    rsvp = (
        await session.exec(
            select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.person_id == person_id)
        )
    ).first()
    if rsvp is None:
        rsvp = Rsvp(
            meeting_id=meeting.id, person_id=person_id, answer=RsvpAnswer.NO, answered_at=now
        )
    rsvp.answer = RsvpAnswer.NO
    rsvp.answered_at = now
    session.add(rsvp)
    await session.flush()
    return True
