"""Forgetting what the bot no longer needs, once a day as part of the tick.

Two tables only grow otherwise: the platform message ids already handled (InboundReceipt, kept so
a gateway's resend is answered once) and conversation state (Conversation: a guided command in
progress, the choices last offered). Gateways resend within hours and a guided command goes stale
after a day (bot/conversations.py), so a month of both is ample. Nothing a person wrote or was
sent is touched here: answers, letters and the outbox are records, erased only by /forget.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import Conversation, InboundReceipt

KEEP = timedelta(days=30)
# Once a day, at a quiet hour for most circles (UTC).
AT = time(3, 0)


def due(since: datetime, now: datetime) -> bool:
    """Whether the tick window (since, now] holds a daily housekeeping time."""
    today = datetime.combine(now.date(), AT, tzinfo=now.tzinfo)
    latest = today if today <= now else today - timedelta(days=1)
    return since < latest


async def prune(session: AsyncSession, now: datetime) -> int:
    """Delete inbound receipts and conversations untouched for KEEP; how many rows went."""
    before = now - KEEP
    receipts = await session.exec(
        delete(InboundReceipt).where(col(InboundReceipt.received_at) < before)  # type: ignore[call-overload]
    )
    conversations = await session.exec(
        delete(Conversation).where(col(Conversation.updated_at) < before)  # type: ignore[call-overload]
    )
    return int(receipts.rowcount or 0) + int(conversations.rowcount or 0)
