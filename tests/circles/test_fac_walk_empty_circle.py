"""Facilitator walkthrough finding fac 38: a circle nobody joined never met, so it can still
be deleted after its first meeting's date has passed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Circle
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

AFTER_MEETING_1 = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)  # the morning after


async def circles_left(core: Core) -> list[str]:
    async with open_session(core) as session:
        return [c.name for c in (await session.exec(select(Circle))).all()]


async def test_a_circle_nobody_joined_can_be_deleted_after_its_date(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Ruth", DETROIT_CIRCLE)
    clock.set(AFTER_MEETING_1)
    assert await chat.say("Ruth", "/delete") == (
        "Delete Python for Everyone? This can't be undone.\nReply 1 for Yes or 2 for No."
    )
    assert await chat.say("Ruth", "1") == "Python for Everyone is deleted."
    assert await circles_left(core) == []


async def test_a_circle_a_learner_joined_keeps_its_record(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Ruth", DETROIT_CIRCLE)
    await chat.say("Tom", f"/join {await code_of(core, 'Python for Everyone')}")
    clock.set(AFTER_MEETING_1)
    assert (await chat.say("Ruth", "/delete")).startswith(
        "Python for Everyone has already met, so I keep its record."
    )
    assert await circles_left(core) == ["Python for Everyone"]
