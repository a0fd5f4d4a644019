"""The outbox dispatcher: sends due rows through the adapter for each platform.

Each row is sent in its own short transaction, locked with SKIP LOCKED on PostgreSQL so a second
dispatcher takes other rows. The parts already delivered of a split message are counted, so a
retry resumes where it failed instead of repeating them. Delivery is at least once: a crash after
the platform accepted a message and before the commit sends that message (or part) again.
This is the minimal version: per-platform rate limits and retry-after arrive with the
weekly-rhythm work.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy import ColumnElement
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


def _due(clock: Clock, platforms: list[str]) -> tuple[ColumnElement[bool], ...]:
    return (
        OutboxMessage.status == OutboxStatus.PENDING,
        col(OutboxMessage.next_attempt_at) <= clock.now(),
        col(OutboxMessage.platform).in_(platforms),
    )


async def dispatch_due(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    adapters: Mapping[str, Adapter],
    batch: int = 50,
) -> int:
    """Send what is due on platforms we have an adapter for. Returns how many rows were sent."""
    async with sessions() as session:
        ids = (
            await session.exec(
                select(OutboxMessage.id)
                .where(*_due(clock, list(adapters)))
                .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
                .limit(batch)
            )
        ).all()
    sent = 0
    for row_id in ids:
        sent += await _deliver(sessions, clock, catalogs, adapters, row_id)
    return sent


async def _deliver(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    adapters: Mapping[str, Adapter],
    row_id: int | None,
) -> int:
    async with sessions() as session, session.begin():
        row = (
            await session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.id == row_id, *_due(clock, list(adapters)))
                .with_for_update(skip_locked=True)
            )
        ).first()
        if row is None:  # another dispatcher has it, or already sent it
            return 0
        adapter = adapters[row.platform]
        tr = catalogs.translator(row.payload.get("locale"))
        row.attempts += 1
        try:
            parts = fit(outbox.to_outbound(row), adapter.capabilities, tr)
        except (KeyError, TypeError, ValueError) as error:  # a row no adapter could ever send
            log.error("outbox row %s cannot be rendered: %s", row.id, error)
            row.status = OutboxStatus.DEAD
            row.last_error = (str(error) or type(error).__name__)[:500]
            session.add(row)
            return 0
        try:
            for part in parts[row.parts_sent :]:
                receipt = await adapter.send(part)
                row.parts_sent += 1
                row.receipt = receipt.platform_message_id
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
        session.add(row)
        return int(row.status == OutboxStatus.SENT)
