"""`circlebot bench-dispatch`: the outbox dispatcher and Telegram replies against a fake Bot API
that enforces Telegram's limits (adapters/devtools/fake_bot_api.py: 30 sends a second overall,
one a second per chat, 20 a minute per group).

Everything runs for real but Telegram: a fresh PostgreSQL database (dropped afterwards), the
real TelegramAdapter (python-telegram-bot) in separate processes, the real dispatcher through
Core.dispatch. Two phases:

- Dispatch: `messages` outbox rows to `chats` private chats, drained by N worker processes
  (each loops Core.dispatch every 0.2 s until no row is pending), for each N in `processes`.
  Figures, from what the fake accepted: the sends, the 429 answers, the peak sends in any
  sliding one-second window (and the peak of tries, 429s included), the drain time (first to
  last send accepted) and the achieved rate over the limit (sends / drain time / 30).
- Replies: one web process taking Telegram webhooks (and one worker dispatching beside it, as
  in a deployment), then `burst` different people send /start at once. A person's latency is
  the time from posting their update to the fake accepting a send to their chat. Measured
  quiet, then again while `background` rows are being dispatched.

Speed is not asserted anywhere (these are figures, not tests). Worker processes run this module
with --worker or --serve; they read the database URL, the fake's URL and the token from the
environment, say "ready" on stdout, and take "go" and "stop" on stdin.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import math
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import aiohttp
from aiohttp import web
from pydantic import SecretStr

from adapters.devtools.fake_bot_api import (
    OVERALL_PER_SECOND,
    TOKEN,
    Accepted,
    FakeBotApi,
    Refused,
)
from adapters.platforms import telegram_platform
from adapters.platforms.telegram_bot import SECRET_HEADER, TelegramAdapter
from adapters.platforms.telegram_platform import PLATFORM, TelegramSettings
from bot.chat.clock import SystemClock
from bot.chat.messages import Address, Outbound
from bot.core import Core, upgrade_database
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey, enqueue_many
from bot.storage.database import create_engine, session_factory

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DISPATCH_EVERY_SECONDS = 0.2
REPLY_WAIT_SECONDS = 60.0  # how long the burst waits for replies after posting its updates
START_SECONDS = 60.0  # how long a worker process may take to start
# Chat ids: the dispatch phase's chats, the background rows' chats, the burst's people.
DISPATCH_CHATS = 100_000
BACKGROUND_CHATS = 200_000
BURST_PEOPLE = 300_000
_ENV_DATABASE = "CIRCLEBOT_BENCH_DATABASE_URL"
_ENV_API = "CIRCLEBOT_BENCH_API_BASE_URL"
_ENV_TOKEN = "CIRCLEBOT_BENCH_TOKEN"
_NUMBERED = re.compile(r"#(\d+)$")  # the dispatch phase's texts end with their number
# A log line's level and message, after the date and time `circlebot run` puts first.
_LOGGED = re.compile(r"(?:\d{4}-\d\d-\d\d [\d:,.]+ )?((?:WARNING|ERROR|CRITICAL) .*)")
_databases = itertools.count()
_bursts = itertools.count()


@dataclass(frozen=True)
class DrainFigures:
    """One dispatch run: `processes` workers draining `messages` rows."""

    processes: int
    messages: int
    calls: int  # sends the fake accepted
    too_many: int  # 429 answers
    peak: int  # most sends accepted in any sliding one-second window
    peak_tries: int  # the same, counting the sends refused with 429 too
    drain_seconds: float  # first to last send accepted
    limit: int  # the fake's overall limit, per second
    duplicates: int  # sends of a message already accepted once
    missing: int  # rows never accepted
    out_of_order: int  # chats that read their messages out of the order they were written
    dead: int  # rows the dispatcher gave up on
    dispatch_runs: int  # Core.dispatch calls, all workers together
    too_many_by: dict[str, int] = field(default_factory=dict)  # 429s by limit ("chat"...)
    out_of_order_chats: tuple[str, ...] = ()  # a few of them, with the order they read
    log_lines: tuple[str, ...] = ()  # the workers' warnings and errors, most frequent first

    @property
    def rate(self) -> float:
        """Achieved rate over the limit: accepted sends / drain time / limit."""
        if self.drain_seconds <= 0:
            return math.nan
        return self.calls / self.drain_seconds / self.limit


@dataclass(frozen=True)
class BurstFigures:
    """`people` sending /start at once to the webhook, `background` rows dispatching meanwhile."""

    people: int
    background: int
    latencies: tuple[float, ...]  # seconds, sorted, one per reply that arrived
    too_many: int  # 429 answers while the burst lasted (replies and background)
    webhook_errors: int  # webhook posts not answered 200
    duplicates: int  # people answered more than once
    background_sends: int = 0  # background rows sent before the last reply went out
    too_many_by: dict[str, int] = field(default_factory=dict)
    log_lines: tuple[str, ...] = ()

    @property
    def missing(self) -> int:
        return self.people - len(self.latencies)

    def percentile(self, share: float) -> float:
        return percentile(self.latencies, share)


@dataclass(frozen=True)
class DispatchFigures:
    database: str  # the database's name
    drains: list[DrainFigures] = field(default_factory=list)
    bursts: list[BurstFigures] = field(default_factory=list)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share 0.5 for p50) of `values`; nan when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def peak_in_window(times: Sequence[float], window: float = 1.0) -> int:
    """The most of `times` in any sliding window [t, t + window)."""
    ordered = sorted(times)
    best = 0
    start = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


# -- the bench, in the parent process --------------------------------------------------------


def run(
    messages: int = 600,
    chats: int = 200,
    processes: tuple[int, ...] = (1, 2),
    burst: int = 200,
    database_url: str | None = None,
    *,
    background: int | None = None,
    output: TextIO | None = None,
) -> None:
    """Measure and print the figures. `background` rows (default: `messages`) are dispatched
    during a second burst; 0 skips that burst."""
    figures = asyncio.run(
        measure(messages, chats, processes, burst, database_url, background=background)
    )
    (output or sys.stdout).write(report(figures, messages, chats))


async def measure(
    messages: int = 600,
    chats: int = 200,
    processes: tuple[int, ...] = (1, 2),
    burst: int = 200,
    database_url: str | None = None,
    *,
    background: int | None = None,
    admin_url: str = ADMIN_URL,
    reply_wait: float = REPLY_WAIT_SECONDS,
) -> DispatchFigures:
    """The figures, without printing. Without `database_url`, a fresh PostgreSQL database is
    made on the server at `admin_url` and dropped at the end (on failure too)."""
    background = messages if background is None else background
    async with _database(database_url, admin_url) as (url, name):
        await upgrade_database(url)
        fake = FakeBotApi()
        api = await fake.start()
        figures = DispatchFigures(name)
        try:
            with tempfile.TemporaryDirectory(prefix="circlebot-dispatch-bench-") as logs:
                bench = _Bench(fake, url, api, Path(logs))
                for count in processes:
                    figures.drains.append(await bench.drain(count, messages, chats))
                if burst:
                    figures.bursts.append(await bench.burst(burst, 0, chats, reply_wait))
                    if background:
                        figures.bursts.append(
                            await bench.burst(burst, background, chats, reply_wait)
                        )
        finally:
            await fake.close()
    return figures


def report(figures: DispatchFigures, messages: int, chats: int) -> str:
    lines = [
        f"dispatch bench: {messages} messages to {chats} chats, against a fake Telegram "
        f"enforcing {OVERALL_PER_SECOND}/s overall, 1/s per chat (database {figures.database})",
        "processes  messages  calls  429s  peak/s  tries/s  drain s  rate/limit",
    ]
    for d in figures.drains:
        lines.append(
            f"{d.processes:>9}  {d.messages:>8}  {d.calls:>5}  {d.too_many:>4}  {d.peak:>6}  "
            f"{d.peak_tries:>7}  {d.drain_seconds:>7.2f}  {d.rate:>10.2f}"
        )
    lines.append(
        "peak/s: most sends accepted in any sliding 1-second window; tries/s: the same with "
        "the sends refused (429) counted; rate/limit: sends / drain s / "
        f"{OVERALL_PER_SECOND}"
    )
    for d in figures.drains:
        trouble = {
            "duplicates": d.duplicates,
            "missing": d.missing,
            "chats out of order": d.out_of_order,
            "dead rows": d.dead,
        }
        wrong = ", ".join(f"{name} {count}" for name, count in trouble.items() if count)
        if wrong:
            lines.append(f"  {d.processes} processes: {wrong}")
        lines.extend(f"  out of order: {chat}" for chat in d.out_of_order_chats)
        if d.too_many:
            lines.append(f"  {d.processes} processes, 429s by limit: {_by_limit(d.too_many_by)}")
        lines.extend(f"  {d.processes} processes, worker log: {line}" for line in d.log_lines)
    for b in figures.bursts:
        during = f", {b.background} rows dispatching" if b.background else " (quiet)"
        lines.append(
            f"burst: {b.people} people /start at once{during}: {len(b.latencies)}/{b.people} "
            f"replies, p50 {b.percentile(0.5):.2f} s, p95 {b.percentile(0.95):.2f} s, "
            f"max {max(b.latencies, default=math.nan):.2f} s, 429s {b.too_many}"
            + (f" ({_by_limit(b.too_many_by)})" if b.too_many else "")
            + (f", {b.background_sends} rows sent before the last reply" if b.background else "")
            + (f", webhook errors {b.webhook_errors}" if b.webhook_errors else "")
            + (f", answered twice {b.duplicates}" if b.duplicates else "")
        )
        lines.extend(f"  log: {line}" for line in b.log_lines)
    return "\n".join(lines) + "\n"


def _by_limit(counts: dict[str, int]) -> str:
    return ", ".join(f"{limit} {count}" for limit, count in sorted(counts.items()))


@asynccontextmanager
async def _database(database_url: str | None, admin_url: str) -> AsyncIterator[tuple[str, str]]:
    """(URL, name) of the database to use: the one given, or a new one dropped afterwards."""
    if database_url is not None:
        yield database_url, database_url.rsplit("/", 1)[-1]
        return
    async with scratch_database(admin_url) as made:
        yield made


@asynccontextmanager
async def scratch_database(
    admin_url: str = ADMIN_URL, *, template: str | None = None, prefix: str = "circlebot_bench"
) -> AsyncIterator[tuple[str, str]]:
    """(URL, name) of a new database on the server at `admin_url`, dropped afterwards (on
    failure too); a copy of the database named `template` when given (which nobody may be
    connected to meanwhile)."""
    name = f"{prefix}_{os.getpid()}_{next(_databases)}"
    copy = f' TEMPLATE "{template}"' if template else ""
    await _administer(admin_url, f'CREATE DATABASE "{name}"{copy}')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}", name
    finally:
        await _administer(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _administer(admin_url: str, statement: str) -> None:
    """One statement outside a transaction (CREATE and DROP DATABASE need that)."""
    engine = create_engine(admin_url)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


class _Bench:
    def __init__(self, fake: FakeBotApi, url: str, api: str, logs: Path) -> None:
        self.fake = fake
        self.url = url
        self.api = api
        self.logs = logs
        self.runs = itertools.count()
        self.children = itertools.count()

    async def enqueue(self, label: str, count: int, chats: int, first_chat: int) -> list[str]:
        """`count` announcement rows, round robin over the chats; returns their texts."""
        texts = []
        rows = []
        for number in range(count):
            chat = str(first_chat + number % chats)
            text = f"bench {label} #{number}"
            key = OutboxKey(MessageKind.ANNOUNCEMENT, f"bench:{label}", f"chat:{chat}", str(number))
            rows.append((key, Outbound(Address(PLATFORM, chat), text), "en"))
            texts.append(text)
        engine = create_engine(self.url)
        try:
            async with session_factory(engine)() as session, session.begin():
                await enqueue_many(session, rows, SystemClock().now())
        finally:
            await engine.dispose()
        return texts

    def spawn(self, *args: str) -> _Child:
        return _Child(self, args)

    async def outbox(self) -> dict[str, int]:
        core = _telegram_core(self.url, self.api, TOKEN)[0]
        try:
            return await core.outbox_counts()
        finally:
            await core.close()

    async def drain(self, processes: int, messages: int, chats: int) -> DrainFigures:
        label = f"drain{next(self.runs)}"
        texts = await self.enqueue(label, messages, chats, DISPATCH_CHATS)
        before = await self.outbox()
        deadline = 60 + 10 * messages / OVERALL_PER_SECOND
        workers = [self.spawn("--worker", "--deadline", str(deadline)) for _ in range(processes)]
        try:
            for worker in workers:
                await worker.start()
            mark = time.monotonic()
            for worker in workers:
                await worker.tell("go")
                worker.close_input()  # drain until nothing is pending, then stop
            results = [await worker.finish(deadline + 30) for worker in workers]
        finally:
            for worker in workers:
                await worker.kill()
        wanted = set(texts)
        sends = [s for s in self.fake.sends(since=mark) if s.text in wanted]
        refused = self.fake.too_many(since=mark)
        seen = Counter(s.text for s in sends)
        after = await self.outbox()
        disorder = _out_of_order(sends, refused, mark)
        return DrainFigures(
            processes=processes,
            messages=messages,
            calls=len(sends),
            too_many=len(refused),
            peak=peak_in_window([s.at for s in sends]),
            peak_tries=peak_in_window([s.at for s in sends] + [r.at for r in refused]),
            drain_seconds=(sends[-1].at - sends[0].at) if sends else 0.0,
            limit=OVERALL_PER_SECOND,
            duplicates=sum(count - 1 for count in seen.values()),
            missing=len(wanted - seen.keys()),
            out_of_order=len(disorder),
            out_of_order_chats=tuple(disorder[:3]),
            dead=after["dead"] - before["dead"],
            dispatch_runs=sum(int(result.get("runs", 0)) for result in results),
            too_many_by=dict(Counter(r.limit for r in refused)),
            log_lines=log_summary(worker.log for worker in workers),
        )

    async def burst(
        self, people: int, background: int, chats: int, reply_wait: float
    ) -> BurstFigures:
        number = next(_bursts)
        if background:
            await self.enqueue(f"background{number}", background, chats, BACKGROUND_CHATS)
        server = self.spawn("--serve")
        worker = self.spawn("--worker", "--until-stopped", "--deadline", "600")
        try:
            await asyncio.gather(server.start(), worker.start())  # side by side: quicker
            webhook = self.fake.webhook
            if webhook is None:
                raise RuntimeError("the web process did not set its webhook")
            await worker.tell("go")
            if background:
                await asyncio.sleep(1.0)  # the dispatcher at its pace before the burst
            first_person = BURST_PEOPLE + number * 10_000
            mark = time.monotonic()
            posted, statuses = await _post_starts(webhook, first_person, people, number)
            chats_wanted = set(posted)
            deadline = time.monotonic() + reply_wait
            while time.monotonic() < deadline:
                answered = {s.chat_id for s in self.fake.sends(since=mark)}
                if chats_wanted <= answered:
                    break
                await asyncio.sleep(0.05)
            end = time.monotonic()
            await worker.tell("stop")
            worker.close_input()
            await server.tell("stop")
            server.close_input()
            await worker.finish(600)
            await server.finish(30)
        finally:
            await worker.kill()
            await server.kill()
        first: dict[str, Accepted] = {}
        replies: Counter[str] = Counter()
        for send in self.fake.sends(since=mark):
            if send.chat_id in posted and send.at >= posted[send.chat_id]:
                replies[send.chat_id] += 1
                first.setdefault(send.chat_id, send)
        latencies = sorted(first[chat].at - posted[chat] for chat in first)
        last_reply = max((send.at for send in first.values()), default=mark)
        others = [
            s for s in self.fake.sends(since=mark, until=last_reply) if s.chat_id not in posted
        ]
        refused = self.fake.too_many(since=mark, until=end)
        return BurstFigures(
            people=people,
            background=background,
            latencies=tuple(latencies),
            too_many=len(refused),
            too_many_by=dict(Counter(r.limit for r in refused)),
            webhook_errors=sum(1 for status in statuses if status != 200),
            duplicates=sum(1 for count in replies.values() if count > 1),
            background_sends=len(others),
            log_lines=log_summary([server.log, worker.log]),
        )


async def _post_starts(
    webhook: dict[str, str], first_person: int, people: int, number: int
) -> tuple[dict[str, float], list[int]]:
    """Post one /start update per person, all at once; when each was posted, by chat id, and
    the webhook's answers."""
    posted: dict[str, float] = {}
    headers = {SECRET_HEADER: webhook["secret_token"]}
    timeout = aiohttp.ClientTimeout(total=300)
    # No cap on connections: Telegram delivers a burst of updates in parallel too.
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), timeout=timeout
    ) as http:

        async def post(index: int) -> int:
            person = first_person + index
            update = _start_update(number * 100_000 + index + 1, person)
            posted[str(person)] = time.monotonic()
            try:
                async with http.post(webhook["url"], json=update, headers=headers) as response:
                    await response.read()
                    return response.status
            except aiohttp.ClientError:
                return 0

        statuses = await asyncio.gather(*(post(index) for index in range(people)))
    return posted, list(statuses)


