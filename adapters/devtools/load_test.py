"""`circlebot load-test`: N `circlebot run` processes on one PostgreSQL database play a week of a
large network against the local fake Bot API (adapters/devtools/fake_bot_api.py).

The network (100,000 learners in 10,000 circles by default) is seeded in bulk, not through the
router, into a template database that each run copies: Telegram accounts, circles meeting on
every day of the week in five time zones, each in some week of its six (a sixth of them at their
first meeting, a sixth at their last), and last week's check-ins (the share that answered, the
others' questions still open, so their nudges fall due). Each run then plays the week from
Monday 2026-11-16 00:00 UTC on a rehearsal clock every process shares (REHEARSAL_START, _SPEED,
_ORIGIN), squeezed into `week_seconds` of real time: the leader's tick derives the reminders (with
their calendar file), digests, check-ins, nudges, letter invitations and close-outs as they fall
due, and every process dispatches.

Learners answer through the webhooks, each update going to one process as a load balancer
hashing on the chat would send it: a share of those who get a check-in (20% by default) answer it
within the rehearsal hour (tapping a rating, then writing a sentence when asked). Never within a
real second of the message they answer: a person reads first, and Telegram's one-a-second pace
per chat would otherwise be what is measured.

The fake Bot API holds the sends to Telegram's per-chat pace (one a second) and to `api_rate`
a second overall: 1,000 by default, Telegram's paid-broadcast ceiling for a large bot (at the
free 30 a second the bot's own budget would be the only thing measured). Figures per run:
- calls: Bot API sends accepted from the week's start until its last message went out, their
  rate over that time, and the most in any one-second window;
- lag: how long after the week's end (real time) its last message went out;
- reply latency p50/p95/p99: from posting a learner's update to the fake accepting the next
  message to their chat; lost: answers never replied to;
- the outbox backlog (pending rows) sampled every second, and its peak;
- each process's peak memory (VmHWM) and CPU time, and this process's (the fake API and the
  learners) CPU time, since the machine's cores are shared by all of them.
Speed is not asserted anywhere (figures, not tests).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import os
import random
import resource
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import aiohttp
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.devtools.bench import PLACES, SEED_CHUNK, START_TIMES, _join_codes, seeded_circle
from adapters.devtools.dispatch_bench import (
    ADMIN_URL,
    log_summary,
    peak_in_window,
    percentile,
    scratch_database,
)
from adapters.devtools.fake_bot_api import TOKEN, FakeBotApi
from adapters.platforms.telegram_bot import SECRET_HEADER, WEBHOOK_PATH
from adapters.platforms.telegram_platform import PLATFORM
from bot.chat.clock import WarpClock
from bot.chat.i18n import Catalogs
from bot.circles.meetings import local_instant
from bot.rhythm import checkins
from bot.scheduling.tick import MARK
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import (
    Account,
    CheckIn,
    Circle,
    Meeting,
    Membership,
    Person,
    Question,
    QuestionKind,
    Role,
    TickMark,
)
from locales import LOCALES_DIR
from prompts import checkin as checkin_prompts
from prompts.library import choose, phase_of

WEEK_START = datetime(2026, 11, 16, tzinfo=UTC)  # a Monday, weeks clear of any DST change
WEEK = timedelta(days=7)
WEEK_END = WEEK_START + WEEK
MEETINGS = 6  # a season: the circles are spread over its weeks
TELEGRAM_IDS = 7_000_000  # a person's Telegram id (and private chat) is this plus their id
API_RATE = 1000  # sends a second the fake accepts overall (Telegram's paid-broadcast ceiling)
ANSWERING = 0.2
READING_SECONDS = 1.2  # real time before a learner answers what they just received
WRITING_MINUTES = 5.0  # rehearsal time a learner takes, at most, to write the open answer
# Rehearsal time between ticks: short enough for the one-hour reminders to fall due in a tick
# before their meeting starts, no shorter (a tick costs the leader the same with nothing due)...
TICK_MINUTES = 20.0
TICK_SECONDS_MIN = 0.05  # ...but never more often than this, in real time
DISPATCH_SECONDS = 0.2  # real time between dispatcher runs
SAMPLE_SECONDS = 1.0  # the backlog and the processes' memory, sampled this often
# The tables a week churns, analysed this often in real time, as autovacuum would (a server may
# run without it, and its one-minute naptime is days of a squeezed week): with statistics from
# before a burst, the dispatcher's claim query can take minutes (see the README).
ANALYZE_SECONDS = 10.0
_CHURNED = ("outboxmessage", "outboxreceipt", "question", "conversation", "checkin", "sendbudget")
START_SECONDS = 120.0  # how long the processes may take to start
# A stopping process waits for its dispatcher's run (a backlog: up to SHUTDOWN_GRACE_SECONDS);
# the figures are taken by then, so it is not waited for long.
STOP_SECONDS = 3.0
DRAIN_SECONDS = 600.0  # how long a run waits, after the week's end, for the week to go out
SECRET = "load-test-webhook-secret"
RATING_ANSWER = "4"
OPEN_ANSWER = "We got the loops working together, and I finally see why they matter."
# Inherited environment left out of the processes': only the fake platform runs.
_FOREIGN = ("TELEGRAM_", "DISCORD_", "TWILIO_", "AT_", "REDIS_URL", "TRANSCRIPT_FILE")
_RATINGS = frozenset(str(n) for n in checkins.RATINGS)


# -- the network ---------------------------------------------------------------------------


@dataclass
class Seeded:
    rows: int = 0
    seconds: float = 0.0


async def seed_network(
    engine: AsyncEngine, learners: int, circles: int, answering: float, seed: int = 1
) -> Seeded:
    """Bulk inserts (many rows per statement, explicit ids), as bench-checkins seeds: circles
    in PLACES, meeting on weekday `index % 7`, in week `1 + index // 7 % 6` of their season
    during the week played; a facilitator each and the learners spread evenly, all on Telegram;
    last week's check-ins answered by `answering` of the learners and waiting for the others;
    the tick's mark at the week's start."""
    if circles < 1 or learners < 0:
        raise ValueError("need at least one circle and no negative learners")
    started = time.perf_counter()
    rng = random.Random(seed)
    languages = Catalogs(LOCALES_DIR).locales
    codes = _join_codes(circles, rng)
    seeded = Seeded()
    person_id = meeting_id = row_id = 1
    learner_number = 0
    for chunk_start in range(0, circles, SEED_CHUNK):
        rows: defaultdict[Any, list[dict[str, Any]]] = defaultdict(list)
        for index in range(chunk_start, min(chunk_start + SEED_CHUNK, circles)):
            zone = PLACES[index % len(PLACES)][2]
            weekday = index % 7
            week = 1 + index // 7 % MEETINGS
            this_week = WEEK_START.date() + timedelta(days=weekday)
            start_date = this_week - timedelta(weeks=week - 1)
            start_time = START_TIMES[index % len(START_TIMES)]
            created = local_instant(start_date, start_time, zone) - timedelta(days=14)
            circle, planned, meeting_id = seeded_circle(
                rows,
                index,
                start_date=start_date,
                start_time=start_time,
                meetings=MEETINGS,
                language=languages[index % len(languages)],
                code=codes[index],
                created=created,
                meeting_id=meeting_id,
            )
            size = learners // circles + (1 if index < learners % circles else 0)
            names = [f"Facilitator {index + 1}"]
            names += [f"Learner {learner_number + n + 1}" for n in range(size)]
            learner_number += size
            members = range(person_id, person_id + len(names))
            for offset, (member, name) in enumerate(zip(members, names, strict=True)):
                rows[Person].append(
                    {"id": member, "display_name": name, "locale": None, "created_at": created}
                )
                rows[Account].append(_telegram_account(member, created))
                rows[Membership].append(
                    {
                        "id": member,
                        "circle_id": index + 1,
                        "person_id": member,
                        "role": Role.FACILITATOR if offset == 0 else Role.LEARNER,
                        "joined_at": created + timedelta(days=1, minutes=offset),
                        "left_at": None,
                        "shares_answers": offset % 2 == 1,
                    }
                )
            if week > 1:
                last, this = planned[week - 2], planned[week - 1]
                asked = checkins.due_at(circle, last)
                if asked < WEEK_START:  # else the week played asks it
                    for member in members[1:]:
                        if rng.random() < answering:
                            rows[CheckIn].append(_answered(row_id, last, member, asked, rng))
                        else:
                            rows[Question].append(_waiting(row_id, last, this, member, asked))
                        row_id += 1
            person_id += len(names)
        async with engine.begin() as connection:
            for model in (Circle, Meeting, Person, Account, Membership, CheckIn, Question):
                if rows[model]:
                    table = model.__table__  # type: ignore[union-attr]
                    await connection.execute(table.insert(), rows[model])
                    seeded.rows += len(rows[model])
    async with engine.begin() as connection:
        await connection.execute(
            TickMark.__table__.insert(),  # type: ignore[attr-defined]
            [{"name": MARK, "reached_at": WEEK_START}],
        )
        for table in ("person", "account", "circle", "meeting", "membership"):
            await _follow_ids(connection, table)
        for table in ("checkin", "question"):
            await _follow_ids(connection, table)
    seeded.seconds = time.perf_counter() - started
    return seeded


def _telegram_account(person_id: int, at: datetime) -> dict[str, Any]:
    telegram_id = str(TELEGRAM_IDS + person_id)
    return {
        "id": person_id,
        "person_id": person_id,
        "platform": PLATFORM,
        "external_id": telegram_id,
        "address": telegram_id,  # a private chat's id is its user's
        "locale_hint": None,
        "reachable": True,
        "opted_out": False,
        "preferred": False,
        "created_at": at,
        "last_seen_at": at,
    }


def _answered(
    row_id: int, last: Meeting, person_id: int, asked: datetime, rng: random.Random
) -> dict[str, Any]:
    """Last week's check-in, answered within the hour (the open question as the bot picks it)."""
    at = asked + timedelta(minutes=rng.uniform(1, 60))
    phase = phase_of(last.number, MEETINGS)
    prompt_key = choose(checkin_prompts.QUESTIONS, phase, last.number, last.circle_id).key
    return {
        "id": row_id,
        "circle_id": last.circle_id,
        "meeting_id": last.id,
        "person_id": person_id,
        "rating": rng.randint(2, 5),
        "prompt_key": prompt_key,
        "answer": OPEN_ANSWER,
        "answered_at": at,
        "updated_at": at,
    }


