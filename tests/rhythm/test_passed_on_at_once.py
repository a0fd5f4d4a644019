"""Learners of one circle writing to their facilitator at the same moment, on PostgreSQL: the
load test found two of them taking the same message number, and the later one answered
"Sorry, something went wrong" and lost. Each now gets the next number."""

from __future__ import annotations

import asyncio
import random
import re

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.rhythm import passed_on
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.rhythm.test_two_way import to

LEARNERS = [f"Learner{n}" for n in range(12)]


async def test_a_second_message_waits_for_the_first_and_takes_the_next_number(
    pg_engine: AsyncEngine, clock: FakeClock
) -> None:
    """The first message's number is not committed yet when the second asks for one: the
    second waits on it, then takes the next."""
    core = Core(pg_engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    try:
        assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
        code = await code_of(core, "Python for Everyone")
        for name in ("Brian", "Chen"):
            assert "Welcome" in await chat.say(name, f"/join {code}")
        async with open_session(core) as first, open_session(core) as second:
            async with first.begin():
                taken = await passed_on.number(first, 1, 2, clock.now())
                later = asyncio.create_task(passed_on.number(second, 1, 3, clock.now()))
                await asyncio.sleep(0.3)  # the second is waiting on the first's row
                assert not later.done()
            assert await later == taken + 1
            await second.commit()
    finally:
        await core.close()


async def test_twelve_learners_writing_at_once_all_reach_the_facilitator(
    pg_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(pg_engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    try:
        assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
        code = await code_of(core, "Python for Everyone")
        for name in LEARNERS:
            assert "Welcome" in await chat.say(name, f"/join {code}")
            await chat.say(name, "/skip")
            await chat.say(name, "/skip")
        await chat.deliver()

        answers = await asyncio.gather(
            *(chat.say(name, f"I'll be late on Thursday, says {name}.") for name in LEARNERS)
        )
        assert not [a for a in answers if "went wrong" in a]
        notices = []
        while sent := to(await chat.deliver(), "amina"):
            notices += sent
        numbers = sorted(int(n) for n in re.findall(r"/reply (\d+)", "\n".join(notices)))
        assert numbers == list(range(1, len(LEARNERS) + 1))
        for name in LEARNERS:
            assert any(f"says {name}." in notice for notice in notices), name
    finally:
        await core.close()
