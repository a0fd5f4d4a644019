"""`circlebot bench-chats`: many people writing to one Telegram bot at once.

One process, as `circlebot run` polls Telegram: the real TelegramAdapter (python-telegram-bot)
polls a local fake Bot API on 127.0.0.1 that enforces Telegram's send limits
(adapters/devtools/fake_bot_api.py: 30 sends a second overall, one a second per chat), with the
outbox dispatcher running every 2 s beside it as in the worker. `people` learners of one circle
(seeded through the core beforehand) all send /next at the same moment; the fake hands the
updates to the next getUpdates. A person's latency runs from that moment to the fake accepting a
send to their chat. With `latency`, every Bot API call takes that much longer, as the network
to Telegram's servers makes it (the fake on loopback answers in a millisecond or two). The fake
runs in the bot's process and takes a little of its CPU.

Figures per run: replies a second (answered people over the time to the last answer), p50 and
p95 latency, 429 answers, people not answered or answered twice. After several runs, the
min/median/max of each. Speed is not asserted anywhere (figures, not tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from aiohttp import web
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from adapters.devtools.dispatch_bench import percentile
from adapters.devtools.fake_bot_api import TOKEN, FakeBotApi
from adapters.platforms import telegram_platform
from adapters.platforms.lanes import Lanes
from adapters.platforms.telegram_bot import TelegramAdapter
from adapters.platforms.telegram_platform import CAPABILITIES, PLATFORM, TelegramSettings
from bot.chat.clock import SystemClock
from bot.chat.messages import Inbound
from bot.core import Core
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import Circle

FIRST_PERSON = 600_000  # the learners' Telegram ids (and private chat ids) start here
FACILITATOR = 599_999
FIRST_UPDATE = 900_000_001
DISPATCH_EVERY_SECONDS = 2.0  # the worker's DISPATCH_INTERVAL default
REPLY_WAIT_SECONDS = 60.0  # how long a run waits for its answers
POLL_SECONDS = 5  # the adapter's long poll here: short, so a run ends quickly


class UpdatesBotApi(FakeBotApi):
    """The fake Bot API with updates to give: push() queues them and getUpdates serves them as
    Telegram does (a long poll answered as soon as there are some, an offset confirming and
    dropping the ones before it). Every call takes `latency` seconds more, half on the way there
    (a send is accepted in the middle) and half on the way back, as the network to Telegram's
    servers does."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__()
        self.latency = latency
        self.pushed_at: float | None = None  # time.monotonic() of the last push
        self.polled = asyncio.Event()  # set at the first getUpdates
        self._updates: list[dict[str, Any]] = []
        self._arrived = asyncio.Condition()

    async def push(self, updates: Sequence[dict[str, Any]]) -> None:
        async with self._arrived:
            self._updates.extend(updates)
            self.pushed_at = time.monotonic()
            self._arrived.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.latency / 2)
        try:
            return await self._answer_call(request)
        finally:
            await asyncio.sleep(self.latency / 2)

    async def _answer_call(self, request: web.Request) -> web.Response:
        if request.match_info["method"].casefold() != "getupdates":
            return await super()._handle(request)
        self.polled.set()
        params = await _params(request)
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        async with self._arrived:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and (left := deadline - time.monotonic()) > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), left)
            ready = self._updates[:limit]
        return web.json_response({"ok": True, "result": ready})


async def _params(request: web.Request) -> dict[str, Any]:
    # python-telegram-bot posts a form; a JSON body is read too.
    if request.content_type == "application/json":
        body = await request.json()
        return body if isinstance(body, dict) else {}
    return {key: str(value) for key, value in (await request.post()).items()}


@dataclass(frozen=True)
class RunFigures:
    people: int
    latencies: tuple[float, ...]  # seconds, sorted, one per person answered
    too_many: int  # 429 answers from the fake
    duplicates: int  # people answered more than once

    @property
    def missing(self) -> int:
        return self.people - len(self.latencies)

    @property
    def replies_per_second(self) -> float:
        if not self.latencies or self.latencies[-1] <= 0:
            return 0.0
        return len(self.latencies) / self.latencies[-1]

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.5)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)


def _circle_command(clock: SystemClock) -> str:
    # Meets weekly from a week from today: /next always has a meeting to show.
    start = (clock.now() + timedelta(days=7)).date().isoformat()
    return (
        '/newcircle name="Bench circle" course="Course" venue="Library" city=Detroit '
        f"country=US zone=America/Detroit start={start} time=18:00 meetings=6"
    )


def _inbound(person: int, text: str, message_id: str) -> Inbound:
    return Inbound(
        platform=PLATFORM,
        account_id=str(person),
        chat_id=str(person),
        message_id=message_id,
        text=text,
        locale_hint="en",
        display_name=f"Learner {person}",
    )


async def _seed(core: Core, engine: AsyncEngine, clock: SystemClock, people: Sequence[int]) -> None:
    """A circle and its learners, through the core without sending (the replies are dropped):
    the run then measures /next alone."""
    await core.handle(_inbound(FACILITATOR, _circle_command(clock), "seed-circle"), CAPABILITIES)
    async with session_factory(engine)() as session:  # benches read the database directly
        circle = (await session.exec(select(Circle).where(Circle.name == "Bench circle"))).one()
    for person in people:
        join = _inbound(person, f"/join {circle.join_code}", f"seed-join-{person}")
        await core.handle(join, CAPABILITIES)
        await core.handle(_inbound(person, "/skip", f"seed-skip-{person}"), CAPABILITIES)


