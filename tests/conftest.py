"""Shared fixtures: a fake clock, migrated databases (SQLite, and PostgreSQL when reachable),
a Core, and a Chat driver that talks to the router as named people."""

from __future__ import annotations

import asyncio
import gc
import os
import random
import shutil
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Capabilities, Inbound, Outbound, Receipt
from bot.circles.circles import CircleDraft
from bot.core import Core
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import OutboxMessage
from locales import LOCALES_DIR
from tests.adapters.platforms.fake_sms import FakeAfricasTalking, FakeTwilio
from tests.database import open_session
from tests.platforms import PLATFORMS

# Tuesday 20 October 2026: 10:00 in Detroit (EDT), 17:00 in Nairobi.
T0 = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)

PG_ADMIN_DSN = os.environ.get("CIRCLEBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")

# Where Python writes no bytecode (PYTHONDONTWRITEBYTECODE), every `circlebot` process a test
# starts, and every test worker, compiled the whole program again: a few tenths of a second of
# CPU each, some hundred starts a run. They keep it in a cache outside the working tree instead
# (checked against the sources' modification times, as any bytecode is).
if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    os.environ["PYTHONPYCACHEPREFIX"] = str(
        Path(tempfile.gettempdir()) / f"circlebot-pycache-{os.getuid()}"
    )


# Python's cyclic garbage collector walked every object a test worker holds (modules, the
# engines' compiled statements, pytest's own) some 1,600 times a file of 100 tests: a tenth of
# the worker's CPU. Collecting the youngest generation after 100,000 new objects rather than
# 700 leaves a third of those walks (tests/rhythm/test_rhythm.py: 1.97 s of collecting, then
# 0.72 s). Freezing what collection leaves (gc.freeze) saved little more and made Hypothesis
# warn that trio's random generator might be collected.
def pytest_configure(config: pytest.Config) -> None:
    gc.set_threshold(100_000, 50, 100)


def circlebot_command() -> list[str]:
    """The installed `circlebot` script (or the same entry point through this interpreter)."""
    script = Path(sys.executable).with_name("circlebot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from adapters.shell.cli import main; main()"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(T0)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file with every migration applied, made once per run: each test gets a copy
    (migrating anew takes a quarter of a second, hundreds of times over)."""
    template = tmp_path_factory.mktemp("template") / "test.db"

    async def migrate() -> None:
        engine = create_engine(f"sqlite:///{template}")
        await upgrade(engine)
        async with engine.connect() as connection:  # everything into the main file
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        await engine.dispose()

    asyncio.run(migrate())
    return template


@pytest.fixture(scope="session")
def sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this worker's tests keep their SQLite database, each test a fresh copy."""
    return tmp_path_factory.mktemp("sqlite") / "test.db"


@pytest.fixture(scope="session")
def sqlite_engine_kept(sqlite_file: Path) -> AsyncEngine:
    """One engine for the worker's SQLite tests: SQLAlchemy keeps its compiled statements per
    engine, and compiling them anew in every test was about a fifth of the suite's time. Its
    connections are closed between tests (sqlite_engine), so nothing else carries over."""
    return create_engine(f"sqlite:///{sqlite_file}")


@pytest.fixture
async def sqlite_engine(
    sqlite_file: Path, migrated_sqlite: Path, sqlite_engine_kept: AsyncEngine
) -> AsyncIterator[AsyncEngine]:
    engine = sqlite_engine_kept
    await engine.dispose()  # the last test's connections, to the file it had
    for leftover in (
        sqlite_file,
        *(sqlite_file.with_name(sqlite_file.name + x) for x in ("-wal", "-shm")),
    ):
        leftover.unlink(missing_ok=True)
    # A new file, not the old one overwritten: a connection a test left open writes to its own.
    fresh = sqlite_file.with_name("fresh.db")
    shutil.copyfile(migrated_sqlite, fresh)
    os.replace(fresh, sqlite_file)
    yield engine
    await engine.dispose()


async def _pg_reachable() -> str | None:
    try:
        connection = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
    except (OSError, asyncpg.PostgresError) as error:
        return f"PostgreSQL not reachable at {PG_ADMIN_DSN}: {error}"
    await connection.close()
    return None


@pytest.fixture(scope="session")
def migrated_pg() -> Iterator[str | None]:
    """One PostgreSQL database with every migration applied, made once per worker when a test
    first needs PostgreSQL: each test's database is created from it as a template (migrating
    anew took about 2 seconds a test). None when the server can't be reached."""
    if asyncio.run(_pg_reachable()):
        yield None
        return
    name = "circlebot_template_" + uuid.uuid4().hex[:12]
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]

    async def migrate() -> None:
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        engine = create_engine(f"{base}/{name}")
        await upgrade(engine)
        await engine.dispose()  # a template must have no one connected

    async def drop() -> None:
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()

    asyncio.run(migrate())
    try:
        yield name
    finally:
        asyncio.run(drop())