def _start_update(update_id: int, person: int) -> dict[str, Any]:
    user = {"id": person, "is_bot": False, "first_name": f"P{person}", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": person, "type": "private", "first_name": user["first_name"]},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def _out_of_order(sends: Sequence[Accepted], refused: Sequence[Refused], since: float) -> list[str]:
    """Chats whose messages (numbered "#N" in the order written) arrived out of order, each as
    "chat: what the fake saw" (the tries it refused marked 429, times from `since`)."""
    numbers: defaultdict[str | None, list[int]] = defaultdict(list)
    for send in sends:
        found = _NUMBERED.search(send.text or "")
        if found:
            numbers[send.chat_id].append(int(found.group(1)))
    wrong = {chat for chat, seq in numbers.items() if seq != sorted(seq)}
    seen: defaultdict[str | None, list[tuple[float, str]]] = defaultdict(list)
    calls: list[Accepted | Refused] = [*sends, *refused]
    for call in calls:
        found = _NUMBERED.search(call.text or "")
        if call.chat_id in wrong and found:
            what = "ok" if isinstance(call, Accepted) else f"{call.code}"
            seen[call.chat_id].append((call.at, f"#{found.group(1)} {what} {call.at - since:.2f}s"))
    return [
        f"{chat}: " + ", ".join(event for _, event in sorted(events))
        for chat, events in seen.items()
    ]


def log_summary(paths: Any, keep: int = 4, ignore: Sequence[str] = ()) -> tuple[str, ...]:
    """The workers' warnings and errors (lines starting with the level, after a timestamp if
    any), numbers masked, with counts: errors first, then the most frequent; lines holding any
    of `ignore` are left out."""
    counts: Counter[str] = Counter()
    for path in paths:
        with suppress(OSError):
            for line in Path(path).read_text(errors="replace").splitlines():
                found = _LOGGED.match(line)
                if found and not any(words in line for words in ignore):
                    counts[re.sub(r"\d+(\.\d+)?", "N", found.group(1))[:160]] += 1
    ranked = sorted(counts.items(), key=lambda item: (item[0].startswith("WARNING"), -item[1]))
    return tuple(f"{count}x {line}" for line, count in ranked[:keep])


class _Child:
    """A worker process running this module with --worker or --serve."""

    def __init__(self, bench: _Bench, args: tuple[str, ...]) -> None:
        self.args = args
        self.env = {
            **os.environ,
            _ENV_DATABASE: bench.url,
            _ENV_API: bench.api,
            _ENV_TOKEN: TOKEN,
        }
        self.log = bench.logs / f"{args[0].strip('-')}-{next(bench.children)}.log"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> str:
        """Start it and wait until it says it is ready; returns what it said."""
        with self.log.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                __spec__.name if __spec__ else "adapters.devtools.dispatch_bench",
                *self.args,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
                env=self.env,
            )
        line = await self._line(START_SECONDS)
        if not line.startswith("ready"):
            raise RuntimeError(f"bench process {self.args[0]} did not start:\n{self._tail()}")
        return line

    async def tell(self, word: str) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(word.encode() + b"\n")
        with suppress(ConnectionError):
            await self.process.stdin.drain()

    def close_input(self) -> None:
        if self.process is not None and self.process.stdin is not None:
            self.process.stdin.close()

    async def finish(self, seconds: float) -> dict[str, Any]:
        """Wait for it to end; what it reported."""
        line = await self._line(seconds)
        assert self.process is not None
        await asyncio.wait_for(self.process.wait(), 30)
        if not line.startswith("done"):
            raise RuntimeError(f"bench process {self.args[0]} failed:\n{self._tail()}")
        result: dict[str, Any] = json.loads(line.removeprefix("done").strip() or "{}")
        return result

    async def kill(self) -> None:
        """End it if it is still running (only this process, by its id)."""
        process = self.process
        if process is not None and process.returncode is None:
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    async def _line(self, seconds: float) -> str:
        assert self.process is not None and self.process.stdout is not None
        try:
            raw = await asyncio.wait_for(self.process.stdout.readline(), seconds)
        except TimeoutError:
            return ""
        return raw.decode().strip()

    def _tail(self, lines: int = 30) -> str:
        with suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""


