"""Two processes on one PostgreSQL database share one send budget: against a platform that
answers 429 past its limits (overall and per chat), they never exceed them together, every
message arrives once, a retry-after pauses both, and a chat's backlog holds nobody back."""

from __future__ import annotations

import asyncio
import bisect
import random
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import SystemClock
from bot.chat.contract import RetryLater
from bot.chat.messages import Address, Capabilities, Outbound, Receipt
from bot.chat.platforms import RateLimit
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from tests.database import open_session
from tests.platforms import with_limits

OVERALL = 20  # calls a second, in any one-second window
PER_CHAT = 2  # calls a second to one chat
# What the bot is told: a tenth under what the fake enforces, overall and per chat, because
# here the fake, both processes and their database calls share one event loop, which delays
# requests unevenly (on a loaded machine two sends paced half a second apart arrived 0.34 s
# apart, the third then inside the same second). Two processes each keeping the rate alone
# would still be twice over it.
DECLARED = RateLimit(OVERALL * 0.9, PER_CHAT * 0.9, 8)


@dataclass
class LimitedPlatform:
    """Refuses with 429 (retry after 1 s) a call that would make more than OVERALL calls in
    the last second, or more than PER_CHAT to one chat; records what it accepted, and when."""

    accepted: list[tuple[float, str, str]] = field(default_factory=list)  # (time, chat, key)
    refused: int = 0
    reasons: list[str] = field(default_factory=list)

    def _recent(self, now: float, chat: str | None = None) -> int:
        return sum(1 for at, to, _ in self.accepted if now - at < 1.0 and chat in (None, to))

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        now = time.monotonic()
        if self._recent(now) >= OVERALL or self._recent(now, body["chat"]) >= PER_CHAT:
            self.refused += 1
            chat = [at for at, to, _ in self.accepted if to == body["chat"] and now - at < 1.0]
            self.reasons.append(f"{body['chat']} overall={self._recent(now)} chat={chat} {now}")
            return web.json_response({}, status=429, headers={"Retry-After": "1"})
        self.accepted.append((now, body["chat"], body["key"]))
        return web.json_response({"id": str(len(self.accepted))})

    def peak(self) -> int:
        """The most calls accepted in any one-second window."""
        times = sorted(at for at, _, _ in self.accepted)
        return max(
            (bisect.bisect_left(times, at + 1.0) - index for index, at in enumerate(times)),
            default=0,
        )


@dataclass
class TelegramLike:
    client: aiohttp.ClientSession
    url: str
    platform: str = "telegram"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4000))

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        body = {"key": message.idempotency_key, "chat": message.address.chat_id}
        async with self.client.post(self.url, json=body) as response:
            if response.status == 429:
                raise RetryLater(float(response.headers["Retry-After"]))
            return Receipt(platform_message_id=(await response.json())["id"])


@pytest.fixture
async def platform() -> AsyncIterator[tuple[LimitedPlatform, str]]:
    fake = LimitedPlatform()
    app = web.Application()
    app.router.add_post("/send", fake.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield fake, str(server.make_url("/send"))
    finally:
        await server.close()


async def _queue(core: Core, messages: list[tuple[str, MessageKind, str]]) -> None:
    now = core.clock.now()
    async with open_session(core) as session, session.begin():
        for chat, kind, text in messages:
            key = OutboxKey(kind, f"text:{text}", f"chat:{chat}")
            message = Outbound(Address("telegram", chat), text)
            assert await outbox.enqueue(session, key, message, "en", now)


async def _drain(core: Core, adapter: TelegramLike, until: float) -> None:
    while time.monotonic() < until:
        if (await core.outbox_counts())["pending"] == 0:
            return
        await core.dispatch({"telegram": adapter})
        await asyncio.sleep(0.05)


async def test_two_processes_stay_within_the_platforms_limits_together(
    pg_engine: AsyncEngine, platform: tuple[LimitedPlatform, str]
) -> None:
    fake, url = platform
    limits = with_limits(telegram=DECLARED)
    # Two cores on one database: two processes' dispatchers, each with its own throttle.
    cores = [Core(pg_engine, SystemClock(), random.Random(n), platforms=limits) for n in range(2)]
    # A backlog of 20 to one chat (ten seconds' worth), written first, and one message to each
    # of 40 others (two seconds' worth at the overall limit).
    await _queue(cores[0], [("busy", MessageKind.MEMBER_JOINED, f"joined {n}") for n in range(20)])
    await _queue(
        cores[0], [(f"learner-{n}", MessageKind.ANNOUNCEMENT, f"news {n}") for n in range(40)]
    )
    async with aiohttp.ClientSession() as client:
        adapter = TelegramLike(client, url)
        until = time.monotonic() + 60
        await asyncio.gather(*(_drain(core, adapter, until) for core in cores))
    assert fake.refused == 0, fake.reasons
    assert fake.peak() <= OVERALL
    keys = Counter(key for _, _, key in fake.accepted)
    assert len(keys) == 60 and set(keys.values()) == {1}  # every message, once
    # The busy chat's backlog (paced at 2 a second) held back none of the others.
    others = [at for at, chat, _ in fake.accepted if chat != "busy"]
    busy = [at for at, chat, _ in fake.accepted if chat == "busy"]
    assert max(others) < max(busy) - 5
    order = [key for _, chat, key in fake.accepted if chat == "busy"]
    assert order == sorted(order, key=lambda key: int(key.split("joined ")[1].split("|")[0]))


async def test_a_retry_after_pauses_every_process(
    pg_engine: AsyncEngine, platform: tuple[LimitedPlatform, str]
) -> None:
    fake, url = platform
    limits = with_limits(telegram=DECLARED)
    cores = [Core(pg_engine, SystemClock(), random.Random(n), platforms=limits) for n in range(2)]
    await cores[0].throttle.hold("telegram", 1.5)  # one process was told to wait
    await _queue(cores[1], [("amina", MessageKind.REMINDER, "Your circle meets tomorrow.")])
    began = time.monotonic()
    async with aiohttp.ClientSession() as client:
        adapter = TelegramLike(client, url)
        assert await cores[1].dispatch({"telegram": adapter}) == 1
    [(at, _, _)] = fake.accepted
    assert at - began >= 1.3  # the other process waited too