def _waiting(
    row_id: int, last: Meeting, this: Meeting, person_id: int, asked: datetime
) -> dict[str, Any]:
    """Last week's check-in, not answered: its question open until this week's meeting."""
    return {
        "id": row_id,
        "person_id": person_id,
        "circle_id": last.circle_id,
        "meeting_id": last.id,
        "kind": QuestionKind.RATING,
        "prompt_key": "rating",
        "asked_at": asked,
        "expires_at": this.starts_at,
    }


async def _follow_ids(connection: Any, table: str) -> None:
    """Move the id sequence past the explicit ids seeded, so the bot's own inserts fit."""
    await connection.execute(
        sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        )
    )


# -- the figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigures:
    """One run: `processes` processes playing the week."""

    processes: int
    calls: int  # Bot API sends accepted from the week's start until its last message went out
    busy_seconds: float  # that time
    peak: int  # most sends accepted in any one-second window
    lag: float  # real seconds from the week's end to its last message going out
    drained: bool  # every message of the week went out (dead ones aside) before the run ended
    messages: dict[str, int]  # the week's outbox rows sent, by kind
    dead: dict[str, int]  # the week's rows that died, by why
    answers: int  # updates the learners posted
    latencies: tuple[float, ...]  # seconds, one per answer replied to
    webhook_errors: int  # posts not answered 200 (posted again, as Telegram does)
    backlog: tuple[tuple[float, int], ...]  # (seconds since the week's start, pending rows)
    peak_mib: tuple[float, ...]  # each process's peak resident memory (VmHWM)
    cpu_seconds: tuple[float, ...]  # each process's CPU time
    driver_cpu_seconds: float  # this process's: the fake Bot API and the learners
    started_late: float  # seconds the slowest process was ready after the week had begun
    too_many: dict[str, int] = field(default_factory=dict)  # 429 answers, by limit
    log_lines: tuple[str, ...] = ()
    slowest: tuple[str, float] | None = None  # the week's longest wait to go out: kind, seconds
    last_out: tuple[str, float] | None = None  # the week's last message out: kind, its wait

    @property
    def rate(self) -> float:
        return self.calls / self.busy_seconds if self.busy_seconds > 0 else math.nan

    @property
    def lost(self) -> int:
        return self.answers - len(self.latencies)

    @property
    def peak_backlog(self) -> int:
        return max((pending for _, pending in self.backlog), default=0)

    def percentile(self, share: float) -> float:
        return percentile(self.latencies, share)


