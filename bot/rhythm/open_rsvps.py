"""A reminder's "Will you come?" still open in a chat: one pending question per chat, kept while
the person answers another (a check-in, the survey, another circle's reminder whose meeting has
started) and answerable after it (issue 16).

Nothing is remembered for it: the reminders sent to the chat (the outbox) say what was asked,
and the meeting and the RSVPs say whether it is still open.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import Meeting, MeetingStatus, OutboxMessage, Rsvp

# A reminder's Yes or No, as derivation.rsvp_choices makes it: "#12 /rsvp yes 3".
RSVP_CHOICE = re.compile(r"#(?P<circle>\d{1,12}) /rsvp (?:yes|no) (?P<number>\d{1,9})")
# How many of the latest messages to a chat are searched for a reminder still open.
_LATEST_MESSAGES = 50


class OpenRsvp(NamedTuple):
    """A reminder's Yes and No still waiting, as conversations keep choices: [payload, label]."""

    choices: list[list[str]]
    asked_at: datetime


def meeting_asked(payloads: list[str]) -> tuple[int, int] | None:
    """The circle id and meeting number a reminder's Yes and No are about; None for any other
    choices."""
    found = [RSVP_CHOICE.fullmatch(payload) for payload in payloads]
    about = {(int(m["circle"]), int(m["number"])) for m in found if m is not None}
    if not found or None in found or len(about) != 1:
        return None
    return about.pop()


async def _open(
    session: AsyncSession, circle_id: int, number: int, person_id: int, now: datetime
) -> bool:
    """Whether the meeting is still to come, not cancelled, and the person hasn't answered."""
    meeting = (
        await session.exec(
            select(Meeting).where(Meeting.circle_id == circle_id, Meeting.number == number)
        )
    ).first()
    if meeting is None or meeting.status == MeetingStatus.CANCELLED or meeting.starts_at <= now:
        return False
    answered = await session.exec(
        select(Rsvp.id).where(Rsvp.meeting_id == meeting.id, Rsvp.person_id == person_id)
    )
    return answered.first() is None


async def lapsed(session: AsyncSession, payloads: list[str], now: datetime) -> bool:
    """Whether `payloads` are a reminder's Yes and No for a meeting that has started or was
    cancelled since: they answer nothing now."""
    about = meeting_asked(payloads)
    if about is None:
        return False
    meeting = (
        await session.exec(
            select(Meeting).where(Meeting.circle_id == about[0], Meeting.number == about[1])
        )
    ).first()
    return meeting is None or meeting.status == MeetingStatus.CANCELLED or meeting.starts_at <= now


async def still_open(
    session: AsyncSession,
    platform: str,
    chat_id: str,
    person_id: int,
    circle_ids: set[int],
    now: datetime,
) -> OpenRsvp | None:
    """The newest reminder to this chat whose question is still open: about one of the
    person's circles (`circle_ids`), a meeting still to come that they haven't answered."""
    rows = await session.exec(
        select(OutboxMessage.payload, OutboxMessage.created_at)
        .where(OutboxMessage.platform == platform, OutboxMessage.chat_id == chat_id)
        .order_by(col(OutboxMessage.id).desc())
        .limit(_LATEST_MESSAGES)
    )
    seen: set[tuple[int, int]] = set()
    for payload, created_at in rows.all():
        choices = [c for c in payload.get("choices") or [] if len(c) > 1]
        about = meeting_asked([c[1] for c in choices])
        if about is None or about in seen or about[0] not in circle_ids:
            continue
        seen.add(about)
        if await _open(session, *about, person_id, now):
            return OpenRsvp([[c[1], c[0]] for c in choices], created_at)
    return None
