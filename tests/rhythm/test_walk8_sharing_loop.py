"""The sharing question's Yes / No, once it is answered, are never shown again. Walkthrough 8
(mix 20, fac 33): a learner who joined after the first meeting and kept her answers private got
"Reply 1 for Yes, share or 2 for No, keep private" under every message she sent, and "Nothing
is waiting for an answer" with it when she answered."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.rhythm.test_sharing import SHARE_CHOICES, shares
from tests.seasons import starts


async def test_joined_after_the_first_meeting_the_answered_choice_never_comes_back(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    clock.set(starts(1) + timedelta(days=1))
    await core.tick()
    await chat.say("Lea", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Lea", "To learn Python.")
    assert "stay between you and me" in await chat.say("Lea", "2")
    await chat.deliver()

    asked = await chat.say("Lea", "Should I bring my own laptop?")
    assert "passed that on to Amina" in asked
    assert SHARE_CHOICES not in asked
    for typed in ("1", "2"):
        reply = await chat.say("Lea", typed)
        assert SHARE_CHOICES not in reply
    assert await shares(core, "Lea") is False
