"""A circle whose first learner joined on the day of its first meeting, after the facilitator's
usual preview two hours before: its letter is matched at the start, and its facilitator, who
reads it aloud, gets it then too, never only the learners (C15)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    NAIROBI,
    NAIROBI_FIRST,
    TEXT,
    approved_letter,
    detroit,
    drain,
)
from tests.letters.test_walkthrough_letters import relaying


async def _joined_late(core: Core, chat: Chat, clock: FakeClock) -> None:
    clock.set(NAIROBI_FIRST - timedelta(hours=2))
    await core.tick()
    told = [m.text for m in await drain(chat) if m.address.chat_id == "wanjiru"]
    assert not [text for text in told if "letter" in text.casefold()]
    clock.set(NAIROBI_FIRST - timedelta(hours=1))
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    await drain(chat)
    clock.set(NAIROBI_FIRST)
    await core.tick()


async def test_the_facilitator_gets_the_letter_at_the_start(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    await approved_letter(core, chat, clock, "Brian")
    await _joined_late(core, chat, clock)
    sent = await drain(chat)
    assert [m for m in sent if m.address.chat_id == "otieno" and TEXT in m.text]
    [preview] = [m.text for m in sent if m.address.chat_id == "wanjiru" and "letter" in m.text]
    assert "For your first meeting: 1 letter" in preview and TEXT in preview


async def test_with_no_letter_the_facilitator_hears_so(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await chat.say("Wanjiru", NAIROBI)
    await drain(chat)
    await _joined_late(core, chat, clock)
    [told] = [
        m.text for m in await drain(chat) if m.address.chat_id == "wanjiru" and "letter" in m.text
    ]
    assert "None is waiting for Digital Skills this time" in told
