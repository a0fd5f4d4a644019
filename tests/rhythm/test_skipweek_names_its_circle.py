"""/skipweek MEETING CIRCLE from a facilitator of two circles: the circle is the one named,
not the number of weeks (walk dede 11: "/springuge 4 Programmering" asked which circle, then
answered with the usage line)."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.rhythm.test_reply_names import SECOND_CIRCLE


async def test_the_circle_named_after_the_meeting_is_meant(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SECOND_CIRCLE)
    said = await chat.say("Amina", "/skipweek 4 Python Evenings")
    assert "Which circle" not in said and "Usage" not in said, said
    assert "Python Evenings" in said, said
    # Weeks still read as weeks.
    said = await chat.say("Amina", "/skipweek 4 2 Python for Everyone")
    assert "Which circle" not in said and "Usage" not in said, said
