"""The `circlebot` command: the composition root that wires settings, core and adapters."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import secrets
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn, Protocol, runtime_checkable

import typer
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from adapters.platforms.discord_platform import DiscordSettings
from adapters.platforms.sms_platform import SmsSettings
from adapters.platforms.telegram_platform import TelegramSettings
from adapters.platforms.ussd_platform import UssdSettings
from adapters.platforms.whatsapp_platform import WhatsAppSettings
from adapters.shell.platforms import described, platform_adapters
from adapters.shell.settings import DEFAULT_HOST, Settings
from bot.chat.clock import Clock, SystemClock, WarpClock
from bot.chat.contract import Adapter, StartRefused
from bot.chat.platforms import Platform
from bot.chat.quiet import QuietLog
from bot.core import Core, Leadership, LetterPolicy, database_unavailable

app = typer.Typer(no_args_is_help=True, help="circlebot: a chat-bot for learning circles.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
app.add_typer(db_app, name="db")

log = logging.getLogger("circlebot")

SHUTDOWN_GRACE_SECONDS = 10.0  # how long a stopping worker waits for its running jobs
# A platform that cannot be reached at start: tried again after 5 s, then twice as long each
# time, up to 5 minutes; the scheduler and the web app do not wait for them.
START_RETRY_FIRST_SECONDS = 5.0
START_RETRY_LONGEST_SECONDS = 300.0
DATABASE_CHECK_SECONDS = 15.0  # how long the check at start waits for the database to answer
# `circlebot outbox`: a worker reports each platform at least every minute (Core.report_health);
# silent this long, no worker is running (or none reaches the database).
WORKER_SILENT_MINUTES = 5
# One format for every command's log: when, how bad, which process, from where.
LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def _logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT)


def _fail(problems: Iterable[str]) -> NoReturn:
    """Stop the command: one line on stderr for each problem, exit status 2 (bad setup)."""
    for problem in problems:
        typer.echo(f"circlebot: {problem}", err=True)
    raise typer.Exit(2)


# The settings classes every command that runs the bot reads: the application's and each
# platform's, from the same environment.
_SETTINGS_CLASSES: tuple[type[Any], ...] = (
    Settings,
    TelegramSettings,
    DiscordSettings,
    SmsSettings,
    WhatsAppSettings,
    UssdSettings,
)
_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}
_SECRET_WORDS = ("TOKEN", "SECRET", "KEY", "PASSWORD", "SID")


def _problem(error: ErrorDetails) -> str:
    """One bad setting as an operator reads it: "DISPATCH_INTERVAL must be at least 0.1 (got
    -5)". The value is left out for anything that may be a secret."""
    context: dict[str, Any] = dict(error.get("ctx") or {})
    kind = error["type"]
    if kind == "value_error":  # a rule across settings: its message says it all
        return str(context.get("error", error["msg"]))
    name = "_".join(str(part) for part in error["loc"]).upper()
    if kind in _BOUNDS:
        words, key = _BOUNDS[kind]
        bound = context[key]
        shown = f"{bound:g}" if isinstance(bound, float) else str(bound)
        rule = f"must be {words} {shown}"
    elif kind in ("float_parsing", "float_type"):
        rule = "must be a number"
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        rule = "must be a whole number"
    else:
        rule = "is not valid: " + error["msg"]
    got = error.get("input")
    if isinstance(got, str | int | float) and not any(w in name for w in _SECRET_WORDS):
        return f"{name} {rule} (got {got})"
    return f"{name} {rule}"


def load_settings() -> Settings:
    """The settings, for every command that runs the bot. Each platform's are read too, so a
    bad value anywhere stops the command before anything starts, with one line per value."""
    problems: list[str] = []
    settings: Settings | None = None
    for kind in _SETTINGS_CLASSES:
        try:
            made = kind()
        except ValidationError as error:
            problems.extend(_problem(detail) for detail in error.errors())
            continue
        if isinstance(made, Settings):
            settings = made
    if problems or settings is None:
        _fail(problems)
    return settings


