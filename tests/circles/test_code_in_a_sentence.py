"""A join code wrapped in a sentence at the welcome ("si, el codigo es 5c5hd2m") joins, as the
bare code does (walkthrough in Spanish)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.core import Core
from bot.storage.models import Membership, Role
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.seasons import open_circle


async def learners(core: Core) -> int:
    async with open_session(core) as session:
        found = await session.exec(select(Membership).where(Membership.role == Role.LEARNER))
        return len(found.all())


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("es", "si, el codigo es {code}"), ("de", "mein Code ist {code}!"), ("en", "code: {code}")],
)
async def test_a_newcomers_sentence_holding_a_circles_code_joins_it(
    chat: Chat, core: Core, language: str, sentence: str
) -> None:
    await open_circle(chat, core, {})
    code = await code_of(core, "Python for Everyone")
    await chat.say("Lucia", "/language " + language)
    reply = await chat.say("Lucia", sentence.format(code=code.lower()))
    assert "Python for Everyone" in reply
    assert await learners(core) == 1


async def test_a_sentence_with_no_circles_code_joins_nothing(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {})
    await chat.say("Lucia", "my code is ABCDEFG")  # shaped like a code, but no circle's
    assert await learners(core) == 0
