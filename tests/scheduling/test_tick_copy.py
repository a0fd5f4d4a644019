"""A big tick on PostgreSQL copies its rows in (COPY through a temporary table, see
bot/storage/bulk.py) and stores each circle's next due time in one statement: learners get the
same check-in, once, and their answer is taken, as with the small tick's statements."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.scheduling.tick import MARK
from bot.storage import bulk
from bot.storage.models import RHYTHM_LOOK_AGAIN, Circle, TickMark
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.scheduling.test_tick_statistics import CHECKIN_1

LEARNERS = ("Brian", "Chen", "Dana")


async def checkins_sent(engine: AsyncEngine, clock: FakeClock) -> list[str]:
    """Each learner's check-in as delivered after one tick; a learner's answer; then the same
    window worked out again from scratch."""
    core = Core(engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name in LEARNERS:
        await chat.say(name, "/join " + code)
        await chat.say(name, "/skip")
    await chat.deliver()
    clock.set(CHECKIN_1 + timedelta(minutes=1))
    before = await core.tick()

    assert before.checkins == 3
    texts = [message.text for message in await chat.deliver()]
    # The rating question was stored and its choices offered: "4" answers it.
    assert "Thank" in await chat.say("Brian", "4")
    # The same window again, every circle to be looked at anew: nothing is queued twice.
    async with open_session(core) as session, session.begin():
        await session.exec(update(Circle).values(rhythm_due_at=RHYTHM_LOOK_AGAIN))
        await session.exec(
            update(TickMark)
            .where(TickMark.name == MARK)  # type: ignore[arg-type]
            .values(reached_at=CHECKIN_1 - timedelta(minutes=1))
        )
    assert (await core.tick()).total == 0
    assert await chat.deliver() == []
    await core.close()
    return texts


async def test_a_tick_copying_its_rows_sends_the_same_checkins_once(
    pg_engine: AsyncEngine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "COPY_FROM_ROWS", 1)
    copied = await checkins_sent(pg_engine, clock)

    assert len(copied) == 3
    assert all("Python for Everyone" in text for text in copied)
    assert sorted(copied) == sorted(
        text.replace("Brian", name) for text in copied if "Brian" in text for name in LEARNERS
    )
