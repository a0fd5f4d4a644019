""" "Which circle is that for?" offers the circles still meeting first, a finished one after
them (where the command still applies to it: /report, /movenumber), so the circle people
most likely mean is 1."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_finished_circles import AFTER_ATELIER, two_circles


async def test_the_running_circle_is_offered_first(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)  # Atelier Python, made and joined last, is over first
    before = await chat.say("Amina", "/report")
    assert before.endswith("Reply 1 for Atelier Python or 2 for Python for Everyone.")
    await chat.say("Amina", "cancel")
    clock.set(AFTER_ATELIER)
    report = await chat.say("Amina", "/report")
    assert report == (
        "Which circle is that for?\nReply 1 for Python for Everyone or 2 for Atelier Python."
    )
    await chat.say("Amina", "cancel")
    moving = await chat.say("Amina", "/movenumber Brian (313) 555-0142")
    assert moving.endswith("Reply 1 for Python for Everyone or 2 for Atelier Python."), moving
