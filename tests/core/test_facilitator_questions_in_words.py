"""A facilitator's plain question to the bot ("who is coming tomorrow?", "comment je préviens
tout le monde ?") is answered with the command that does it, never with a hint about replying
to a learner whose message is waiting (wave 2, group G2)."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import Chat
from tests.seasons import open_circle


@pytest.mark.parametrize(
    ("language", "text", "command"),
    [
        ("en", "who is coming tomorrow?", "/digest"),
        ("fr", "la réunion 3 sera au 1er étage. comment je préviens tout le monde ?", "/annoncer"),
        ("de", "wie kann ich jemanden als co-moderatorin eintragen?", "/kofacilitator"),
        ("da", "hvordan laver jeg en medfacilitator?", "/medfacilitator"),
    ],
)
async def test_a_facilitators_question_is_answered_with_its_command(
    chat: Chat, core: Core, language: str, text: str, command: str
) -> None:
    await open_circle(chat, core, {"Ruth": True})
    await chat.say("Amina", "/language " + language)
    await chat.say("Ruth", "I will be there but a bit late, the bus is slow these days")
    await chat.deliver()
    reply = await chat.say("Amina", text)
    assert command in reply.split("\n")[1], reply  # the likeliest command first
    assert "Ruth" not in reply, reply  # not "To answer Ruth, send /reply 1"
