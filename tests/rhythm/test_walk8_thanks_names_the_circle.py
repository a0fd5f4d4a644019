"""Walkthrough 8, mix 8: for someone in two circles, the thanks for a check-in rating names its
circle even when no other circle's question still waits."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_two_circles_questions import brian_in_both


async def test_the_second_rating_is_labelled_too(chat: Chat, core: Core, clock: FakeClock) -> None:
    await brian_in_both(chat, core, clock)
    # Digital Skills' "Will you come?" answered first: nothing of another circle waits now.
    assert "Which circle" in await chat.say("Brian", "/rsvp yes")
    assert "Digital Skills" in await chat.say("Brian", "1")
    thanks = await chat.say("Brian", "4")
    assert thanks.startswith("Python for Everyone, meeting 1: Thanks, got it!"), thanks
