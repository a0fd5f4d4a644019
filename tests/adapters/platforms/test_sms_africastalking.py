"""The SMS adapter's Africa's Talking gateway over real HTTP: the bot's web app on 127.0.0.1 takes
callbacks carrying the webhook token, and sends through a fake Africa's Talking messaging API.
Also: with Twilio configured too, each number goes through the gateway for its country."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platforms.sms import SmsAdapter, SmsSettings
from adapters.shell.web import MAX_BODY_BYTES, build_app
from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import OutboxStatus, Person
from tests.adapters.platforms.fake_sms import (
    NOTHING,
    RETRY_AFTER,
    FakeAfricasTalking,
    FakeTwilio,
    outbox_rows,
    queue_sms,
    sms_account,
    sms_core,
    stored,
)
from tests.database import open_session

TOKEN = "s3cret-webhook-token"
SHORT_CODE = "20880"  # the short code learners text
SENDER_ID = "CIRCLEBOT"  # the alphanumeric sender of proactive messages
LEARNER = "+254712345678"


@pytest.fixture
def core(sqlite_engine: AsyncEngine, clock: FakeClock) -> Core:
    return sms_core(sqlite_engine, clock)


@dataclass
class Bot:
    core: Core
    adapter: SmsAdapter
    server: TestServer
    client: aiohttp.ClientSession
    at: FakeAfricasTalking

    async def post(
        self, path: str, fields: Mapping[str, str], token: str | None = TOKEN, **options: object
    ) -> int:
        params = {"token": token} if token is not None else {}
        data = options.pop("data", dict(fields))
        async with self.client.post(
            self.server.make_url(path), params=params, data=data, **options
        ) as response:
            return response.status

    async def text(self, sender: str, text: str, message_id: str, **options: object) -> int:
        """Send an SMS as Africa's Talking posts it."""
        fields = {
            "from": sender,
            "to": SHORT_CODE,
            "text": text,
            "id": message_id,
            "date": "2026-10-20 17:00:00",
            "linkId": "",
            "networkCode": "63902",
        }
        return await self.post("/sms/africastalking", fields, **options)

    async def report(self, message_id: str, status: str, **extra: str) -> int:
        fields = {"id": message_id, "status": status, "phoneNumber": LEARNER, **extra}
        return await self.post("/sms/africastalking/delivery", fields)


async def serve(core: Core, at: FakeAfricasTalking, **settings: object) -> Bot:
    values: dict[str, object] = {
        "at_username": at.username,
        "at_api_key": at.api_key,
        "at_sender_id": SENDER_ID,
        "at_api_base_url": at.base_url,
        "at_webhook_token": TOKEN,
        "twilio_account_sid": None,
    }
    values.update(settings)
    public = values.pop("public_base_url", None)  # the shell's PUBLIC_BASE_URL
    adapter = SmsAdapter.from_settings(SmsSettings(**values), core, public)  # type: ignore[arg-type]
    await adapter.start()
    server = TestServer(build_app(core, [adapter]), host="127.0.0.1")
    await server.start_server()
    return Bot(core, adapter, server, aiohttp.ClientSession(), at)


async def close(bot: Bot) -> None:
    await bot.client.close()
    await bot.server.close()
    await bot.adapter.stop()


@pytest.fixture
async def bot(core: Core, at: FakeAfricasTalking) -> AsyncIterator[Bot]:
    bot = await serve(core, at)
    yield bot
    await close(bot)


async def test_an_sms_is_answered_through_the_api_and_any_script_round_trips(bot: Bot) -> None:
    name = "سلمى 🌍 שלום"
    assert await bot.text(LEARNER, "/name " + name, message_id="ATXid_in1") == 200
    [reply] = bot.at.accepted
    # Sent with our username (and apiKey, which the fake checks), from the short code written to.
    assert reply["username"] == bot.at.username
    assert reply["to"] == LEARNER and reply["from"] == SHORT_CODE
    assert name in reply["message"]
    account = await sms_account(bot.core, LEARNER)
    assert account is not None
    async with open_session(bot.core) as session:
        assert (await session.get_one(Person, account.person_id)).display_name == name


async def test_a_json_callback_is_read_too(bot: Bot) -> None:
    fields = {"from": LEARNER, "to": SHORT_CODE, "text": "/name Wanjiru", "id": "ATXid_json"}
    assert await bot.post("/sms/africastalking", {}, data=None, json=fields) == 200
    assert "Wanjiru" in bot.at.accepted[0]["message"]