@dataclass
class LoadFigures:
    learners: int
    circles: int
    week_seconds: float
    answering: float
    api_rate: int
    seeded: Seeded = field(default_factory=Seeded)
    runs: list[WeekFigures] = field(default_factory=list)

    @property
    def speed(self) -> float:
        return WEEK.total_seconds() / self.week_seconds


# -- the platform and the people ----------------------------------------------------------


class _WeekApi(FakeBotApi):
    """The fake Bot API, telling `learners` of every send it accepts and noting the webhook
    each process sets."""

    def __init__(self, api_rate: int) -> None:
        super().__init__(per_second=api_rate)
        self.learners: _Learners | None = None
        self.webhooks: set[str] = set()

    def _answer(
        self, name: str, params: dict[str, Any], chat_id: str | None, text: str | None
    ) -> Any:
        result = super()._answer(name, params, chat_id, text)
        if name == "setwebhook":
            self.webhooks.add(str(params.get("url", "")))
        elif result is not None and chat_id is not None and self.learners is not None:
            self.learners.received(name, chat_id, params.get("reply_markup"))
        return result


def _asks_rating(markup: Any) -> bool:
    """Whether a message's buttons are the check-in's five ratings."""
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            return False
    if not isinstance(markup, dict):
        return False
    data = {
        button.get("callback_data")
        for row in markup.get("inline_keyboard", [])
        for button in row
        if isinstance(button, dict)
    }
    return data == _RATINGS


