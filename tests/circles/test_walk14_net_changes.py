"""Changes told together say where things end up: a meeting cancelled (told at once), then
back on and pushed a week with the rest, is told as moved, never "back on" beside "is now"
(walk 14, fac 12)."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_walk8_schedule_commands import texts_to, with_learners
from tests.conftest import Chat


async def test_back_on_then_pushed_a_week_is_told_as_the_move_alone(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await with_learners(chat, core)  # Thursdays in Detroit: meeting 2 on Nov 5
    await chat.say("Amina", "/cancel 2")
    await chat.say("Amina", "yes")
    clock.advance(timedelta(minutes=1))
    assert any("won't take place" in text for text in texts_to(await chat.deliver(), "Brian"))
    clock.advance(timedelta(minutes=1))
    await chat.say("Amina", "/uncancel 2")
    await chat.say("Amina", "/skipweek 2")
    await chat.say("Amina", "yes")
    clock.advance(timedelta(minutes=15))
    [told] = texts_to(await chat.deliver(), "Brian")
    assert "back on" not in told, told
    assert "meeting 2 is now Thursday, November 12" in told, told
