"""A CI run: two `circlebot run` rehearsal workers started at once each found no rehearsal
clock row and inserted one; the second stopped on the unique constraint. Saving a cursor is one
upsert: two processes saving it at once both succeed, and one row is left."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.scheduling import cursors
from bot.storage.models import AdapterCursor

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


async def test_two_processes_saving_one_cursor_at_once_both_succeed(
    any_engine: AsyncEngine,
) -> None:
    sessions = async_sessionmaker(any_engine, class_=AsyncSession, expire_on_commit=False)

    async def save(value: str) -> None:
        async with sessions() as session, session.begin():
            await cursors.save(session, "rehearsal", "clock", value, NOW)
            await asyncio.sleep(0.05)  # both inside their transaction at once

    await asyncio.gather(save('{"origin": 1}'), save('{"origin": 2}'))
    async with sessions() as session:
        rows = (await session.exec(select(AdapterCursor))).all()
        assert len(rows) == 1 and rows[0].value in ('{"origin": 1}', '{"origin": 2}')
        await cursors.save(session, "rehearsal", "clock", '{"origin": 3}', NOW)
        await session.commit()
        assert await cursors.load(session, "rehearsal", "clock") == '{"origin": 3}'
