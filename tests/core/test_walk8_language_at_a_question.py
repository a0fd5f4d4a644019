"""A language's name alone, sent while a question waits for words, switches the language and is
never kept as the answer. Walkthrough 8 (sms 41): Don Hernando's "ESPANOL", sent to get his
Spanish back, became his look-back on his goal, in English."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.storage.models import Reflection
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session


async def test_a_language_name_alone_switches_and_is_not_an_answer(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Hernando", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Hernando", "/skip")
    await chat.say("Hernando", "/skip")
    assert "?" in await chat.say("Hernando", "/reflect")  # a question in words waits
    switched = await chat.say("Hernando", "ESPANOL")
    assert "A partir de ahora te escribiré en español." in switched
    async with open_session(core) as session:
        kept = (await session.exec(select(Reflection.text))).all()
    assert "ESPANOL" not in kept
