"""Which process schedules: the holder of a PostgreSQL advisory lock.

Several `circlebot run` processes may share one PostgreSQL database. Each asks `is_leader()`
before its tick; only the one holding the session-level advisory lock says yes. The lock lives on
one dedicated connection, so it goes when that process dies (the server sees the socket close)
and another process takes it on its next try. Two leaders overlapping for a moment (a lost
connection noticed late) is harmless: the tick locks its mark row and outbox keys are unique.

SQLite is one process per file: that process always leads.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# A constant bigint derived from a name, so every version of the bot agrees on it and it is
# unlikely to collide with another application's advisory locks in a shared database.
SCHEDULER_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"circlebot-scheduler").digest()[:8], "big", signed=True
)
# A leader whose connection does not answer within this long counts as having lost the lead.
CHECK_TIMEOUT_SECONDS = 10.0


class Leadership:
    """Whether this process leads the scheduler. Keep one per process; `release()` at exit."""

    def __init__(
        self, engine: AsyncEngine, key: int = SCHEDULER_LOCK_KEY, name: str = "scheduler"
    ) -> None:
        self.engine = engine
        self.key = key
        self.name = name  # what is led, for the log: "scheduler", "Telegram polling"
        self._connection: AsyncConnection | None = None
        self._leading = False
        self._lock = asyncio.Lock()  # one check at a time, even if callers overlap

    @property
    def uses_lock(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    async def is_leader(self) -> bool:
        """True when this process leads: tries to take the lead if it does not, and checks the
        lock's connection is still there if it does. Never raises for a database failure."""
        if not self.uses_lock:
            if not self._leading:
                self._leading = True
                log.info("this process now leads the %s (one process per SQLite file)", self.name)
            return True
        async with self._lock:
            if self._leading:
                if await self._alive():
                    return True
                self._leading = False
                log.info("lost the %s lead", self.name)
                await self._drop()
                return False  # reconnect on the next call, not in a tight loop now
            if await self._try_lock():
                self._leading = True
                log.info("this process now leads the %s", self.name)
            return self._leading

    async def release(self) -> None:
        """Give the lead up (at shutdown), so another process takes it at once."""
        async with self._lock:
            if self._connection is not None and self._leading:
                try:
                    async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                        await self._connection.execute(
                            text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}
                        )
                except Exception as error:  # closing the connection below releases it anyway
                    log.warning("could not unlock the %s lead: %s", self.name, error)
            if self._leading and self.uses_lock:
                log.info("released the %s lead", self.name)
            self._leading = False
            await self._drop()

    async def _try_lock(self) -> bool:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                if self._connection is None:
                    connection = await self.engine.connect()
                    # Autocommit: the connection holds a lock, never an open transaction (which
                    # would pin a snapshot and could be killed by idle-in-transaction timeouts).
                    self._connection = await connection.execution_options(
                        isolation_level="AUTOCOMMIT"
                    )
                result = await self._connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
                )
                return bool(result.scalar())
        except Exception as error:  # the database is away: not leading; retry next time
            log.warning("cannot reach the database to take the %s lead: %s", self.name, error)
            await self._drop()
            return False

    async def _alive(self) -> bool:
        assert self._connection is not None
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                await self._connection.execute(text("SELECT 1"))
        except Exception as error:
            log.warning("the %s lead's connection failed: %s", self.name, error)
            return False
        return True

    async def _drop(self) -> None:
        """Close the lock's connection for good. It never goes back to the pool: a pooled
        connection must not carry a session-level lock into someone else's session."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            await connection.invalidate()
            await connection.close()
        except Exception as error:  # already broken: nothing more to release
            log.debug("closing the %s lead's connection: %s", self.name, error)
