"""The dispatcher against a fake platform over real HTTP on 127.0.0.1 that rate-limits (429 with
Retry-After), fails (500) and refuses (403): every message arrives once, the wait is honoured,
and what could not be delivered is reported."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import FakeClock
from bot.chat.contract import PermanentDeliveryError, RetryLater
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Capabilities, Outbound, Receipt
from bot.delivery import outbox
from bot.delivery.budget import MemoryBudget
from bot.delivery.dispatcher import (
    RateLimit,
    Throttle,
    dead_rows,
    dispatch_due,
    outbox_counts,
)
from bot.delivery.outbox import OutboxKey
from bot.dialogue.people import preferred_account
from bot.storage.database import session_factory
from bot.storage.models import Account, OutboxMessage, OutboxStatus, Person
from locales import LOCALES_DIR

PLATFORM = "flaky"
RETRY_AFTER = 30


@dataclass
class FakePlatform:
    """Answers each message's requests from its plan (statuses in turn, then 200 for good);
    a chat in `blocked` always gets 403. Records every request and every accepted message."""

    plans: dict[str, list[int]] = field(default_factory=dict)  # by text
    blocked: set[str] = field(default_factory=set)  # chat ids
    requests: list[tuple[str, int]] = field(default_factory=list)  # (key, status answered)
    accepted: list[str] = field(default_factory=list)  # idempotency keys

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        key, chat, text = body["key"], body["chat"], body["text"]
        if chat in self.blocked:
            status = 403
        else:
            plan = self.plans.get(text, [])
            status = plan.pop(0) if plan else 200
        self.requests.append((key, status))
        if status == 429:
            return web.json_response(
                {"ok": False, "retry_after": RETRY_AFTER},
                status=429,
                headers={"Retry-After": str(RETRY_AFTER)},
            )
        if status == 403:
            return web.json_response(
                {"ok": False, "description": "Forbidden: bot was blocked by the user"}, status=403
            )
        if status != 200:
            return web.json_response({"ok": False}, status=status)
        self.accepted.append(key)
        return web.json_response({"ok": True, "id": str(len(self.accepted))})

    def tries(self, key: str) -> int:
        return sum(1 for sent_key, _ in self.requests if sent_key == key)


@dataclass
class HttpAdapter:
    """A minimal platform adapter: one POST per message, platform answers mapped to the
    dispatcher's exceptions the way the real adapters do."""

    client: aiohttp.ClientSession
    url: str
    platform: str = PLATFORM
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4000))

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        body = {
            "key": message.idempotency_key,
            "chat": message.address.chat_id,
            "text": message.text,
        }
        async with self.client.post(self.url, json=body) as response:
            if response.status == 429:
                raise RetryLater(float(response.headers["Retry-After"]))
            if response.status == 403:
                raise PermanentDeliveryError((await response.json())["description"])
            if response.status >= 400:
                raise RuntimeError(f"HTTP {response.status}")
            return Receipt(platform_message_id=(await response.json())["id"])


@dataclass
class Setup:
    platform: FakePlatform
    adapter: HttpAdapter
    sessions: async_sessionmaker[AsyncSession]
    clock: FakeClock
    catalogs: Catalogs
    throttle: Throttle

    async def queue(self, chat: str, text: str) -> str:
        key = OutboxKey("test", f"text:{text}", f"chat:{chat}")
        async with self.sessions() as session, session.begin():
            message = Outbound(Address(PLATFORM, chat), text)
            assert await outbox.enqueue(session, key, message, "en", self.clock.now())
        return str(key)

    async def dispatch(self) -> int:
        return await dispatch_due(
            self.sessions,
            self.clock,
            self.catalogs,
            {PLATFORM: self.adapter},
            throttle=self.throttle,
        )

    async def row(self, key: str) -> OutboxMessage:
        async with self.sessions() as session:
            statement = select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
            return (await session.exec(statement)).one()

    async def pending(self) -> list[OutboxMessage]:
        async with self.sessions() as session:
            statement = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
            return list((await session.exec(statement.order_by(col(OutboxMessage.id)))).all())


