"""`circlebot bench`: figures for the speed goals (they belong here, not in timed tests).

run_bench times the demo (goal: under 10 s), then one circle with many learners joining and asking
/next through the console adapter (router, services, outbox and dispatch each time), and prints
messages per second and the process's peak memory.

run_checkin_bench seeds many circles in bulk (100,000 learners in 10,000 circles by default) and
times the one scheduler tick that enqueues everyone's weekly check-in, with its peak memory.
"""

from __future__ import annotations

import io
import os
import random
import resource
import tempfile
import time
import tracemalloc
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import event
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.devtools import plans
from adapters.devtools.demo import START, run_demo
from adapters.platforms.console import PLATFORM as CONSOLE
from adapters.platforms.console import ConsoleAdapter
from adapters.platforms.console import account_id as console_account_id
from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Inbound
from bot.chat.platforms import Platforms
from bot.circles import joincodes
from bot.circles.meetings import local_instant, plan
from bot.core import Core
from bot.delivery.dispatcher import dispatch_batch
from bot.rhythm import checkins
from bot.rhythm.derivation import CIRCLES_PER_CHUNK
from bot.scheduling.tick import MARK, tick
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import (
    RHYTHM_LOOK_AGAIN,
    Account,
    Circle,
    Conversation,
    Meeting,
    Membership,
    OutboxMessage,
    Person,
    Question,
    Role,
    TickMark,
)
from locales import LOCALES_DIR

CIRCLE = (
    '/newcircle name="Bench circle" course="Course" venue="Library" city=Detroit country=US '
    "zone=America/Detroit start=2026-10-29 time=18:00 meetings=6"
)

# The bench's learners write from the console (see seed): the one platform it describes.
CONSOLE_ONLY = Platforms([ConsoleAdapter.description])


async def _rate(console: ConsoleAdapter, texts: list[tuple[str, str]]) -> tuple[float, float]:
    """Messages per second, and the process's CPU milliseconds per message (all its threads,
    SQLite's included): steadier than the rate on a machine shared with other work."""
    started, cpu = time.perf_counter(), time.process_time()
    for name, text in texts:
        await console.say(name, text)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(texts) / elapsed, cpu * 1000 / len(texts)