def _shown(database_url: str) -> str:
    """The database's address without its password."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", database_url)


def _why(error: BaseException) -> str:
    """What stopped a connection, in a few words: the innermost cause that says."""
    causes: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and cause not in causes:
        causes.append(cause)
        cause = cause.__cause__ or getattr(cause, "orig", None) or cause.__context__
    for cause in causes:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "no such host"
        if isinstance(cause, TimeoutError):
            return f"no answer within {DATABASE_CHECK_SECONDS:g} seconds"
    innermost = causes[-1]
    words = str(innermost).strip().splitlines()
    return words[0] if words else type(innermost).__name__


def _check_database(
    settings: Settings, *, not_ahead: bool = False, existing: bool = False, migrated: bool = False
) -> None:
    """Reach the database once, before a command starts on it; if it cannot be reached, say so
    in one line and stop (exit 2). `not_ahead`: for commands that upgrade it, stop too when a
    newer version of circlebot has migrated it past what this one knows. `existing`: for
    commands that only read it, stop when a SQLite file is not there, rather than make a new
    one; `migrated`: stop too when its schema is not this version's (nothing to report from an
    empty database, and only `db upgrade` migrates)."""
    url = settings.database_url
    if existing or migrated:
        missing = _missing_sqlite_file(url)
        if missing is not None:
            _fail(
                [
                    f"there is no database at {_shown(url)}: no file {missing} (check "
                    "DATABASE_URL and the directory; `circlebot db upgrade` makes a new one)"
                ]
            )

    async def reach() -> str | None:
        try:
            core = Core.from_url(url, SystemClock(), secrets.SystemRandom(), platforms=[])
        except Exception as error:  # unparsable, or no database we speak
            words = str(error).strip().splitlines()
            return (
                f"DATABASE_URL is not a database address: {_shown(url)} "
                f"({words[0] if words else type(error).__name__}; e.g. sqlite:///circlebot.db "
                "or postgresql://user@host/db)"
            )
        try:
            await asyncio.wait_for(core.check_database(), DATABASE_CHECK_SECONDS)
            state = await core.schema_state() if not_ahead or migrated else None
        except Exception as error:
            reason = _why(error)
            password = re.search(r"://[^:/@]*:([^@/]+)@", url)
            if password:
                reason = reason.replace(password.group(1), "***")
            return f"could not reach the database at {_shown(url)}: {reason}"
        finally:
            await core.close()
        if state is not None and state.ahead:
            return (
                f"the database is at revision {state.current}, newer than this version of "
                f"circlebot knows (its newest is {state.head}): run the newer version"
            )
        if migrated and state is not None and state.current is None:
            return (
                f"the database at {_shown(url)} is empty (no migration applied): check "
                "DATABASE_URL, or set it up with `circlebot db upgrade`"
            )
        if migrated and state is not None and state.behind:
            return (
                f"the database is at revision {state.current}, behind this version of "
                f"circlebot ({state.head}): run `circlebot db upgrade` first"
            )
        return None

    problem = asyncio.run(reach())
    if problem is not None:
        _fail([problem])


def _missing_sqlite_file(url: str) -> str | None:
    """The file a SQLite address names, when it does not exist (connecting would make it)."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # not an address: the check that connects says so
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return None
    return None if Path(database).exists() else str(Path(database).absolute())


def _check_redis(settings: Settings) -> None:
    """Reach Redis once, when REDIS_URL is set, before a command that takes or sends messages
    starts: without it no message can be taken, so say so in one line and stop (exit 2)."""
    url = settings.redis_url
    if not url:
        return

    async def reach() -> str | None:
        try:
            core = Core.from_url(
                settings.database_url,
                SystemClock(),
                secrets.SystemRandom(),
                platforms=[],
                redis_url=url,
            )
        except Exception as error:  # not a Redis address
            words = str(error).strip().splitlines()
            return (
                f"REDIS_URL is not a Redis address: {_shown(url)} "
                f"({words[0] if words else type(error).__name__}; e.g. redis://127.0.0.1:6379/0)"
            )
        try:
            await asyncio.wait_for(core.check_budget(), DATABASE_CHECK_SECONDS)
        except Exception as error:
            reason = _why(error)
            password = re.search(r"://[^:/@]*:([^@/]+)@", url)
            if password:
                reason = reason.replace(password.group(1), "***")
            return f"could not reach Redis at {_shown(url)}: {reason}"
        finally:
            await core.close()
        return None

    problem = asyncio.run(reach())
    if problem is not None:
        _fail([problem])


def letter_policy(settings: Settings, platforms: Iterable[Platform]) -> LetterPolicy:
    """Moderators from LETTER_MODERATORS; global channels where the platforms describe one."""
    moderators = {m.strip() for m in settings.letter_moderators.split(",") if m.strip()}
    channels = tuple(p.global_address for p in platforms if p.global_address is not None)
    return LetterPolicy(frozenset(moderators), channels, settings.letter_max_circles)


