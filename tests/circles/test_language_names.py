"""Languages named as their reader names them (walkthrough in Spanish and German): "/idioma
inglés", "/language spanish", and a bare "deutsch" or "en español por favor" in chat."""

from __future__ import annotations

import pytest

from tests.conftest import Chat


@pytest.mark.parametrize(
    ("language", "typed", "switched"),
    [
        ("es", "/language inglés", "From now on I'll write to you in English."),
        ("es", "/language ingles", "From now on I'll write to you in English."),
        ("en", "/language spanish", "A partir de ahora te escribiré en español."),
        ("de", "/language Englisch", "From now on I'll write to you in English."),
        ("fr", "/language allemand", "Ab jetzt schreibe ich dir auf Deutsch."),
        # Spanish is "castellano" in much of Latin America and Spain.
        ("en", "/language castellano", "A partir de ahora te escribiré en español."),
        ("es", "/language Castellano", "A partir de ahora te escribiré en español."),
    ],
)
async def test_a_language_named_in_the_readers_language_is_chosen(
    chat: Chat, language: str, typed: str, switched: str
) -> None:
    await chat.say("Lucia", "/language " + language)
    assert await chat.say("Lucia", typed) == switched


async def test_a_language_the_bot_lacks_is_still_refused(chat: Chat) -> None:
    assert "I don't speak klingon yet" in await chat.say("Lucia", "/language klingon")


@pytest.mark.parametrize(
    ("language", "typed", "switched"),
    [
        ("es", "deutsch", "Ab jetzt schreibe ich dir auf Deutsch."),
        ("es", "Deutsch bitte", "Ab jetzt schreibe ich dir auf Deutsch."),
        ("en", "en español por favor", "A partir de ahora te escribiré en español."),
        ("en", "español", "A partir de ahora te escribiré en español."),
    ],
)
async def test_a_language_named_alone_in_chat_switches_to_it(
    chat: Chat, language: str, typed: str, switched: str
) -> None:
    await chat.say("Jonas", "/language " + language)
    assert switched in await chat.say("Jonas", typed)
