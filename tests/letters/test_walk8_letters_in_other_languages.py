"""Walkthrough 8, lang 21 and mix 10: letters came to circles in languages they cannot read
(Swahili in Berlin, Danish in Sevilla), with nothing said. Matching takes a letter in another
language only when none in the circle's was waiting; the facilitator is now told so plainly,
and that letters are not translated. A letter in the circle's language still comes first."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.conftest import code_of
from tests.letters.test_letters import (
    TEXT,
    approved_letter,
    detroit,
    drain,
)
from tests.letters.test_letters_across_languages import COPENHAGEN, COPENHAGEN_FIRST
from tests.letters.test_walkthrough_letters import relaying


async def test_a_circle_is_told_when_no_letter_in_its_language_was_waiting(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Mette", COPENHAGEN)
    await chat.say("Freja", "/join " + await code_of(core, "Kodeklub"))
    await approved_letter(core, chat, clock, "Brian")

    clock.set(COPENHAGEN_FIRST - timedelta(hours=2))
    await core.tick()
    [preview] = [
        m.text for m in await drain(chat) if m.address.chat_id == "mette" and TEXT in m.text
    ]
    assert TEXT in preview
    assert (
        "No letter in Danish could come to you this time, so one comes in another language, "
        "untranslated, as its writer wrote it."
    ) in preview, preview


async def test_a_letter_in_the_circles_language_has_no_such_line(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Mette", COPENHAGEN.replace("language=da", "language=en"))
    await chat.say("Freja", "/join " + await code_of(core, "Kodeklub"))
    await approved_letter(core, chat, clock, "Brian")
    clock.set(COPENHAGEN_FIRST - timedelta(hours=2))
    await core.tick()
    [preview] = [
        m.text for m in await drain(chat) if m.address.chat_id == "mette" and TEXT in m.text
    ]
    assert TEXT in preview and "could come to you this time" not in preview
