"""Send budgets shared by every process: how fast one platform, one chat, one group may be
written to, counted in API calls, wherever the call is made from.

A budget is a reservation book, the generic cell rate algorithm (GCRA): under each key it keeps
the moment from which the next call may be made. Reserving `calls` calls moves that moment on by
`calls` times the key's interval and tells the caller how long to wait for its turn. Every
reservation is one atomic statement on the shared store, so two processes never take the same
turn: in the database (an upsert on SendBudget, PostgreSQL or SQLite), or in Redis when REDIS_URL
is set (one server-side script). A platform's "retry after" pushes the moment on for everyone.

Times are unix seconds from the wall clock (processes on one database share it), never the
core's clock, which a rehearsal runs fast.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from sqlalchemy import delete, func, literal, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.database import insert_for_dialect
from bot.storage.models import SendBudget

# Keys not used for this long are forgotten (a chat written to once a month keeps no row).
FORGET_AFTER_SECONDS = 600.0


class Budget(Protocol):
    async def reserve(
        self,
        key: str,
        interval: float,
        calls: int = 1,
        max_wait: float = math.inf,
        burst: float = 0.0,
    ) -> float | None:
        """Reserve `calls` turns spaced `interval` seconds apart under `key`: the seconds to wait
        before making them (0 when now), or None, reserving nothing, when that wait would be
        longer than `max_wait`. `burst` seconds of turns may be taken ahead of time (a reply
        in a conversation, where a platform tolerates a short burst)."""
        ...

    async def pause(self, key: str, seconds: float) -> None:
        """No turn under `key` starts sooner than `seconds` from now (a platform's retry-after)."""
        ...

    async def held(self, key: str) -> float:
        """Seconds until the next turn under `key` is free (0: now); reserves nothing."""
        ...

    async def check(self) -> None:
        """Raises BudgetUnavailable when the budget's store cannot be reached now."""
        ...

    async def close(self) -> None: ...


class BudgetUnavailable(ConnectionError):
    """The store the budgets are kept in (Redis) cannot be reached now. A ConnectionError, so
    it reads as an outage, like the database's: an inbound message is then not taken (its
    platform gives it again) and a send waits, rather than either being lost."""


class MemoryBudget:
    """A budget for one process: tests, the console, and a bot with no shared store."""

    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self._now = now
        self._free_at: dict[str, float] = {}

    async def reserve(
        self,
        key: str,
        interval: float,
        calls: int = 1,
        max_wait: float = math.inf,
        burst: float = 0.0,
    ) -> float | None:
        now = self._now()
        free_at = self._free_at.get(key, 0.0)
        start = max(free_at - burst, now)
        if start - now > max_wait:
            return None
        self._free_at[key] = max(free_at, now) + calls * interval
        if len(self._free_at) > 4096:
            self._forget(now)
        return start - now

    async def pause(self, key: str, seconds: float) -> None:
        until = self._now() + seconds
        self._free_at[key] = max(self._free_at.get(key, 0.0), until)

    async def held(self, key: str) -> float:
        return max(0.0, self._free_at.get(key, 0.0) - self._now())

    def _forget(self, now: float) -> None:
        for key in [k for k, free_at in self._free_at.items() if free_at < now]:
            del self._free_at[key]

    async def check(self) -> None:
        return None

    async def close(self) -> None:
        return None


class DatabaseBudget:
    """The budget in the bot's own database: one upsert per reservation."""

    def __init__(self, engine: AsyncEngine, now: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._now = now
        self._insert = insert_for_dialect(engine.dialect.name)
        # PostgreSQL's greatest(), SQLite's two-argument max().
        self._greatest = func.greatest if engine.dialect.name == "postgresql" else func.max
        self._reservations = 0

    async def reserve(
        self,
        key: str,
        interval: float,
        calls: int = 1,
        max_wait: float = math.inf,
        burst: float = 0.0,
    ) -> float | None:
        now = self._now()
        cost = calls * interval
        table = SendBudget.__table__  # type: ignore[attr-defined]
        later = self._greatest(table.c.free_at, literal(now))
        start = self._greatest(table.c.free_at - burst, literal(now))
        statement = self._insert(table).values(key=key, free_at=now + cost)
        statement = statement.on_conflict_do_update(
            index_elements=["key"],
            set_={"free_at": later + cost},
            where=None if math.isinf(max_wait) else start - now <= max_wait,
        ).returning(table.c.free_at)
        async with self._engine.begin() as connection:
            free_at = (await connection.execute(statement)).scalar_one_or_none()
            self._reservations += 1
            if self._reservations % 1000 == 0:
                await connection.execute(
                    delete(table).where(table.c.free_at < now - FORGET_AFTER_SECONDS)
                )
        if free_at is None:
            return None
        # The turn began at the old moment (free_at - cost), less the burst allowed.
        return max(0.0, free_at - cost - burst - now)

    async def pause(self, key: str, seconds: float) -> None:
        until = self._now() + seconds
        table = SendBudget.__table__  # type: ignore[attr-defined]
        statement = (
            self._insert(table)
            .values(key=key, free_at=until)
            .on_conflict_do_update(
                index_elements=["key"],
                set_={"free_at": self._greatest(table.c.free_at, literal(until))},
            )
        )
        async with self._engine.begin() as connection:
            await connection.execute(statement)

    async def held(self, key: str) -> float:
        table = SendBudget.__table__  # type: ignore[attr-defined]
        async with self._engine.connect() as connection:
            free_at = (
                await connection.execute(select(table.c.free_at).where(table.c.key == key))
            ).scalar_one_or_none()
        return 0.0 if free_at is None else max(0.0, free_at - self._now())

    async def check(self) -> None:
        return None  # the database is checked on its own (the health check, the start)

    async def close(self) -> None:
        return None


# KEYS[1]: the key. ARGV: cost (seconds), max wait (seconds, -1: none), pause (seconds, or -1 to
# reserve). Redis's own clock, so every process reads the same time.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local free_at = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost, max_wait, pause = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local ttl, burst = tonumber(ARGV[4]), tonumber(ARGV[5])
if pause >= 0 then
  local paused = math.max(free_at, now + pause)
  redis.call('SET', KEYS[1], tostring(paused), 'PX', math.ceil((paused - now + ttl) * 1000))
  return '0'
end
local start = math.max(free_at - burst, now)
if max_wait >= 0 and start - now > max_wait then return false end
local after = math.max(free_at, now) + cost
redis.call('SET', KEYS[1], tostring(after), 'PX', math.ceil((after - now + ttl) * 1000))
return tostring(start - now)
"""


class RedisBudget:
    """The budget in Redis (REDIS_URL): one script call per reservation; keys expire by
    themselves once unused. `prefix` keeps deployments (and tests) sharing a server apart."""

    def __init__(self, url: str, prefix: str = "circlebot:budget:") -> None:
        from redis.asyncio import Redis  # only when REDIS_URL is set

        self._redis = Redis.from_url(url)
        self._script = self._redis.register_script(_RESERVE)
        self.prefix = prefix

    async def reserve(
        self,
        key: str,
        interval: float,
        calls: int = 1,
        max_wait: float = math.inf,
        burst: float = 0.0,
    ) -> float | None:
        wait = -1.0 if math.isinf(max_wait) else max_wait
        args = [calls * interval, wait, -1, FORGET_AFTER_SECONDS, burst]
        with _reaching_redis():
            answer = await self._script(keys=[self.prefix + key], args=args)
        return None if answer is None else float(answer)

    async def pause(self, key: str, seconds: float) -> None:
        args = [0, -1, seconds, FORGET_AFTER_SECONDS, 0]
        with _reaching_redis():
            await self._script(keys=[self.prefix + key], args=args)

    async def held(self, key: str) -> float:
        with _reaching_redis():
            free_at, now = await asyncio.gather(
                self._redis.get(self.prefix + key), self._redis.time()
            )
        if free_at is None:
            return 0.0
        return max(0.0, float(free_at) - (now[0] + now[1] / 1_000_000))

    async def check(self) -> None:
        with _reaching_redis():
            await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()


@contextmanager
def _reaching_redis() -> Iterator[None]:
    """Redis down, or too slow, as BudgetUnavailable: redis-py's own errors are no
    ConnectionError, and would read as a failure of the message being handled."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    try:
        yield
    except (RedisConnectionError, RedisTimeoutError) as error:
        raise BudgetUnavailable(f"Redis: {error}") from error


async def wait_for(budget: Budget, key: str, interval: float, calls: int = 1) -> None:
    """Reserve and wait for the turn."""
    wait = await budget.reserve(key, interval, calls)
    if wait:
        await asyncio.sleep(wait)
