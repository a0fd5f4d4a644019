"""The SMS adapter's Twilio gateway over real HTTP: the bot's web app on 127.0.0.1 takes webhooks
signed with twilio's own RequestValidator, and sends through a fake Twilio Messages API."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from twilio.request_validator import RequestValidator

from adapters.platforms.sms import SmsAdapter, SmsSettings
from adapters.shell.web import MAX_BODY_BYTES, build_app
from bot.chat.clock import FakeClock
from bot.chat.messages import Outbound, Receipt
from bot.core import Core
from bot.dialogue.people import preferred_account
from bot.storage.models import EarlyDeliveryReport, OutboxStatus, Person
from tests.adapters.platforms.fake_sms import (
    NOTHING,
    RETRY_AFTER,
    FakeTwilio,
    outbox_rows,
    queue_sms,
    sms_account,
    sms_core,
    stored,
)
from tests.database import open_session

PUBLIC_BASE_URL = "https://circlebot.example.org"  # what Twilio calls; not where the app listens
OUR_NUMBER = "+13135550100"
LEARNER = "+13135550147"


@pytest.fixture
def core(sqlite_engine: AsyncEngine, clock: FakeClock) -> Core:
    return sms_core(sqlite_engine, clock)


@dataclass
class Bot:
    core: Core
    adapter: SmsAdapter
    server: TestServer
    client: aiohttp.ClientSession
    twilio: FakeTwilio

    def signature(self, path: str, fields: Mapping[str, str], token: str | None = None) -> str:
        validator = RequestValidator(token or self.twilio.auth_token)
        return validator.compute_signature(PUBLIC_BASE_URL + path, fields)

    async def post(
        self,
        path: str,
        fields: Mapping[str, str],
        *,
        signature: str | None = None,
        sign: bool = True,
        **options: object,
    ) -> tuple[int, str]:
        headers = dict(options.pop("headers", {}))  # type: ignore[call-overload]
        if sign:
            headers["X-Twilio-Signature"] = signature or self.signature(path, fields)
        data = options.pop("data", dict(fields))
        async with self.client.post(
            self.server.make_url(path), data=data, headers=headers, **options
        ) as response:
            return response.status, await response.text()

    async def text(self, sender: str, body: str, sid: str) -> list[str]:
        """Send an SMS as Twilio would; the texts of the TwiML reply's messages."""
        fields = {
            "MessageSid": sid,
            "AccountSid": self.twilio.account_sid,
            "From": sender,
            "To": OUR_NUMBER,
            "Body": body,
            "NumMedia": "0",
        }
        status, reply = await self.post("/sms/twilio", fields)
        assert status == 200, reply
        root = ET.fromstring(reply)
        assert root.tag == "Response"
        return [message.text or "" for message in root.findall("Message")]

    async def status(self, sid: str, status: str, **extra: str) -> int:
        fields = {"MessageSid": sid, "MessageStatus": status, "To": LEARNER, **extra}
        code, _ = await self.post("/sms/twilio/status", fields)
        return code


async def serve(core: Core, twilio: FakeTwilio, **settings: object) -> Bot:
    values: dict[str, object] = {
        "twilio_account_sid": twilio.account_sid,
        "twilio_auth_token": twilio.auth_token,
        "twilio_from_number": OUR_NUMBER,
        "twilio_api_base_url": twilio.base_url,
        "public_base_url": PUBLIC_BASE_URL,
        "at_username": None,
    }
    values.update(settings)
    public = values.pop("public_base_url", None)  # the shell's PUBLIC_BASE_URL
    adapter = SmsAdapter.from_settings(SmsSettings(**values), core, public)  # type: ignore[arg-type]
    await adapter.start()
    server = TestServer(build_app(core, [adapter]), host="127.0.0.1")
    await server.start_server()
    return Bot(core, adapter, server, aiohttp.ClientSession(), twilio)


@pytest.fixture
async def bot(core: Core, twilio: FakeTwilio) -> AsyncIterator[Bot]:
    bot = await serve(core, twilio)
    yield bot
    await bot.client.close()
    await bot.server.close()
    await bot.adapter.stop()


async def test_a_signed_sms_is_answered_in_twiml_and_any_script_round_trips(bot: Bot) -> None:
    name = "سلمى 🌍 שלום"
    messages = await bot.text(LEARNER, "/name " + name, sid="SM" + "1" * 32)
    assert len(messages) == 1
    assert name in messages[0]
    async with open_session(bot.core) as session:
        account = await sms_account(bot.core, LEARNER)
        assert account is not None and account.address == LEARNER
        person = await session.get_one(Person, account.person_id)
        assert person.display_name == name


