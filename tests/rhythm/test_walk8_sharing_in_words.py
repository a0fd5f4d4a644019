"""The sharing question answered in words ("yes", "si"): its choices answer nothing after it.
Walkthrough 8 (sms 1): a learner's next question to the facilitator came back with "Reply 1 for
Yes, share or 2 for No, keep private" again, and her obedient "2" was then read against it."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_sharing import SHARE_CHOICES, join, shares


async def test_words_after_the_sharing_question_answered_in_words_are_not_offered_it_again(
    chat: Chat, core: Core
) -> None:
    await join(chat, core)
    await chat.say("Brian", "To learn Python.")
    assert "Your facilitator will see" in await chat.say("Brian", "yes")

    asked = await chat.say("Brian", "what should I bring on Thursday?")
    assert "passed that on to Amina" in asked
    assert SHARE_CHOICES not in asked

    await chat.say("Brian", "2")
    assert await shares(core) is True  # still sharing: "2" picked nothing
