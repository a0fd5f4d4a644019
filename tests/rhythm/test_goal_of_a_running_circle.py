"""/goal from a learner whose one circle has ended and another goes on: about the one going
on, not "Which circle?" (walk smses 19: META asked, the finished circle listed, an SMS more)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.rhythm.test_reply_names import joined

SPRING = DETROIT_CIRCLE.replace("Python for Everyone", "Spreadsheets 2").replace(
    "start=2026-10-29", "start=2026-12-17"
)


async def test_goal_is_about_the_circle_going_on(chat: Chat, core: Core, clock: FakeClock) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SPRING)
    await joined(chat, core, "Brian", "Python for Everyone")
    await joined(chat, core, "Brian", "Spreadsheets 2")
    clock.set(datetime(2026, 12, 10, 15, 0, tzinfo=UTC))  # the first circle ended on Dec 3
    said = await chat.say("Brian", "/goal")
    assert "Which circle" not in said, said
    said = await chat.say("Brian", "/goal use formulas at work")
    assert "Which circle" not in said and "Spreadsheets 2" in said, said
