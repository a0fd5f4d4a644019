"""Someone in several circles whose command was taken to the only one still going, without
asking, is told which one it was about (SMS walkthrough: "YES" confirmed one of two circles
without naming it)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_leave_and_default import SECOND_CIRCLE, join
from tests.conftest import DETROIT_CIRCLE, Chat


async def test_a_reply_about_the_one_circle_still_going_names_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Amina", SECOND_CIRCLE)
    await join(chat, core, "Brian")
    await join(chat, core, "Brian", "Digital Skills")
    clock.set(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))  # Digital Skills has finished
    answer = await chat.say("Brian", "/rsvp yes")
    assert answer.startswith("Python for Everyone: Great, see you at meeting 5"), answer
