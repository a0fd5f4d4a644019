"""`circlebot bench`: figures for the speed goals (they belong here, not in timed tests).

It times the demo (goal: under 10 s), then one circle with many learners joining and asking
/next through the console adapter (router, services, outbox and dispatch each time), and prints
messages per second and the process's peak memory.
"""

from __future__ import annotations

import io
import random
import resource
import tempfile
import time
from pathlib import Path
from typing import TextIO

from sqlmodel import select

from adapters.console import ConsoleAdapter
from adapters.demo import START, run_demo
from bot.clock import FakeClock
from bot.core import Core
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import Circle

CIRCLE = (
    '/newcircle name="Bench circle" course="Course" venue="Library" city=Detroit country=US '
    "zone=America/Detroit start=2026-10-29 time=18:00 meetings=6"
)


async def _rate(console: ConsoleAdapter, texts: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for name, text in texts:
        await console.say(name, text)
    return len(texts) / (time.perf_counter() - started)


async def run_bench(output: TextIO, database_url: str | None, learners: int) -> None:
    with tempfile.TemporaryDirectory(prefix="circlebot-bench-") as directory:
        started = time.perf_counter()
        await run_demo(io.StringIO(), Path(directory))
        output.write(f"demo: {time.perf_counter() - started:.2f} s (goal: under 10 s)\n")

        url = database_url or f"sqlite:///{Path(directory) / 'bench.db'}"
        engine = create_engine(url)
        await upgrade(engine)
        core = Core(engine, FakeClock(START), random.Random(1))
        console = ConsoleAdapter(core, io.StringIO())
        try:
            await console.say("Facilitator", CIRCLE)
            async with core.sessions() as session:
                circle = (
                    await session.exec(select(Circle).where(Circle.name == "Bench circle"))
                ).one()
            names = [f"Learner {n}" for n in range(learners)]
            joins = await _rate(console, [(name, "/join " + circle.join_code) for name in names])
            nexts = await _rate(console, [(name, "/next") for name in names])
        finally:
            await core.close()
    backend = engine.dialect.name
    output.write(
        f"{backend}: /join {joins:.0f} messages/s, /next {nexts:.0f} messages/s "
        f"({learners} learners, each message routed, stored and dispatched)\n"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    output.write(f"peak memory: {peak:.0f} MiB\n")