def _core(
    settings: Settings, clock: Clock | None = None, platforms: list[Platform] | None = None
) -> Core:
    platforms = platforms if platforms is not None else described(settings)
    # Join codes must be unguessable: the OS's CSPRNG, never a seeded Random.
    return Core.from_url(
        settings.database_url,
        clock or SystemClock(),
        secrets.SystemRandom(),
        letter_policy=letter_policy(settings, platforms),
        # The send rates the adapters declare, as configured in the environment, kept where
        # every process sees them.
        platforms=platforms,
        redis_url=settings.redis_url,
        concurrency=settings.dispatch_concurrency,
        retention_days=settings.retention_days,
        credential_key_file=settings.credential_key_file,
        public_base_url=settings.public_base_url,
        credential_issuer=settings.credential_issuer,
        credential_min_meetings=settings.credential_min_meetings,
    )


@app.command()
def demo() -> None:
    """Play a scripted season on a fake clock and print the transcript (SQLite, no tokens)."""
    from adapters.devtools.demo import run_demo

    with tempfile.TemporaryDirectory(prefix="circlebot-demo-") as directory:
        asyncio.run(run_demo(sys.stdout, Path(directory)))


@app.command()
def bench(
    learners: Annotated[int, typer.Option(help="How many learners join and ask /next.")] = 100,
    database_url: Annotated[
        str | None, typer.Option(help="An empty database to use (default: SQLite in a temp dir).")
    ] = None,
) -> None:
    """Print speed figures: the demo's time and messages per second through the core."""
    from adapters.devtools.bench import run_bench

    asyncio.run(run_bench(sys.stdout, database_url, learners))


@app.command("bench-checkins")
def bench_checkins(
    learners: Annotated[int, typer.Option(help="Learners, spread over the circles.")] = 100_000,
    circles: Annotated[int, typer.Option(help="Circles.")] = 10_000,
    database_url: Annotated[
        str | None, typer.Option(help="An empty database to use (default: SQLite in a temp dir).")
    ] = None,
    trace_memory: Annotated[
        bool, typer.Option(help="Also rerun the tick under tracemalloc (slower).")
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(help="Then print the plans of the hot queries at that size (PostgreSQL)."),
    ] = False,
) -> None:
    """Time one scheduler tick that enqueues a weekly check-in for every learner."""
    from adapters.devtools.bench import run_checkin_bench

    asyncio.run(
        run_checkin_bench(
            sys.stdout,
            database_url,
            learners,
            circles,
            trace_memory=trace_memory,
            explain=explain,
        )
    )


@app.command("bench-dispatch")
def bench_dispatch(
    messages: Annotated[int, typer.Option(help="Outbox rows to drain.")] = 600,
    chats: Annotated[int, typer.Option(help="Chats they go to.")] = 200,
    processes: Annotated[
        list[int] | None, typer.Option(help="Dispatching processes, one run each.")
    ] = None,
    burst: Annotated[int, typer.Option(help="Users writing /start at once.")] = 200,
    database_url: Annotated[
        str | None, typer.Option(help="An empty PostgreSQL database (default: a new one).")
    ] = None,
) -> None:
    """Drain the outbox against a local fake Bot API that enforces Telegram's limits, with 1 and
    2 processes, then a burst of users: rate / limit, 429s, peak, drain time, reply latency."""
    from adapters.devtools.dispatch_bench import run as run_dispatch_bench

    run_dispatch_bench(messages, chats, tuple(processes or (1, 2)), burst, database_url)


@app.command("load-test")
def load_test(
    processes: Annotated[
        str, typer.Option(help="How many `circlebot run` processes, one run each: 1,2,4.")
    ] = "1,2,4",
    learners: Annotated[int, typer.Option(help="Learners, spread over the circles.")] = 100_000,
    circles: Annotated[int, typer.Option(help="Circles.")] = 10_000,
    week_seconds: Annotated[
        float | None,
        typer.Option(help="Real seconds the week lasts (default: 150 per 1,000 learners)."),
    ] = None,
    answering: Annotated[
        float, typer.Option(help="Share of learners answering their check-in.")
    ] = 0.2,
    runs: Annotated[int, typer.Option(help="Runs for each number of processes.")] = 1,
    api_rate: Annotated[int, typer.Option(help="Sends a second the fake Bot API takes.")] = 1000,
    admin_url: Annotated[
        str, typer.Option(help="A PostgreSQL server's admin database (new ones are made there).")
    ] = "postgresql://postgres@127.0.0.1:5432/postgres",
) -> None:
    """N `circlebot run` processes on one PostgreSQL database play a week of a large network
    against a local fake Bot API: throughput, reply latency, outbox backlog, memory."""
    from adapters.devtools.load_test import run as run_load_test

    try:
        counts = tuple(int(count) for count in processes.split(",") if count.strip())
    except ValueError:
        counts = ()
    if not counts or min(counts) < 1:
        raise typer.BadParameter("processes: numbers from 1 up, e.g. 1,2,4")
    run_load_test(
        counts,
        learners,
        circles,
        week_seconds=week_seconds,
        answering=answering,
        runs=runs,
        api_rate=api_rate,
        admin_url=admin_url,
    )


