"""/inbox keeps a learner's message until it is answered itself: an answer to her later
message (/reply 3) does not answer her first (walk 14, fac 5: Keisha's "maybe, depends if
i get off work" vanished from /inbox once Marcus answered her next message)."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import open_circle


async def test_an_answer_to_her_later_message_leaves_the_first_waiting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Keisha": True})
    await chat.say("Keisha", "Can I bring my own laptop?")
    await chat.say("Keisha", "Also, is there parking?")
    assert "2 messages are waiting" in await chat.say("Amina", "/inbox")
    await chat.say("Amina", "/reply 2 Yes, behind the library.")
    inbox = await chat.say("Amina", "/inbox")
    assert '1. Keisha, just now: "Can I bring my own laptop?"' in inbox, inbox
    assert "parking" not in inbox, inbox
    # A note to her by name, not to a message, answers what she wrote before it.
    await chat.say("Amina", "/reply Keisha Yes, bring it along.")
    assert "No learner's message is waiting" in await chat.say("Amina", "/inbox")
