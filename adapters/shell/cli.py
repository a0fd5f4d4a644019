"""The `circlebot` command: the composition root that wires settings, core and adapters."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import signal
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from adapters.shell.platforms import described, platform_adapters
from adapters.shell.settings import Settings
from bot.chat.clock import Clock, SystemClock, WarpClock
from bot.chat.contract import Adapter
from bot.chat.platforms import Platform
from bot.chat.quiet import QuietLog
from bot.core import Core, Leadership, LetterPolicy, database_unavailable, upgrade_database

app = typer.Typer(no_args_is_help=True, help="circlebot: a chat-bot for learning circles.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
app.add_typer(db_app, name="db")

log = logging.getLogger("circlebot")

SHUTDOWN_GRACE_SECONDS = 10.0  # how long a stopping worker waits for its running jobs
# A platform that cannot be reached at start: tried again after 5 s, then twice as long each
# time, up to 5 minutes; the scheduler and the web app do not wait for them.
START_RETRY_FIRST_SECONDS = 5.0
START_RETRY_LONGEST_SECONDS = 300.0


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

    async def report() -> None:
        core = _core(Settings())
        try:
            await core.upgrade()
            revived = await core.revive() if action == "revive" else None
            counts = await core.outbox_counts()
            rows = await core.dead_messages(limit=dead)
            health = await core.platform_health()
        finally:
            await core.close()
        if revived is not None:
            typer.echo(f"revived: {revived}")
        typer.echo(", ".join(f"{status}: {count}" for status, count in counts.items()))
        for platform, (state, detail) in sorted(health.items()):
            typer.echo(f"{platform}: {state}" + (f" ({detail})" if detail else ""))
        for row in rows:
            typer.echo(
                f"dead #{row.id} {row.kind} to {row.platform} after {row.attempts} attempts "
                f"({row.created_at:%Y-%m-%d %H:%M} UTC, {row.failure or 'transient'}): "
                f"{row.last_error}"
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
    import os
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
    settings = Settings()
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

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(session())


def _sms_person(entry: str) -> tuple[str, str]:
    """`Grace=+254700000001` as (name, number)."""
    name, _, number = entry.partition("=")
    if not name.strip() or not re.fullmatch(r"\+?[0-9]{6,15}", number.strip()):
        raise typer.BadParameter(f"{entry!r}: NAME=NUMBER, e.g. Grace=+254700000001")
    return name.strip(), number.strip()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (the Procfile's release step)."""
    logging.basicConfig(level=logging.INFO)
    asyncio.run(upgrade_database(Settings().database_url))


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
    await web.TCPSite(runner, host="0.0.0.0", port=settings.port).start()
    log.info("web app listening on port %s", settings.port)
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await runner.cleanup()


@app.command()
def serve() -> None:
    """The web process: health now, platform webhooks as adapters land."""
    settings = Settings()
    logging.basicConfig(level=logging.INFO)

    async def main() -> None:
        core = _core(settings)
        adapters = platform_adapters(settings, core, worker=False)
        try:
            for adapter in adapters.values():
                await adapter.start()
            await _serve(core, settings, adapters=adapters)
        finally:
            for adapter in adapters.values():
                await adapter.stop()
            await core.close()

    asyncio.run(main())


def _clock(settings: Settings) -> Clock:
    """The system clock, or the rehearsal clock when REHEARSAL_START is set."""
    if settings.rehearsal_start is None:
        return SystemClock()
    clock = WarpClock(settings.rehearsal_start, settings.rehearsal_speed, settings.rehearsal_origin)
    log.warning(
        "REHEARSAL, not real time: the clock reads %s at unix time %.3f and runs %g times fast",
        clock.start.isoformat(),
        clock.origin,
        clock.speed,
    )
    return clock


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


async def _dispatch(
    core: Core, adapters: dict[str, Adapter], jobs: _InFlight, quiet: QuietLog
) -> None:
    """Every process dispatches: rows are claimed with a lease, so workers share them."""
    with jobs.running():
        try:
            await core.dispatch(adapters)
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
            # The kind only: a client's error may quote a URL that holds the bot's token.
            reason = type(error).__name__
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
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)

    def stopping() -> None:
        stop.set()
        for signum in signals:  # a second Ctrl-C interrupts a shutdown that hangs
            loop.remove_signal_handler(signum)

    for signum in signals:
        loop.add_signal_handler(signum, stopping)
    try:
        await core.upgrade()
        adapters = platform_adapters(settings, core)
        if not adapters:
            log.warning("no platform adapter configured: messages wait in the outbox")
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
        await core.close()


@app.command()
def run() -> None:
    """The worker: the tick (in the leading process) and the outbox dispatcher on a schedule,
    platform adapters, and the web app. Stops cleanly on SIGTERM or Ctrl-C."""
    settings = Settings()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every run at INFO
    if settings.rehearsal_start is not None:
        # Rehearsal intervals can be shorter than a job takes: runs skipped because the last
        # one is still going are expected there, not worth a warning each.
        logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    asyncio.run(_work(settings))


def main() -> None:
    app()
