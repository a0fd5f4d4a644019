"""A tick that fills the outbox leaves PostgreSQL statistics that describe it, so the
dispatcher's next claim is planned for the rows really queued (see
bot/storage/bulk.py refresh_statistics); a small tick leaves them to autovacuum."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage import bulk
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.platforms import PLATFORMS

# The Detroit circle's first check-in: the morning after its first meeting, 10:00 there.
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)


async def analysed(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        found = await connection.scalar(
            text("SELECT count(*) FROM pg_stats WHERE tablename = 'outboxmessage'")
        )
    return bool(found)


async def season_with_checkins(engine: AsyncEngine, clock: FakeClock) -> Core:
    core = Core(engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name in ("Brian", "Chen", "Dana"):
        await chat.say(name, "/join " + code)
        await chat.say(name, "/skip")
    return core


async def test_a_tick_that_fills_the_outbox_analyses_it(
    pg_engine: AsyncEngine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = await season_with_checkins(pg_engine, clock)
    monkeypatch.setattr(bulk, "ANALYZE_AFTER_ROWS", 3)  # as if 3 were many
    clock.set(CHECKIN_1 + timedelta(minutes=1))

    assert (await core.tick()).checkins == 3
    assert await analysed(pg_engine)
    await core.close()


async def test_a_small_tick_leaves_the_statistics_to_autovacuum(
    pg_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = await season_with_checkins(pg_engine, clock)
    clock.set(CHECKIN_1 + timedelta(minutes=1))

    assert (await core.tick()).checkins == 3
    assert not await analysed(pg_engine)
    await core.close()
