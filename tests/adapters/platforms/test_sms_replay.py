"""A gateway's request captured and replayed long after the month inbound ids are kept in full:
a signed Twilio webhook carries no time, so only the message id tells it was handled. Over real
HTTP, through the same web app and webhooks as tests/adapters/platforms/test_sms_*.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.scheduling import housekeeping
from tests.adapters.platforms import test_sms_africastalking as at_webhooks
from tests.adapters.platforms import test_sms_twilio as twilio_webhooks
from tests.adapters.platforms.fake_sms import (
    FakeAfricasTalking,
    FakeTwilio,
    outbox_rows,
    sms_account,
    sms_core,
    stored,
)


async def a_month_passes(core: Core, clock: FakeClock) -> None:
    """31 days go by, and the tick passes the daily housekeeping time."""
    await core.tick()  # the first tick only marks where the bot started
    later = clock.now() + timedelta(days=31)
    clock.set(datetime.combine(later.date() + timedelta(days=1), housekeeping.AT, UTC))
    await core.tick()
    # The receipts themselves are gone: what still refuses a replay is the key kept for good.
    assert (await stored(core))["receipts"] == 0


async def opted_out(core: Core, number: str) -> bool:
    account = await sms_account(core, number)
    assert account is not None
    return account.opted_out


async def test_a_signed_twilio_stop_replayed_after_a_month_changes_nothing(
    any_engine: AsyncEngine, clock: FakeClock, twilio: FakeTwilio
) -> None:
    core = sms_core(any_engine, clock)
    bot = await twilio_webhooks.serve(core, twilio)
    learner = twilio_webhooks.LEARNER
    try:
        stop = {
            "MessageSid": "SM" + "5a" * 16,
            "AccountSid": twilio.account_sid,
            "From": learner,
            "To": twilio_webhooks.OUR_NUMBER,
            "Body": "STOP",
            "NumMedia": "0",
        }
        signature = bot.signature("/sms/twilio", stop)
        status, reply = await bot.post("/sms/twilio", stop, signature=signature)
        assert status == 200 and "You won't get any more messages" in reply
        [welcome] = await bot.text(learner, "START", sid="SM" + "5b" * 16)
        assert "Welcome back" in welcome
        replies = len(await outbox_rows(core, replies=True))

        await a_month_passes(core, clock)
        # Someone who kept a copy of the signed STOP sends it again, word for word.
        status, reply = await bot.post("/sms/twilio", stop, signature=signature)

        assert status == 200
        assert ET.fromstring(reply).findall("Message") == []  # no answer
        assert not await opted_out(core, learner)  # still getting the circle's messages
        assert len(await outbox_rows(core, replies=True)) == replies
        # A new message from the same person is answered as ever.
        assert await bot.text(learner, "HELP", sid="SM" + "5c" * 16)
    finally:
        await bot.client.close()
        await bot.server.close()
        await bot.adapter.stop()


async def test_an_africas_talking_stop_replayed_after_a_month_changes_nothing(
    sqlite_engine: AsyncEngine, clock: FakeClock, at: FakeAfricasTalking
) -> None:
    core = sms_core(sqlite_engine, clock)
    bot = await at_webhooks.serve(core, at)
    learner = at_webhooks.LEARNER
    try:
        assert await bot.text(learner, "STOP", message_id="ATXid_stop") == 200
        assert await bot.text(learner, "START", message_id="ATXid_start") == 200
        assert "Welcome back" in at.accepted[-1]["message"]
        sent = len(at.accepted)

        await a_month_passes(core, clock)
        assert await bot.text(learner, "STOP", message_id="ATXid_stop") == 200

        assert not await opted_out(core, learner)
        assert len(at.accepted) == sent  # nothing was sent: no "You won't get any more"
        assert await bot.text(learner, "HELP", message_id="ATXid_help") == 200
        assert len(at.accepted) == sent + 1
    finally:
        await at_webhooks.close(bot)
