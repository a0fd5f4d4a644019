"""Words passed on twice in one message (the goal's question held for the sharing answer, and
the words said with that answer) both reach the facilitator, and the learner gets one clear
answer. Walkthrough 8 (mix 3): Ingrid was told both "passed on to Mette" and "could not reach
your facilitator", and Mette never saw relay 3."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_a_yes_with_words_after_a_goal_with_a_question(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Ingrid", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Ingrid", "I want to use my iPad better. How do the weekly questions work?")
    reply = await chat.say("Ingrid", "Yes, that's fine. Amina is very kind.")
    assert "couldn't reach" not in reply
    assert reply.count("passed that on") <= 1
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    relayed = "\n".join(sent)
    assert "How do the weekly questions work?" in relayed
    assert "Amina is very kind." in relayed
