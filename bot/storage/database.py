"""The async engine and sessions for SQLite (default, WAL) or PostgreSQL (asyncpg)."""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import SQLModel
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


# One statement on SQLite, run in the connection's thread: (rows, description, rowcount,
# lastrowid, whether a transaction is open after it).
_Ran = tuple[list[Any], Any, int, int | None, bool]


def _run_statement(
    connection: sqlite3.Connection, sql: str, parameters: Any, many: bool = False
) -> _Ran:
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        open_now = connection.in_transaction
        return rows, cursor.description, cursor.rowcount, cursor.lastrowid, open_now
    finally:
        cursor.close()


class _OneTripCursor:
    """A cursor whose statement is run, its rows fetched and the cursor closed in one trip to
    the connection's thread. aiosqlite's own takes four (cursor, execute, fetchall, close): a
    thread handoff each, most of what a short statement costs (issue 18)."""

    arraysize = 1

    def __init__(self, connection: _OneTripConnection) -> None:
        self._connection = connection
        self._rows: deque[Any] = deque()
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> _OneTripCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Any = ()) -> _OneTripCursor:
        return await self._run(sql, parameters, many=False)

    async def executemany(self, sql: str, parameters: Sequence[Any]) -> _OneTripCursor:
        return await self._run(sql, parameters, many=True)

    async def _run(self, sql: str, parameters: Any, many: bool) -> _OneTripCursor:
        connection = self._connection
        try:
            ran: _Ran = await connection._execute(
                _run_statement, connection._conn, sql, parameters, many
            )
        except BaseException:
            connection.transaction_open = None  # unknown now: commit and rollback go to SQLite
            raise
        rows, self.description, self.rowcount, self.lastrowid, connection.transaction_open = ran
        self._rows = deque(rows)
        return self

    async def fetchone(self) -> Any:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = min(len(self._rows), size or self.arraysize)
        return [self._rows.popleft() for _ in range(count)]

    async def fetchall(self) -> list[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        self._rows.clear()


class _OneTripConnection(aiosqlite.Connection):
    """aiosqlite's connection with one-trip cursors, and a commit or rollback with no
    transaction open skipped: SQLite's own does nothing then, yet it would cost a trip to the
    thread (the pool rolls back every connection it gets back)."""

    # Whether a transaction is open after the last statement; None: not known.
    transaction_open: bool | None = None

    def cursor(self) -> _OneTripCursor:  # type: ignore[override]
        return _OneTripCursor(self)

    async def commit(self) -> None:
        if self.transaction_open is not False:
            self.transaction_open = None
            await super().commit()
            self.transaction_open = False

    async def rollback(self) -> None:
        if self.transaction_open is not False:
            self.transaction_open = None
            await super().rollback()
            self.transaction_open = False


def _one_trip_connect(database: str, **kwargs: Any) -> _OneTripConnection:
    """What aiosqlite.connect makes, with one-trip cursors (the SQLite dialect's
    async_creator_fn)."""
    connection = _OneTripConnection(lambda: sqlite3.connect(database, **kwargs), 64)
    connection._thread.daemon = True  # as the dialect sets it for aiosqlite's own
    return connection


def _one_trip_connections(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
    params["async_creator_fn"] = _one_trip_connect


def create_engine(url: str) -> AsyncEngine:
    # A statement's values are people's numbers, names and words: never in an error's text
    # (which reaches the logs), nor in aiosqlite's DEBUG trace of every statement.
    url = async_url(url)
    # A ping before each use finds a PostgreSQL connection the server dropped; SQLite's are
    # never dropped, and the ping would cost a statement per transaction.
    on_sqlite = make_url(url).get_backend_name() == "sqlite"
    engine = create_async_engine(url, pool_pre_ping=not on_sqlite, hide_parameters=True)
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "do_connect", _one_trip_connections)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def insert_for(session: AsyncSession) -> Callable[[Table], Any]:
    """The back end's INSERT, which knows ON CONFLICT (PostgreSQL's or SQLite's)."""
    return insert_for_dialect(session.get_bind().dialect.name)


def insert_for_dialect(dialect: str) -> Callable[[Table], Any]:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


# insert_if_absent's statements, by back end, table and conflict columns: built once, as
# building one (and its cache key) costs more than SQLite takes to run it.
_IF_ABSENT: dict[tuple[str, str, tuple[str, ...]], Any] = {}


async def insert_if_absent(
    session: AsyncSession, table: Table, values: dict[str, Any], unique: list[str]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING on either back end. True when a row was inserted.
    `values` are plain values (bound as the statement's parameters)."""
    dialect = session.get_bind().dialect.name
    key = (dialect, table.name, tuple(unique))
    statement = _IF_ABSENT.get(key)
    if statement is None:
        insert = insert_for_dialect(dialect)(table)
        statement = _IF_ABSENT[key] = insert.on_conflict_do_nothing(index_elements=unique)
    result = await session.exec(statement, params=values)
    return bool(result.rowcount)


# insert_row's statements, by table: built once.
_INSERTS: dict[str, Any] = {}
_Row = TypeVar("_Row", bound=SQLModel)


async def insert_row(session: AsyncSession, row: _Row) -> _Row:
    """`row` (a new one, its id unset) stored with a plain INSERT, then in the session as if it
    had been read, so that later changes to it are saved as usual. A flush of the session's
    unit of work costs a third more for one row (issue 18)."""
    table = type(row).__table__  # type: ignore[attr-defined]
    statement = _INSERTS.get(table.name)
    if statement is None:
        statement = _INSERTS[table.name] = table.insert()
    result = await session.exec(statement, params=row.model_dump(exclude={"id"}))
    key = result.inserted_primary_key
    assert key is not None
    row.id = key[0]
    make_transient_to_detached(row)
    session.add(row)
    return row


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
