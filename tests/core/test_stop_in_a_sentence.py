"""Issue 16 walkthroughs: asking to stop in a sentence ("stop please", "Tafadhali acha
kunitumia ujumbe") is told how to stop, in the person's language; it is neither asked again as
a rating nor passed on to the facilitator."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

PHONE = "+254700000001"


async def texted(core: Core, text: str) -> str:
    phone = Chat(core, platform="sms")
    inbound = replace(phone.inbound(PHONE, text), display_name=None)
    return "\n".join(reply.text for reply in await core.handle(inbound, phone.capabilities))


@pytest.mark.parametrize(
    ("language", "text", "expect"),
    [
        ("en", "stop please", "text STOP on its own"),
        ("en", "please stop sending me messages", "text STOP on its own"),
        ("sw", "Tafadhali acha kunitumia ujumbe", "tuma STOP peke yake"),
        ("fr", "arrêtez de m'envoyer des messages", "envoyez STOP seul"),
        # Walkthrough sms 42: Danish and Swahili as people text them.
        ("da", "stop med at skrive til mig", "skriv kun STOP"),
        ("da", "jeg vil ikke have flere beskeder", "skriv kun STOP"),
        ("sw", "sitaki hizi sms", "tuma STOP peke yake"),
        # Walkthrough lang 26: Spanish as a Mexican texts it.
        ("es", "ya no me manden mensajes por favor", "manda solo la palabra ALTO"),
        ("es", "dejen de mandarme mensajes", "manda solo la palabra ALTO"),
        ("es", "ya no quiero recibir mensajes", "manda solo la palabra ALTO"),
        ("fr", "je ne veux plus recevoir de messages", "envoyez STOP seul"),
    ],
)
async def test_a_stop_request_in_a_sentence_says_how(
    chat: Chat, core: Core, language: str, text: str, expect: str
) -> None:
    circle = DETROIT_CIRCLE if language == "en" else DETROIT_CIRCLE + f" language={language}"
    await chat.say("Amina", circle)
    await texted(core, "/join " + await code_of(core, "Python for Everyone"))  # a goal waits
    await chat.deliver()
    answer = await texted(core, text)
    assert expect in answer
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]
    # Not kept as an answer either: the question asked at joining still waits.
    assert "OK" in await texted(core, "/skip") or language != "en"
