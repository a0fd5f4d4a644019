"""The web app against hostile or broken clients, over real HTTP on 127.0.0.1: text that is not
valid (lone surrogates from JSON escapes, invalid UTF-8, control characters) reaches the core as
valid text or is refused with 400; slow bodies and slow headers are cut off; a client hanging up
mid-body logs no error; an address that keeps failing signature or token checks gets 429."""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from twilio.request_validator import RequestValidator

from adapters.platforms.sms import SmsAdapter, SmsSettings
from adapters.platforms.telegram_bot import TelegramAdapter
from adapters.shell.web import Refusals, build_app, runner, trusted_networks
from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Person, QuestionKind, Reflection
from tests.adapters.platforms.fake_sms import (
    NOTHING,
    FakeAfricasTalking,
    FakeTwilio,
    sms_account,
    sms_core,
    stored,
)
from tests.adapters.platforms.fake_telegram import FakeTelegram
from tests.adapters.platforms.test_telegram import PUBLIC, SECRET, Updates, User, settings_for
from tests.conftest import DETROIT_CIRCLE, code_of
from tests.database import open_session

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

PUBLIC_BASE_URL = "https://circlebot.example.org"  # what Twilio signs
OUR_NUMBER = "+13135550100"
LEARNER = "+13135550147"
KENYAN = "+254712345678"
AT_TOKEN = "s3cret-webhook-token"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def core(sqlite_engine: AsyncEngine, clock: FakeClock) -> Core:
    return sms_core(sqlite_engine, clock)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


@dataclass
class Served:
    """The shared web app with the SMS gateways (both) or Telegram's webhook, on a real port."""

    core: Core
    adapter: Any
    site: web.AppRunner
    port: int
    client: aiohttp.ClientSession

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def post(self, path: str, body: bytes, headers: dict[str, str], **params: str) -> int:
        async with self.client.post(
            self.url(path), data=body, headers=headers, params=params
        ) as response:
            await response.read()
            return response.status


async def serve(core: Core, adapter: Any, *, idle_timeout: float = 75.0, **limits: Any) -> Served:
    await adapter.start()
    served = runner(build_app(core, [adapter], **limits), idle_timeout=idle_timeout)
    await served.setup()
    await web.TCPSite(served, host="127.0.0.1", port=0).start()
    port = served.addresses[0][1]
    return Served(core, adapter, served, port, aiohttp.ClientSession())


async def close(served: Served) -> None:
    await served.client.close()
    await served.site.cleanup()
    await served.adapter.stop()


def sms_adapter(core: Core, twilio: FakeTwilio, at: FakeAfricasTalking) -> SmsAdapter:
    settings = SmsSettings(
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=twilio.auth_token,  # type: ignore[arg-type]
        twilio_from_number=OUR_NUMBER,
        twilio_api_base_url=twilio.base_url,
        at_username=at.username,
        at_api_key=at.api_key,  # type: ignore[arg-type]
        at_sender_id="CIRCLEBOT",
        at_api_base_url=at.base_url,
        at_webhook_token=AT_TOKEN,  # type: ignore[arg-type]
    )
    return SmsAdapter.from_settings(settings, core, PUBLIC_BASE_URL)


@pytest.fixture
async def sms(core: Core, twilio: FakeTwilio, at: FakeAfricasTalking) -> AsyncIterator[Served]:
    served = await serve(core, sms_adapter(core, twilio, at))
    yield served
    await close(served)


def twilio_signature(twilio: FakeTwilio, path: str, fields: dict[str, str]) -> str:
    return RequestValidator(twilio.auth_token).compute_signature(PUBLIC_BASE_URL + path, fields)


def twilio_form(twilio: FakeTwilio, body: str) -> tuple[bytes, dict[str, str]]:
    """A raw form body and its headers, signed over the fields as any reader decodes them."""
    fields = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))
    signature = twilio_signature(twilio, "/sms/twilio", fields)
    return body.encode("ascii"), {**FORM, "X-Twilio-Signature": signature}


def at_json(document: str) -> tuple[bytes, dict[str, str]]:
    return document.encode("ascii"), {"Content-Type": "application/json"}


