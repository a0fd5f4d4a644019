"""Who counts as a circle's learner at each meeting, for every figure a facilitator reads (/report,
the digest, the close-out, the team view, /export), so they never count different people.

Those who left count at the meetings before they left: their weeks stay in the history. A
learner who became a co-facilitator (or took the circle over with /handover) counts up to the
last meeting she has a learner's record for (a check-in, or a tick on the attendance sheet,
which lists learners only): never as an absent learner at the meetings she ran. The facilitator
who made the circle never counts.

A check-in's "of N asked" counts who was asked it: the learners at its meeting still in the
circle when it went out, and whoever answered it. One who left before it went out was not
asked, and is not counted from then on; the answers she gave stay. The digest's last check-in
is told of the circle as it is now: it counts only those still in it (bot/rhythm/digests.py).

One who left and came back (issue 16) was not a learner at the meetings held while she was
away, nor asked the check-ins that went out then (bot/circles/away.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import N_
from bot.circles import away
from bot.rhythm import checkins
from bot.storage.models import (
    Attendance,
    AttendanceSource,
    AwaySpell,
    CheckIn,
    Circle,
    Meeting,
    Membership,
    Person,
    Role,
)

# Said beside the check-in figures of a circle someone has left, in the digest and /report alike.
LEFT_NOTE = N_("Anyone who left counts only in the check-ins sent before they left.")


@dataclass(frozen=True)
class Learner:
    person_id: int
    name: str
    membership: Membership
    # For one who runs the circle now: the start of the last meeting she was a learner at.
    # None for a learner (in the circle or gone).
    learner_until: datetime | None = None
    # The times she was away from the circle and came back (bot/circles/away.py).
    away: tuple[AwaySpell, ...] = ()

    def member_since(self) -> datetime:
        """When her present time in the circle began: joining, or coming back last."""
        return away.member_since(self.membership, self.away)


async def learners_of(session: AsyncSession, circle_id: int) -> list[Learner]:
    """Every learner the circle has had, in the order they joined: those who left too, and
    those who run it now but were its learners first (see the module's docstring)."""
    rows = await session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.circle_id == circle_id)
        .order_by(col(Membership.joined_at), col(Membership.id))
    )
    found = rows.all()
    # The facilitator who made the circle (its first membership) was never one of its
    # learners: their own /checkin is no learner's answer.
    founder = min((m.id or 0 for m, _ in found), default=0)
    promoted = {m.person_id for m, _ in found if m.role != Role.LEARNER and m.id != founder}
    until = await _last_as_learner(session, circle_id, promoted) if promoted else {}
    spells = await away.spells_of(session, [m.id for m, _ in found if m.id is not None])
    return [
        Learner(
            person.id or 0,
            person.display_name,
            m,
            until.get(m.person_id),
            tuple(spells.get(m.id or 0, ())),
        )
        for m, person in found
        if m.role == Role.LEARNER or m.person_id in until
    ]


async def _last_as_learner(
    session: AsyncSession, circle_id: int, people: set[int]
) -> dict[int, datetime]:
    """For each of `people`, the start of the last meeting of the circle they checked in for
    or were ticked at by a facilitator; those with neither are left out."""
    checked_in = select(CheckIn.person_id, CheckIn.meeting_id).where(
        CheckIn.circle_id == circle_id, col(CheckIn.person_id).in_(people)
    )
    ticked = (
        select(Attendance.person_id, Attendance.meeting_id)
        .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
        .where(
            Meeting.circle_id == circle_id,
            col(Attendance.person_id).in_(people),
            Attendance.source == AttendanceSource.FACILITATOR,
        )
    )
    records = checked_in.union_all(ticked).subquery()
    rows = await session.exec(
        select(records.c.person_id, func.max(Meeting.starts_at))
        .join(Meeting, col(Meeting.id) == records.c.meeting_id)
        .group_by(records.c.person_id)
    )
    return {person_id: last for person_id, last in rows.all() if last is not None}


def learner_now(learner: Learner) -> bool:
    """Still in the circle as a learner (not gone, not running it now)."""
    return learner.membership.left_at is None and learner.membership.role == Role.LEARNER


def member_at(learner: Learner, meeting: Meeting) -> bool:
    """Whether the person was one of the circle's learners when the meeting took place."""
    left = learner.membership.left_at
    until = learner.learner_until
    return (
        learner.membership.joined_at < meeting.ends_at
        and (left is None or left > meeting.starts_at)
        and (until is None or meeting.starts_at <= until)
        and not away.away_for(learner.away, meeting.starts_at, meeting.ends_at)
    )


def at(learners: Iterable[Learner], meeting: Meeting) -> set[int]:
    """The people who were learners at the meeting."""
    return {learner.person_id for learner in learners if member_at(learner, meeting)}


def asked(
    circle: Circle,
    meeting: Meeting,
    learners: Iterable[Learner],
    answered: Collection[int],
    now: datetime,
    unreachable: Collection[int] = (),
) -> list[int]:
    """Who was asked the meeting's check-in, as "of N asked" counts them (see the module's
    docstring). Before it goes out, only those who answered already (/checkin). Who no
    message reaches (`unreachable`: sent STOP, blocked the bot) was never asked: not one
    unanswered (fac 27), unless they answered all the same."""
    there = [learner for learner in learners if member_at(learner, meeting)]
    if not checkins.gone_out(circle, meeting, now):
        return [learner.person_id for learner in there if learner.person_id in answered]
    sent_at = checkins.due_at(circle, meeting)
    return [
        learner.person_id
        for learner in there
        if learner.person_id in answered
        or (
            learner.person_id not in unreachable
            and (learner.membership.left_at is None or learner.membership.left_at > sent_at)
            and not away.away_for(learner.away, sent_at, sent_at)  # gone when it went out
            # Never sent one: check-ins paused (C55), or running the circle now (A35).
            and not learner.membership.checkins_paused
            and learner.membership.role == Role.LEARNER
        )
    ]
