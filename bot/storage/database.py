"""The async engine and sessions for SQLite (default, WAL) or PostgreSQL (asyncpg)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.instrumentation import manager_of_class
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
    # WAL lets the web process read while the worker writes (how long a statement waits out
    # a writer is the connection's own: see BUSY_WAIT_MS).
    cursor.execute("PRAGMA journal_mode=WAL")
    # SQLite's advice for WAL: still consistent after a crash; a power cut may lose the last
    # commits, not corrupt the file. Saves an fsync per message.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# How long a statement run in the connection's thread waits out another writer's lock, in ms.
# One run inline (inline_statements) never waits: it fails at once and goes to the thread.
BUSY_WAIT_MS = 5000
# SQLite's primary result code for a lock held elsewhere (its extended codes keep it in the
# low byte: BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT).
_SQLITE_BUSY = 5
# Whether this task's SQLite statements run in the event loop's own thread.
_INLINE: ContextVar[bool] = ContextVar("sqlite_inline", default=False)


@contextmanager
def inline_statements() -> Iterator[None]:
    """Within, SQLite statements (and commits and rollbacks) run in the event loop's thread,
    not the connection's: for a short one the handoff to that thread and back costs more than
    SQLite takes (issue 18: a fifth of an inbound message's CPU). One that would wait for
    another writer's lock fails at once instead, and runs again in the connection's thread,
    waiting there as long as ever: the loop is never held up by a lock. For a message's short
    statements, not the tick's bulk ones. PostgreSQL's are untouched."""
    token = _INLINE.set(True)
    try:
        yield
    finally:
        _INLINE.reset(token)


def _busy(error: sqlite3.OperationalError) -> bool:
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) == _SQLITE_BUSY


# One statement on SQLite: (rows, description, rowcount, lastrowid, whether a transaction is
# open after it).
_Ran = tuple[list[Any], Any, int, int | None, bool]


def _run_statement(
    connection: sqlite3.Connection,
    sql: str,
    parameters: Any,
    many: bool = False,
    busy_ms: int | None = None,
) -> _Ran:
    """Run in either thread; `busy_ms`, when given, sets how long it waits out a lock."""
    if busy_ms is not None:
        connection.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
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
            ran: _Ran
            if connection.inline():
                try:
                    ran = connection.run_inline(sql, parameters, many)
                except sqlite3.OperationalError as error:
                    if not _busy(error):
                        raise
                    # Another writer holds the lock: wait for it in the thread, not here.
                    ran = await connection.run_waiting(sql, parameters, many)
            else:
                ran = await connection.run_waiting(sql, parameters, many)
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
    # SQLite's busy timeout on the connection now, in ms: 0 for statements run inline,
    # BUSY_WAIT_MS for those in the thread (None: not known yet).
    busy_ms: int | None = None
    # Whether a use sent to the thread may still be under way there: its awaiting was
    # cancelled. Until one ends there, every use goes there too, after it, in order.
    thread_busy = False

    def inline(self) -> bool:
        """Whether the next use runs in the event loop's thread (inline_statements)."""
        return _INLINE.get() and not self.thread_busy

    async def _in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        self.thread_busy = True
        try:
            result = await self._execute(function, *args)
        except asyncio.CancelledError:
            raise  # it may still run there: thread_busy stays set
        except BaseException:
            self.thread_busy = False  # it ended there, with an error
            raise
        self.thread_busy = False
        return result

    def cursor(self) -> _OneTripCursor:  # type: ignore[override]
        return _OneTripCursor(self)

    def run_inline(self, sql: str, parameters: Any, many: bool) -> _Ran:
        """A statement in the event loop's thread (inline_statements), waiting for no lock:
        no other use of the connection is under way, as each is awaited before the next."""
        busy_ms = None if self.busy_ms == 0 else 0
        self.busy_ms = None  # not known until it has run
        ran = _run_statement(self._conn, sql, parameters, many, busy_ms)
        self.busy_ms = 0
        return ran

    async def run_waiting(self, sql: str, parameters: Any, many: bool) -> _Ran:
        """A statement in the connection's thread, waiting out another writer's lock."""
        busy_ms = None if self.busy_ms == BUSY_WAIT_MS else BUSY_WAIT_MS
        self.busy_ms = None  # not known until it has run
        ran: _Ran = await self._in_thread(
            _run_statement, self._conn, sql, parameters, many, busy_ms
        )
        self.busy_ms = BUSY_WAIT_MS
        return ran

    async def commit(self) -> None:
        if self.transaction_open is not False:
            self.transaction_open = None
            if not (self.inline() and self._ended_inline(self._conn.commit)):
                busy_ms = None if self.busy_ms == BUSY_WAIT_MS else BUSY_WAIT_MS
                self.busy_ms = None  # not known until it has run
                await self._in_thread(_commit_waiting, self._conn, busy_ms)
                self.busy_ms = BUSY_WAIT_MS
            self.transaction_open = False

    async def rollback(self) -> None:
        if self.transaction_open is not False:
            self.transaction_open = None
            if not (self.inline() and self._ended_inline(self._conn.rollback)):
                await self._in_thread(self._conn.rollback)
            self.transaction_open = False

    def _ended_inline(self, end: Callable[[], None]) -> bool:
        """A commit or rollback run inline; False when it would have waited for a lock (it is
        then done in the thread)."""
        if self.busy_ms != 0:
            self.busy_ms = None  # not known until it has run
            self._conn.execute("PRAGMA busy_timeout=0")
            self.busy_ms = 0
        try:
            end()
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
            return False
        return True


def _commit_waiting(connection: sqlite3.Connection, busy_ms: int | None) -> None:
    if busy_ms is not None:
        connection.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    connection.commit()


def _one_trip_connect(database: str, **kwargs: Any) -> _OneTripConnection:
    """What aiosqlite.connect makes, with one-trip cursors (the SQLite dialect's
    async_creator_fn)."""
    # Used from the event loop's thread too (inline_statements), one use at a time.
    kwargs["check_same_thread"] = False
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


@asynccontextmanager
async def reading(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncConnection]:
    """A connection of the sessions' engine, for Core reads that need no session: `async with
    reading(sessions) as connection`. A session around them costs a tenth of a millisecond
    more (issue 18: the dispatcher's look at the outbox after every message)."""
    engine = sessions.kw["bind"]
    assert isinstance(engine, AsyncEngine)
    connection = await engine.connect().start()
    try:
        yield connection
    finally:
        await close_now(connection)


async def close_now(resource: AsyncSession | AsyncConnection) -> None:
    """`resource.close()`, as leaving `async with resource` does, without the task it starts
    for it where the close waits for nothing (SQLite's, in the loop's thread: see
    inline_statements): that task and its turns of the loop cost a third of an empty
    session's open and close (issue 18). A close that does wait (PostgreSQL's) goes on in a
    shielded task as SQLAlchemy's does, so that a cancellation cannot cut it short."""
    closing = resource.close()
    try:
        waiting_for = closing.send(None)
    except StopIteration:
        return
    await asyncio.shield(asyncio.ensure_future(_go_on(closing, waiting_for)))


async def _go_on(started: Coroutine[Any, Any, None], waiting_for: Any) -> None:
    """The rest of a coroutine run up to its first wait (`waiting_for`, what it yielded)."""
    await _Rest(started, waiting_for)


class _Rest:
    """Awaits the rest of a started coroutine: what it yields goes to the task running this,
    what the task sends or throws back goes to it (as `await` does from its first step)."""

    def __init__(self, started: Coroutine[Any, Any, None], waiting_for: Any) -> None:
        self.started, self.waiting_for = started, waiting_for

    def __await__(self) -> Generator[Any, Any, None]:
        started, waiting_for = self.started, self.waiting_for
        while True:
            try:
                sent = yield waiting_for
            except BaseException as error:
                step = partial(started.throw, error)
            else:
                step = partial(started.send, sent)
            try:
                waiting_for = step()
            except StopIteration:
                return


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


def forget_deleted(session: AsyncSession, model: type[SQLModel], **values: Any) -> None:
    """After a DELETE on `model`'s table of the rows with these values, the session's copies of
    them leave it, as the ORM's own DELETE would have taken them out: none is written back. For
    a DELETE built once with bound values, which the ORM cannot match against its rows."""
    for held in list(session.sync_session.identity_map.values()):
        if isinstance(held, model) and all(getattr(held, k) == v for k, v in values.items()):
            session.expunge(held)


_Row = TypeVar("_Row", bound=SQLModel)
# new_row's defaults by model: the fields' own, and the factories of those made for each row.
_DEFAULTS: dict[type[SQLModel], tuple[dict[str, Any], dict[str, Callable[[], Any]]]] = {}


def new_row(model: type[_Row], **values: Any) -> _Row:
    """A new row of `model` (not yet in a session) with these values and its fields' defaults,
    built as the ORM builds a row it reads, not through the model's constructor: that sets
    each attribute through pydantic and SQLAlchemy's events, 0.1-0.25 ms a row (issue 18). It
    checks no more than the constructor does: the values are the code's own."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        fixed: dict[str, Any] = {}
        made: dict[str, Callable[[], Any]] = {}
        for name, field in model.model_fields.items():
            if field.default_factory is not None:
                made[name] = field.default_factory  # type: ignore[assignment]
            elif not field.is_required():
                fixed[name] = field.default
        defaults = _DEFAULTS[model] = (fixed, made)
    unknown = values.keys() - model.model_fields.keys()
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    fixed, made = defaults
    row: _Row = manager_of_class(model).new_instance()
    data = row.__dict__
    data.update(fixed)  # None, numbers, words, enums: nothing a row could change in place
    for name, factory in made.items():
        if name not in values:
            data[name] = factory()
    data.update(values)
    return row


# insert_row's statements, by table: built once.
_INSERTS: dict[str, Any] = {}


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
    session.info.setdefault(_CREATED, set()).add((table.name, key[0]))
    return row


# Where a session keeps the rows insert_row created in it, as (table, id).
_CREATED = "created_rows"


def created_here(session: AsyncSession, model: type[SQLModel], row_id: int | None) -> bool:
    """Whether the row `row_id` of `model` was created in this session (insert_row): nothing
    refers to it yet but what the session wrote since, so a statement that looks only for
    older rows about it can be left out (issue 18: five of a first /join's 21 find nothing)."""
    table = model.__table__.name  # type: ignore[attr-defined]
    return (table, row_id) in session.info.get(_CREATED, ())


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
