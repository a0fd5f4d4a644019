"""The portfolio's meetings (dada 9): "Du var med til 5 af 5 møder" for a circle that held 7,
attendance not taken at two of them. The meetings held are said, and those nobody recorded."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.seasons import Week, open_circle, play_week, starts

SEVEN = DETROIT_CIRCLE.replace("meetings=6", "meetings=7")


async def test_the_meetings_nobody_recorded_are_said(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Emine": True}, SEVEN)
    for number in range(1, 8):
        taken = number not in (5, 6)
        await play_week(chat, core, clock, number, Week(came=("Emine",) if taken else ()))
    clock.set(starts(7) + timedelta(days=2))
    portfolio = await chat.say("Emine", "/portfolio")
    assert "5 of 5" not in portfolio, portfolio
    assert "You came to 5 of 7 meetings (attendance wasn't taken at 2)." in portfolio, portfolio
    await chat.say("Emine", "/language da")
    dansk = await chat.say("Emine", "/portfolio")
    assert "5 af 7 møder" in dansk, dansk
