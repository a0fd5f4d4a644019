"""/announce alone asks for its words; an answer to its preview that is neither Send nor Don't
send says how to change it (facilitator walkthrough)."""

from __future__ import annotations

import pytest

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.circles.test_leave_and_default import join
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_announce_alone_asks_for_the_words_then_previews_them(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")

    asked = await chat.say("Amina", "/announce")
    assert "What would you like to tell everyone in Python for Everyone?" in asked
    preview = await chat.say("Amina", "We meet at noon in room B.")
    assert "We meet at noon in room B." in preview and "Send this to 1 member?" in preview

    again = await chat.say("Amina", "wait, change noon to 12:00 PM")
    assert "then send /announce with the new words" in again
    assert "Send this to 1 member?" in again
    assert "Sent" in await chat.say("Amina", "1")
    delivered = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("We meet at noon in room B." in text for text in delivered)


async def test_the_preview_counts_only_members_it_can_reach(chat: Chat, core: Core) -> None:
    """Walkthrough ops 12: "Send this to 2 members?" then "Sent to 1 member": someone who sent
    STOP is not counted in the question either."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    code = await code_of(core, "Python for Everyone")
    assert "Welcome" in await phone.say("Chidi", "JOIN " + code)
    await phone.say("Chidi", "STOP")

    preview = await chat.say("Amina", "/announce We meet at noon in room B.")

    assert "Send this to 1 member?" in preview
    assert "Sent to 1 member" in await chat.say("Amina", "1")


@pytest.mark.parametrize(
    ("language", "typed"), [("fr", "vas-y"), ("fr", "envoie"), ("en", "go ahead")]
)
async def test_the_preview_answered_with_an_everyday_go_ahead_sends_it(
    chat: Chat, core: Core, language: str, typed: str
) -> None:
    """B12: "vas-y" and "envoie" were read as wanting to change the text."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    await chat.say("Amina", "/language " + language)
    await chat.say("Amina", "/announce We meet at noon in room B.")
    reply = await chat.say("Amina", typed)
    assert "/announce" not in reply, reply  # never "to change it, ... /announce"
    delivered = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("We meet at noon in room B." in text for text in delivered)
