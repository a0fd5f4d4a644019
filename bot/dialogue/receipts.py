"""Inbound de-duplication: a platform message id is handled once, however often it arrives.

Each id handled is a receipt (InboundReceipt). After a month, when no gateway resends any more,
the daily housekeeping forgets receipts (bot/scheduling/housekeeping.py), except on platforms
whose ids are never given twice (Platform.permanent_message_ids): there a receipt becomes a
64-bit key (InboundKey) kept for good, because a signed Twilio request carries no time and a
copy of it replayed a year later would otherwise be handled again (a STOP, once more).

The key is a hash, not a secret one: the ids are chosen by the gateway, not by whoever writes,
so nobody can aim a collision, and a key kept forever must not hang on a setting that could be
lost. Two ids share a key with odds of about n²/2⁶⁵ over n ids kept: one in 3,700 after a
hundred million messages, and then one new message is taken for a resend.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import bindparam, delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.database import insert_for, insert_if_absent
from bot.storage.models import InboundKey, InboundReceipt

# Receipts turned into keys per statement (SQLite takes at most 32,766 parameters).
BATCH = 1000


def key(platform: str, message_id: str) -> int:
    """The kept key of one message id: 8 bytes of BLAKE2b, as a signed 64-bit integer."""
    digest = hashlib.blake2b(
        platform.encode() + b"\0" + message_id.encode(), digest_size=8, person=b"inbound-receipt"
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


async def first_time(
    session: AsyncSession, platform: str, message_id: str, now: datetime, keys_kept: bool = True
) -> bool:
    """Record the message id; False if it was already recorded (a resend, or a replay).
    `keys_kept`: the platform's old ids are kept as keys (Platform.permanent_message_ids);
    without, there is no key to look up, and a message costs one statement less."""
    table = InboundReceipt.__table__  # type: ignore[attr-defined]
    values = {"platform": platform, "message_id": message_id, "received_at": now}
    if not await insert_if_absent(session, table, values, ["platform", "message_id"]):
        return False
    if not keys_kept:
        return True
    # Looked up after the insert, not before: on PostgreSQL the insert waits for a housekeeping
    # turning this very receipt into a key, and this statement then sees the key.
    kept = await session.exec(_KEPT, params={"key": key(platform, message_id)})
    return kept.first() is None


# Whether a key is kept: built once (a message binds only the key).
_KEPT = select(InboundKey.key).where(InboundKey.key == bindparam("key"))


async def forget(session: AsyncSession, before: datetime, permanent: Collection[str]) -> int:
    """Delete the receipts older than `before`, keeping a key for each one of a platform in
    `permanent`; how many receipts went."""
    old = col(InboundReceipt.received_at) < before
    last = 0
    while True:
        rows = (
            await session.exec(
                select(InboundReceipt.id, InboundReceipt.platform, InboundReceipt.message_id)
                .where(
                    old, col(InboundReceipt.platform).in_(permanent), col(InboundReceipt.id) > last
                )
                .order_by(col(InboundReceipt.id))
                .limit(BATCH)
            )
        ).all()
        if not rows:
            break
        keys = [{"key": k} for k in {key(platform, message_id) for _, platform, message_id in rows}]
        table = InboundKey.__table__  # type: ignore[attr-defined]
        await session.exec(insert_for(session)(table).values(keys).on_conflict_do_nothing())
        last = rows[-1][0] or 0
    deleted = await session.exec(delete(InboundReceipt).where(old))
    return int(deleted.rowcount or 0)
