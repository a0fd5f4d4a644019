"""A plea for help at a question is help, never the answer. Walkthrough 8 (sms 39): Kofi's
"help pls" and Don Hernando's "AYUDA POR FAVOR" were thanked and kept as reflections."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.core import Core
from bot.storage.models import Reflection
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import open_circle


async def _reflections(core: Core) -> list[str]:
    async with open_session(core) as session:
        rows = await session.exec(select(Reflection).where(Reflection.kind == "reflection"))
        return [r.text for r in rows.all()]


@pytest.mark.parametrize(
    ("language", "typed"),
    [("en", "help pls"), ("es", "AYUDA POR FAVOR"), ("en", "Help please!"), ("fr", "aide svp")],
)
async def test_help_with_a_please_at_a_reflection_is_help(
    chat: Chat, core: Core, language: str, typed: str
) -> None:
    await open_circle(chat, core, {"Kofi": True})
    await chat.say("Kofi", "/language " + language)
    assert "?" in await chat.say("Kofi", "/reflect")
    reply = await chat.say("Kofi", typed)
    assert "useful to hear" not in reply and "útil saberlo" not in reply
    assert await _reflections(core) == []