async def test_the_twiml_reply_is_escaped_xml(bot: Bot) -> None:
    messages = await bot.text(LEARNER, "/name Tom & Jerry <3", sid="SM" + "2" * 32)
    assert "Tom & Jerry <3" in messages[0]


async def test_a_resent_webhook_is_answered_once(bot: Bot) -> None:
    first = await bot.text(LEARNER, "/name Grace", sid="SM" + "3" * 32)
    again = await bot.text(LEARNER, "/name Grace", sid="SM" + "3" * 32)
    assert first and again == []
    assert (await stored(bot.core))["receipts"] == 1


async def test_a_number_without_plus_is_stored_in_e164(bot: Bot) -> None:
    await bot.text("3135550147", "/name Grace", sid="SM" + "4" * 32)
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and account.address == LEARNER


async def test_forged_and_unsigned_webhooks_are_refused_and_change_nothing(bot: Bot) -> None:
    fields = {"MessageSid": "SM" + "5" * 32, "From": LEARNER, "To": OUR_NUMBER, "Body": "/name X"}
    assert (await bot.post("/sms/twilio", fields, sign=False))[0] == 403
    forged = bot.signature("/sms/twilio", fields, token="not-the-auth-token")
    assert (await bot.post("/sms/twilio", fields, signature=forged))[0] == 403
    # Signed over the address the app listens on instead of the public one.
    local = RequestValidator(bot.twilio.auth_token).compute_signature(
        str(bot.server.make_url("/sms/twilio")), fields
    )
    assert (await bot.post("/sms/twilio", fields, signature=local))[0] == 403
    # A genuine signature on a tampered body.
    genuine = bot.signature("/sms/twilio", fields)
    tampered = {**fields, "Body": "/forget"}
    assert (await bot.post("/sms/twilio", tampered, signature=genuine))[0] == 403
    # The status callback is guarded the same way.
    status = {"MessageSid": "SM" + "6" * 32, "MessageStatus": "delivered"}
    assert (await bot.post("/sms/twilio/status", status, sign=False))[0] == 403
    assert await stored(bot.core) == NOTHING


async def test_bad_requests_are_refused_and_change_nothing(bot: Bot) -> None:
    fields = {"MessageSid": "SM" + "7" * 32, "From": LEARNER, "To": OUR_NUMBER, "Body": "hi"}
    as_json = await bot.post("/sms/twilio", fields, data=None, json=fields)
    assert as_json[0] == 415
    oversized = {**fields, "Body": "x" * (MAX_BODY_BYTES + 1)}
    assert (await bot.post("/sms/twilio", oversized))[0] == 413
    no_sender = {name: value for name, value in fields.items() if name != "From"}
    assert (await bot.post("/sms/twilio", no_sender))[0] == 400
    for sender in ("+999", "hello", ""):
        assert (await bot.post("/sms/twilio", {**fields, "From": sender}))[0] == 400
    assert (await bot.post("/sms/twilio/status", {"MessageSid": "SM" + "8" * 32}))[0] == 400
    assert await stored(bot.core) == NOTHING


async def test_outbound_reaches_twilio_and_status_callbacks_update_the_row(bot: Bot) -> None:
    await bot.text(LEARNER, "/name Grace", sid="SM" + "9" * 32)
    await queue_sms(bot.core, LEARNER, "Your circle meets tomorrow at 18:00 ✨")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    # The fake only accepts the account SID and auth token as Basic auth.
    assert bot.twilio.accepted == [
        {
            "To": LEARNER,
            "Body": "Your circle meets tomorrow at 18:00 ✨",
            "From": OUR_NUMBER,
            "StatusCallback": PUBLIC_BASE_URL + "/sms/twilio/status",
        }
    ]
    [row] = await outbox_rows(bot.core)
    assert row.status == OutboxStatus.SENT and row.receipt == bot.twilio.ids[0]

    sid = bot.twilio.ids[0]
    assert await bot.status(sid, "sent") == 200
    bot.core.clock.advance(timedelta(seconds=5))  # type: ignore[attr-defined]
    delivered_at = bot.core.clock.now()
    assert await bot.status(sid, "delivered") == 200
    bot.core.clock.advance(timedelta(seconds=5))  # type: ignore[attr-defined]
    assert await bot.status(sid, "sent") == 200  # late and out of order: ignored
    assert await bot.status("SM" + "f" * 32, "delivered") == 200  # not ours: nothing to do
    [row] = await outbox_rows(bot.core)
    assert row.delivery_status == "delivered"
    assert row.delivered_at == delivered_at


