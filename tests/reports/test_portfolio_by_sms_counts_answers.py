"""Walk C21: by SMS the portfolio said "6 check-ins, 0 reflections" to learners who had
answered every question after their check-ins. Those written answers are counted (by SMS
there is no other way to write). Lang 8: counted as written answers, not as reflections the
file does not hold ("3 Check-ins, 3 Reflexionen" to a file with none)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from tests.chat.test_sms_costs import _circle, _core
from tests.conftest import Chat

KWAME = "+233200000001"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_answers_after_a_checkin_count_as_reflections(
    phones: tuple[Chat, Chat], clock: FakeClock
) -> None:
    console, sms = phones
    await _circle(console, sms, "de", "2026-10-22", 6, KWAME)
    await sms.deliver()
    clock.set(datetime(2026, 10, 23, 9, 0, tzinfo=UTC))  # the morning after meeting 1
    await sms.core.tick()
    await sms.deliver()
    asked = await sms.say(KWAME, "4")
    assert "?" in asked, asked  # the check-in's question after the rating
    await sms.say(KWAME, "Nein, nur mein langsames Tippen, aber die Gruppe hat mir geholfen")
    record = await sms.say(KWAME, "PORTFOLIO")
    assert "1 Check-in, 1 geschriebene Antwort." in record, record
    assert "Reflexion" not in record, record  # the file holds none
