"""Walkthrough 8 (sms 31): a join code in an ordinary sentence ("Hi I want to join the new
class, the code is 9PFQEWX") joins its circle, instead of going to the old circle's
facilitator as a message; a word that only looks like a code stays a sentence."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from tests.chat.test_sms_costs import _circle, _core
from tests.conftest import Chat

EFUA = "+233241112233"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_a_code_in_a_sentence_joins(phones: tuple[Chat, Chat]) -> None:
    console, sms = phones
    await _circle(console, sms, "en", "2026-10-22", 6, EFUA)
    code = await _circle(console, sms, "en", "2026-10-29", 1, "+233241112244")
    said = await sms.say(EFUA, "Hi I want to join the new class, the code is teacher")
    assert "Welcome" not in said  # a word shaped like a code, but no circle's: a message
    said = await sms.say(EFUA, f"Hi I want to join the new class, the code is {code}")
    assert "Welcome to Digital Skills Taster" in said, said
