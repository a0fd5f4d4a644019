"""The name question asked by SMS takes a first name, not a sentence: Helga answered the
Spanish question with "Ich verstehe kein Spanisch!" and became that in her circle."""

from __future__ import annotations

import pytest

from bot.core import Core
from bot.storage.models import Person
from tests.conftest import Chat, code_of
from tests.rhythm.test_rhythm import (
    CIRCLE,
    GOAL_QUESTION,
    NAME_QUESTION,
    rows,
    start_circle,
    texted,
)


async def names(core: Core) -> list[str]:
    return sorted(person.display_name for person in await rows(core, Person))


@pytest.mark.parametrize(
    "typed",
    ["Ich verstehe kein Spanisch!", "why do you need my name?", "no English", "I don't know yet"],
)
async def test_a_sentence_is_no_name_and_the_question_is_asked_again(
    chat: Chat, core: Core, typed: str
) -> None:
    await start_circle(chat, core)
    await texted(core, "JOIN " + await code_of(core, CIRCLE))
    before = await names(core)
    answer = await texted(core, typed)
    assert ("not a name" in answer or "Just your name" in answer) and NAME_QUESTION in answer
    assert "Nice to meet you" not in answer
    assert await names(core) == before
    answer = await texted(core, "Helga")  # still waiting for the name
    assert "Nice to meet you, Helga!" in answer and GOAL_QUESTION in answer


@pytest.mark.parametrize("typed", ["Grace", "my name is Mary Jane", "Neema!", "Ana María López"])
async def test_a_name_is_still_taken(chat: Chat, core: Core, typed: str) -> None:
    await start_circle(chat, core)
    await texted(core, "JOIN " + await code_of(core, CIRCLE))
    assert "Nice to meet you" in await texted(core, typed)


async def test_a_sentence_in_the_bots_own_language_gets_no_language_hint(
    chat: Chat, core: Core
) -> None:
    # Walkthrough sms 2: an English sentence to an English bot is about the name, not the
    # language.
    await start_circle(chat, core)
    await texted(core, "JOIN " + await code_of(core, CIRCLE))
    answer = await texted(core, "My name is Halima Abdi but everyone calls me Mama Halima")
    assert "language" not in answer.casefold()
    assert "Just your name is enough here" in answer and NAME_QUESTION in answer
    # A language named still gets it.
    assert "language" in (await texted(core, "no English")).casefold()
