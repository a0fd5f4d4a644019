"""The tick's job that reminds facilitators to take attendance: a short message a quarter of an
hour after each meeting ends, to the facilitators of a circle where nobody has ticked who came,
with /attendance for that meeting as a choice.

It derives, it does not remember (bot/delivery/jobs.py): the meetings whose end plus
AFTER_THE_END fell in the tick's window, each facilitator's message keyed by the meeting, so a
tick done again queues nothing new. Cancelled meetings, and circles no longer active, get none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Translator
from bot.chat.messages import Choice
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, notifications, people
from bot.rhythm import attendance
from bot.storage.models import (
    FACILITATING,
    Circle,
    CircleStatus,
    Conversation,
    Meeting,
    MeetingStatus,
    Membership,
    Role,
)

# Long enough to say goodbye and pack up; soon enough that who came is still fresh.
AFTER_THE_END = timedelta(minutes=15)
# A bot stopped for longer than this does not send the reminder late: the moment has passed.
TOO_LATE = timedelta(hours=12)


def reminder_text(tr: Translator, circle: Circle, meeting: Meeting) -> str:
    return tr._(
        "Thanks for running meeting %(number)d of %(circle)s! Who came? Send /attendance "
        "%(number)d to tick them while you remember.",
        number=meeting.number,
        circle=circle.name,
    )


def reminder_choices(tr: Translator, circle: Circle, meeting: Meeting) -> list[Choice]:
    # The payload names the circle, so it never asks "which circle?".
    return [Choice(tr._("Take attendance"), f"#{circle.id} /attendance {meeting.number}")]


async def reminder_closed(session: AsyncSession, payload: str, now: datetime) -> bool:
    """Whether the reminder's "Take attendance" (`payload`, "#12 /attendance 3") answers
    nothing any more: someone took that meeting's attendance (fac 30: a question then read as
    "everyone came" replaced "nobody came"), or a later meeting has begun, which a bare
    ATTENDANCE is about (sms 36: last week's sheet opened during meeting 4)."""
    circle_id, _, number = payload.removeprefix("#").partition(" /attendance ")
    if not (circle_id.isdecimal() and number.isdecimal()):
        return False
    meeting = (
        await session.exec(
            select(Meeting).where(
                Meeting.circle_id == int(circle_id), Meeting.number == int(number)
            )
        )
    ).first()
    if meeting is None or meeting.id is None:
        return True
    if await _taken(session, [meeting.id]):
        return True
    later = await session.exec(
        select(Meeting.id).where(
            Meeting.circle_id == meeting.circle_id,
            Meeting.status != MeetingStatus.CANCELLED,
            col(Meeting.starts_at) > meeting.starts_at,
            col(Meeting.starts_at) <= now + attendance.EARLY_ARRIVAL,
        )
    )
    return later.first() is not None


class AttendanceReminders:
    """The job in the tick (a bot.delivery.jobs.ScheduledJob). Counted with the reminders."""

    async def run(self, window: TickWindow) -> TickReport:
        session = window.session
        ended = (
            await session.exec(
                select(Meeting, Circle)
                .join(Circle, col(Circle.id) == Meeting.circle_id)
                .where(
                    Circle.status == CircleStatus.ACTIVE,
                    Meeting.status != MeetingStatus.CANCELLED,
                    col(Meeting.ends_at) > max(window.since, window.now - TOO_LATE) - AFTER_THE_END,
                    col(Meeting.ends_at) <= window.now - AFTER_THE_END,
                )
                .order_by(col(Meeting.ends_at), col(Meeting.id))
            )
        ).all()
        if not ended:
            return TickReport()
        taken = await _taken(session, [m.id for m, _ in ended if m.id is not None])
        circle_ids = sorted({c.id for _, c in ended if c.id is not None})
        learners = await _learners(session, circle_ids)
        facilitators = await _facilitators(session, circle_ids)
        sent = 0
        for meeting, circle in ended:
            if meeting.id in taken or not learners.get(meeting.circle_id):
                continue
            for person_id in facilitators.get(meeting.circle_id, []):
                busy = await _busy(session, person_id, window.now)
                sent += await notifications.notify(
                    session,
                    window.catalogs,
                    window.now,
                    person_id,
                    OutboxKey(
                        MessageKind.ATTENDANCE_REMINDER,
                        f"meeting:{meeting.id}",
                        f"person:{person_id}",
                    ),
                    partial(reminder_text, circle=circle, meeting=meeting),
                    circle.language,
                    # A choice would take the place of those of what they are doing now.
                    None if busy else partial(reminder_choices, circle=circle, meeting=meeting),
                )
        return TickReport(reminders=sent)


async def _taken(session: AsyncSession, meeting_ids: Sequence[int]) -> set[int]:
    return await attendance.taken_by_facilitator(session, meeting_ids)


async def _learners(session: AsyncSession, circle_ids: list[int]) -> dict[int, int]:
    """How many learners each circle has now: with none, there is nobody to tick."""
    rows = await session.exec(
        select(Membership.circle_id, func.count())
        .where(
            col(Membership.circle_id).in_(circle_ids),
            Membership.role == Role.LEARNER,
            col(Membership.left_at).is_(None),
        )
        .group_by(col(Membership.circle_id))
    )
    return dict(rows.all())


async def _facilitators(session: AsyncSession, circle_ids: list[int]) -> dict[int, list[int]]:
    rows = await session.exec(
        select(Membership.circle_id, Membership.person_id)
        .where(
            col(Membership.circle_id).in_(circle_ids),
            col(Membership.role).in_(FACILITATING),
            col(Membership.left_at).is_(None),
        )
        .order_by(col(Membership.id))
    )
    found: dict[int, list[int]] = defaultdict(list)
    for circle_id, person_id in rows.all():
        found[circle_id].append(person_id)
    return found


async def _busy(session: AsyncSession, person_id: int, now: datetime) -> bool:
    """Whether the person is in the middle of a guided command in their private chat, where
    the reminder goes."""
    account = await people.preferred_account(session, person_id)
    if account is None:
        return False
    found = (
        await session.exec(
            select(Conversation.flow, Conversation.updated_at).where(
                Conversation.key == conversations.key_for_account(account)
            )
        )
    ).first()
    if found is None:
        return False
    flow, updated_at = found
    return flow is not None and now - updated_at <= conversations.STALE_AFTER