# -- the worker processes ----------------------------------------------------------------------


def _telegram_core(url: str, api: str, token: str) -> tuple[Core, TelegramSettings]:
    """A core as the app builds it, describing Telegram as its adapter does."""
    settings = TelegramSettings(telegram_bot_token=SecretStr(token), telegram_api_base_url=api)
    platform = telegram_platform.describe(settings)
    core = Core.from_url(url, SystemClock(), random.Random(), platforms=[platform])
    return core, settings


class _Orders:
    """ "go" and "stop" from the parent, on stdin (its end counts as both)."""

    def __init__(self) -> None:
        self.go = asyncio.Event()
        self.stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def read() -> None:
            for line in sys.stdin:
                word = line.strip()
                if word == "go":
                    loop.call_soon_threadsafe(self.go.set)
                elif word == "stop":
                    loop.call_soon_threadsafe(self.stop.set)
            loop.call_soon_threadsafe(self.go.set)
            loop.call_soon_threadsafe(self.stop.set)

        # A daemon thread: blocked on stdin, it does not hold the process at exit.
        threading.Thread(target=read, name="bench-orders", daemon=True).start()


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def _work(until_stopped: bool, deadline_seconds: float) -> None:
    """Dispatch every 0.2 s until nothing is pending (and, with `until_stopped`, until told to
    stop), or until the deadline."""
    core, settings = _telegram_core(
        os.environ[_ENV_DATABASE], os.environ[_ENV_API], os.environ[_ENV_TOKEN]
    )
    adapter = TelegramAdapter.from_settings(settings, core, polling=False)
    orders = _Orders()
    runs = sent = failures = 0
    pending = -1
    try:
        await adapter.start()
        _say("ready")
        await orders.go.wait()
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline:
            try:
                sent += await core.dispatch({PLATFORM: adapter})
            except Exception:
                failures += 1
                logging.getLogger("circlebot.bench").exception("dispatch failed")
            runs += 1
            pending = (await core.outbox_counts())["pending"]
            if pending == 0 and (not until_stopped or orders.stop.is_set()):
                break
            await asyncio.sleep(DISPATCH_EVERY_SECONDS)
    finally:
        await adapter.stop()
        await core.close()
    _say(
        "done " + json.dumps({"runs": runs, "sent": sent, "failures": failures, "pending": pending})
    )