async def test_a_resent_callback_is_answered_once(bot: Bot) -> None:
    assert await bot.text(LEARNER, "/name Wanjiru", message_id="ATXid_same") == 200
    assert await bot.text(LEARNER, "/name Wanjiru", message_id="ATXid_same") == 200
    assert len(bot.at.accepted) == 1
    assert (await stored(bot.core))["receipts"] == 1


async def test_a_national_number_is_stored_in_e164(bot: Bot) -> None:
    assert await bot.text("0712345678", "/name Wanjiru", message_id="ATXid_local") == 200
    assert await sms_account(bot.core, LEARNER) is not None
    assert bot.at.accepted[0]["to"] == LEARNER


async def test_callbacks_without_the_token_are_refused_and_change_nothing(bot: Bot) -> None:
    assert await bot.text(LEARNER, "/name X", message_id="ATXid_a", token=None) == 403
    assert await bot.text(LEARNER, "/name X", message_id="ATXid_b", token="guess") == 403
    assert await bot.text(LEARNER, "/name X", message_id="ATXid_c", token="") == 403
    report = {"id": "ATXid_x", "status": "Success", "phoneNumber": LEARNER}
    assert await bot.post("/sms/africastalking/delivery", report, token="guess") == 403
    assert await stored(bot.core) == NOTHING
    assert bot.at.requests == []


async def test_no_token_configured_refuses_every_callback(
    core: Core, at: FakeAfricasTalking
) -> None:
    bot = await serve(core, at, at_webhook_token=None)
    try:
        assert await bot.text(LEARNER, "/name X", message_id="ATXid_d", token="") == 403
        assert await bot.text(LEARNER, "/name X", message_id="ATXid_e", token="None") == 403
        assert await stored(core) == NOTHING
    finally:
        await close(bot)


async def test_bad_requests_are_refused_and_change_nothing(bot: Bot) -> None:
    fields = {"from": LEARNER, "to": SHORT_CODE, "text": "hi", "id": "ATXid_bad"}
    plain = await bot.post(
        "/sms/africastalking", {}, data="hi", headers={"Content-Type": "text/plain"}
    )
    assert plain == 415
    assert await bot.post("/sms/africastalking", {**fields, "text": "x" * MAX_BODY_BYTES}) == 413
    big_json = {**fields, "text": "x" * MAX_BODY_BYTES}
    assert await bot.post("/sms/africastalking", {}, data=None, json=big_json) == 413
    assert (
        await bot.post("/sms/africastalking", {k: v for k, v in fields.items() if k != "id"}) == 400
    )
    for sender in ("+999", "MPESA", ""):
        assert await bot.post("/sms/africastalking", {**fields, "from": sender}) == 400
    not_json = await bot.post(
        "/sms/africastalking", {}, data="{", headers={"Content-Type": "application/json"}
    )
    assert not_json == 400
    assert await bot.post("/sms/africastalking/delivery", {"id": "ATXid_r"}) == 400
    assert await stored(bot.core) == NOTHING
    assert bot.at.requests == []


async def test_outbound_reaches_the_api_and_delivery_reports_update_the_row(bot: Bot) -> None:
    assert await bot.text(LEARNER, "/name Wanjiru", message_id="ATXid_out") == 200
    await queue_sms(bot.core, LEARNER, "Mkutano wenu ni kesho saa 12 jioni 🌍")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    assert bot.at.accepted[-1] == {
        "username": bot.at.username,
        "to": LEARNER,
        "message": "Mkutano wenu ni kesho saa 12 jioni 🌍",
        "from": SENDER_ID,
    }
    [row] = await outbox_rows(bot.core)
    message_id = bot.at.ids[-1]
    assert row.status == OutboxStatus.SENT and row.receipt == message_id

    assert await bot.report(message_id, "Sent") == 200
    bot.core.clock.advance(timedelta(seconds=5))  # type: ignore[attr-defined]
    delivered_at = bot.core.clock.now()
    assert await bot.report(message_id, "Success", networkCode="63902") == 200
    assert await bot.report(message_id, "Buffered") == 200  # late: ignored
    [row] = await outbox_rows(bot.core)
    assert row.delivery_status == "delivered" and row.delivered_at == delivered_at


