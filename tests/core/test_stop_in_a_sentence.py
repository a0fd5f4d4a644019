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


@pytest.mark.parametrize(
    ("language", "text", "started"),
    [
        ("es", "hola, quiero volver a recibir los mensajes", True),
        ("en", "hi, I want the messages again please", True),
        ("es", "ya no quiero volver a recibir mensajes", False),
        ("en", "don't send me messages again", False),
    ],
)
async def test_after_stop_asking_in_words_for_the_messages_starts_them(
    chat: Chat, core: Core, language: str, text: str, started: bool
) -> None:
    """C15: after ALTO, Jhon's "quiero volver a recibir los mensajes" got no answer; only the
    word EMPEZAR, weeks old in his memory, worked. A sentence turned around starts nothing."""
    await chat.say("Amina", DETROIT_CIRCLE + f" language={language}")
    await texted(core, "/join " + await code_of(core, "Python for Everyone"))
    await texted(core, "STOP")
    await chat.deliver()
    answer = await texted(core, text)
    if started:
        assert "Welcome back" in answer or "Bienvenido" in answer or "Qué bueno" in answer, answer
        # Started indeed: HELP no longer says the messages are stopped.
        assert "stopped" not in (await texted(core, "HELP")).casefold()
    else:
        assert answer == ""


async def test_in_two_circles_a_stop_request_offers_to_leave_one(chat: Chat, core: Core) -> None:
    """A14: Mrs. Kowalski, in the finished fall circle and the new spring one, asked to stop
    "the old class messages" and was offered only STOP, which would cut her off from both."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say(
        "Amina",
        DETROIT_CIRCLE.replace("Python for Everyone", "Spring Python").replace("18:00", "10:00"),
    )
    await texted(core, "/join " + await code_of(core, "Python for Everyone"))
    await texted(core, "/skip")
    await texted(core, "/skip")
    await texted(core, "/join " + await code_of(core, "Spring Python"))
    await chat.deliver()
    answer = await texted(
        core, "Please stop sending me the old class messages, I am in the spring one now"
    )
    assert "To leave one circle only, send /leave" in answer, answer
    assert "text STOP on its own" in answer, answer


async def test_a_join_texted_while_stopped_is_told_of_after_start(chat: Chat, core: Core) -> None:
    """B18: Zawadi's JIUNGE, texted after STOP, was silently dropped, and ANZA said nothing of
    it: she thought she had joined."""
    await chat.say("Amina", DETROIT_CIRCLE + " language=sw")
    code = await code_of(core, "Python for Everyone")
    await texted(core, "STOP")
    assert await texted(core, f"JIUNGE {code}") == ""
    back = await texted(core, "ANZA")
    assert f"JIUNGE {code}" in back, back
    assert f"JIUNGE {code}" not in await texted(core, "ANZA")  # said once
    assert "Karibu" in await texted(core, f"JIUNGE {code}")
