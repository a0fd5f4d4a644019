"""LEAVE and a reason by SMS starts leaving, as /leave REASON does and as /help writes it
("/salir [MOTIVO]"): it asks first, and the reason reaches the facilitator with the news.
Walkthrough: Andrés texted "salir, me cambiaron el turno en el taller", then "SALIR me
cambiaron el turno"; both were only passed on, and he stayed in the circle. A sentence that
only starts with the word ("salir temprano hoy") is still a sentence, passed on."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import Chat
from tests.core.test_sms_words import Phones, joined
from tests.rhythm.test_reading_answers import passed_on_to

PHONE = "+254711000001"
ASKED = {
    "es": "¿Salir de Python for Everyone?",
    "en": "Leave Python for Everyone?",
}


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms")


@pytest.mark.parametrize(
    ("language", "texted", "reason"),
    [
        ("es", "salir, me cambiaron el turno en el taller", "me cambiaron el turno en el taller"),
        ("es", "SALIR me cambiaron el turno", "me cambiaron el turno"),
        ("en", "leave, my shift changed at the garage", "my shift changed at the garage"),
        ("en", "LEAVE my shift changed", "my shift changed"),
    ],
)
async def test_leave_and_a_reason_by_sms_asks_then_leaves_with_the_reason(
    chat: Chat, phones: Phones, language: str, texted: str, reason: str
) -> None:
    await joined(chat, phones, PHONE, language)
    await phones.say(PHONE, "/skip")  # the goal question
    await chat.deliver()
    asked = await phones.say(PHONE, texted)
    assert ASKED[language] in asked, asked
    await phones.say(PHONE, "1")  # yes
    told = passed_on_to(await chat.deliver(), "Amina")
    assert any(f"“{reason}”" in text for text in told), told


@pytest.mark.parametrize(
    ("language", "texted"),
    [("es", "salir temprano hoy del trabajo"), ("en", "leave early today, sorry")],
)
async def test_a_sentence_starting_with_the_word_is_passed_on(
    chat: Chat, phones: Phones, language: str, texted: str
) -> None:
    await joined(chat, phones, PHONE, language)
    await phones.say(PHONE, "/skip")
    await chat.deliver()
    said = await phones.say(PHONE, texted)
    assert ASKED[language] not in said, said
    assert any(texted in text for text in passed_on_to(await chat.deliver(), "Amina"))