async def test_the_number_learners_text_is_given_to_the_core_for_invitations(bot: Bot) -> None:
    assert bot.core.reach["sms"] == (OUR_NUMBER,)  # /invite: "By SMS, text JOIN CODE to ..."


async def test_a_messaging_service_sends_without_a_number(core: Core, twilio: FakeTwilio) -> None:
    bot = await serve(
        core,
        twilio,
        twilio_from_number=None,
        twilio_messaging_service_sid="MG" + "0" * 32,
        public_base_url=None,
    )
    try:
        await queue_sms(core, LEARNER, "Hello")
        assert await core.dispatch({"sms": bot.adapter}) == 1
        # Without a public address there is nothing Twilio could call back.
        assert twilio.accepted == [
            {"To": LEARNER, "Body": "Hello", "MessagingServiceSid": "MG" + "0" * 32}
        ]
        # ...nor any way to check a webhook's signature: refused.
        fields = {"MessageSid": "SM" + "a" * 32, "From": LEARNER, "Body": "hi"}
        assert (await bot.post("/sms/twilio", fields))[0] == 403
        assert core.reach["sms"] == ()  # no number to name in an invitation
    finally:
        await bot.client.close()
        await bot.server.close()
        await bot.adapter.stop()


async def test_an_unsubscribed_number_is_opted_out_without_retries(bot: Bot) -> None:
    await bot.text(LEARNER, "/name Grace", sid="SM" + "b" * 32)
    bot.twilio.unsubscribed.add(LEARNER)
    await queue_sms(bot.core, LEARNER, "Reminder one")
    await queue_sms(bot.core, LEARNER, "Reminder two")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    bot.core.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    assert bot.twilio.tries(LEARNER) == 1
    assert [row.status for row in await outbox_rows(bot.core)] == [OutboxStatus.DEAD] * 2
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and account.opted_out


async def test_rate_limits_and_server_errors_are_retried_later(bot: Bot) -> None:
    bot.twilio.plan(LEARNER, "429", "500")
    await queue_sms(bot.core, LEARNER, "Check-in time")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    [row] = await outbox_rows(bot.core)
    assert row.status == OutboxStatus.PENDING
    assert row.next_attempt_at >= bot.core.clock.now() + timedelta(seconds=RETRY_AFTER)
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0  # not before Twilio's time
    assert bot.twilio.tries(LEARNER) == 1
    bot.core.clock.advance(timedelta(seconds=RETRY_AFTER + 1))  # type: ignore[attr-defined]
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0  # the 500
    bot.core.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    assert [form["Body"] for form in bot.twilio.accepted] == ["Check-in time"]


async def test_a_status_callback_with_21610_opts_the_account_out(bot: Bot) -> None:
    await bot.text(LEARNER, "/name Grace", sid="SM" + "c" * 32)
    await queue_sms(bot.core, LEARNER, "See you Thursday")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    assert await bot.status(bot.twilio.ids[0], "failed", ErrorCode="21610") == 200
    [row] = await outbox_rows(bot.core)
    assert row.delivery_status == "failed" and row.delivered_at is None
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and account.opted_out
    async with open_session(bot.core) as session:
        assert await preferred_account(session, account.person_id) is None


async def test_a_replayed_21610_callback_does_not_opt_out_again_after_start(bot: Bot) -> None:
    """A captured signed status callback carries no time: replayed after the learner texted
    START, it changes nothing."""
    await bot.text(LEARNER, "/name Grace", sid="SM" + "c" * 32)
    await queue_sms(bot.core, LEARNER, "See you Thursday")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    assert await bot.status(bot.twilio.ids[0], "failed", ErrorCode="21610") == 200
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and account.opted_out
    await bot.text(LEARNER, "START", sid="SM" + "d" * 32)
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and not account.opted_out
    assert await bot.status(bot.twilio.ids[0], "failed", ErrorCode="21610") == 200
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and not account.opted_out