def update_body(update: dict[str, Any]) -> bytes:
    # json.dumps writes a lone surrogate as its "\udXXX" escape, as a sender of JSON would.
    return json.dumps(update).encode("ascii")


TELEGRAM = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}


async def telegram_served(core: Core, fake: FakeTelegram, **limits: Any) -> Served:
    settings = settings_for(fake, telegram_webhook_secret=SECRET)
    adapter = TelegramAdapter.from_settings(settings, core, polling=True, public_base_url=PUBLIC)
    return await serve(core, adapter, **limits)


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


# -- A: what people write reaches the core as valid text -----------------------------------------


async def test_lone_surrogates_in_telegram_json_are_answered_and_kept_as_valid_text(
    core: Core, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    served = await telegram_served(core, fake)
    updates = Updates()
    amina, brian = User(2001, "Ami\ud800na"), User(2002, "Bri\udc00an")
    try:
        creating = updates.message(amina, DETROIT_CIRCLE)
        assert await served.post("/telegram/webhook", update_body(creating), TELEGRAM) == 200
        assert "is ready" in fake.texts_to(amina.id)[0]
        code = await code_of(core, "Python for Everyone")
        joining = updates.message(brian, f"/start {code}")
        assert await served.post("/telegram/webhook", update_body(joining), TELEGRAM) == 200
        assert "Welcome to Python for Everyone, Bri\ufffdan!" in fake.texts_to(brian.id)[0]
        # The goal asked at joining, answered with a lone surrogate, a NUL and an escape.
        goal = updates.message(brian, "To build \ud83d a website\x00 for my \x1bchurch \udfff")
        assert await served.post("/telegram/webhook", update_body(goal), TELEGRAM) == 200
        assert "Thank you, I'll remind you of it near the end." in fake.texts_to(brian.id)[-1]
    finally:
        await close(served)
    async with open_session(core) as session:
        names = (await session.exec(select(Person.display_name).order_by(col(Person.id)))).all()
        [kept] = (
            await session.exec(select(Reflection).where(Reflection.kind == QuestionKind.GOAL))
        ).all()
    assert names == ["Ami\ufffdna", "Bri\ufffdan"]
    assert kept.text == "To build \ufffd a website for my church \ufffd"
    assert not errors(caplog)


async def test_lone_surrogates_in_an_africas_talking_json_callback_become_valid_text(
    sms: Served, at: FakeAfricasTalking
) -> None:
    # As JSON spells them: the escapes, not the characters (which UTF-8 cannot carry).
    document = (
        '{"from": "FROM", "to": "20880", "id": "ATXid_\\ud800", "text": "/name Wanj\\udfffiru"}'
    )
    body, headers = at_json(document.replace("FROM", KENYAN))
    assert await sms.post("/sms/africastalking", body, headers, token=AT_TOKEN) == 200
    [reply] = at.accepted
    assert "Wanj\ufffdiru" in reply["message"]
    account = await sms_account(sms.core, KENYAN)
    assert account is not None
    async with open_session(sms.core) as session:
        assert (await session.get_one(Person, account.person_id)).display_name == "Wanj\ufffdiru"


async def test_invalid_utf8_escaped_in_a_twilio_form_and_control_characters_become_valid_text(
    sms: Served, twilio: FakeTwilio
) -> None:
    # %ED%A0%80 is a surrogate in UTF-8 (which UTF-8 forbids), %FF no UTF-8 at all.
    body, headers = twilio_form(
        twilio,
        f"MessageSid=SM{'1' * 32}&From={urllib.parse.quote(LEARNER)}&To=%2B13135550100"
        "&Body=%2Fname+Gr%ED%A0%80ace%00%1B%FF",
    )
    async with sms.client.post(sms.url("/sms/twilio"), data=body, headers=headers) as response:
        assert response.status == 200
        twiml = await response.text()
    assert "Gr\ufffd\ufffd\ufffdace\ufffd" in twiml
    account = await sms_account(sms.core, LEARNER)
    assert account is not None
    async with open_session(sms.core) as session:
        person = await session.get_one(Person, account.person_id)
    assert person.display_name == "Gr\ufffd\ufffd\ufffdace\ufffd"


# -- B: bodies that cannot be read are refused with 400, never 500 -------------------------------


async def test_bodies_that_are_not_utf8_are_refused_with_400_and_change_nothing(
    sms: Served, twilio: FakeTwilio, caplog: pytest.LogCaptureFixture
) -> None:
    raw = b"MessageSid=SM" + b"2" * 32 + b"&From=%2B13135550147&To=%2B1313&Body=caf\xe9 \xff"
    signed = {**FORM, "X-Twilio-Signature": "anything"}  # read before the signature is checked
    assert await sms.post("/sms/twilio", raw, signed) == 400
    assert await sms.post("/sms/twilio/status", raw, signed) == 400
    assert await sms.post("/sms/africastalking", raw, FORM, token=AT_TOKEN) == 400
    unknown_charset = {"Content-Type": "application/x-www-form-urlencoded; charset=klingon"}
    assert await sms.post("/sms/africastalking", b"text=hi", unknown_charset, token=AT_TOKEN) == 400
    json_latin1 = b'{"from": "+254712345678", "id": "x", "text": "caf\xe9"}'
    assert (
        await sms.post(
            "/sms/africastalking", json_latin1, {"Content-Type": "application/json"}, token=AT_TOKEN
        )
        == 400
    )
    nested = b"[" * 20_000 + b"]" * 20_000  # deeper than the JSON reader recurses
    assert (
        await sms.post(
            "/sms/africastalking", nested, {"Content-Type": "application/json"}, token=AT_TOKEN
        )
        == 400
    )
    # Ids that are not ids, and a huge one.
    for message_id in ("", "a\x00b", "x" * 129):
        fields = {"from": KENYAN, "to": "20880", "id": message_id, "text": "hi"}
        body = json.dumps(fields).encode()
        headers = {"Content-Type": "application/json"}
        assert await sms.post("/sms/africastalking", body, headers, token=AT_TOKEN) == 400
    assert await stored(sms.core) == NOTHING
    assert not errors(caplog)


async def test_telegram_bodies_that_are_not_utf8_json_are_refused_with_400(
    core: Core, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    served = await telegram_served(core, fake)
    try:
        update = Updates().message(User(2003, "Dana"), "/start")
        latin1 = json.dumps(update, ensure_ascii=False).replace("Dana", "Dan\xe9")
        hook = "/telegram/webhook"
        assert await served.post(hook, latin1.encode("latin-1"), TELEGRAM) == 400
        assert await served.post(hook, b"[" * 20_000 + b"]" * 20_000, TELEGRAM) == 400
        assert await served.post(hook, b'{"update_id": 1' + b"0" * 5000 + b"}", TELEGRAM) == 400
        assert await served.post(hook, b'{"update_id": -5}', TELEGRAM) == 400
        assert fake.sent == []
        assert await served.post(hook, update_body(update), TELEGRAM) == 200
    finally:
        await close(served)
    assert not errors(caplog)


# -- B: slow clients are cut off, and one that hangs up costs no error ---------------------------


async def open_raw(served: Served) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", served.port)


def head(path: str, length: int, content_type: str = "application/json") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


async def test_a_body_that_arrives_too_slowly_is_refused_and_its_connection_closed(
    core: Core, twilio: FakeTwilio, at: FakeAfricasTalking
) -> None:
    served = await serve(core, sms_adapter(core, twilio, at), body_timeout=0.5)
    try:
        reader, writer = await open_raw(served)
        path = f"/sms/africastalking?token={AT_TOKEN}"
        writer.write(head(path, 200) + b'{"from": "+2547')  # and then nothing more
        await writer.drain()
        loop = asyncio.get_running_loop()
        began = loop.time()
        answer = await asyncio.wait_for(reader.read(), timeout=5)  # until the server closes
        waited = loop.time() - began
        writer.close()
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert 0.4 < waited < 3, waited
        # Others are served meanwhile and after.
        async with served.client.get(served.url("/healthz")) as response:
            assert response.status == 200
    finally:
        await close(served)
    assert await stored(core) == NOTHING


async def test_a_connection_slow_to_send_its_headers_is_closed(
    core: Core, twilio: FakeTwilio, at: FakeAfricasTalking
) -> None:
    served = await serve(core, sms_adapter(core, twilio, at), idle_timeout=0.5)
    try:
        reader, writer = await open_raw(served)
        writer.write(b"POST /sms/africastalking HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        await writer.drain()
        loop = asyncio.get_running_loop()
        began = loop.time()
        assert await asyncio.wait_for(reader.read(), timeout=5) == b""  # closed, no answer
        assert loop.time() - began < 3
        writer.close()
    finally:
        await close(served)


async def test_a_client_hanging_up_mid_body_logs_no_error(
    sms: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for path, content_type in (
        (f"/sms/africastalking?token={AT_TOKEN}", "application/json"),
        ("/sms/twilio", "application/x-www-form-urlencoded"),
    ):
        _, writer = await open_raw(sms)
        writer.write(head(path, 5000, content_type) + b"from=%2B2547&te")
        await writer.drain()
        await asyncio.sleep(0.1)  # the handler is reading the body
        writer.transport.abort()  # gone, mid-body
        for _ in range(50):  # until the app has noticed
            if any("left while sending" in r.getMessage() for r in caplog.records):
                break
            await asyncio.sleep(0.05)
        caplog_lines = [r.getMessage() for r in caplog.records if "left while" in r.getMessage()]
        assert caplog_lines, [r.getMessage() for r in caplog.records]
        caplog.clear()
    await asyncio.sleep(0.1)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert await stored(sms.core) == NOTHING


# -- B: an address that keeps failing the checks is answered 429 ----------------------------------


async def test_after_too_many_forged_signatures_an_address_gets_429_without_a_check(
    core: Core, twilio: FakeTwilio, at: FakeAfricasTalking, caplog: pytest.LogCaptureFixture
) -> None:
    served = await serve(core, sms_adapter(core, twilio, at), failed_auth_limit=3)
    fields = {"MessageSid": "SM" + "3" * 32, "From": LEARNER, "To": OUR_NUMBER, "Body": "/name X"}
    body = urllib.parse.urlencode(fields).encode()
    forged = {**FORM, "X-Twilio-Signature": "forged"}
    genuine = {**FORM, "X-Twilio-Signature": twilio_signature(twilio, "/sms/twilio", fields)}
    try:
        assert [await served.post("/sms/twilio", body, forged) for _ in range(3)] == [403] * 3
        async with served.client.post(
            served.url("/sms/twilio"), data=body, headers=genuine
        ) as response:
            # Not checked at all now, not even a genuine one from that address.
            assert response.status == 429
            assert 1 <= int(response.headers["Retry-After"]) <= 60
        assert await served.post("/sms/africastalking", b"{}", FORM, token=AT_TOKEN) == 429
        assert await stored(core) == NOTHING
        # The operator hears of it once, when the address is held back.
        held = [r.getMessage() for r in caplog.records if "answered 429" in r.getMessage()]
        assert held == [
            "127.0.0.1 failed 3 signature or token checks within 60 s: answered 429 for now"
        ]
        # Another address (loopback has many) is not held back by this one's failures.
        other = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
        async with aiohttp.ClientSession(connector=other) as client:
            async with client.post(served.url("/sms/twilio"), data=body, headers=genuine) as r:
                assert r.status == 200
        assert (await stored(core))["receipts"] == 1
    finally:
        await close(served)


async def test_the_health_check_is_never_held_back_by_an_address_s_refusals(
    core: Core, twilio: FakeTwilio, at: FakeAfricasTalking
) -> None:
    """An uptime probe or load balancer behind the forger's address (or proxy) must not take a
    healthy bot for a dead one."""
    served = await serve(core, sms_adapter(core, twilio, at), failed_auth_limit=3)
    fields = {"MessageSid": "SM" + "4" * 32, "From": LEARNER, "To": OUR_NUMBER, "Body": "HELP"}
    forged = {**FORM, "X-Twilio-Signature": "abc="}
    body = urllib.parse.urlencode(fields).encode()
    try:
        statuses = [await served.post("/sms/twilio", body, forged) for _ in range(4)]
        assert statuses == [403, 403, 403, 429]
        async with served.client.get(served.url("/healthz")) as response:
            assert response.status == 200
            assert (await response.json())["status"] == "ok"
    finally:
        await close(served)


async def test_wrong_tokens_and_secrets_count_too(
    core: Core, fake: FakeTelegram, twilio: FakeTwilio, at: FakeAfricasTalking
) -> None:
    served = await serve(core, sms_adapter(core, twilio, at), failed_auth_limit=2)
    try:
        statuses = [
            await served.post("/sms/africastalking", b"text=hi", FORM, token="guess")
            for _ in range(3)
        ]
        assert statuses == [403, 403, 429]
    finally:
        await close(served)
    served = await telegram_served(core, fake, failed_auth_limit=2)
    try:
        update = update_body(Updates().message(User(2004, "Eve"), "/start"))
        wrong = {**TELEGRAM, "X-Telegram-Bot-Api-Secret-Token": "guess"}
        statuses = [await served.post("/telegram/webhook", update, wrong) for _ in range(2)]
        assert statuses == [403, 403]
        assert await served.post("/telegram/webhook", update, TELEGRAM) == 429
        assert fake.sent == []
    finally:
        await close(served)


def test_refusals_are_forgotten_a_window_later() -> None:
    now = [1000.0]
    refusals = Refusals(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert refusals.wait("203.0.113.9") is None
        refusals.failed("203.0.113.9")
        now[0] += 10
    assert refusals.wait("203.0.113.9") == pytest.approx(30)  # the first was 30 s ago
    assert refusals.wait("198.51.100.7") is None
    now[0] += 30
    assert refusals.wait("203.0.113.9") is None  # the first has left the window
    # It remembers a bounded number of addresses, forgetting the least recent first.
    small = Refusals(limit=1, window=60, capacity=2, clock=lambda: now[0])
    for address in ("a", "b", "c"):
        small.failed(address)
    assert small.wait("a") is None and small.wait("b") == 60 and small.wait("c") == 60


async def test_health_checks_are_not_held_back(core: Core) -> None:
    server = TestServer(build_app(core, failed_auth_limit=1), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as client:
            for _ in range(3):
                async with client.get(server.make_url("/healthz")) as response:
                    assert response.status == 200
    finally:
        await server.close()


async def test_behind_a_trusted_proxy_a_forger_does_not_hold_back_the_gateway(
    core: Core, twilio: FakeTwilio, at: FakeAfricasTalking
) -> None:
    """Every request comes from the proxy (127.0.0.1 here); X-Forwarded-For names the client.
    A forger's refusals count against the forger, and the gateway behind the same proxy is
    still heard. A client cannot escape by naming someone else first: only the hop the proxy
    appended counts."""
    served = await serve(
        core,
        sms_adapter(core, twilio, at),
        failed_auth_limit=2,
        trusted_proxies=trusted_networks("127.0.0.0/8"),
    )
    forger = {**FORM, "X-Forwarded-For": "203.0.113.9"}
    lying = {**FORM, "X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    gateway = {**FORM, "X-Forwarded-For": "192.0.2.44"}
    try:
        tries = [
            await served.post("/sms/africastalking", b"text=hi", forger, token="guess"),
            await served.post("/sms/africastalking", b"text=hi", lying, token="guess"),
            await served.post("/sms/africastalking", b"text=hi", forger, token="guess"),
        ]
        assert tries == [403, 403, 429]
        assert await served.post("/sms/africastalking", b"text=hi", gateway, token="x") == 403
        assert await served.post("/sms/africastalking", b"text=hi", gateway, token="x") == 403
        assert await served.post("/sms/africastalking", b"text=hi", gateway, token="x") == 429
    finally:
        await close(served)
    # Untrusted, the header is ignored: everyone behind the proxy is one address.
    served = await serve(core, sms_adapter(core, twilio, at), failed_auth_limit=2)
    try:
        for headers in (forger, gateway):
            await served.post("/sms/africastalking", b"text=hi", headers, token="guess")
        assert await served.post("/sms/africastalking", b"text=hi", FORM, token="guess") == 429
    finally:
        await close(served)