@app.command("bench-chats")
def bench_chats(
    people: Annotated[int, typer.Option(help="Telegram users writing /next at once.")] = 100,
    runs: Annotated[int, typer.Option(help="Runs, each on a new SQLite database.")] = 3,
    lanes: Annotated[
        int | None, typer.Option(help="Chats handled at once (default: the adapter's).")
    ] = None,
    latency: Annotated[
        float, typer.Option(help="Seconds each Bot API call takes (the network to Telegram).")
    ] = 0.0,
    database_url: Annotated[
        str | None, typer.Option(help="An empty database to use instead (one run).")
    ] = None,
) -> None:
    """Many people writing to one polling Telegram process at once, against a local fake Bot
    API that enforces Telegram's limits: replies a second, p50 and p95 latency."""
    from adapters.devtools.chats_bench import run_chats_bench

    asyncio.run(run_chats_bench(sys.stdout, people, runs, database_url, lanes, latency))


@app.command()
def fuzz(
    examples: Annotated[int, typer.Option(help="Messages to try.")] = 10_000,
) -> None:
    """Throw generated messages at the core (any text, junk arguments, huge numbers, lone
    surrogates, every platform) and count crashes; needs the test extra (hypothesis)."""
    from adapters.devtools.fuzz import run_fuzz

    run_fuzz(examples)


@app.command("bench-letters")
def bench_letters(
    letters: Annotated[int, typer.Option(help="Letters in the pool.")] = 100_000,
    circles: Annotated[
        int, typer.Option(help="Circles about to meet for the first time.")
    ] = 10_000,
) -> None:
    """Time matching a pool of letters to starting circles, and check every rule holds."""
    from adapters.devtools.letters_bench import run_matching_bench

    run_matching_bench(sys.stdout, letters, circles)


