"""/find shows where each circle meets (its venue, or "online") so a newcomer knows where
they would go before joining."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_editing import ONLINE_CIRCLE
from tests.circles.test_find import listed
from tests.conftest import DETROIT_CIRCLE, Chat


async def test_find_shows_the_venue_or_online(chat: Chat, core: Core) -> None:
    await listed(chat, "Amina", DETROIT_CIRCLE)
    await listed(chat, "Grace", ONLINE_CIRCLE)
    found = await chat.say("Zola", "/find Detroit")
    [library] = [line for line in found.splitlines() if "Python for Everyone," in line]
    assert "Where: Detroit Public Library. Next meeting:" in library
    [online] = [line for line in found.splitlines() if "Python Online," in line]
    assert "Where: online. Next meeting:" in online
    assert "meet.jit.si" not in found  # the link is for members


async def test_find_shows_a_next_meeting_held_elsewhere(chat: Chat, core: Core) -> None:
    await listed(chat, "Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/edit venue 1 Room B")
    await chat.say("Amina", "yes")  # meeting 1 only, not a place called "1 Room B"
    assert "Where: Room B. Next meeting:" in await chat.say("Zola", "/find Detroit")