class _Learners:
    """The people at the other end: a share of those asked to check in answer, rating then
    sentence, each message posted to the webhook of the process their chat hashes to."""

    RATING, WRITING = 1, 2

    def __init__(
        self,
        ports: Sequence[int],
        http: aiohttp.ClientSession,
        *,
        answering: float,
        hour_seconds: float,
        until: float,
        rng: random.Random,
    ) -> None:
        self.ports = ports
        self.http = http
        self.answering = answering
        self.hour_seconds = hour_seconds
        self.until = until  # time.time() after which a check-in is next week's
        self.rng = rng
        self.asked: set[str] = set()
        self.awaiting: dict[str, tuple[float, int]] = {}  # chat: (posted, step)
        self.latencies: list[float] = []
        self.answers = 0
        self.webhook_errors = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self.updates = itertools.count(1)

    @property
    def busy(self) -> bool:
        return bool(self.awaiting or self.tasks)

    def received(self, method: str, chat: str, markup: Any) -> None:
        waiting = self.awaiting.get(chat)
        if waiting is not None and method == "sendmessage":
            del self.awaiting[chat]
            posted, step = waiting
            self.latencies.append(time.monotonic() - posted)
            if step == self.RATING:
                writing = self.rng.uniform(0, WRITING_MINUTES / 60) * self.hour_seconds
                self._later(READING_SECONDS + writing, chat, self.WRITING)
            return
        if (
            method == "sendmessage"
            and chat not in self.asked
            and time.time() < self.until
            and _asks_rating(markup)
        ):
            self.asked.add(chat)
            if self.rng.random() < self.answering:
                thinking = self.rng.uniform(0, self.hour_seconds)
                self._later(READING_SECONDS + thinking, chat, self.RATING)

    def _later(self, seconds: float, chat: str, step: int) -> None:
        task = asyncio.get_running_loop().create_task(self._answer(seconds, chat, step))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _answer(self, seconds: float, chat: str, step: int) -> None:
        await asyncio.sleep(seconds)
        update = _message_update(next(self.updates), int(chat), _WORDS[step])
        url = f"http://127.0.0.1:{self.ports[int(chat) % len(self.ports)]}{WEBHOOK_PATH}"
        self.awaiting[chat] = (time.monotonic(), step)
        self.answers += 1
        for attempt in itertools.count():
            try:
                async with self.http.post(
                    url, json=update, headers={SECRET_HEADER: SECRET}
                ) as response:
                    await response.read()
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            self.webhook_errors += 1  # Telegram posts it again, waiting longer each time
            await asyncio.sleep(min(2.0**attempt, 30.0))


_WORDS = {_Learners.RATING: RATING_ANSWER, _Learners.WRITING: OPEN_ANSWER}


def _message_update(update_id: int, chat: int, words: str) -> dict[str, Any]:
    user = {"id": chat, "is_bot": False, "first_name": f"L{chat - TELEGRAM_IDS}"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": user["first_name"]},
            "from": user,
            "text": words,
        },
    }


# -- the processes --------------------------------------------------------------------------


