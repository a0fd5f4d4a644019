"""One scheduler among several processes: the PostgreSQL advisory lock, and its hand-over.

Each Leadership gets its own engine on the same database, as two `circlebot run` processes would.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduling.leadership import Leadership
from bot.storage.database import create_engine
from tests.conftest import PG_ADMIN_DSN


@pytest.fixture
async def engines(pg_engine: AsyncEngine) -> AsyncIterator[list[AsyncEngine]]:
    url = pg_engine.url.render_as_string(hide_password=False)
    made = [create_engine(url), create_engine(url)]
    try:
        yield made
    finally:
        for engine in made:
            await engine.dispose()


async def test_exactly_one_of_two_processes_leads(
    engines: list[AsyncEngine], caplog: pytest.LogCaptureFixture
) -> None:
    first, second = Leadership(engines[0]), Leadership(engines[1])
    caplog.set_level(logging.INFO, logger="bot.scheduling.leadership")

    assert await first.is_leader() is True
    assert await second.is_leader() is False
    # Asking again changes nothing, however often.
    assert [await first.is_leader() for _ in range(3)] == [True] * 3
    assert [await second.is_leader() for _ in range(3)] == [False] * 3
    assert caplog.messages.count("this process now leads the scheduler") == 1

    await first.release()
    await second.release()


async def test_release_hands_the_lead_to_the_other_on_its_next_try(
    engines: list[AsyncEngine], caplog: pytest.LogCaptureFixture
) -> None:
    first, second = Leadership(engines[0]), Leadership(engines[1])
    caplog.set_level(logging.INFO, logger="bot.scheduling.leadership")
    assert await first.is_leader()
    assert not await second.is_leader()

    await first.release()

    assert await second.is_leader()
    assert not await first.is_leader()  # it may ask again, and now follows
    await second.release()
    await first.release()
    assert "released the scheduler lead" in caplog.messages


async def test_a_killed_connection_loses_the_lead_and_the_other_takes_it(
    engines: list[AsyncEngine], caplog: pytest.LogCaptureFixture
) -> None:
    first, second = Leadership(engines[0]), Leadership(engines[1])
    caplog.set_level(logging.INFO, logger="bot.scheduling.leadership")
    assert await first.is_leader()
    assert not await second.is_leader()
    pid = await backend_pid_of(first)

    # As if the leader's process or its network died: the server ends its session.
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()

    assert await second.is_leader()  # the server released the lock with the session
    assert not await first.is_leader()  # notices the loss
    assert "lost the scheduler lead" in caplog.messages
    assert not await first.is_leader()  # reconnects, and follows
    await second.release()
    assert await first.is_leader()  # and leads again once the lock is free
    await first.release()


async def test_the_lock_connection_holds_no_transaction_open(engines: list[AsyncEngine]) -> None:
    leader = Leadership(engines[0])
    assert await leader.is_leader()
    pid = await backend_pid_of(leader)
    async with engines[1].connect() as connection:
        state = (
            await connection.execute(
                text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            )
        ).scalar()
    assert state == "idle"  # not "idle in transaction": no snapshot pinned while leading
    await leader.release()


async def test_on_sqlite_the_one_process_always_leads(sqlite_engine: AsyncEngine) -> None:
    leadership = Leadership(sqlite_engine)
    assert [await leadership.is_leader() for _ in range(3)] == [True] * 3
    await leadership.release()
    assert await leadership.is_leader()


async def backend_pid_of(leadership: Leadership) -> int:
    connection = leadership._connection
    assert connection is not None
    return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())
