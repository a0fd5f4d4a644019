"""A word to the facilitators of a circle nobody has joined yet, two days before its first
meeting: forward the invitation (walkthrough fac 38). Once per circle and facilitator."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from sqlmodel import col, select

from bot.chat.i18n import Translator
from bot.circles import meetings
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import members, notifications
from bot.storage.models import Circle, CircleStatus, Meeting, MeetingStatus

# How long before the first meeting an empty circle's facilitators hear of it: time enough to
# forward the invitation, near enough that it is clearly needed.
NUDGE_BEFORE = timedelta(days=2)


def nudge_text(tr: Translator, circle: Circle, first: Meeting) -> str:
    return tr._(
        "Nobody has joined %(circle)s yet, and its first meeting is %(when)s. Send /invite "
        "for an invitation to forward to people who might like to come.",
        circle=circle.name,
        when=tr.when(first.starts_at, circle.timezone),
    )


class EmptyCircleNudges:
    """The tick's job: the meetings whose nudge time (NUDGE_BEFORE ahead) fell in the window,
    when they are their circle's first and nobody has joined it."""

    async def run(self, window: TickWindow) -> TickReport:
        session = window.session
        due = (
            await session.exec(
                select(Meeting, Circle)
                .join(Circle, col(Circle.id) == Meeting.circle_id)
                .where(
                    Circle.status == CircleStatus.ACTIVE,
                    Meeting.status != MeetingStatus.CANCELLED,
                    col(Meeting.starts_at) > window.since + NUDGE_BEFORE,
                    col(Meeting.starts_at) <= window.now + NUDGE_BEFORE,
                )
            )
        ).all()
        for meeting, circle in due:
            assert circle.id is not None
            # Made less than NUDGE_BEFORE ahead: the facilitator has just been told how to invite.
            if circle.created_at > meeting.starts_at - NUDGE_BEFORE:
                continue
            if await meetings.anyone_joined(session, circle):
                continue
            if await meetings.held(session, circle.id, window.now):
                continue  # not the first meeting
            for person_id in await members.facilitators(session, circle.id):
                await notifications.notify(
                    session,
                    window.catalogs,
                    window.now,
                    person_id,
                    OutboxKey(
                        MessageKind.FIRST_MEETING_NUDGE,
                        f"circle:{circle.id}",
                        f"person:{person_id}",
                        "",  # once per circle, however often its first meeting moves
                    ),
                    partial(nudge_text, circle=circle, first=meeting),
                    circle.language,
                )
        return TickReport()  # a circle's news, not the rhythm's counts
