"""/link lists the person's accounts with the day each was last used, where they meet."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat


async def test_link_gives_the_day_in_the_circles_time_zone(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    clock.set(datetime(2026, 11, 6, 2, 0, tzinfo=UTC))  # 21:00 on Thursday in Detroit
    listing = await chat.say("Amina", "/link")
    assert "last used Thursday, November 5, 2026" in listing
    await chat.say("Amina", "/language fr")
    assert "jeudi 5 novembre 2026" in await chat.say("Amina", "/link")
