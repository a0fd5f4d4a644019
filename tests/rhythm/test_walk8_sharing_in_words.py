"""The sharing question answered in words ("yes", "si"): its choices answer nothing after it.
Walkthrough 8 (sms 1): a learner's next question to the facilitator came back with "Reply 1 for
Yes, share or 2 for No, keep private" again, and her obedient "2" was then read against it."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    ("language", "typed", "shared"),
    [
        ("en", "nah", False),  # A1: the question came back word for word
        ("en", "nope", False),
        ("fr", "ok pas de souci", True),  # B1: went to the facilitator as a message
        ("de", "nee danke", False),
    ],
)
async def test_the_sharing_question_answered_the_everyday_way(
    chat: Chat, core: Core, language: str, typed: str, shared: bool
) -> None:
    await join(chat, core)
    await chat.say("Brian", "/language " + language)
    await chat.say("Brian", "To learn Python.")
    await chat.deliver()
    reply = await chat.say("Brian", typed)
    assert await shares(core) is shared, reply
    assert "?" not in reply, reply  # an answer taken, not the question asked again
    assert typed not in " ".join(m.text for m in await chat.deliver())  # not passed on
