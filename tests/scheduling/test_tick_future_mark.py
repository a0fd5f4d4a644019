"""A tick mark from the future (a rehearsal ran on this database with its fast clock) does not
silence a real-clock worker until real time catches up: the tick warns and starts from now."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.scheduling.tick import MARK
from bot.storage.models import TickMark
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.scheduling.test_tick_statistics import CHECKIN_1


async def test_checkins_still_go_out_after_a_rehearsal_left_the_mark_weeks_ahead(
    core: Core, chat: Chat, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name in ("Brian", "Chen"):
        await chat.say(name, "/join " + code)
        await chat.say(name, "/skip")
    await core.tick()
    await chat.deliver()
    async with open_session(core) as session, session.begin():
        await session.exec(
            update(TickMark)
            .where(TickMark.name == MARK)  # type: ignore[arg-type]
            .values(reached_at=CHECKIN_1 + timedelta(days=18))
        )

    clock.set(CHECKIN_1 - timedelta(minutes=1))
    with caplog.at_level(logging.WARNING, logger="bot.scheduling.tick"):
        await core.tick()
    assert "ahead of the clock" in caplog.text
    clock.set(CHECKIN_1 + timedelta(minutes=1))

    assert (await core.tick()).checkins == 2
    assert any("How did" in message.text for message in await chat.deliver())


async def test_a_mark_a_few_seconds_ahead_is_clock_skew_and_is_kept(
    core: Core, chat: Chat, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await core.tick()
    ahead = clock.now() + timedelta(seconds=30)
    async with open_session(core) as session, session.begin():
        await session.exec(
            update(TickMark).where(TickMark.name == MARK).values(reached_at=ahead)  # type: ignore[arg-type]
        )
    await core.tick()
    async with open_session(core) as session:
        mark = (await session.exec(select(TickMark).where(TickMark.name == MARK))).one()
    assert mark.reached_at.replace(tzinfo=None) == ahead.replace(tzinfo=None)
