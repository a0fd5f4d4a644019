"""What became of a message after a gateway accepted it: status callbacks and delivery reports.

A gateway reports on the message id it gave when it accepted the message (Twilio's MessageSid,
Africa's Talking's messageId). A message split for SMS is several gateway messages, so the
dispatcher keeps each part's id in OutboxReceipt, and a report updates its part; the outbox row
then reads as its least advanced part ("delivered" once every part is) or "failed" as soon as one
part failed, because a message with a part missing did not arrive. Statuses are stored in one
vocabulary for every gateway (DeliveryStatus), so an operator reads "delivered" or "failed"
whichever gateway carried the message. Reports arrive out of order and more than once: a report
never moves a part back (a late "sent" after "delivered" is ignored), and applying one twice
changes nothing.

A report that says the recipient opted out (Twilio error 21610, an Africa's Talking blacklist)
marks the account at that number opted out, as an SMS STOP would: the dispatcher then drops what
is still waiting for it and people.preferred_account() never chooses it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import DEFAULT_LOCALE
from bot.chat.messages import Outbound
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.storage.models import (
    Account,
    EarlyDeliveryReport,
    OutboxMessage,
    OutboxReceipt,
    OutboxStatus,
)


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # accepted by the gateway, not yet handed to a carrier
    SENT = "sent"  # handed to the carrier; a handset receipt may follow
    DELIVERED = "delivered"  # the handset has it
    FAILED = "failed"  # it will not arrive


# How far along each status is: a report with a lower stage than the row's is stale.
_STAGE = {
    DeliveryStatus.QUEUED: 0,
    DeliveryStatus.SENT: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.FAILED: 2,
}


@dataclass(frozen=True)
class DeliveryReport:
    """One report, already read by the adapter into the core's terms."""

    platform: str
    receipt: str  # the gateway's id for the message
    status: DeliveryStatus
    reason: str | None = None  # the gateway's error code or failure reason, for operators
    opted_out: bool = False  # the recipient refuses messages from us
    address: str | None = None  # the recipient's chat id (E.164 on SMS), when the report says


async def receive(
    sessions: async_sessionmaker[AsyncSession], report: DeliveryReport, now: datetime
) -> OutboxMessage | None:
    """A report from a gateway's webhook: applied now, or, when its receipt is not committed yet
    (the dispatcher is still sending the message's next part), kept and applied once it is.
    Both sides look again after their own commit, so one of them always sees the other."""
    async with sessions() as session, session.begin():
        row = await record(session, report, now)
        if row is None:
            session.add(
                EarlyDeliveryReport(
                    platform=report.platform,
                    receipt=report.receipt,
                    status=report.status.value,
                    reason=(report.reason or None) and report.reason[:128],
                    received_at=now,
                )
            )
    if row is None:
        async with sessions() as session, session.begin():
            await settle_early(session, report.platform, [report.receipt])
    return row


async def settle_early(session: AsyncSession, platform: str, receipts: list[str]) -> int:
    """Apply the kept reports whose receipts are now committed; how many were applied."""
    kept = (
        await session.exec(
            select(EarlyDeliveryReport)
            .where(
                EarlyDeliveryReport.platform == platform,
                col(EarlyDeliveryReport.receipt).in_(receipts),
            )
            .order_by(col(EarlyDeliveryReport.id))
            .with_for_update(skip_locked=True)
        )
    ).all()
    applied = 0
    for early in kept:
        report = DeliveryReport(platform, early.receipt, DeliveryStatus(early.status), early.reason)
        if await record(session, report, early.received_at) is not None:
            await session.delete(early)
            applied += 1
    return applied


async def record(
    session: AsyncSession, report: DeliveryReport, now: datetime
) -> OutboxMessage | None:
    """Apply `report` to the part it names and that part's outbox row (None when no row has that
    receipt: a message the bot did not send through the outbox, such as a TwiML reply)."""
    found = (
        await session.exec(
            select(OutboxReceipt, OutboxMessage)
            .join(OutboxMessage, col(OutboxMessage.id) == OutboxReceipt.outbox_id)
            .where(
                OutboxMessage.platform == report.platform, OutboxReceipt.receipt == report.receipt
            )
            .order_by(col(OutboxReceipt.id).desc())
        )
    ).first()
    row = found[1] if found else None
    if found is not None and not _stale(found[0].delivery_status, report.status):
        part, row = found
        part.delivery_status = report.status.value
        if report.status is DeliveryStatus.DELIVERED and part.delivered_at is None:
            part.delivered_at = now
        session.add(part)
        await _sum_up(session, row)
        if report.status is DeliveryStatus.FAILED and report.reason:
            row.last_error = ("not delivered: " + report.reason)[:500]
        session.add(row)
    address = row.chat_id if row is not None else report.address
    if report.opted_out and address:
        await mark_opted_out(session, report.platform, address)
    return row


def _stale(current: str | None, status: DeliveryStatus) -> bool:
    if current is None:
        return False
    try:
        known = DeliveryStatus(current)
    except ValueError:  # written by something else: the gateway's word wins
        return False
    return _STAGE[status] < _STAGE[known]


async def _sum_up(session: AsyncSession, row: OutboxMessage) -> None:
    """The row's status from its parts': failed if one failed, else the least advanced part's
    (a part with no report yet is still "queued"), delivered when the last part arrived."""
    parts = (
        await session.exec(select(OutboxReceipt).where(OutboxReceipt.outbox_id == row.id))
    ).all()
    statuses = [_known(part.delivery_status) for part in parts]
    if DeliveryStatus.FAILED in statuses:
        row.delivery_status = DeliveryStatus.FAILED.value
        return
    least = min(statuses, key=lambda status: _STAGE[status], default=DeliveryStatus.QUEUED)
    if least is DeliveryStatus.DELIVERED and row.status != OutboxStatus.SENT:
        least = DeliveryStatus.SENT  # parts still to send: what arrived is not the message
    row.delivery_status = least.value
    if least is DeliveryStatus.DELIVERED:
        row.delivered_at = max((p.delivered_at for p in parts if p.delivered_at), default=None)
    else:
        row.delivered_at = None


def _known(status: str | None) -> DeliveryStatus:
    try:
        return DeliveryStatus(status) if status else DeliveryStatus.QUEUED
    except ValueError:
        return DeliveryStatus.QUEUED


async def mark_opted_out(session: AsyncSession, platform: str, address: str) -> None:
    """The person at `address` asked the carrier or gateway to stop our messages."""
    await session.exec(
        update(Account)
        .where(col(Account.platform) == platform, col(Account.address) == address)
        .values(opted_out=True)
    )


async def queue_reply(
    session: AsyncSession,
    message: Outbound,
    inbound_id: str,
    part: int,
    now: datetime,
    due: datetime,
) -> bool:
    """Put a reply the gateway did not take at once into the outbox, so the dispatcher retries
    it. Keyed on the inbound message and the part, so queueing it twice stores it once.

    The reply was rendered and fitted already; the locale only matters for fitting again, which
    leaves a fitted part as it is.
    """
    key = outbox.OutboxKey(
        kind=MessageKind.REPLY,
        subject=f"{message.address.platform}:{inbound_id}",
        recipient=message.address.chat_id,
        occurrence=str(part),
    )
    return await outbox.enqueue(session, key, message, DEFAULT_LOCALE, now, due)
