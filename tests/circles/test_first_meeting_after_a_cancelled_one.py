"""The welcome's meeting line (fac 43): meeting 1 of a new circle was cancelled, so nothing has
met yet; a newcomer read "Meeting 2, then 4 more: ..." and thought she had missed one. Before
anything was held, the next meeting is the first."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_a_newcomer_reads_the_first_meeting_when_none_was_held(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/cancel 1")
    assert "is cancelled" in await chat.say("Amina", "yes")
    welcome = await chat.say("Wanjiku", "/join " + await code_of(core, "Python for Everyone"))
    assert "Meeting 2" not in welcome, welcome
    assert (
        "First meeting: Thursday, November 5, 2026 at 6:00 PM (EST), at Detroit Public Library "
        "(then 4 more)."
    ) in welcome, welcome
