"""A co-facilitator's portfolio: the meetings he ran, never "you came to 0 of 2 meetings" for
the circle he led (he is on no attendance sheet there)."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, open_circle, play_week, starts


async def test_a_co_facilitators_portfolio_counts_the_meetings_he_ran(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Emine": True, "Lukas": True})
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Lukas")
    for number in (1, 2):
        await play_week(chat, core, clock, number, Week(came=("Emine",)))
    clock.set(starts(2) + timedelta(days=2))
    portfolio = await chat.say("Lukas", "/portfolio")
    assert "I facilitated it: 2 meetings held" in portfolio, portfolio
    assert "You came to" not in portfolio, portfolio
    assert "You came to 2 of 2 meetings." in await chat.say("Emine", "/portfolio")