@app.command()
def outbox(
    action: Annotated[
        str | None,
        typer.Argument(help="revive: make messages that died of passing failures due again."),
    ] = None,
    dead: Annotated[int, typer.Option(help="How many dead messages to list.")] = 20,
) -> None:
    """The outbox: how many messages are pending, sent and dead, why the last ones died, and
    how each platform was last seen. `circlebot outbox revive` retries those given up on."""
    if action not in (None, "revive"):
        raise typer.BadParameter("the only action is: revive")
    settings = load_settings()
    _check_database(settings, not_ahead=True, migrated=True)

    async def report() -> None:
        core = _core(settings)
        try:
            revived = await core.revive() if action == "revive" else None
            counts = await core.outbox_counts()
            rows = await core.dead_messages(limit=dead)
            # As the workers wrote it: this process sends nothing, so it has no view of its own.
            health = await core.platform_reports()
        finally:
            await core.close()
        if revived is not None:
            typer.echo(f"revived: {revived}")
        typer.echo(", ".join(f"{status}: {count}" for status, count in counts.items()))
        for seen in health:
            typer.echo(
                f"{seen.platform}: {seen.state}"
                + (f" ({seen.detail})" if seen.detail else "")
                + f" since {seen.since:%Y-%m-%d %H:%M} UTC"
            )
        for row in rows:
            typer.echo(
                f"dead #{row.id} {row.kind} to {row.platform} after {row.attempts} attempts "
                f"({row.created_at:%Y-%m-%d %H:%M} UTC, {row.failure or 'transient'}): "
                f"{row.last_error}"
            )
        latest = max((seen.updated_at for seen in health), default=None)
        if latest is None:
            typer.echo("no worker has reported yet")
        else:
            silent = int((datetime.now(UTC) - latest).total_seconds() // 60)
            if silent >= WORKER_SILENT_MINUTES:
                typer.echo(
                    f"no worker has reported for {silent} minutes: the platform states above "
                    "may be out of date (is `circlebot run` running?)"
                )

    asyncio.run(report())


@app.command()
def chat(
    name: Annotated[str, typer.Option("--as", help="Who you are in the chat.")] = "Facilitator",
    locale: Annotated[str | None, typer.Option(help="Your language, e.g. en.")] = None,
    files: Annotated[
        Path, typer.Option(help="Where files the bot sends (calendars, exports) are saved.")
    ] = Path("circlebot-files"),
    zone: Annotated[
        str | None,
        typer.Option(help="Time zone the console's times are shown in (default: $TZ, or UTC)."),
    ] = None,
    sms: Annotated[
        list[str] | None,
        typer.Option(
            help="NAME=NUMBER: NAME writes by SMS from that phone number (:as NAME), as a "
            "feature phone would. Repeat for more people."
        ),
    ] = None,
) -> None:
    """Chat with the bot in this terminal: :as NAME to switch person, :wait 1d to move time on
    (reminders and check-ins fall due), :help for more, :quit to stop."""
    import math
    import zoneinfo
    from dataclasses import replace

    from adapters.platforms import sms_platform
    from adapters.platforms.console import ConsoleAdapter, ConsoleClock
    from bot.chat.platforms import RateLimit
    from bot.chat.segments import SMS_CAPABILITIES

    shown = zone or os.environ.get("TZ", "UTC").lstrip(":")
    try:
        zoneinfo.ZoneInfo(shown)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError) as error:
        if zone is not None:
            raise typer.BadParameter(f"unknown time zone {zone!r}, e.g. America/Detroit") from error
        shown = "UTC"  # $TZ as a file path or an offset: not a zone name to show
    numbers = dict(_sms_person(entry) for entry in sms or [])
    settings = load_settings()
    _check_database(settings, not_ahead=True)
    _check_redis(settings)
    _refuse_a_deployment(settings)
    clock = ConsoleClock(datetime.now(UTC))
    # SMS as its adapter describes it, the terminal standing in for the phone, with no gateway
    # rate to wait for (as in the demo).
    platforms = [
        replace(platform, limit=RateLimit(math.inf, None, 1))
        if platform.name == sms_platform.PLATFORM
        else platform
        for platform in described(settings)
    ]

    async def session() -> None:
        core = _core(settings, clock, platforms)
        console = ConsoleAdapter(
            core, sys.stdout, locale, clock=clock, files=files.absolute(), zone=shown
        )
        if numbers:
            phone = ConsoleAdapter(
                core,
                sys.stdout,
                locale,
                platform=sms_platform.PLATFORM,
                capabilities=SMS_CAPABILITIES,
                numbers=numbers,
                clock=clock,
                files=files.absolute(),
                zone=shown,
            )
            console.beside(phone)
        try:
            await core.upgrade()
            await console.chat(name, sys.stdin)
        finally:
            await core.close()

    _logging(logging.WARNING)
    asyncio.run(session())


def _refuse_a_deployment(settings: Settings) -> None:
    """Stop `circlebot chat` (one line, exit 2) on a database a worker has served real
    platforms from: the console's `:wait` moves the database's clock, so the deployment's due
    reminders would be sent to the console or expire, and its people's data would be mixed
    with made-up ones. A worker's TRANSCRIPT_FILE (console accounts) reaches no one real."""
    from adapters.platforms.console import PLATFORM as CONSOLE

    async def served() -> list[str]:
        core = _core(settings)
        try:
            if (await core.schema_state()).current is None:
                return []  # a new database
            return [seen.platform for seen in await core.platform_reports()]
        finally:
            await core.close()

    platforms = [name for name in asyncio.run(served()) if name != CONSOLE]
    if platforms:
        _fail(
            [
                f"DATABASE_URL {_shown(settings.database_url)} is a deployment's database (a "
                f"worker has served {', '.join(platforms)} from it): the console would move "
                "its clock and send or expire its people's messages; chat on a database of "
                "its own, e.g. DATABASE_URL=sqlite:///console.db"
            ]
        )


