"""Walkthrough (issue 16, Detroit): /find online finds the circles that meet at a link, and
someone in another city is offered them before circles elsewhere that meet in a room."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_editing import ONLINE_CIRCLE
from tests.circles.test_find import NAIROBI_CIRCLE, listed
from tests.conftest import DETROIT_CIRCLE, Chat


async def test_find_online(chat: Chat, core: Core) -> None:
    await listed(chat, "Amina", DETROIT_CIRCLE)
    await listed(chat, "Grace", ONLINE_CIRCLE)
    found = await chat.say("Zola", "/find online")
    assert "Python Online," in found and "Where: online." in found
    assert "Python for Everyone," not in found  # it meets in a library
    assert "Python Online," in await chat.say("Zola", "/find python online")
    assert "Python Online," in await chat.say("Zola", "/find en ligne")


async def test_an_online_circle_comes_before_a_room_elsewhere(chat: Chat, core: Core) -> None:
    await listed(chat, "Amina", DETROIT_CIRCLE)
    await listed(chat, "Grace", ONLINE_CIRCLE)
    await listed(chat, "Wanjiru", NAIROBI_CIRCLE)
    lines = (await chat.say("Zola", "/find Kenya")).splitlines()
    online = next(n for n, line in enumerate(lines) if "Python Online," in line)
    detroit = next(n for n, line in enumerate(lines) if "Python for Everyone," in line)
    assert online < detroit