async def test_each_part_of_a_long_message_has_its_own_status(bot: Bot) -> None:
    """A message split in three SMS is three Twilio messages: the row reads delivered only
    once all three are, and failed when any one fails, whichever part's callback comes first."""
    await bot.text(LEARNER, "/name Grace", sid="SM" + "d" * 32)
    long = " ".join(
        f"Week {n}: read chapter {n} and try every exercise together." for n in range(1, 21)
    )
    await queue_sms(bot.core, LEARNER, long)
    await queue_sms(bot.core, LEARNER, long + " Again.")
    assert await bot.core.dispatch({"sms": bot.adapter}) == 2
    first, second = await outbox_rows(bot.core)
    parts = len(bot.twilio.ids) // 2
    assert parts >= 3 and len(bot.twilio.ids) == 2 * parts
    first_ids, second_ids = bot.twilio.ids[:parts], bot.twilio.ids[parts:]

    # The first message: its parts arrive out of order; only the last report completes it.
    assert await bot.status(first_ids[0], "delivered") == 200
    assert (await outbox_rows(bot.core))[0].delivery_status == "queued"
    for sid in first_ids[1:-1]:
        assert await bot.status(sid, "delivered") == 200
    assert await bot.status(first_ids[-1], "sent") == 200
    assert (await outbox_rows(bot.core))[0].delivery_status == "sent"
    bot.core.clock.advance(timedelta(seconds=7))  # type: ignore[attr-defined]
    assert await bot.status(first_ids[-1], "delivered") == 200
    first = (await outbox_rows(bot.core))[0]
    assert first.delivery_status == "delivered"
    assert first.delivered_at == bot.core.clock.now()

    # The second: its first part fails. The others arriving later do not hide that.
    assert await bot.status(second_ids[0], "undelivered", ErrorCode="30003") == 200
    for sid in second_ids[1:]:
        assert await bot.status(sid, "delivered") == 200
    second = (await outbox_rows(bot.core))[1]
    assert second.delivery_status == "failed" and second.delivered_at is None
    assert second.last_error == "not delivered: 30003"
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and not account.opted_out  # 30003 is "unreachable", not STOP


async def test_a_status_callback_that_beats_the_commit_is_applied_after_it(bot: Bot) -> None:
    """Twilio may call back while the dispatcher has not committed the message's receipt yet
    (it is still sending, or the callback is fast): the report is kept and applied once the
    receipt is there, not dropped."""
    await bot.text(LEARNER, "/name Grace", sid="SM" + "e" * 32)
    await queue_sms(bot.core, LEARNER, "See you Thursday")
    send = bot.adapter.send

    async def send_and_call_back_at_once(message: Outbound) -> Receipt:
        receipt = await send(message)
        assert receipt.platform_message_id is not None
        assert await bot.status(receipt.platform_message_id, "delivered") == 200
        return receipt

    bot.adapter.send = send_and_call_back_at_once  # type: ignore[method-assign]
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    [row] = await outbox_rows(bot.core)
    assert row.delivery_status == "delivered" and row.delivered_at is not None
    async with open_session(bot.core) as session:
        assert (await session.exec(select(EarlyDeliveryReport))).all() == []


async def test_a_message_with_parts_still_to_send_is_not_delivered_yet(bot: Bot) -> None:
    await bot.text(LEARNER, "/name Grace", sid="SM" + "0" * 31 + "1")
    long = " ".join(f"Week {n}: read chapter {n} and try every exercise." for n in range(1, 15))
    await queue_sms(bot.core, LEARNER, long)
    bot.twilio.plan(LEARNER, "ok", "429")  # the first part goes, the second must wait
    assert await bot.core.dispatch({"sms": bot.adapter}) == 0
    [first] = bot.twilio.ids[-1:]
    assert await bot.status(first, "delivered") == 200
    [row] = await outbox_rows(bot.core)
    assert row.status == OutboxStatus.PENDING
    assert row.delivery_status == "sent" and row.delivered_at is None  # one part is not all

    bot.core.clock.advance(timedelta(seconds=RETRY_AFTER + 1))  # type: ignore[attr-defined]
    assert await bot.core.dispatch({"sms": bot.adapter}) == 1
    for sid in bot.twilio.ids[-2:]:
        assert await bot.status(sid, "delivered") == 200
    [row] = await outbox_rows(bot.core)
    assert row.status == OutboxStatus.SENT and row.delivery_status == "delivered"