def _sms_person(entry: str) -> tuple[str, str]:
    """`Grace=+254700000001` as (name, number)."""
    name, _, number = entry.partition("=")
    if not name.strip() or not re.fullmatch(r"\+?[0-9]{6,15}", number.strip()):
        raise typer.BadParameter(f"{entry!r}: NAME=NUMBER, e.g. Grace=+254700000001")
    return name.strip(), number.strip()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (the Procfile's release step), and say what it did."""
    settings = load_settings()
    _logging()
    _check_database(settings, not_ahead=True)

    async def upgrade() -> tuple[str | None, str | None]:
        core = _core(settings)
        try:
            return await core.upgrade()
        finally:
            await core.close()

    before, after = asyncio.run(upgrade())
    if before == after:
        typer.echo(f"already at {after}")
    else:
        typer.echo(f"upgraded {before or 'an empty database'} -> {after}")


@db_app.command("current")
def db_current() -> None:
    """The database's revision, this code's newest, and whether it is behind or ahead."""
    settings = load_settings()
    _check_database(settings, existing=True)

    async def state() -> Any:
        core = _core(settings)
        try:
            return await core.schema_state()
        finally:
            await core.close()

    found = asyncio.run(state())
    typer.echo(f"database: {found.current or 'empty (no migration applied)'}")
    typer.echo(f"code: {found.head}")
    if found.ahead:
        typer.echo(
            "ahead: a newer version of circlebot migrated this database; this one does not know "
            f"revision {found.current}"
        )
    elif found.behind:
        typer.echo(f"behind: {found.pending} to apply (`circlebot db upgrade`)")
    else:
        typer.echo("up to date")


db_app.command("status", help="The same as `db current`.")(db_current)


class CannotStart(Exception):
    """A process cannot start for a reason its operator fixes (one line, exit 2)."""


async def _serve(
    core: Core,
    settings: Settings,
    stop: asyncio.Event | None = None,
    adapters: Mapping[str, Adapter] | None = None,
) -> None:
    """Serve the web app, with the webhooks of `adapters`, until `stop` is set (or forever)."""
    from aiohttp import web

    from adapters.shell.web import build_app, trusted_networks
    from adapters.shell.web import runner as web_runner

    app = build_app(
        core,
        (adapters or {}).values(),
        trusted_proxies=trusted_networks(settings.trusted_proxies),
    )
    runner = web_runner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, host=settings.host, port=settings.port).start()
    except OSError as error:  # the port is taken, or not ours to use, or no such address
        await runner.cleanup()
        reason = os.strerror(error.errno).lower() if error.errno else str(error)
        where = f"PORT {settings.port}"
        if settings.host != DEFAULT_HOST:
            where = f"HOST {settings.host}, " + where
        raise CannotStart(f"could not listen on {where}: {reason}") from error
    log.info("web app listening on %s port %s", settings.host, settings.port)
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await runner.cleanup()


@app.command()
def serve() -> None:
    """The web process: health and the platforms' webhooks. Stops cleanly on SIGTERM or
    Ctrl-C."""
    settings = load_settings()
    _logging()
    _check_database(settings)
    _check_redis(settings)
    settings = _rehearsal(settings, upgrade=False)

    async def main() -> None:
        # The workers' clock: in a rehearsal, what the web process answers happens then too.
        core = _core(settings, _clock(settings))
        adapters = platform_adapters(settings, core, worker=False)
        stop = _stop_on_signals()
        try:
            for adapter in adapters.values():
                try:
                    await adapter.start()
                except StartRefused as error:  # one line saying why, not a traceback
                    raise CannotStart(f"{adapter.platform}: could not start: {error}") from error
            await _serve(core, settings, stop, adapters)
            log.info("stopping")
        finally:
            for adapter in adapters.values():
                await adapter.stop()
            await core.close()

    try:
        asyncio.run(main())
    except CannotStart as error:
        _fail([str(error)])


def _stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM or Ctrl-C; a second one interrupts a shutdown that hangs."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)

    def stopping() -> None:
        stop.set()
        for signum in signals:
            loop.remove_signal_handler(signum)

    for signum in signals:
        loop.add_signal_handler(signum, stopping)
    return stop


def _clock(settings: Settings) -> Clock:
    """The system clock, or the rehearsal clock when REHEARSAL_START is set."""
    if settings.rehearsal_start is None:
        return SystemClock()
    clock = WarpClock(settings.rehearsal_start, settings.rehearsal_speed, settings.rehearsal_origin)
    log.warning(
        "REHEARSAL, not real time: the clock reads %s at unix time %.3f and runs %g times fast "
        "(now %s)",
        clock.start.isoformat(),
        clock.origin,
        clock.speed,
        clock.now().isoformat(timespec="minutes"),
    )
    return clock


# Where a rehearsal's clock is kept in its database, so a worker restarted with the same
# REHEARSAL_START and REHEARSAL_SPEED (as one restarts any worker) carries on where it was
# rather than rewinding to REHEARSAL_START, and `circlebot serve` agrees with it.
REHEARSAL_CURSOR = ("rehearsal", "clock")


