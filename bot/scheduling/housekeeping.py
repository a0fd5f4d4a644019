"""Forgetting what the bot no longer needs, once a day as part of the tick.

One table grows with every message people send: the platform message ids already handled
(InboundReceipt), kept so a gateway's resend is answered once. Gateways resend within hours, so
a month of them is ample; after that a receipt goes, or, where the platform's ids are never
given twice, shrinks to an 8-byte key kept for good, so a captured request replayed later is
still refused (bot/dialogue/receipts.py).

Conversation state is not pruned: there is one row per chat, not per message, and a row
untouched for weeks may still hold the choices a reminder offered yesterday (offering them does
not move its time), which a reply of "1" needs. Nothing a person wrote or was sent is touched
here either: answers, letters and the outbox are records, erased by /forget.

Delivery reports kept because they came before their message's receipt (bot/delivery/statuses.py)
are applied within seconds; one a day old is about a message the outbox never sent (a TwiML reply).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.platforms import Platforms
from bot.delivery.jobs import TickReport, TickWindow
from bot.dialogue import receipts
from bot.storage.models import EarlyDeliveryReport

KEEP = timedelta(days=30)
KEEP_EARLY_REPORTS = timedelta(days=1)
# Once a day, at a quiet hour for most circles (UTC).
AT = time(3, 0)


def due(since: datetime, now: datetime) -> bool:
    """Whether the tick window (since, now] holds a daily housekeeping time."""
    today = datetime.combine(now.date(), AT, tzinfo=now.tzinfo)
    latest = today if today <= now else today - timedelta(days=1)
    return since < latest


async def prune(session: AsyncSession, now: datetime, platforms: Platforms) -> int:
    """Delete the inbound receipts older than KEEP (keeping the keys of `platforms`' permanent
    ids) and the unclaimed early delivery reports; how many rows went."""
    permanent = [platform.name for platform in platforms if platform.permanent_message_ids]
    forgotten = await receipts.forget(session, now - KEEP, permanent)
    reports = await session.exec(
        delete(EarlyDeliveryReport).where(
            col(EarlyDeliveryReport.received_at) < now - KEEP_EARLY_REPORTS
        )
    )
    return forgotten + int(reports.rowcount or 0)


class Housekeeping:
    """The tick's daily housekeeping, as one of its jobs (bot.delivery.jobs.ScheduledJob)."""

    async def run(self, window: TickWindow) -> TickReport:
        if not due(window.since, window.now):
            return TickReport()
        return TickReport(pruned=await prune(window.session, window.now, window.platforms))
