"""Walkthrough (issue 16): /close before the last meeting: the learners' closing message says
the meetings still planned won't take place."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_circle_administration import MEETING_2, circle_with_learners
from tests.conftest import Chat


async def test_closing_early_tells_learners_the_rest_is_off(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    await chat.deliver()
    clock.set(MEETING_2 + timedelta(days=1))
    await chat.say("Amina", "/close")
    assert "is closed" in await chat.say("Amina", "yes")
    farewells = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    [farewell] = [text for text in farewells if "has had its last meeting" in text]
    assert (
        "The circle ended early: the meetings planned after meeting 2 won't take place."
    ) in farewell
