"""`circlebot demo`: a scripted season on a fake clock, through the real router, services, outbox
and storage (SQLite in a temporary directory). It prints a transcript a newcomer can read.

Grow it with every feature: it is the first thing a newcomer runs.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from sqlmodel import select

from adapters.console import ConsoleAdapter
from bot.clock import FakeClock
from bot.core import Core
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import Circle

DETROIT = "America/Detroit"
NAIROBI = "Africa/Nairobi"
START = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)  # Tue 10:00 in Detroit, 17:00 in Nairobi


class Season:
    def __init__(self, core: Core, clock: FakeClock, output: TextIO) -> None:
        self.core = core
        self.clock = clock
        self.output = output
        self.console = ConsoleAdapter(core, output)
        self.tr = core.catalogs.translator("en")

    def at(self, instant: datetime) -> None:
        """Move the fake clock and print where each city is."""
        self.clock.set(instant)
        tr = self.tr
        header = tr._(
            "── %(date)s · Detroit %(detroit)s · Nairobi %(nairobi)s ──",
            date=tr.date(instant, DETROIT),
            detroit=tr.time(instant, DETROIT) + " " + tr.zone_name(instant, DETROIT),
            nairobi=tr.time(instant, NAIROBI) + " " + tr.zone_name(instant, NAIROBI),
        )
        self.output.write("\n" + header + "\n")

    async def say(self, name: str, text: str) -> None:
        await self.console.say(name, text)

    async def code_of(self, circle_name: str) -> str:
        async with self.core.sessions() as session:
            circle = (await session.exec(select(Circle).where(Circle.name == circle_name))).one()
            return circle.join_code


async def play(season: Season) -> None:
    say = season.say
    season.at(START)
    await say(
        "Amina",
        '/newcircle name="Python for Everyone" course="Python for Everybody" '
        'url=https://www.py4e.com venue="Detroit Public Library, Room 2" city=Detroit '
        "country=US zone=America/Detroit start=2026-10-29 time=18:00 meetings=6",
    )
    detroit_code = await season.code_of("Python for Everyone")

    season.at(START + timedelta(hours=1))
    await say("Wanjiru", "/newcircle")
    for answer in (
        "Digital Skills for Work",
        "Learning How to Learn",
        "skip",
        "Kenya National Library, Upper Hill",
        "Nairobi",
        "KE",
        "1",
        "2026-11-03",
        "17:30",
        "8",
    ):
        await say("Wanjiru", answer)
    nairobi_code = await season.code_of("Digital Skills for Work")

    season.at(START + timedelta(days=1))
    await say("Brian", "/start")
    await say("Brian", "/join ABC234")
    await say("Brian", "/join " + detroit_code.lower())
    await say("Achieng", "/join " + nairobi_code)
    await say("Otieno", "/join " + nairobi_code)
    await say("Brian", "/roster")
    await say("Amina", "/roster")

    # Detroit leaves daylight saving time on 1 November; the circle still meets at 18:00.
    season.at(datetime(2026, 11, 2, 15, 0, tzinfo=UTC))
    await say("Brian", "/next")
    await say("Amina", "/reschedule 2 2026-11-06 18:00")
    await say("Brian", "/nxt")
    await say("Brian", "/schedule")
    await say("Achieng", "/next")
    await say("Wanjiru", "/cancel 4")

    # Three meetings in, a newcomer joins: /next never offers a meeting that has passed.
    season.at(datetime(2026, 11, 20, 16, 0, tzinfo=UTC))
    await say("Dana", "/join " + detroit_code)
    await say("Dana", "/next")


async def run_demo(output: TextIO, directory: Path) -> None:
    clock = FakeClock(START)
    engine = create_engine(f"sqlite:///{directory / 'demo.db'}")
    await upgrade(engine)
    core = Core(engine, clock, random.Random(2026))
    try:
        await play(Season(core, clock, output))
    finally:
        await core.close()