def next_update(update_id: int, person: int) -> dict[str, Any]:
    """A private /next from `person`, as Telegram sends it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": person, "type": "private", "first_name": f"Learner {person}"},
            "from": {
                "id": person,
                "is_bot": False,
                "first_name": f"Learner {person}",
                "language_code": "en",
            },
            "text": "/next",
            "entities": [{"offset": 0, "length": 5, "type": "bot_command"}],
        },
    }


@contextlib.asynccontextmanager
async def _running(
    database_url: str, people: Sequence[int], lanes: int | None, latency: float
) -> AsyncIterator[tuple[UpdatesBotApi, Core, TelegramAdapter]]:
    api = UpdatesBotApi(latency)
    base_url = await api.start()
    settings = TelegramSettings(telegram_bot_token=SecretStr(TOKEN), telegram_api_base_url=base_url)
    engine = create_engine(database_url)
    await upgrade(engine)
    clock = SystemClock()
    core = Core(engine, clock, random.Random(), platforms=[telegram_platform.describe(settings)])
    try:
        await _seed(core, engine, clock, people)
        adapter = TelegramAdapter.from_settings(settings, core, polling=True)
        adapter.poll_timeout = POLL_SECONDS
        if lanes is not None:
            adapter.lanes = Lanes(lanes)
        await adapter.start()
        try:
            yield api, core, adapter
        finally:
            await adapter.stop()
    finally:
        await core.close()
        await api.close()


async def _dispatching(core: Core, adapter: TelegramAdapter) -> None:
    while True:
        await asyncio.sleep(DISPATCH_EVERY_SECONDS)
        await core.dispatch({PLATFORM: adapter})


async def measure_run(
    database_url: str, people: int, lanes: int | None = None, latency: float = 0.0
) -> RunFigures:
    """One run on the (new, empty) database at `database_url`."""
    persons = [FIRST_PERSON + n for n in range(people)]
    async with _running(database_url, persons, lanes, latency) as (api, core, adapter):
        # The adapter polls: its first long poll is under way.
        await asyncio.wait_for(api.polled.wait(), REPLY_WAIT_SECONDS)
        dispatcher = asyncio.create_task(_dispatching(core, adapter))
        try:
            await api.push([next_update(FIRST_UPDATE + n, p) for n, p in enumerate(persons)])
            assert api.pushed_at is not None
            began = api.pushed_at
            deadline = began + REPLY_WAIT_SECONDS
            chats = {str(p) for p in persons}
            while time.monotonic() < deadline:
                answered = {s.chat_id for s in api.sends(since=began) if s.chat_id in chats}
                if len(answered) == len(chats):
                    break
                await asyncio.sleep(0.02)
        finally:
            dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await dispatcher
    first: dict[str, float] = {}
    counts: dict[str, int] = {}
    for send in api.sends(since=began):
        if send.chat_id in chats:
            first.setdefault(send.chat_id, send.at - began)
            counts[send.chat_id] = counts.get(send.chat_id, 0) + 1
    return RunFigures(
        people=people,
        latencies=tuple(sorted(first.values())),
        too_many=len(api.too_many(since=began)),
        duplicates=sum(1 for n in counts.values() if n > 1),
    )


def _spread(values: Sequence[float], unit: str, digits: int = 2) -> str:
    low, middle, high = min(values), statistics.median(values), max(values)
    return f"{low:.{digits}f}/{middle:.{digits}f}/{high:.{digits}f}{unit}"


def report(output: TextIO, runs: Sequence[RunFigures]) -> None:
    for number, run in enumerate(runs, start=1):
        output.write(
            f"run {number}: {len(run.latencies)}/{run.people} answered, "
            f"{run.replies_per_second:.1f} replies/s, p50 {run.p50:.2f} s, p95 {run.p95:.2f} s, "
            f"429s {run.too_many}, answered twice {run.duplicates}\n"
        )
    if len(runs) > 1:
        output.write(
            "min/median/max: "
            f"{_spread([r.replies_per_second for r in runs], ' replies/s', 1)}, "
            f"p50 {_spread([r.p50 for r in runs], ' s')}, "
            f"p95 {_spread([r.p95 for r in runs], ' s')}\n"
        )


async def run_chats_bench(
    output: TextIO,
    people: int,
    runs: int,
    database_url: str | None = None,
    lanes: int | None = None,
    latency: float = 0.0,
) -> list[RunFigures]:
    """`runs` runs, each on a new SQLite database in a temporary directory (or, with
    `database_url`, on that empty database: one run); `latency` seconds added to each Bot API
    call."""
    figures: list[RunFigures] = []
    output.write(
        f"{people} Telegram users send /next at once to one polling process "
        f"(fake Bot API: {FakeBotApi().per_second}/s overall, 1/s per chat, "
        f"{latency * 1000:.0f} ms a call)\n"
    )
    for _ in range(runs if database_url is None else 1):
        with tempfile.TemporaryDirectory(prefix="circlebot-bench-chats-") as directory:
            url = database_url or f"sqlite:///{Path(directory) / 'bench.db'}"
            figures.append(await measure_run(url, people, lanes, latency))
    report(output, figures)
    return figures