class StatementCounter:
    """Counts the SQL statements an engine runs (a listener on its cursor executions)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


class ServerCpu:
    """The CPU time of an engine's PostgreSQL backends, from /proc when the server runs on
    this machine: the tick's work is mostly the server's, since it is set-based."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.pids: set[int] = set()
        if engine.dialect.name == "postgresql":
            event.listen(engine.sync_engine, "connect", self._connected)

    def _connected(self, connection: Any, _: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("SELECT pg_backend_pid()")
        self.pids.add(int(cursor.fetchone()[0]))
        cursor.close()

    def seconds(self) -> float | None:
        """User and system seconds of the backends alive, None where none can be read."""
        total, seen = 0.0, False
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone, or another machine's
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            seen = True
        return total if seen else None


async def _statements_per_message(
    console: ConsoleAdapter, counter: StatementCounter, texts: list[tuple[str, str]]
) -> float:
    before = counter.count
    for name, text in texts:
        await console.say(name, text)
    return (counter.count - before) / len(texts)


async def run_bench(output: TextIO, database_url: str | None, learners: int) -> None:
    with tempfile.TemporaryDirectory(prefix="circlebot-bench-") as directory:
        started = time.perf_counter()
        await run_demo(io.StringIO(), Path(directory))
        output.write(f"demo: {time.perf_counter() - started:.2f} s (goal: under 10 s)\n")

        url = database_url or f"sqlite:///{Path(directory) / 'bench.db'}"
        engine = create_engine(url)
        await upgrade(engine)
        core = Core(
            engine, FakeClock(START), random.Random(1), platforms=[ConsoleAdapter.description]
        )
        console = ConsoleAdapter(core, io.StringIO())
        counter = StatementCounter(engine)
        statements: dict[str, float] = {}
        try:
            await console.say("Facilitator", CIRCLE)
            async with session_factory(engine)() as session:  # benches read the database directly
                circle = (
                    await session.exec(select(Circle).where(Circle.name == "Bench circle"))
                ).one()
            names = [f"Learner {n}" for n in range(learners)]
            joins, join_cpu = await _rate(
                console, [(name, "/join " + circle.join_code) for name in names]
            )
            nexts, next_cpu = await _rate(console, [(name, "/next") for name in names])
            # SQL statements per message, a learner at a time (issue 18: cut them).
            extra = [f"Counted {n}" for n in range(10)]
            statements["/join"] = await _statements_per_message(
                console, counter, [(name, "/join " + circle.join_code) for name in extra]
            )
            for command in ("/next", "/rsvp yes", "/help", "/schedule"):
                statements[command] = await _statements_per_message(
                    console, counter, [(name, command) for name in extra]
                )
        finally:
            await core.close()
    backend = engine.dialect.name
    output.write(
        f"{backend}: /join {joins:.0f} messages/s, /next {nexts:.0f} messages/s "
        f"({learners} learners, each message routed, stored and dispatched); "
        f"CPU per message /join {join_cpu:.1f} ms, /next {next_cpu:.1f} ms\n"
    )
    output.write(
        "SQL statements per message: "
        + ", ".join(f"{command} {count:.1f}" for command, count in statements.items())
        + "\n"
    )
    output.write(f"peak memory: {_max_rss_mib():.0f} MiB\n")


# The check-in bench: one tick that enqueues a weekly check-in for every learner at once.

# Where the bench's circles meet: (city, country, IANA zone, venue).
PLACES = (
    ("Detroit", "US", "America/Detroit", "Detroit Public Library"),
    ("Nairobi", "KE", "Africa/Nairobi", "Kenya National Library"),
    ("Berlin", "DE", "Europe/Berlin", "Stadtbibliothek Mitte"),
    ("São Paulo", "BR", "America/Sao_Paulo", "Biblioteca Mário de Andrade"),
    ("Kolkata", "IN", "Asia/Kolkata", "National Library of India"),
)
START_TIMES = (wall(17, 0), wall(18, 0), wall(18, 30), wall(19, 0))
# A Thursday. Every circle's first meeting is that evening, local time, so every first check-in
# falls due the next morning: within one tick window of about ten hours, far from anything else
# (the second meeting's reminders and digests, the first check-in's nudge, the goal review).
FIRST_MEETING = date(2026, 10, 29)
# Circles per batch of seeded rows: bounds the seeding's memory.
SEED_CHUNK = 1_000


@dataclass
class _Seeded:
    rows: int = 0
    first_due: datetime | None = None
    last_due: datetime | None = None

    def saw_checkin(self, due: datetime) -> None:
        self.first_due = due if self.first_due is None else min(self.first_due, due)
        self.last_due = due if self.last_due is None else max(self.last_due, due)


def seeded_circle(
    rows: dict[Any, list[dict[str, Any]]],
    index: int,
    *,
    start_date: date,
    start_time: wall,
    meetings: int,
    language: str,
    code: str,
    created: datetime,
    meeting_id: int,
) -> tuple[Circle, list[Meeting], int]:
    """Circle `index` of a benchmark's network, at PLACES[index], with its planned meetings,
    added to `rows` for one bulk insert; the next free meeting id."""
    city, country, zone, venue = PLACES[index % len(PLACES)]
    circle = Circle(
        id=index + 1,
        name=f"Python for Everyone {index + 1}",
        course_title="Python for Everybody",
        course_url="https://www.py4e.com",
        venue=venue,
        city=city,
        country_code=country,
        timezone=zone,
        language=language,
        weekday=start_date.weekday(),
        start_time=start_time,
        duration_minutes=90,
        meeting_count=meetings,
        start_date=start_date,
        join_code=code,
        created_at=created,
    )
    rows[Circle].append(circle.model_dump())
    planned = plan(circle)
    for meeting in planned:
        meeting.id = meeting_id
        meeting_id += 1
        rows[Meeting].append(meeting.model_dump())
    return circle, planned, meeting_id


def _join_codes(count: int, rng: random.Random) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(joincodes.generate(rng))
    return sorted(codes, key=lambda _: rng.random())


def _people(
    first_id: int, names: list[str], at: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    persons, accounts = [], []
    for person_id, name in enumerate(names, start=first_id):
        persons.append({"id": person_id, "display_name": name, "locale": None, "created_at": at})
        external = console_account_id(name)
        accounts.append(
            {
                "id": person_id,
                "person_id": person_id,
                "platform": CONSOLE,
                "external_id": external,
                "address": external,
                "locale_hint": None,
                "reachable": True,
                "opted_out": False,
                "created_at": at,
                "last_seen_at": at,
            }
        )
    return persons, accounts


async def _seed(engine: AsyncEngine, learners: int, circles: int, languages: list[str]) -> _Seeded:
    """Bulk inserts (many rows per statement, explicit ids), not the router: circles, their
    meetings, a facilitator each and the learners spread evenly, each with a console account."""
    rng = random.Random(1)
    codes = _join_codes(circles, rng)
    seeded = _Seeded()
    person_id = 1
    learner_number = 0
    meeting_id = 1
    for chunk_start in range(0, circles, SEED_CHUNK):
        rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for index in range(chunk_start, min(chunk_start + SEED_CHUNK, circles)):
            zone = PLACES[index % len(PLACES)][2]
            starts = local_instant(FIRST_MEETING, START_TIMES[index % len(START_TIMES)], zone)
            created = starts - timedelta(days=30)
            circle, planned, meeting_id = seeded_circle(
                rows,
                index,
                start_date=FIRST_MEETING,
                start_time=START_TIMES[index % len(START_TIMES)],
                meetings=6,
                language=languages[index % len(languages)],
                code=codes[index],
                created=created,
                meeting_id=meeting_id,
            )
            seeded.saw_checkin(checkins.due_at(circle, planned[0]))
            size = learners // circles + (1 if index < learners % circles else 0)
            names = [f"Facilitator {index + 1}"]
            names += [f"Learner {learner_number + n + 1}" for n in range(size)]
            learner_number += size
            persons, accounts = _people(person_id, names, created)
            rows[Person] += persons
            rows[Account] += accounts
            for offset, person in enumerate(persons):
                rows[Membership].append(
                    {
                        "id": person["id"],
                        "circle_id": circle.id,
                        "person_id": person["id"],
                        "role": Role.FACILITATOR if offset == 0 else Role.LEARNER,
                        # Everyone joined before the first meeting, so everyone is asked.
                        "joined_at": created + timedelta(days=1, minutes=offset),
                        "left_at": None,
                        "shares_answers": False,
                    }
                )
            person_id += len(persons)
        async with engine.begin() as connection:
            for model in (Circle, Meeting, Person, Account, Membership):
                table = model.__table__  # type: ignore[union-attr]
                await connection.execute(table.insert(), rows[model])
                seeded.rows += len(rows[model])
    return seeded


async def _database_size(engine: AsyncEngine) -> int:
    """Bytes on disk: the SQLite file and its write-ahead log, or PostgreSQL's database size."""
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    async with engine.connect() as connection:
        size = await connection.scalar(sql("SELECT pg_database_size(current_database())"))
    return int(size or 0)


async def _rewind(sessions: async_sessionmaker[AsyncSession], mark_at: datetime) -> None:
    """Undo the tick: what it wrote (outbox rows, questions, offered choices, each circle's
    next due time) and its mark."""
    async with sessions() as session, session.begin():
        for model in (OutboxMessage, Question, Conversation):
            await session.exec(delete(model))
        await session.exec(
            update(Circle).values(rhythm_due_at=RHYTHM_LOOK_AGAIN, letters_due_at=RHYTHM_LOOK_AGAIN)
        )
        mark = (await session.exec(select(TickMark).where(TickMark.name == MARK))).one()
        mark.reached_at = mark_at
        session.add(mark)


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _record_plans(
    engine: AsyncEngine, catalogs: Catalogs, clock: FakeClock, output: TextIO
) -> None:
    """The hot statements at the seeded size, and their plans (adapters/devtools/plans.py): a
    tick with nothing due, the hourly one, one that works 2,000 circles out again (the rhythm's
    and the relay's chunk reads), /next from a learner, and a dispatcher run over the queued
    check-ins."""
    sessions = session_factory(engine)
    core_engine = create_engine(engine.url.render_as_string(hide_password=False))
    core = Core(core_engine, clock, random.Random(1), platforms=[ConsoleAdapter.description])
    console = ConsoleAdapter(core, io.StringIO())
    log = plans.StatementLog([engine, core_engine])
    try:
        clock.advance(timedelta(seconds=20))
        with log.labelled("a tick with nothing due"):
            await tick(sessions, clock, catalogs, platforms=CONSOLE_ONLY)
        clock.set(clock.now().replace(minute=0, second=5) + timedelta(hours=1))
        with log.labelled("a tick with nothing due, on the hour (retention's turn)"):
            await tick(sessions, clock, catalogs, platforms=CONSOLE_ONLY)
        async with sessions() as session, session.begin():
            await session.exec(
                update(Circle)
                .where(col(Circle.id) <= CIRCLES_PER_CHUNK)
                .values(rhythm_due_at=RHYTHM_LOOK_AGAIN, letters_due_at=RHYTHM_LOOK_AGAIN)
            )
        clock.advance(timedelta(seconds=20))
        with log.labelled(f"a tick working {CIRCLES_PER_CHUNK} circles out again"):
            await tick(sessions, clock, catalogs, platforms=CONSOLE_ONLY)
        with log.labelled("/next from a learner"):
            # Handled only: its reply goes out with the dispatcher run below.
            learner = console_account_id("Learner 1")
            started = time.perf_counter()
            await core.handle(
                Inbound(CONSOLE, learner, learner, uuid.uuid4().hex, "/next"), console.capabilities
            )
            output.write(f"/next: {time.perf_counter() - started:.3f} s\n")
        with log.labelled("a dispatcher run (50 rows)"):
            started = time.perf_counter()
            await dispatch_batch(
                session_factory(core_engine), clock, catalogs, {CONSOLE: console}, 50
            )
            output.write(f"dispatcher run: {time.perf_counter() - started:.3f} s\n")
    finally:
        log.close()
        await core.close()
    await plans.explain(engine, log, output)


async def run_checkin_bench(
    output: TextIO,
    database_url: str | None,
    learners: int = 100_000,
    circles: int = 10_000,
    *,
    trace_memory: bool = True,
    explain: bool = False,
) -> None:
    """Time one scheduler tick that enqueues the first weekly check-in for every learner.

    The database (SQLite in a temporary directory unless `database_url` names an empty one) is
    seeded with bulk inserts; then a tick mark is set just before the first check-ins fall due
    and one tick, on a fake clock just after the last of them, does the work in one transaction.
    A second tick must enqueue nothing. The tick's peak memory is measured by rewinding and
    running the same tick again under tracemalloc (which slows it down several times), so
    tracing does not distort the timed run; `trace_memory=False` skips that rerun. Each figure
    is printed as soon as it is measured.
    """
    if circles < 1 or learners < 0:
        raise ValueError("need at least one circle and no negative learners")

    def say(line: str) -> None:
        output.write(line + "\n")
        output.flush()

    mib = 1024 * 1024
    catalogs = Catalogs(LOCALES_DIR)
    with tempfile.TemporaryDirectory(prefix="circlebot-checkin-bench-") as directory:
        url = database_url or f"sqlite:///{Path(directory) / 'checkin-bench.db'}"
        engine = create_engine(url)
        server = ServerCpu(engine)
        sessions = session_factory(engine)
        say(
            f"check-in bench ({engine.dialect.name}): {learners} learners in {circles} circles, "
            "one weekly check-in each"
        )
        try:
            started = time.perf_counter()
            await upgrade(engine)
            say(f"migrate: {time.perf_counter() - started:.2f} s")

            started = time.perf_counter()
            seeded = await _seed(engine, learners, circles, catalogs.locales)
            seeding = time.perf_counter() - started
            say(f"seed: {seeding:.2f} s ({seeded.rows} rows, {seeded.rows / seeding:.0f} rows/s)")
            if engine.dialect.name == "postgresql":
                # What autovacuum would have done long before a real tick: without statistics
                # the planner takes the freshly seeded tables for empty ones; and rows never
                # vacuumed cost the tick their first reader's work (hint bits, every page of
                # them written again): 15-27 s for the tick of 100,000 where it takes 10 s.
                started = time.perf_counter()
                autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
                async with autocommit.connect() as connection:
                    await connection.execute(sql("VACUUM ANALYZE"))
                say(f"vacuum and analyse: {time.perf_counter() - started:.2f} s")
            assert seeded.first_due is not None and seeded.last_due is not None
            mark_at = seeded.first_due - timedelta(seconds=1)
            after_due = seeded.last_due + timedelta(minutes=1)
            async with sessions() as session, session.begin():
                session.add(TickMark(name=MARK, reached_at=mark_at))
            say(
                f"check-ins due: {seeded.first_due:%Y-%m-%d %H:%M} to "
                f"{seeded.last_due:%Y-%m-%d %H:%M} UTC; one tick at {after_due:%H:%M}"
            )
            rss_seeded = _max_rss_mib()

            clock = FakeClock(after_due)
            server_before = server.seconds()
            started, cpu = time.perf_counter(), time.process_time()
            report = await tick(sessions, clock, catalogs, platforms=CONSOLE_ONLY)
            ticking, cpu = time.perf_counter() - started, time.process_time() - cpu
            server_after = server.seconds()
            rss_ticked = _max_rss_mib()
            say(
                f"tick: {ticking:.2f} s, {report.checkins} check-ins enqueued, "
                f"{report.checkins / ticking:.0f} rows/s"
            )
            # The bot's own CPU time varies less than the wall time on a shared machine.
            say(f"the tick's CPU time in the bot: {cpu:.2f} s")
            if server_before is not None and server_after is not None:
                in_server = server_after - server_before
                say(
                    f"the tick's CPU time in PostgreSQL: {in_server:.2f} s "
                    f"(bot and server together: {cpu + in_server:.2f} s)"
                )
            assert report.checkins == learners, f"{report.checkins} check-ins for {learners}"
            assert report.total == learners, f"more than check-ins enqueued: {report}"

            clock.advance(timedelta(seconds=1))
            started = time.perf_counter()
            again = await tick(sessions, clock, catalogs, platforms=CONSOLE_ONLY)
            say(f"second tick: {time.perf_counter() - started:.3f} s, {again.total} enqueued")
            assert again.total == 0, f"the second tick enqueued {again}"
            say(f"process peak memory: {rss_ticked:.0f} MiB (after seeding: {rss_seeded:.0f} MiB)")
            say(f"database size: {await _database_size(engine) / mib:.1f} MiB")
            if explain:
                await _record_plans(engine, catalogs, clock, output)

            if trace_memory:
                await _rewind(sessions, mark_at)
                tracemalloc.start()
                try:
                    started = time.perf_counter()
                    traced = await tick(
                        sessions, FakeClock(after_due), catalogs, platforms=CONSOLE_ONLY
                    )
                    traced_time = time.perf_counter() - started
                    _, peak = tracemalloc.get_traced_memory()
                finally:
                    tracemalloc.stop()
                assert traced.checkins == learners, f"the rerun enqueued {traced}"
                say(
                    f"tick peak traced memory: {peak / mib:.1f} MiB "
                    f"(rerun under tracemalloc: {traced_time:.2f} s)"
                )
        finally:
            await engine.dispose()