async def _serve() -> None:
    """The web process: the Telegram adapter taking webhooks on a free port of 127.0.0.1."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    core, settings = _telegram_core(
        os.environ[_ENV_DATABASE], os.environ[_ENV_API], os.environ[_ENV_TOKEN]
    )
    adapter = TelegramAdapter.from_settings(
        settings, core, polling=False, public_base_url=f"http://127.0.0.1:{port}"
    )
    orders = _Orders()
    # As adapters/shell/web.py builds the shared app (the shell is not imported from here).
    app = web.Application(client_max_size=64 * 1024)
    runner = web.AppRunner(app, access_log=None)
    try:
        await adapter.start()
        adapter.add_routes(app)
        await runner.setup()
        await web.SockSite(runner, listening).start()
        _say(f"ready {port}")
        await orders.stop.wait()
    finally:
        await runner.cleanup()
        await adapter.stop()
        await core.close()
        listening.close()
    _say("done {}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The dispatch bench (see the module's doc).")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    mode.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--until-stopped", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, default=600.0, help=argparse.SUPPRESS)
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--background", type=int, default=None)
    parser.add_argument("--database-url", default=None)
    options = parser.parse_args(argv)
    if options.worker or options.serve:
        logging.basicConfig(
            level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
        )
        if options.worker:
            asyncio.run(_work(options.until_stopped, options.deadline))
        else:
            asyncio.run(_serve())
        return
    run(
        options.messages,
        options.chats,
        tuple(options.processes),
        options.burst,
        options.database_url,
        background=options.background,
    )


if __name__ == "__main__":
    main()