def _circlebot() -> list[str]:
    """The installed `circlebot` script (or the same entry point through this interpreter)."""
    script = Path(sys.executable).with_name("circlebot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from adapters.shell.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Process:
    """One `circlebot run`, its log in a file."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.env = {**env, "PORT": str(self.port), "PUBLIC_BASE_URL": self.base_url}
        self.log = log
        self.process: asyncio.subprocess.Process | None = None
        self.peak_mib = math.nan
        self.cpu_seconds = math.nan

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, directory: Path) -> None:
        with self.log.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *_circlebot(),
                "run",
                env=self.env,
                cwd=directory,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def sample(self) -> None:
        """Its peak memory and CPU time so far, from /proc (Linux; nan elsewhere)."""
        if self.process is None:
            return
        with_proc = Path(f"/proc/{self.process.pid}")
        try:
            for line in (with_proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_mib = int(line.split()[1]) / 1024  # kB
            fields = (with_proc / "stat").read_text().rsplit(")", 1)[1].split()
            ticks = int(fields[11]) + int(fields[12])  # utime, stime
            self.cpu_seconds = ticks / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass  # gone, or not Linux: the last figures stand

    async def stop(self) -> None:
        """SIGTERM, as a deployment stops it; killed if it takes longer than STOP_SECONDS."""
        process = self.process
        if process is None or process.returncode is not None:
            return
        self.sample()
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), STOP_SECONDS)
        except TimeoutError:
            process.kill()
            await process.wait()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _environment(url: str, api: str, speed: float, origin: float, api_rate: int) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.upper().startswith(_FOREIGN)}
    tick = max(TICK_MINUTES * 60 / speed, TICK_SECONDS_MIN)
    return {
        **inherited,
        "DATABASE_URL": url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_RATE_PER_SECOND": str(api_rate),
        "REHEARSAL_START": WEEK_START.isoformat(),
        "REHEARSAL_SPEED": repr(speed),
        "REHEARSAL_ORIGIN": repr(origin),
        "TICK_INTERVAL": repr(tick),
        "DISPATCH_INTERVAL": repr(DISPATCH_SECONDS),
    }


# -- a run ------------------------------------------------------------------------------------


# Raw statements on naive UTC columns (see bot/storage/types.py): naive UTC in and out.
_NAIVE_END = WEEK_END.replace(tzinfo=None)
_PENDING = sql(
    "SELECT count(*), count(*) FILTER (WHERE created_at < :end) "
    "FROM outboxmessage WHERE status = 'pending'"
)
_MARK = sql("SELECT reached_at FROM tickmark WHERE name = :name")
# The week's message that waited longest to go out, and the last one out.
_SLOWEST = sql(
    "SELECT kind, sent_at - created_at FROM outboxmessage "
    "WHERE created_at < :end AND status = 'sent' ORDER BY sent_at - created_at DESC LIMIT 1"
)
_LAST = sql(
    "SELECT kind, sent_at - created_at FROM outboxmessage "
    "WHERE created_at < :end AND status = 'sent' ORDER BY sent_at DESC LIMIT 1"
)
_WEEK_ROWS = sql(
    "SELECT kind, status, failure, count(*), max(sent_at) FROM outboxmessage "
    "WHERE created_at < :end GROUP BY kind, status, failure"
)


async def play_week(
    template: str,
    processes: int,
    figures: LoadFigures,
    admin_url: str,
    logs: Path,
    *,
    seed: int = 1,
    drain_seconds: float = DRAIN_SECONDS,
) -> WeekFigures:
    """One run: a copy of the seeded template, `processes` processes, the week played."""
    speed = figures.speed
    fake = _WeekApi(figures.api_rate)
    api = await fake.start()
    driver_cpu = _own_cpu_seconds()
    started: list[_Process] = []
    try:
        async with (
            scratch_database(admin_url, template=template, prefix="circlebot_load") as (url, _),
            aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0),
                timeout=aiohttp.ClientTimeout(total=120),
            ) as http,
        ):
            # Time for every process to start before the week does (imports on a busy machine);
            # one that is late only starts the week behind, and the figures say so.
            origin = time.time() + 4.0 + 1.0 * processes
            clock = WarpClock(WEEK_START, speed, origin)
            env = _environment(url, api, speed, origin, figures.api_rate)
            started = [_Process(env, logs / f"run-{n}.log") for n in range(processes)]
            for process in started:
                await process.start(logs)
            ready = await _ready(fake, started)
            learners = _Learners(
                [p.port for p in started],
                http,
                answering=figures.answering,
                hour_seconds=3600 / speed,
                until=clock.wall_time_of(WEEK_END),
                rng=random.Random(seed),
            )
            fake.learners = learners
            await asyncio.sleep(max(0.0, origin - time.time()))
            began = time.monotonic()
            engine = create_engine(url)
            try:
                backlog, drained = await _watch(
                    engine, clock, learners, started, began, drain_seconds
                )
                done = time.monotonic()
                async with engine.connect() as connection:
                    week_rows = (await connection.execute(_WEEK_ROWS, {"end": _NAIVE_END})).all()
                    waits = [
                        (await connection.execute(query, {"end": _NAIVE_END})).first()
                        for query in (_SLOWEST, _LAST)
                    ]
            finally:
                await engine.dispose()
            await asyncio.gather(*(process.stop() for process in started))
            for task in list(learners.tasks):
                task.cancel()
    finally:
        await asyncio.gather(*(process.stop() for process in started))
        await fake.close()
    messages: Counter[str] = Counter()
    dead: Counter[str] = Counter()
    last_sent: datetime | None = None
    for kind, status, failure, count, sent in week_rows:
        if status == "sent":
            messages[kind] += count
            if sent is not None:
                last_sent = sent if last_sent is None else max(last_sent, sent)
        elif status == "dead":
            dead[failure or "transient"] += count
    week_end = began + WEEK.total_seconds() / speed
    if last_sent is None:
        last = began
    else:
        last = began + clock.wall_time_of(last_sent.replace(tzinfo=UTC)) - origin
    sends = [s.at for s in fake.sends(since=began, until=max(last, began))]
    return WeekFigures(
        processes=processes,
        calls=len(sends),
        busy_seconds=max(last, began) - began,
        peak=peak_in_window(sends),
        lag=last - week_end,
        drained=drained,
        messages=dict(messages),
        dead=dict(dead),
        answers=learners.answers,
        latencies=tuple(sorted(learners.latencies)),
        webhook_errors=learners.webhook_errors,
        backlog=tuple(backlog),
        peak_mib=tuple(p.peak_mib for p in started),
        cpu_seconds=tuple(p.cpu_seconds for p in started),
        driver_cpu_seconds=_own_cpu_seconds() - driver_cpu,
        started_late=max(0.0, ready - origin),
        too_many=dict(Counter(r.limit for r in fake.too_many(since=began, until=done))),
        log_lines=log_summary((p.log for p in started), keep=6, ignore=("REHEARSAL",)),
        slowest=_waited(waits[0], speed),
        last_out=_waited(waits[1], speed),
    )


def _waited(row: Any, speed: float) -> tuple[str, float] | None:
    """(kind, real seconds from queued to sent) of an outbox row."""
    if row is None:
        return None
    kind, waited = row
    return str(kind), waited.total_seconds() / speed


async def _ready(fake: _WeekApi, processes: Sequence[_Process]) -> float:
    """When (time.time()) every process had its adapter running (its webhook set)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        for process in processes:
            if not process.running:
                raise RuntimeError(f"a circlebot run process ended:\n{process.tail()}")
        if all(p.base_url + WEBHOOK_PATH in fake.webhooks for p in processes):
            return time.time()
        await asyncio.sleep(0.1)
    raise RuntimeError(
        "circlebot run processes did not start:\n" + "\n".join(p.tail() for p in processes)
    )


async def _watch(
    engine: AsyncEngine,
    clock: WarpClock,
    learners: _Learners,
    processes: Sequence[_Process],
    began: float,
    drain_seconds: float,
) -> tuple[list[tuple[float, int]], bool]:
    """Sample the backlog every second until the week is over and gone out (its rows sent,
    its answers replied to), or until `drain_seconds` after its end; whether it drained."""
    backlog: list[tuple[float, int]] = []
    week_end = clock.wall_time_of(WEEK_END)
    analysed = time.monotonic()
    while True:
        if time.monotonic() - analysed >= ANALYZE_SECONDS:
            await _analyze(engine)
            analysed = time.monotonic()
        async with engine.connect() as connection:
            pending, of_the_week = (await connection.execute(_PENDING, {"end": _NAIVE_END})).one()
            mark = (await connection.execute(_MARK, {"name": MARK})).scalar()
        backlog.append((time.monotonic() - began, int(pending)))
        for process in processes:
            process.sample()
            if not process.running:
                raise RuntimeError(f"a circlebot run process ended:\n{process.tail()}")
        now = time.time()
        if now >= week_end and mark is not None:
            if mark >= _NAIVE_END and of_the_week == 0 and not learners.busy:
                return backlog, True
        if now >= week_end + drain_seconds:
            return backlog, False
        await asyncio.sleep(SAMPLE_SECONDS)


async def _analyze_all(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.exec_driver_sql("ANALYZE")


async def _analyze(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.exec_driver_sql("ANALYZE " + ", ".join(_CHURNED))


def week_seconds_for(learners: int) -> float:
    """The real time a week of `learners` lasts by default: the same load a second at any size
    (2,000 learners in 5 minutes, 100,000 in 4 hours 10), never under half a minute."""
    return max(30.0, 0.15 * learners)


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the test as a whole ----------------------------------------------------------------------


async def measure(
    processes: Sequence[int] = (1, 2, 4),
    learners: int = 100_000,
    circles: int = 10_000,
    *,
    week_seconds: float | None = None,
    answering: float = ANSWERING,
    runs: int = 1,
    api_rate: int = API_RATE,
    admin_url: str = ADMIN_URL,
    drain_seconds: float = DRAIN_SECONDS,
    output: TextIO | None = None,
) -> LoadFigures:
    """Seed the network once, then play its week `runs` times with each number of processes
    (the runs interleaved, so a busy spell on the machine does not fall on one number only).
    Each run's line is written to `output` as soon as it is measured. The week lasts
    `week_seconds` of real time (default: week_seconds_for(learners))."""
    week_seconds = week_seconds or week_seconds_for(learners)
    figures = LoadFigures(learners, circles, week_seconds, answering, api_rate)
    if output is not None:
        output.write(_heading(figures))
        output.flush()
    async with scratch_database(admin_url, prefix="circlebot_load_template") as (url, name):
        engine = create_engine(url)
        try:
            await upgrade(engine)
            figures.seeded = await seed_network(engine, learners, circles, answering)
            await _analyze_all(engine)
        finally:
            await engine.dispose()  # a template takes no connections while it is copied
        if output is not None:
            output.write(_seeded(figures) + "\n" + _COLUMNS + "\n")
            output.flush()
        with tempfile.TemporaryDirectory(prefix="circlebot-load-test-") as directory:
            for run in range(runs):
                for count in processes:
                    logs = Path(directory) / f"{count}-{run}"
                    logs.mkdir()
                    week = await play_week(
                        name,
                        count,
                        figures,
                        admin_url,
                        logs,
                        seed=run + 1,
                        drain_seconds=drain_seconds,
                    )
                    figures.runs.append(week)
                    if output is not None:
                        output.write(_run(week))
                        output.flush()
    return figures


def run(
    processes: Sequence[int] = (1, 2, 4),
    learners: int = 100_000,
    circles: int = 10_000,
    *,
    week_seconds: float | None = None,
    answering: float = ANSWERING,
    runs: int = 1,
    api_rate: int = API_RATE,
    admin_url: str = ADMIN_URL,
    output: TextIO | None = None,
) -> LoadFigures:
    """Measure and print: each run as it ends, then the summary."""
    out = output or sys.stdout
    figures = asyncio.run(
        measure(
            processes,
            learners,
            circles,
            week_seconds=week_seconds,
            answering=answering,
            runs=runs,
            api_rate=api_rate,
            admin_url=admin_url,
            output=out,
        )
    )
    out.write(closing(figures))
    return figures


# -- the report -------------------------------------------------------------------------------

_COLUMNS = (
    "processes  calls  calls/s  peak/s   lag s  answers  lost  p50 s  p95 s  p99 s  "
    "backlog peak  peak MiB each  CPU s each (+ fake)"
)


def _heading(figures: LoadFigures) -> str:
    hour = 3600 / figures.speed
    return (
        f"load test: {figures.learners} learners in {figures.circles} circles on Telegram, the "
        f"week of {WEEK_START:%Y-%m-%d} played in {figures.week_seconds:g} s "
        f"({figures.speed:.0f} times real time: an hour is {hour:.2f} s); "
        f"{figures.answering:.0%} of those asked answer their check-in within the hour; "
        f"the fake Bot API takes {figures.api_rate}/s overall, 1/s per chat\n"
    )


def _seeded(figures: LoadFigures) -> str:
    seeded = figures.seeded
    return f"seeded {seeded.rows} rows in {seeded.seconds:.1f} s (copied for each run)"


def _row(week: WeekFigures) -> str:
    mib = "/".join(f"{m:.0f}" for m in week.peak_mib)
    cpu = "/".join(f"{c:.0f}" for c in week.cpu_seconds)
    return (
        f"{week.processes:>9}  {week.calls:>5}  {week.rate:>7.0f}  {week.peak:>6}  "
        f"{week.lag:>6.1f}{'' if week.drained else '+'}  {week.answers:>7}  {week.lost:>4}  "
        f"{week.percentile(0.5):>5.2f}  {week.percentile(0.95):>5.2f}  "
        f"{week.percentile(0.99):>5.2f}  {week.peak_backlog:>12}  {mib:>13}  "
        f"{cpu} (+{week.driver_cpu_seconds:.0f})"
    )


def report(figures: LoadFigures) -> str:
    """Everything `run` prints, at once."""
    return (
        _heading(figures)
        + _seeded(figures)
        + "\n"
        + _COLUMNS
        + "\n"
        + "".join(_run(week) for week in figures.runs)
        + closing(figures)
    )


def _run(week: WeekFigures) -> str:
    """A run's row, and under it what else it showed (printed as soon as it ends, so a
    measurement stopped halfway keeps what it measured)."""
    messages = ", ".join(f"{kind} {count}" for kind, count in sorted(week.messages.items()))
    lines = [_row(week), f"  the week's messages sent: {messages}"]
    if week.dead:
        lines.append(f"  dead: {_counts(week.dead)}")
    lines.append(f"  backlog every {_step(week)} s: {_series(week)}")
    for what, found in (("longest wait", week.slowest), ("last out", week.last_out)):
        if found is not None:
            lines.append(f"  {what}: {found[0]}, {found[1]:.1f} s after it was queued")
    if week.too_many:
        lines.append(f"  429 answers by limit: {_counts(week.too_many)}")
    if week.webhook_errors:
        lines.append(f"  webhook posts refused {week.webhook_errors} (posted again)")
    if week.started_late > 0:
        lines.append(f"  ready {week.started_late:.1f} s after the week began")
    lines.extend(f"  log: {line}" for line in week.log_lines)
    return "\n".join(lines) + "\n"


def closing(figures: LoadFigures) -> str:
    """What the columns mean, and the summary over the runs."""
    lines = [
        "calls: Bot API sends (a reminder is two: its text and its calendar) from the week's "
        "start until its last message went out; calls/s: their rate over that time; peak/s: "
        "the most in one second; lag: from the week's end until its last message went out "
        "(+: not all out when the run gave up); latency: from a learner's update to the "
        "next message to their chat; lost: answers never replied to; backlog: pending "
        "outbox rows, sampled every second",
        *summary(figures),
    ]
    return "\n".join(lines) + "\n"


def summary(figures: LoadFigures) -> list[str]:
    """Per number of processes, min/median/max over the runs."""
    by_count: defaultdict[int, list[WeekFigures]] = defaultdict(list)
    for week in figures.runs:
        by_count[week.processes].append(week)
    lines = []
    for count, weeks in by_count.items():
        parts = {
            "calls/s": [w.rate for w in weeks],
            "peak/s": [float(w.peak) for w in weeks],
            "lag s": [w.lag for w in weeks],
            "p50 s": [w.percentile(0.5) for w in weeks],
            "p95 s": [w.percentile(0.95) for w in weeks],
            "p99 s": [w.percentile(0.99) for w in weeks],
            "backlog peak": [float(w.peak_backlog) for w in weeks],
            "peak MiB per process": [max(w.peak_mib, default=math.nan) for w in weeks],
        }
        lost = sum(w.lost for w in weeks)
        lines.append(
            f"{count} process{'es' if count > 1 else ''}, {len(weeks)} run"
            f"{'s' if len(weeks) > 1 else ''} (min/median/max): "
            + "; ".join(f"{name} {_spread(values)}" for name, values in parts.items())
            + f"; lost replies {lost}"
        )
    return lines


def _spread(values: Sequence[float]) -> str:
    if len(values) == 1:
        return _figure(values[0])
    return "/".join(_figure(v) for v in (min(values), statistics.median(values), max(values)))


def _figure(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 100 or value == int(value) else f"{value:.2f}"


def _step(week: WeekFigures) -> int:
    """Seconds between the backlog figures shown: about twenty of them."""
    return max(1, math.ceil(len(week.backlog) / 20))


def _series(week: WeekFigures) -> str:
    """The backlog's highest figure in each step."""
    step = _step(week)
    pending = [count for _, count in week.backlog]
    return " ".join(str(max(pending[i : i + step])) for i in range(0, len(pending), step))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
