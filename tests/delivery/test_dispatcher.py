"""The dispatcher's manners: one chat reads its messages in order and not faster than its rate,
different chats are served at once, retries never come earlier than promised, and a number
that opted out is not written to again."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import FakeClock
from bot.chat.contract import PermanentDeliveryError, RetryLater
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Capabilities, Outbound, Receipt
from bot.delivery import outbox
from bot.delivery.dispatcher import (
    FALLBACK_LIMIT,
    WINDOW_PER_CHAT,
    Circuit,
    Dispatcher,
    RateLimit,
    Throttle,
    backoff_seconds,
    dispatch_batch,
    dispatch_due,
)
from bot.delivery.outbox import OutboxKey
from bot.dialogue.people import preferred_account
from bot.storage.database import session_factory
from bot.storage.models import Account, OutboxMessage, OutboxStatus, Person
from locales import LOCALES_DIR
from tests.platforms import PLATFORMS

Behaviour = Callable[[Outbound], Awaitable[None]]


@dataclass
class RecordingAdapter:
    """Records when each message went out and how many were in flight; `before_send` may wait
    or raise to play a slow or failing platform."""

    platform: str = "console"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4000))
    before_send: Behaviour | None = None
    sent: list[tuple[float, Outbound]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.before_send is not None:
                await self.before_send(message)
        finally:
            self.in_flight -= 1
        self.sent.append((time.monotonic(), message))
        return Receipt(platform_message_id=str(len(self.sent)))

    def texts(self, chat_id: str | None = None) -> list[str]:
        return [m.text for _, m in self.sent if chat_id in (None, m.address.chat_id)]


@dataclass
class Outbox:
    sessions: async_sessionmaker[AsyncSession]
    clock: FakeClock
    catalogs: Catalogs

    async def queue(self, chat: str, text: str, due_in: timedelta | None = None) -> str:
        key = OutboxKey("test", f"text:{text}", f"chat:{chat}")
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            message = Outbound(Address("console", chat), text)
            due = now + due_in if due_in else None
            assert await outbox.enqueue(session, key, message, "en", now, due)
        return str(key)

    async def dispatch(
        self, adapter: RecordingAdapter, throttle: Throttle, rng: random.Random | None = None
    ) -> int:
        return await dispatch_due(
            self.sessions,
            self.clock,
            self.catalogs,
            {"console": adapter},
            throttle=throttle,
            rng=rng,
        )

    async def row(self, key: str) -> OutboxMessage:
        async with self.sessions() as session:
            statement = select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
            return (await session.exec(statement)).one()


@pytest.fixture
def box(sqlite_engine: AsyncEngine, clock: FakeClock) -> Outbox:
    return Outbox(session_factory(sqlite_engine), clock, Catalogs(LOCALES_DIR))


def fast(per_chat: float | None = None, concurrency: int = 8) -> Throttle:
    return Throttle({"console": RateLimit(1000, per_chat, concurrency)})


def gaps(adapter: RecordingAdapter) -> list[float]:
    times = [at for at, _ in adapter.sent]
    return [later - earlier for earlier, later in itertools.pairwise(times)]


async def test_one_chat_gets_its_messages_in_the_order_they_were_written(box: Outbox) -> None:
    texts = [f"message {n}" for n in range(1, 6)]
    for text in texts:
        await box.queue("amina", text)
        await box.queue("brian", "for brian " + text)

    async def earlier_is_slower(message: Outbound) -> None:
        # Were one chat's messages sent side by side, the later ones would overtake.
        await asyncio.sleep(0.02 * (6 - int(message.text[-1])))

    adapter = RecordingAdapter(before_send=earlier_is_slower)
    # A few rows per chat per run, so a long queue to one chat never holds the others back.
    assert await box.dispatch(adapter, fast()) == 2 * WINDOW_PER_CHAT
    assert await box.dispatch(adapter, fast()) == 10 - 2 * WINDOW_PER_CHAT

    assert adapter.texts("amina") == texts
    assert adapter.texts("brian") == ["for brian " + text for text in texts]
    assert adapter.most_in_flight == 2  # the two chats at once, never two to one chat


async def test_a_message_waits_for_an_earlier_one_to_the_same_chat_that_is_retrying(
    box: Outbox, clock: FakeClock
) -> None:
    first = await box.queue("amina", "Your circle meets tomorrow.")
    await box.queue("amina", "See you on Thursday!")
    await box.queue("amina", "A reminder for next week.", due_in=timedelta(days=7))
    fails_once = {"Your circle meets tomorrow."}

    async def failing(message: Outbound) -> None:
        if message.text in fails_once:
            fails_once.discard(message.text)
            raise ConnectionError("gateway timeout")

    adapter = RecordingAdapter(before_send=failing)
    assert await box.dispatch(adapter, fast()) == 0
    assert await box.dispatch(adapter, fast()) == 0  # still waiting behind the first
    assert adapter.sent == []

    clock.set((await box.row(first)).next_attempt_at)
    assert await box.dispatch(adapter, fast()) == 2
    # The row due next week holds nothing up and is not sent early.
    assert adapter.texts() == ["Your circle meets tomorrow.", "See you on Thursday!"]


async def test_the_per_chat_rate_spaces_messages_to_one_chat(box: Outbox) -> None:
    for n in range(4):
        await box.queue("amina", f"message {n}")
    adapter = RecordingAdapter()
    throttle = fast(per_chat=20)

    assert await box.dispatch(adapter, throttle) == WINDOW_PER_CHAT
    assert await box.dispatch(adapter, throttle) == 4 - WINDOW_PER_CHAT

    assert len(adapter.sent) == 4
    assert all(gap >= 0.04 for gap in gaps(adapter)), gaps(adapter)  # 1/20 s, minus timer slack


async def test_the_per_chat_rate_does_not_make_other_chats_wait(box: Outbox) -> None:
    chats = ["amina", "brian", "chen", "dana"]
    for chat in chats:
        await box.queue(chat, f"hello {chat}")
    everyone_started = asyncio.Event()
    started = 0

    async def wait_for_the_others(message: Outbound) -> None:
        nonlocal started
        started += 1
        if started == len(chats):
            everyone_started.set()
        # Four chats waiting on one another could never all be here at once.
        await asyncio.wait_for(everyone_started.wait(), timeout=5)

    adapter = RecordingAdapter(before_send=wait_for_the_others)
    assert await box.dispatch(adapter, fast(per_chat=1)) == 4
    assert adapter.most_in_flight == 4


async def test_the_platform_rate_and_concurrency_hold_across_chats(box: Outbox) -> None:
    for n in range(4):
        await box.queue(f"learner-{n}", f"hello {n}")
    adapter = RecordingAdapter()
    throttle = Throttle({"console": RateLimit(20, None, 8)})

    assert await box.dispatch(adapter, throttle) == 4
    assert all(gap >= 0.04 for gap in gaps(adapter)), gaps(adapter)

    # The same throttle next run: the limit holds across runs, not just within one.
    await box.queue("learner-9", "one more")
    assert await box.dispatch(adapter, throttle) == 1
    assert adapter.sent[-1][0] - adapter.sent[-2][0] >= 0.04

    for n in range(5):
        await box.queue(f"reader-{n}", f"slow {n}")

    async def slow(message: Outbound) -> None:
        await asyncio.sleep(0.02)

    bounded = RecordingAdapter(before_send=slow)
    assert await box.dispatch(bounded, fast(concurrency=2)) == 5
    assert bounded.most_in_flight == 2


@pytest.mark.parametrize("seed", range(20))
def test_backoff_jitter_only_ever_adds(seed: int) -> None:
    rng = random.Random(seed)
    for attempts in range(1, 9):
        delay = backoff_seconds(attempts, rng)
        assert 2**attempts <= delay < 1.5 * 2**attempts


async def test_retries_are_never_earlier_than_the_backoff(box: Outbox, clock: FakeClock) -> None:
    keys = [await box.queue(f"learner-{n}", f"message {n}") for n in range(3)]

    async def refuse(message: Outbound) -> None:
        raise RuntimeError("HTTP 502")

    adapter = RecordingAdapter(before_send=refuse)
    for attempt in range(1, 4):
        now = clock.now()
        await box.dispatch(adapter, fast(), rng=random.Random(attempt))
        waits = []
        for key in keys:
            row = await box.row(key)
            assert row.attempts == attempt
            waits.append((row.next_attempt_at - now).total_seconds())
        assert all(2**attempt <= wait < 1.5 * 2**attempt for wait in waits), waits
        clock.advance(timedelta(seconds=max(waits)))


async def test_retries_are_never_earlier_than_the_platforms_retry_after(
    box: Outbox, clock: FakeClock
) -> None:
    # One row: a platform's retry-after holds every send to it for real seconds, so a second
    # row in the same run would wait them out (tests/delivery/test_shared_limits.py).
    key = await box.queue("learner-0", "message 0")

    async def refuse(message: Outbound) -> None:
        raise RetryLater(7.5)

    adapter = RecordingAdapter(before_send=refuse)
    for attempt in range(1, 4):
        now = clock.now()
        await box.dispatch(adapter, fast(), rng=random.Random(attempt))
        row = await box.row(key)
        assert row.attempts == attempt
        wait = (row.next_attempt_at - now).total_seconds()
        assert 7.5 <= wait < 8.5, wait
        clock.advance(timedelta(seconds=wait))


async def test_an_opted_out_number_is_marked_and_no_longer_preferred(
    box: Outbox, clock: FakeClock
) -> None:
    now = clock.now()
    async with box.sessions() as session, session.begin():
        person = Person(display_name="Wanjiru", created_at=now)
        session.add(person)
        await session.flush()
        assert person.id is not None
        person_id = person.id
        for platform, address in [("console", "+254700000001"), ("telegram", "5551")]:
            account = Account(
                person_id=person_id,
                platform=platform,
                external_id=address,
                address=address,
                created_at=now,
                last_seen_at=now if platform == "console" else now - timedelta(days=1),
            )
            session.add(account)
    key = await box.queue("+254700000001", "Reply YES to confirm Thursday.")

    async def opted_out(message: Outbound) -> None:
        raise PermanentDeliveryError("21610: number opted out", opted_out=True)

    summary = await dispatch_batch(
        box.sessions,
        clock,
        box.catalogs,
        {"console": RecordingAdapter(before_send=opted_out)},
        throttle=fast(),
    )

    assert (summary.sent, summary.dead) == (0, 1)
    row = await box.row(key)
    assert (row.status, row.attempts) == (OutboxStatus.DEAD, 1)
    assert row.last_error == "21610: number opted out"
    async with box.sessions() as session:
        accounts = (await session.exec(select(Account).order_by(col(Account.id)))).all()
        assert [(a.platform, a.opted_out, a.reachable) for a in accounts] == [
            ("console", True, True),
            ("telegram", False, True),
        ]
        # Proactive messages now go to the person's other account.
        chosen = await preferred_account(session, person_id)
        assert chosen is not None and chosen.platform == "telegram"


def test_each_platform_is_written_to_at_its_described_rate_and_an_unknown_one_slowly() -> None:
    throttle = Throttle.of(PLATFORMS)
    assert [throttle.limit_for(p.name) for p in PLATFORMS] == [p.limit for p in PLATFORMS]
    assert throttle.limit_for("pager") == FALLBACK_LIMIT


async def test_an_outage_pauses_the_platform_burns_no_attempts_and_recovery_sends_at_once(
    box: Outbox, clock: FakeClock
) -> None:
    keys = [await box.queue(f"learner-{n}", f"Week {n} check-in") for n in range(6)]
    down = True

    async def outage(message: Outbound) -> None:
        if down:
            raise ConnectionError("HTTP 502")

    adapter = RecordingAdapter(before_send=outage)
    dispatcher = Dispatcher(box.sessions, clock, box.catalogs, fast())
    summary = await dispatcher.run({"console": adapter})
    assert summary.retry == 6  # five failures in a row pause the platform
    assert dispatcher.circuit.state("console") == "paused"

    # Ten minutes of outage: only a probe now and then, never a row given up.
    for _ in range(20):
        clock.advance(timedelta(seconds=30))
        await dispatcher.run({"console": adapter})
    rows = [await box.row(key) for key in keys]
    assert all(row.status == OutboxStatus.PENDING for row in rows)
    assert sum(row.attempts for row in rows) < 6 + 20  # probes, not every row every time

    down = False
    clock.advance(timedelta(seconds=61))
    first = await dispatcher.run({"console": adapter})  # the probe gets through
    second = await dispatcher.run({"console": adapter})  # the rest are due at once
    assert first.sent + second.sent == 6
    assert sorted(adapter.texts()) == sorted(f"Week {n} check-in" for n in range(6))
    assert dispatcher.circuit.state("console") == "up"


def test_sends_failing_in_flight_do_not_lengthen_a_pause() -> None:
    now = [0.0]
    circuit = Circuit(lambda: now[0])
    for _ in range(Circuit.FAILURES_TO_OPEN + 8):  # eight more were in flight when it opened
        circuit.failed("telegram")
    now[0] = Circuit.FIRST_PAUSE + 0.1
    assert circuit.allows("telegram") == 1  # a probe, after the first pause
    assert circuit.allows("telegram") == 0  # one at a time
    circuit.failed("telegram")  # the probe failed: twice as long
    now[0] += Circuit.FIRST_PAUSE * 2 - 0.2
    assert circuit.allows("telegram") == 0
    now[0] += 0.3
    assert circuit.allows("telegram") == 1
    assert circuit.succeeded("telegram") and circuit.state("telegram") == "up"