@pytest.fixture
async def setup(sqlite_engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[Setup]:
    platform = FakePlatform()
    app = web.Application()
    app.router.add_post("/send", platform.handle)
    server = TestServer(app, host="127.0.0.1")  # port 0: any free port
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as client:
            adapter = HttpAdapter(client, str(server.make_url("/send")))
            # Generous limits: these tests are about retries; the spacing has its own tests.
            # Its pauses (a retry-after) on the test's clock, as the rows' times are.
            budget = MemoryBudget(now=lambda: clock.now().timestamp())
            throttle = Throttle({PLATFORM: RateLimit(1000, 1000, 4)}, budget=budget)
            sessions = session_factory(sqlite_engine)
            yield Setup(platform, adapter, sessions, clock, Catalogs(LOCALES_DIR), throttle)
    finally:
        await server.close()


async def test_a_429_is_waited_out_for_its_retry_after_then_sent_once(setup: Setup) -> None:
    setup.platform.plans["Your circle meets tomorrow."] = [429]
    key = await setup.queue("amina", "Your circle meets tomorrow.")

    assert await setup.dispatch() == 0
    row = await setup.row(key)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.next_attempt_at >= setup.clock.now() + timedelta(seconds=RETRY_AFTER)
    assert row.last_error and "retry after 30" in row.last_error

    setup.clock.advance(timedelta(seconds=RETRY_AFTER - 1))
    assert await setup.dispatch() == 0
    assert setup.platform.tries(key) == 1  # the platform was not asked again too early

    setup.clock.advance(timedelta(seconds=2))
    assert await setup.dispatch() == 1
    assert setup.platform.accepted == [key]
    assert setup.platform.requests == [(key, 429), (key, 200)]
    row = await setup.row(key)
    assert (row.status, row.attempts, row.receipt) == (OutboxStatus.SENT, 2, "1")


async def test_through_429s_and_500s_every_message_arrives_exactly_once(setup: Setup) -> None:
    plans = {
        "one": [],
        "two": [500],
        "three": [429, 500],
        "four": [500, 500, 429, 503],
        "five": [429, 429],
        "six": [502] * 5,
    }
    keys = []
    for number, (text, plan) in enumerate(plans.items()):
        setup.platform.plans[text] = list(plan)
        keys.append(await setup.queue(f"learner-{number}", text))
    # Two more to one chat: they must arrive after the one before them, which keeps failing.
    setup.platform.plans["first to rosa"] = [500, 429]
    keys.append(await setup.queue("rosa", "first to rosa"))
    keys.append(await setup.queue("rosa", "second to rosa"))

    sent = 0
    for _ in range(80):  # each round: run once, then jump to the earliest retry
        sent += await setup.dispatch()
        pending = await setup.pending()
        if not pending:
            break
        # (A row waiting behind an earlier one to its chat is due already: not a time to jump
        # to; nor is one the platform's retry-after holds back: a second on, then.)
        now = setup.clock.now()
        later = [row.next_attempt_at for row in pending if row.next_attempt_at > now]
        setup.clock.set(min(later, default=now + timedelta(seconds=1)))

    assert sent == len(keys)
    assert Counter(setup.platform.accepted) == Counter(keys)  # each once, none lost
    accepted = setup.platform.accepted
    assert accepted.index(keys[-2]) < accepted.index(keys[-1])
    for key in keys:
        row = await setup.row(key)
        assert row.status == OutboxStatus.SENT
        assert row.attempts == setup.platform.tries(key)
        assert row.last_error is None
    async with setup.sessions() as session:
        assert await dead_rows(session) == []
        assert await outbox_counts(session) == {"pending": 0, "sent": len(keys), "dead": 0}


async def test_a_message_that_always_fails_waits_until_useless_then_is_reported_dead(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    setup.platform.plans["doomed"] = [500] * 1000
    doomed = await setup.queue("brian", "doomed")
    fine = await setup.queue("chen", "fine")
    useful_until = (await setup.row(doomed)).useful_until
    assert useful_until is not None

    rounds = 0
    while setup.clock.now() <= useful_until:
        rounds += 1
        await setup.dispatch()
        pending = await setup.pending()
        if not pending:
            break
        # The next retry, but at least a minute on (past any pause of the platform).
        later = max(pending[0].next_attempt_at, setup.clock.now() + timedelta(minutes=1))
        setup.clock.set(min(later, useful_until + timedelta(seconds=1)))
    await setup.dispatch()

    tries = setup.platform.tries(doomed)
    assert tries > 8  # it used to die after eight attempts, five and a half minutes
    row = await setup.row(doomed)
    assert (row.status, row.failure) == (OutboxStatus.DEAD, "expired")
    assert row.last_error == "no longer useful: its time has passed"
    assert "expired unsent" in caplog.text
    # Quiet logs: the same failure is logged once a minute at most, with a count.
    failures = [r for r in caplog.records if "send failed" in r.getMessage()]
    assert len(failures) <= rounds
    assert not any(r.exc_info for r in caplog.records)
    async with setup.sessions() as session:
        assert [r.idempotency_key for r in await dead_rows(session)] == [doomed]
        assert await outbox_counts(session) == {"pending": 0, "sent": 1, "dead": 1}
    assert setup.platform.accepted == [fine]
    setup.clock.advance(timedelta(days=30))
    assert await setup.dispatch() == 0
    assert setup.platform.tries(doomed) == tries  # never tried again


async def test_a_403_marks_the_account_unreachable_and_stops_at_once(setup: Setup) -> None:
    now = setup.clock.now()
    async with setup.sessions() as session, session.begin():
        person = Person(display_name="Dana", created_at=now)
        session.add(person)
        await session.flush()
        assert person.id is not None
        person_id = person.id
        session.add(
            Account(
                person_id=person_id,
                platform=PLATFORM,
                external_id="dana",
                address="dana-chat",
                created_at=now,
                last_seen_at=now,
            )
        )
    setup.platform.blocked.add("dana-chat")
    first = await setup.queue("dana-chat", "Welcome to the circle.")
    second = await setup.queue("dana-chat", "Your circle meets tomorrow.")
    other = await setup.queue("eve", "Hello Eve.")

    assert await setup.dispatch() == 1

    assert setup.platform.requests.count((first, 403)) == 1
    assert setup.platform.tries(second) == 0  # the address refuses: no point asking again
    assert setup.platform.accepted == [other]
    row = await setup.row(first)
    assert (row.status, row.attempts) == (OutboxStatus.DEAD, 1)
    assert row.last_error == "Forbidden: bot was blocked by the user"
    assert (await setup.row(second)).status == OutboxStatus.DEAD
    async with setup.sessions() as session:
        account = (await session.exec(select(Account))).one()
        assert (account.reachable, account.opted_out) == (False, False)
        assert await preferred_account(session, person_id) is None
    setup.clock.advance(timedelta(days=1))
    assert await setup.dispatch() == 0
    assert setup.platform.tries(first) == 1