def _rehearsal(settings: Settings, *, upgrade: bool = False) -> Settings:
    """The settings with REHEARSAL_ORIGIN as this rehearsal's: given, else the one kept in the
    database for the same start and speed, else now (then kept there). `upgrade`: migrate the
    database first (the worker does anyway)."""
    start = settings.rehearsal_start
    if start is None:
        return settings

    async def origin() -> float:
        core = _core(settings)
        try:
            if upgrade:
                await core.upgrade()
            wanted = {"start": start.isoformat(), "speed": settings.rehearsal_speed}
            kept = await core.load_cursor(*REHEARSAL_CURSOR)
            if settings.rehearsal_origin is None and kept:
                found = json.loads(kept)
                if {key: found.get(key) for key in wanted} == wanted:
                    return float(found["origin"])
            chosen = settings.rehearsal_origin
            chosen = time.time() if chosen is None else chosen
            await core.save_cursor(*REHEARSAL_CURSOR, json.dumps({**wanted, "origin": chosen}))
            return chosen
        finally:
            await core.close()

    return settings.model_copy(update={"rehearsal_origin": asyncio.run(origin())})


class _InFlight:
    """The scheduler's jobs now running, so shutdown lets them finish: a tick or a send cut off
    mid-transaction is rolled back (a send then repeats) and leaves noise in the log."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[object]] = set()

    @contextmanager
    def running(self) -> Iterator[None]:
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        try:
            yield
        finally:
            self.tasks.discard(task)

    async def finish(self, grace: float) -> None:
        if self.tasks:
            await asyncio.wait(self.tasks, timeout=grace)


async def _tick(core: Core, leadership: Leadership, jobs: _InFlight, quiet: QuietLog) -> None:
    """The scheduler's tick, in the leading process only. A failure is logged; the next run
    covers the same ground, since the tick resumes from the mark it last committed."""
    with jobs.running():
        try:
            if await leadership.is_leader():
                await core.tick()
        except Exception as error:
            if not database_unavailable(error):
                log.exception("tick failed; the next one retries")
            else:  # an outage: one line a minute, not a traceback a tick
                quiet.warning("tick", "tick failed (%s); the next one retries", error)


@runtime_checkable
class Receiving(Protocol):
    """An adapter that fetches its platform's messages itself (Telegram's polling): why it
    cannot get them now, or None when it can."""

    @property
    def receiving_trouble(self) -> str | None: ...


async def _dispatch(
    core: Core, adapters: dict[str, Adapter], jobs: _InFlight, quiet: QuietLog
) -> None:
    """Every process dispatches: rows are claimed with a lease, so workers share them."""
    with jobs.running():
        # The platforms started so far: more are added while this runs, at a start.
        started = dict(adapters)
        # Down, whatever the sends show, while an adapter cannot get its platform's messages.
        unreachable = {
            name: adapter.receiving_trouble
            for name, adapter in started.items()
            if isinstance(adapter, Receiving) and adapter.receiving_trouble
        }
        try:
            await core.dispatch(started)
            # For /healthz and `circlebot outbox`, in this process and in others.
            await core.report_health(started, unreachable)
        except Exception as error:
            if not database_unavailable(error):
                log.exception("outbox dispatch failed; the next one retries")
            else:  # an outage: one line a minute, not a traceback a run
                quiet.warning(
                    "dispatch", "outbox dispatch failed (%s); the next one retries", error
                )


async def _start(
    adapter: Adapter, core: Core, running: dict[str, Adapter], stop: asyncio.Event
) -> None:
    """Start one platform's adapter. While its platform cannot be reached, try again with a
    growing wait: the scheduler, the web app and the other platforms run meanwhile, and the
    platform shows as down in /healthz and `circlebot outbox`."""
    quiet = QuietLog(log)
    delay = START_RETRY_FIRST_SECONDS
    while not stop.is_set():
        try:
            await adapter.start()
        except Exception as error:
            # The kind only, unless the adapter says why in words without a secret: a client's
            # error may quote a URL that holds the bot's token.
            reason = str(error) if isinstance(error, StartRefused) else type(error).__name__
            quiet.warning(adapter.platform, "could not start (%s); trying again", reason)
            await _seen(core, adapter.platform, "down", "could not start: " + reason)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
            delay = min(delay * 2, START_RETRY_LONGEST_SECONDS)
            continue
        running[adapter.platform] = adapter
        await _seen(core, adapter.platform, "up")
        log.info("%s: started", adapter.platform)
        return


async def _seen(core: Core, platform: str, state: str, detail: str | None = None) -> None:
    with contextlib.suppress(Exception):  # the database may be what is down
        await core.platform_seen(platform, state, detail)


async def _work(settings: Settings) -> None:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    core = _core(settings, _clock(settings))
    leadership = core.leadership()
    adapters: dict[str, Adapter] = {}
    running: dict[str, Adapter] = {}
    starting: list[asyncio.Task[None]] = []
    scheduler = AsyncIOScheduler()
    jobs = _InFlight()
    stop = _stop_on_signals()
    try:
        await core.upgrade()
        adapters = platform_adapters(settings, core)
        # Platforms an earlier worker ran and this one is not configured for: not "up".
        await core.forget_platforms(adapters)
        if not adapters:
            log.warning("no platform adapter configured: messages wait in the outbox")
        if UssdSettings().configured and not SmsSettings().at_username:
            log.warning(
                "ussd: no Africa's Talking SMS gateway (AT_USERNAME, AT_API_KEY): the "
                "reminders, check-ins and letters of learners who dial in wait in the outbox"
            )
        # Only started adapters are dispatched to; one that cannot start keeps trying.
        starting = [
            asyncio.create_task(_start(adapter, core, running, stop), name=f"start-{name}")
            for name, adapter in adapters.items()
        ]
        # The jobs keep no state (the database does), so the memory job store is all they need.
        # Digests have no job of their own: the tick derives them with reminders and check-ins.
        now = datetime.now(UTC)
        scheduler.add_job(
            _tick,
            "interval",
            args=[core, leadership, jobs, QuietLog(log)],
            seconds=settings.tick_interval,
            max_instances=1,
            coalesce=True,
            next_run_time=now,
        )
        scheduler.add_job(
            _dispatch,
            "interval",
            args=[core, running, jobs, QuietLog(log)],
            seconds=settings.dispatch_interval,
            max_instances=1,
            coalesce=True,
            next_run_time=now,
        )
        scheduler.start()
        await _serve(core, settings, stop, adapters)
        log.info("stopping")
    finally:
        if scheduler.running:
            scheduler.pause()  # no new runs; those in flight finish
            await jobs.finish(SHUTDOWN_GRACE_SECONDS)
            scheduler.shutdown(wait=False)  # cancels any still running: their work rolls back
            await asyncio.sleep(0)  # let those unwind before the engine goes
        for task in starting:
            task.cancel()
        await leadership.release()
        for adapter in running.values():
            await adapter.stop()
        # Stopped on purpose, not silent: `circlebot outbox` says so (another worker still
        # running writes its own state again within a minute).
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SHUTDOWN_GRACE_SECONDS):  # the database may be away
                for name in adapters:
                    await _seen(core, name, "stopped")
        await core.close()


@app.command()
def run() -> None:
    """The worker: the tick (in the leading process) and the outbox dispatcher on a schedule,
    platform adapters, and the web app. Stops cleanly on SIGTERM or Ctrl-C."""
    settings = load_settings()
    _logging()
    _check_database(settings, not_ahead=True)
    _check_redis(settings)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every run at INFO
    if settings.rehearsal_start is not None:
        # Rehearsal intervals can be shorter than a job takes: runs skipped because the last
        # one is still going are expected there, not worth a warning each.
        logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    with _the_only_worker(settings):
        settings = _rehearsal(settings, upgrade=True)
        try:
            asyncio.run(_work(settings))
        except CannotStart as error:
            _fail([str(error)])


@contextmanager
def _the_only_worker(settings: Settings) -> Iterator[None]:
    """On SQLite, one `circlebot run` per file: a second would lead the scheduler and poll
    Telegram too (a 409 Conflict), each with its own send budget, so twice the platforms'
    rates. A lock on a file beside the database, held while the worker runs (the system drops
    it when the process dies), stops the second with one line (exit 2). PostgreSQL's workers
    share the lead through an advisory lock instead."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        yield
        return
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no lock to take
        yield
        return
    path = Path(f"{url.database}.lock")
    with path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip()
            _fail(
                [
                    f"another circlebot run already uses the SQLite file {url.database}"
                    + (f" (pid {holder})" if holder.isdigit() else "")
                    + ": one worker per SQLite file; use PostgreSQL for several workers"
                ]
            )
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()  # the pid of a process gone no longer names the holder


def main() -> None:
    app()
