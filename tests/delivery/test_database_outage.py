"""The database locked (SQLite, another writer holding it) or gone (PostgreSQL closed to the
bot) while messages come and go: an inbound message is not consumed but handled once the
database is back, and a send whose outcome could not be recorded is neither lost nor sent
twice."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.contract import Unavailable
from bot.chat.messages import Address, Capabilities, Inbound, Outbound, Receipt
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.budget import MemoryBudget
from bot.delivery.outbox import OutboxKey
from bot.storage.models import InboundReceipt, OutboxMessage, OutboxStatus
from tests.conftest import PG_ADMIN_DSN
from tests.database import open_session
from tests.platforms import PLATFORMS


@contextmanager
def locked(database: Path) -> Iterator[None]:
    """Another process writing: it holds SQLite's write lock until the block ends."""
    other = sqlite3.connect(database, timeout=0, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@dataclass
class Console:
    platform: str = "console"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4000))
    sent: list[Outbound] = field(default_factory=list)
    lock_after_send: Path | None = None
    _held: sqlite3.Connection | None = None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        self.sent.append(message)
        if self.lock_after_send is not None:
            # The platform took it; now the database is locked before it can be recorded.
            self._held = sqlite3.connect(self.lock_after_send, timeout=0, isolation_level=None)
            self._held.execute("BEGIN EXCLUSIVE")
            self.lock_after_send = None
        return Receipt(platform_message_id=str(len(self.sent)))

    def unlock(self) -> None:
        assert self._held is not None
        self._held.execute("ROLLBACK")
        self._held.close()
        self._held = None


@pytest.fixture
def database(sqlite_engine: AsyncEngine) -> Path:
    path = sqlite_engine.url.database
    assert path is not None
    return Path(path)


async def test_an_inbound_message_during_a_lock_is_handled_after_it(
    sqlite_engine: AsyncEngine, clock: FakeClock, database: Path
) -> None:
    core = Core(sqlite_engine, clock, random.Random(1), platforms=PLATFORMS)
    console = Console()
    hello = Inbound("console", "amina", "amina", "m-1", "/start", display_name="Amina")
    with locked(database), pytest.raises(Unavailable):
        await core.answer(hello, console)  # not consumed: no apology, nothing stored
    assert console.sent == []
    async with open_session(core) as session:
        assert await session.get(InboundReceipt, 1) is None

    await core.answer(hello, console)  # the platform gives it again: handled now, once
    await core.answer(hello, console)
    assert len(console.sent) == 1 and "circlebot" in console.sent[0].text
    await core.close()


async def test_a_send_whose_record_meets_a_lock_is_recorded_after_and_never_repeated(
    sqlite_engine: AsyncEngine, clock: FakeClock, database: Path
) -> None:
    core = Core(sqlite_engine, clock, random.Random(1), platforms=PLATFORMS)

    async with open_session(core) as session, session.begin():
        for n in range(2):
            key = OutboxKey("reminder", "meeting:1", f"person:{n}")
            message = Outbound(Address("console", f"learner-{n}"), f"Meeting tomorrow {n}")
            due = clock.now() + timedelta(minutes=n)  # the second a minute later
            await outbox.enqueue(session, key, message, "en", clock.now(), due)
    console = Console(lock_after_send=database)
    await core.dispatch({"console": console})  # sent; its record meets the lock
    assert len(console.sent) == 1 and core.unrecorded == 1
    clock.advance(timedelta(minutes=1))
    assert await core.dispatch({"console": console}) == 0  # still locked: nothing new goes
    assert len(console.sent) == 1
    console.unlock()

    await core.dispatch({"console": console})  # the kept outcome first, then the rest
    await core.dispatch({"console": console})
    assert core.unrecorded == 0
    assert [m.text for m in console.sent] == ["Meeting tomorrow 0", "Meeting tomorrow 1"]
    async with open_session(core) as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert [(row.status, row.attempts) for row in rows] == [(OutboxStatus.SENT, 1)] * 2
    await core.close()


@dataclass
class PostgresOutage:
    """PostgreSQL closed to the bot's database: every session cut, no new one let in."""

    name: str

    async def begin(self) -> None:
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await admin.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                self.name,
            )
        finally:
            await admin.close()

    async def end(self) -> None:
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await admin.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
        finally:
            await admin.close()


@dataclass
class CutsTheDatabase:
    """A platform that takes the message, after which the database goes away."""

    outage: PostgresOutage
    platform: str = "console"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4000))
    sent: list[Outbound] = field(default_factory=list)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        self.sent.append(message)
        if len(self.sent) == 1:
            await self.outage.begin()
        return Receipt(platform_message_id=str(len(self.sent)))


async def test_postgresql_stopping_mid_dispatch_loses_nothing_and_repeats_nothing(
    pg_engine: AsyncEngine, clock: FakeClock
) -> None:
    assert pg_engine.url.database is not None
    outage = PostgresOutage(pg_engine.url.database)
    core = Core(pg_engine, clock, random.Random(1), platforms=PLATFORMS, budget=MemoryBudget())
    async with open_session(core) as session, session.begin():
        for n in range(2):
            key = OutboxKey("reminder", "meeting:1", f"person:{n}")
            message = Outbound(Address("console", f"learner-{n}"), f"Meeting tomorrow {n}")
            due = clock.now() + timedelta(minutes=n)
            await outbox.enqueue(session, key, message, "en", clock.now(), due)
    platform = CutsTheDatabase(outage)
    try:
        await core.dispatch({"console": platform})  # sent, then the database went away
        assert len(platform.sent) == 1 and core.unrecorded == 1
        clock.advance(timedelta(minutes=1))
        assert await core.dispatch({"console": platform}) == 0
        hello = Inbound("console", "amina", "amina", "m-1", "/start", display_name="Amina")
        with pytest.raises(Unavailable):
            await core.answer(hello, platform)
    finally:
        await outage.end()

    await core.dispatch({"console": platform})
    await core.dispatch({"console": platform})
    await core.answer(hello, platform)  # given again once the database is back: handled once
    await core.answer(hello, platform)
    assert core.unrecorded == 0
    texts = [m.text for m in platform.sent]
    assert texts[:2] == ["Meeting tomorrow 0", "Meeting tomorrow 1"]
    assert len(texts) == 3 and "circlebot" in texts[2]
    async with open_session(core) as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert all((row.status, row.attempts) == (OutboxStatus.SENT, 1) for row in rows)
    await core.close()