async def test_a_blacklist_delivery_report_opts_the_account_out(bot: Bot) -> None:
    assert await bot.text(LEARNER, "/name Wanjiru", message_id="ATXid_bl") == 200
    await queue_sms(bot.core, LEARNER, "Check-in time")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    status = await bot.report(bot.at.ids[-1], "Failed", failureReason="UserInBlackList")
    assert status == 200
    [row] = await outbox_rows(bot.core)
    assert row.delivery_status == "failed" and row.delivered_at is None
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and account.opted_out
    # Nothing more is sent to that number.
    await queue_sms(bot.core, LEARNER, "Another reminder")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    assert bot.at.tries(LEARNER) == 2  # the reply to /name and the check-in


async def test_a_blacklisted_number_is_opted_out_without_retries(bot: Bot) -> None:
    assert await bot.text(LEARNER, "/name Wanjiru", message_id="ATXid_406") == 200
    bot.at.unsubscribed.add(LEARNER)
    await queue_sms(bot.core, LEARNER, "Reminder one")
    await queue_sms(bot.core, LEARNER, "Reminder two")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    bot.core.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    assert bot.at.tries(LEARNER) == 2  # the reply to /name, then the first reminder once
    assert [row.status for row in await outbox_rows(bot.core)] == [OutboxStatus.DEAD] * 2
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and account.opted_out


async def test_rate_limits_are_retried_after_the_wait(bot: Bot) -> None:
    bot.at.plan(LEARNER, "429")
    await queue_sms(bot.core, LEARNER, "Check-in time")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    [row] = await outbox_rows(bot.core)
    assert row.status == OutboxStatus.PENDING
    assert row.next_attempt_at >= bot.core.clock.now() + timedelta(seconds=RETRY_AFTER)
    bot.core.clock.advance(timedelta(seconds=RETRY_AFTER + 1))  # type: ignore[attr-defined]
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    assert [form["message"] for form in bot.at.accepted] == ["Check-in time"]


async def test_a_reply_the_api_fails_to_take_is_sent_later_from_the_outbox(bot: Bot) -> None:
    bot.at.plan(LEARNER, "500")
    assert await bot.text(LEARNER, "/name Wanjiru", message_id="ATXid_500") == 200
    assert bot.at.accepted == []
    [kept] = await outbox_rows(bot.core, replies=True)
    assert kept.status == OutboxStatus.PENDING and kept.last_error
    bot.core.clock.advance(timedelta(seconds=5))  # type: ignore[attr-defined]
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    [reply] = bot.at.accepted
    assert reply["to"] == LEARNER and "Wanjiru" in reply["message"]
    # A resent callback neither answers again nor queues the reply twice.
    assert await bot.text(LEARNER, "/name Wanjiru", message_id="ATXid_500") == 200
    assert len(await outbox_rows(bot.core, replies=True)) == 1
    assert len(bot.at.accepted) == 1


async def test_each_number_goes_through_the_gateway_for_its_country(
    core: Core, at: FakeAfricasTalking, twilio: FakeTwilio
) -> None:
    bot = await serve(
        core,
        at,
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=twilio.auth_token,
        twilio_from_number="+13135550100",
        twilio_api_base_url=twilio.base_url,
        public_base_url="https://circlebot.example.org",
    )
    try:
        detroit, kampala = "+13135550147", "+256772123456"
        for number in (LEARNER, detroit, kampala):
            await queue_sms(core, number, "Hello " + number)
        assert await core.dispatch({"sms": bot.adapter}) == 3
        assert sorted(form["to"] for form in at.accepted) == sorted([LEARNER, kampala])
        assert [form["To"] for form in twilio.accepted] == [detroit]
    finally:
        await close(bot)


async def test_an_opt_out_notification_stops_every_message_to_that_number(bot: Bot) -> None:
    """Someone opts out at Africa's Talking (not by texting us): their account is opted out,
    what was waiting for them is never sent, and a forged notification changes nothing."""
    assert await bot.text(LEARNER, "/name Wanjiru", message_id="ATXid_oo") == 200
    await queue_sms(bot.core, LEARNER, "Check-in time")
    notice = {"senderId": SENDER_ID, "phoneNumber": LEARNER}
    assert await bot.post("/sms/africastalking/optout", notice, token="guess") == 403
    assert await bot.post("/sms/africastalking/optout", {"senderId": SENDER_ID}) == 400
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and not account.opted_out

    assert await bot.post("/sms/africastalking/optout", notice) == 200
    assert await bot.post("/sms/africastalking/optout", notice) == 200  # resent: the same
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and account.opted_out
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    [row] = [row for row in await outbox_rows(bot.core) if row.payload["text"] == "Check-in time"]
    assert row.status == OutboxStatus.DEAD
    assert bot.at.tries(LEARNER) == 1  # only the reply to /name, before the opt-out
