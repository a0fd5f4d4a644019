"""Inbound de-duplication: a platform message id is handled once, however often it arrives."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.database import insert_if_absent
from bot.storage.models import InboundReceipt


async def first_time(session: AsyncSession, platform: str, message_id: str, now: datetime) -> bool:
    """Record the message id; False if it was already recorded (a resend)."""
    table = InboundReceipt.__table__  # type: ignore[attr-defined]
    values = {"platform": platform, "message_id": message_id, "received_at": now}
    return await insert_if_absent(session, table, values, ["platform", "message_id"])
