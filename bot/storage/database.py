"""The async engine and sessions for SQLite (default, WAL) or PostgreSQL (asyncpg)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession


def async_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, sqlite:///...) and pick the async drivers."""
    if url.startswith("postgres://"):  # Heroku-style
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    else:
        raise ValueError(f"unsupported database: {backend}")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web process read while the worker writes; the timeout waits out a writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # SQLite's advice for WAL: still consistent after a crash; a power cut may lose the last
    # commits, not corrupt the file. Saves an fsync per message.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    # A statement's values are people's numbers, names and words: never in an error's text
    # (which reaches the logs), nor in aiosqlite's DEBUG trace of every statement.
    engine = create_async_engine(async_url(url), pool_pre_ping=True, hide_parameters=True)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def insert_for(session: AsyncSession) -> Callable[[Table], Any]:
    """The back end's INSERT, which knows ON CONFLICT (PostgreSQL's or SQLite's)."""
    return insert_for_dialect(session.get_bind().dialect.name)


def insert_for_dialect(dialect: str) -> Callable[[Table], Any]:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


async def insert_if_absent(
    session: AsyncSession, table: Table, values: dict[str, Any], unique: list[str]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING on either back end. True when a row was inserted."""
    insert = insert_for(session)
    statement = insert(table).values(**values).on_conflict_do_nothing(index_elements=unique)
    result = await session.exec(statement)
    return bool(result.rowcount)


# PostgreSQL's SQLSTATEs for a server that cannot take us now: connection exceptions (08...),
# too many connections, shutting down or starting up, and a database closed to connections.
_UNAVAILABLE_STATES = ("08", "53300", "57P01", "57P02", "57P03", "55000")


def unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached or used right now (down, restarting,
    locked by another writer, out of connections) rather than that a statement was wrong."""
    if isinstance(error, OperationalError | InterfaceError | OSError | TimeoutError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    state = str(getattr(error.orig, "sqlstate", "") or "")
    return error.connection_invalidated or state.startswith(_UNAVAILABLE_STATES)
