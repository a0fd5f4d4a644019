"""The outbox dispatcher: sends due rows through the adapter for each platform.

This is the minimal version: one row at a time, a simple backoff after a failure, dead after
MAX_ATTEMPTS. Per-platform rate limits and retry-after arrive with the weekly-rhythm work.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import outbox
from bot.adapter import Adapter, PermanentDeliveryError
from bot.clock import Clock
from bot.i18n import Catalogs
from bot.rendering import fit
from bot.storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


async def dispatch_due(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    adapters: Mapping[str, Adapter],
    batch: int = 50,
) -> int:
    """Send what is due on platforms we have an adapter for. Returns how many rows were sent."""
    sent = 0
    async with sessions() as session, session.begin():
        # SKIP LOCKED lets a second dispatcher (PostgreSQL) take other rows; SQLite ignores it.
        rows = (
            await session.exec(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    col(OutboxMessage.next_attempt_at) <= clock.now(),
                    col(OutboxMessage.platform).in_(list(adapters)),
                )
                .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for row in rows:
            adapter = adapters[row.platform]
            message = outbox.to_outbound(row)
            tr = catalogs.translator(row.payload.get("locale"))
            row.attempts += 1
            try:
                receipts = [
                    await adapter.send(part) for part in fit(message, adapter.capabilities, tr)
                ]
            except PermanentDeliveryError as error:
                row.status = OutboxStatus.DEAD
                row.last_error = str(error)[:500]
            except Exception as error:  # a platform failure must not stop the other rows
                log.warning("outbox row %s failed (attempt %s): %s", row.id, row.attempts, error)
                row.last_error = str(error)[:500] or type(error).__name__
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = OutboxStatus.DEAD
                else:
                    row.next_attempt_at = clock.now() + timedelta(seconds=2**row.attempts)
            else:
                row.status = OutboxStatus.SENT
                row.sent_at = clock.now()
                row.receipt = receipts[-1].platform_message_id if receipts else None
                sent += 1
            session.add(row)
    return sent
