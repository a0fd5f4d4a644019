"""A newcomer's very first word in a chat shows their language ("Bonjour", "Habari", "Hola",
"Hallo", "Hej"): the welcome comes in it, not in English."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import Chat


@pytest.mark.parametrize(
    ("greeting", "welcome"),
    [
        ("Bonjour", "Bonjour et bienvenue"),
        ("Habari", "circlebot"),
        ("Hola", "circlebot"),
        ("Hallo", "circlebot"),
        ("Hej", "circlebot"),
    ],
)
async def test_the_welcome_is_in_the_language_of_the_greeting(
    chat: Chat, core: Core, greeting: str, welcome: str
) -> None:
    answered = await chat.say("Fatou", greeting)
    assert welcome in answered
    assert "Hi, welcome!" not in answered, answered
    # And what follows too, until they choose.
    assert "Hi, welcome!" not in await chat.say("Fatou", greeting)


async def test_an_english_greeting_stays_english(chat: Chat, core: Core) -> None:
    assert "Hi, welcome!" in await chat.say("Gloria", "Hello")


async def test_a_greeting_as_the_name_of_a_circle_being_set_up_is_no_language(
    chat: Chat, core: Core
) -> None:
    await chat.say("Gloria", "/newcircle")
    asked = await chat.say("Gloria", "Hola")  # the circle's name
    assert "course" in asked, asked
