"""Send budgets shared by every process: in the database (SQLite, PostgreSQL) or in Redis, a
turn is never given twice, turns are spaced by the rate, and a platform's pause holds for all."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.delivery.budget import Budget, DatabaseBudget, MemoryBudget, RedisBudget

REDIS_URL = "redis://127.0.0.1:6379/0"


async def _forget(budget: RedisBudget) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS_URL)
    keys = [key async for key in redis.scan_iter(budget.prefix + "*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


@pytest.fixture(params=["memory", "database", "redis"])
async def budget(request: pytest.FixtureRequest, any_engine: AsyncEngine) -> AsyncIterator[Budget]:
    # A clock that stands still: these tests show how turns are booked, not how long a busy
    # machine took between two calls (a stall of half a second made them fail in CI). Redis
    # reads its own clock.
    if request.param == "memory":
        yield MemoryBudget(now=lambda: 1000.0)
    elif request.param == "database":
        yield DatabaseBudget(any_engine, now=lambda: 1000.0)
    else:
        # The server on this machine, under a key prefix of the test's own, removed after.
        redis = RedisBudget(REDIS_URL, prefix=f"circlebot-test:{uuid.uuid4().hex[:8]}:")
        try:
            yield redis
        finally:
            await _forget(redis)
            await redis.close()


async def test_turns_are_spaced_by_the_interval_and_counted_in_calls(budget: Budget) -> None:
    waits = [await budget.reserve("telegram", 0.1) for _ in range(3)]
    assert waits[0] == pytest.approx(0, abs=0.05)
    assert waits[1] == pytest.approx(0.1, abs=0.05)
    assert waits[2] == pytest.approx(0.2, abs=0.05)
    # A text and its file: two calls, so the next turn is two intervals on.
    await budget.reserve("telegram", 0.1, calls=2)
    assert await budget.reserve("telegram", 0.1) == pytest.approx(0.5, abs=0.05)
    assert await budget.reserve("telegram:chat:7", 1.0) == pytest.approx(0, abs=0.05)


async def test_a_turn_too_far_off_is_not_taken(budget: Budget) -> None:
    await budget.reserve("sms", 1.0)
    assert await budget.reserve("sms", 1.0, max_wait=0.5) is None
    # Nothing was reserved by the refusal: the next turn is still one interval on.
    assert await budget.reserve("sms", 1.0) == pytest.approx(1.0, abs=0.05)


async def test_a_pause_holds_every_turn_and_never_shortens_one(budget: Budget) -> None:
    await budget.pause("discord", 2.0)
    assert await budget.reserve("discord", 0.0) == pytest.approx(2.0, abs=0.1)
    await budget.pause("discord", 0.5)  # shorter than what is booked: changes nothing
    assert await budget.reserve("discord", 0.0) == pytest.approx(2.0, abs=0.1)
    assert await budget.reserve("discord", 0.0, max_wait=1.0) is None


async def test_two_processes_on_one_database_never_share_a_turn(pg_engine: AsyncEngine) -> None:
    """Two budgets on one database (two processes' books) reserving at once, on a clock that
    stands still: the turns handed out are one interval apart, each given once."""
    books = [DatabaseBudget(pg_engine, now=lambda: 1000.0) for _ in range(2)]
    waits = await asyncio.gather(*(books[n % 2].reserve("telegram", 0.05) for n in range(30)))
    assert sorted(w for w in waits if w is not None) == pytest.approx([n * 0.05 for n in range(30)])


async def test_two_processes_on_one_redis_never_share_a_turn() -> None:
    """The same with Redis, which reads its own clock: turns at least half an interval apart
    however the calls' latency falls."""
    prefix = f"circlebot-test:{uuid.uuid4().hex[:8]}:"
    books = [RedisBudget(REDIS_URL, prefix=prefix), RedisBudget(REDIS_URL, prefix=prefix)]
    interval = 0.1

    async def turn(book: RedisBudget) -> float:
        wait = await book.reserve("telegram", interval)
        assert wait is not None
        return time.time() + wait  # when this turn starts, give or take the call's latency

    try:
        starts = sorted(await asyncio.gather(*(turn(books[n % 2]) for n in range(20))))
    finally:
        await _forget(books[0])
        for book in books:
            await book.close()
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) > interval * 0.5, gaps
    assert starts[-1] - starts[0] >= 19 * interval * 0.9


async def test_a_burst_may_run_ahead_of_the_rate_then_waits(budget: Budget) -> None:
    waits = [await budget.reserve("telegram:chat:7", 1.0, burst=2.0) for _ in range(4)]
    assert waits[:3] == [pytest.approx(0, abs=0.05)] * 3
    assert waits[3] == pytest.approx(1.0, abs=0.05)
    # Without the burst, the same chat waits its turns in full.
    assert await budget.reserve("telegram:chat:7", 1.0) == pytest.approx(4.0, abs=0.05)
