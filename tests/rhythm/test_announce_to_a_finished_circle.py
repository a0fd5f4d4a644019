"""A note to the learners of a circle that finished lately (inviting them to the next round):
/announce asks which circle, the finished one offered beside the one still going."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_finished_circles import AFTER_ATELIER, two_circles
from tests.rhythm.test_two_way import to


async def test_an_announcement_can_go_to_a_circle_that_finished_lately(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)
    # No /default: one finished lately beside one still going, she is asked (with a /default,
    # that one holds: dada 12).
    clock.set(AFTER_ATELIER + timedelta(days=10))
    asked = await chat.say("Amina", "/announce The next round starts soon, join code ABC123")
    assert asked.startswith("Which circle is that for?"), asked
    assert "Atelier Python" in asked and "Python for Everyone" in asked
    preview = await chat.say("Amina", "Atelier Python")
    assert preview.startswith("Atelier Python, from Amina:\nThe next round starts soon"), preview
    await chat.deliver()
    await chat.say("Amina", "yes")
    assert any("The next round starts soon" in t for t in to(await chat.deliver(), "brian"))
