"""The course link step says "send skip if there isn't one"; people answer "no tiene",
"keine", "hakuna" (walkthrough in Spanish and German): that is skip too."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import Chat

START = '/newcircle name="Finanzas" course="Finanzas personales"'


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("es", "no tiene"),
        ("es", "no"),
        ("es", "ninguno"),
        ("de", "keine"),
        ("de", "nein"),
        ("fr", "aucun"),
        ("sw", "hakuna"),
        ("en", "none"),
    ],
)
async def test_a_word_saying_there_is_no_link_skips_the_course_link(
    chat: Chat, core: Core, language: str, typed: str
) -> None:
    await chat.say("Marta", "/language " + language)
    await chat.say("Sofia", "/language " + language)
    asked = await chat.say("Marta", START)
    assert asked == await chat.say("Sofia", START)
    skipped = await chat.say("Sofia", "skip")  # the next question, as skip brings it
    assert await chat.say("Marta", typed) == skipped
    assert "https://" not in skipped


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("da", "spring over"),
        ("da", "overspring"),
        ("de", "überspringen"),
        ("fr", "je passe"),
        ("es", "lo salto"),
        ("sw", "ruka"),
        ("en", "skip it"),
    ],
)
async def test_every_language_s_skip_words_skip_the_course_link(
    chat: Chat, core: Core, language: str, typed: str
) -> None:
    await chat.say("Marta", "/language " + language)
    await chat.say("Sofia", "/language " + language)
    asked = await chat.say("Marta", START)
    assert asked == await chat.say("Sofia", START)
    skipped = await chat.say("Sofia", "skip")
    assert await chat.say("Marta", typed) == skipped
