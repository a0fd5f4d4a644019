"""Once a day the tick forgets the inbound message ids older than a month, and nothing else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.scheduling import housekeeping
from bot.storage.models import (
    Conversation,
    EarlyDeliveryReport,
    InboundReceipt,
    OutboxMessage,
)
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session


def test_housekeeping_is_due_once_a_day_at_three_utc() -> None:
    day = datetime(2026, 11, 24, tzinfo=UTC)
    at = day + timedelta(hours=3)
    assert housekeeping.due(at - timedelta(seconds=20), at)
    assert not housekeeping.due(at, at + timedelta(seconds=20))
    assert not housekeeping.due(day, day + timedelta(hours=2, minutes=59))
    # A window spanning days (after a stop) holds the time too.
    assert housekeeping.due(day - timedelta(days=3), day + timedelta(hours=1))


async def counts(core: Core) -> tuple[int, int, int]:
    async with open_session(core) as session:
        receipts = len((await session.exec(select(InboundReceipt))).all())
        conversations = len((await session.exec(select(Conversation))).all())
        outbox = len((await session.exec(select(OutboxMessage))).all())
    return receipts, conversations, outbox


async def test_a_month_later_old_message_ids_go_and_everything_else_stays(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/newcircle")  # a conversation that waits for his answer
    receipts, conversations, _ = await counts(core)
    assert receipts >= 2 and conversations >= 1
    async with open_session(core) as session, session.begin():  # a report for a TwiML reply
        session.add(EarlyDeliveryReport(platform="sms", receipt="SM1", status="delivered",
                                        received_at=clock.now()))  # fmt: skip

    # 31 days later, Chioma writes; then the tick passes 03:00 UTC.
    clock.set(clock.now() + timedelta(days=31))
    await chat.say("Chioma", "/help")
    clock.set(datetime.combine(clock.now().date() + timedelta(days=1), housekeeping.AT, UTC))
    outbox_before = (await counts(core))[2]
    report = await core.tick()
    assert report.pruned == receipts + 1  # and the unclaimed report
    left = await counts(core)
    # Chioma's message id stays; every conversation stays (a question a month old may still
    # be answered, and one may hold the choices a reminder offered yesterday); messages are
    # records. (A /help leaves no conversation: nothing waits in it.)
    assert left[:2] == (1, conversations)
    assert left[2] >= outbox_before

    assert "Python for Everyone" in await chat.say("Amina", "/next")
    # The next tick, the same day, prunes nothing more.
    clock.set(clock.now() + timedelta(minutes=1))
    assert (await core.tick()).pruned == 0