@pytest.fixture(scope="session")
def pg_database() -> str:
    """The name of this worker's PostgreSQL test database, made anew for each test."""
    return "circlebot_test_" + uuid.uuid4().hex[:12]


@pytest.fixture(scope="session")
def pg_engine_kept(pg_database: str) -> AsyncEngine:
    """One engine for the worker's PostgreSQL tests, for its compiled statements (as
    sqlite_engine_kept); its connections are closed before its database is dropped."""
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    return create_engine(f"{base}/{pg_database}")


@pytest.fixture
async def pg_engine(
    migrated_pg: str | None, pg_database: str, pg_engine_kept: AsyncEngine
) -> AsyncIterator[AsyncEngine]:
    """A fresh PostgreSQL database, dropped afterwards."""
    reason = await _pg_reachable()
    if reason:
        print(reason)
        if os.environ.get("CIRCLEBOT_REQUIRE_PG"):  # CI: the server must be there
            pytest.fail(reason)
        pytest.skip(reason)
    assert migrated_pg is not None  # reachable now, so it was when the template was made
    engine = pg_engine_kept
    await engine.dispose()
    admin = await asyncpg.connect(PG_ADMIN_DSN)
    await admin.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{pg_database}" TEMPLATE "{migrated_pg}"')
    await admin.close()
    try:
        yield engine
    finally:
        await engine.dispose()
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        await admin.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_engine(request: pytest.FixtureRequest) -> AsyncEngine:
    """Runs a test once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_engine" if request.param == "sqlite" else "pg_engine"
    return request.getfixturevalue(fixture)


@pytest.fixture(scope="session")
def shared_catalogs() -> Catalogs:
    """The shipped catalogs, read once per run: a Core reading them anew takes 13 ms of CPU,
    a thousand tests over. Nothing changes them once read."""
    return Catalogs(LOCALES_DIR)


@pytest.fixture
def core(sqlite_engine: AsyncEngine, clock: FakeClock, shared_catalogs: Catalogs) -> Core:
    return Core(sqlite_engine, clock, random.Random(7), shared_catalogs, platforms=PLATFORMS)


@dataclass
class Chat:
    """Talks to the core as named people, the way an adapter would."""

    core: Core
    platform: str = "console"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4000))
    sent: list[Outbound] = field(default_factory=list)  # what the dispatcher delivered

    def inbound(
        self, name: str, text: str, message_id: str | None = None, **extra: object
    ) -> Inbound:
        me = name.casefold()
        return Inbound(
            platform=self.platform,
            account_id=me,
            chat_id=me,
            message_id=message_id or uuid.uuid4().hex,
            text=text,
            display_name=name,
            **extra,  # type: ignore[arg-type]
        )

    async def say(self, name: str, text: str, **extra: object) -> str:
        """The bot's replies to `name`, joined into one text."""
        replies = await self.core.handle(self.inbound(name, text, **extra), self.capabilities)
        return "\n".join(reply.text for reply in replies)

    async def deliver(self) -> list[Outbound]:
        """Run the dispatcher once; what it sent this time."""
        before = len(self.sent)
        await self.core.dispatch({self.platform: self})
        return self.sent[before:]

    async def outbox(self) -> list[OutboxMessage]:
        async with open_session(self.core) as session:
            rows = await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
            return list(rows.all())

    # The Adapter contract, so the dispatcher can deliver to this chat.
    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        self.sent.append(message)
        return Receipt(platform_message_id=str(len(self.sent)))


@pytest.fixture
def chat(core: Core) -> Chat:
    return Chat(core)


# The same circle as a service-level draft: Thursdays 18:00 in Detroit from 2026-10-29, 6 meetings.
DETROIT_DRAFT = CircleDraft(
    name="Python for Everyone",
    course_title="Python for Everybody",
    venue="Detroit Public Library",
    city="Detroit",
    country_code="US",
    timezone="America/Detroit",
    start_date=date(2026, 10, 29),
    start_time=time(18, 0),
    language="en",
)

DETROIT_CIRCLE = (
    '/newcircle name="Python for Everyone" course="Python for Everybody" '
    'venue="Detroit Public Library" city=Detroit country=US zone=America/Detroit '
    "start=2026-10-29 time=18:00 meetings=6"
)


async def code_of(core: Core, circle_name: str) -> str:
    from bot.storage.models import Circle

    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == circle_name))).one()
        return circle.join_code


@pytest.fixture
async def twilio() -> AsyncIterator[FakeTwilio]:
    """A fake Twilio Messages API on 127.0.0.1."""
    fake = FakeTwilio()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def at() -> AsyncIterator[FakeAfricasTalking]:
    """A fake Africa's Talking messaging API on 127.0.0.1."""
    fake = FakeAfricasTalking()
    await fake.start()
    yield fake
    await fake.close()
