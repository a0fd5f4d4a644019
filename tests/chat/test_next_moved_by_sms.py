"""NEXT by SMS for a meeting moved from its usual time: the meeting and the note that it moved
come in one text (walkthrough lang 23: a French learner got the note as a second SMS, its "À"
had made the whole text UCS-2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from tests.chat.test_sms_costs import LOCALES, _ask, _circle, _core, _cost
from tests.conftest import Chat


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


@pytest.mark.parametrize("locale", LOCALES)
async def test_next_for_a_moved_meeting_is_one_text(
    phones: tuple[Chat, Chat], clock: FakeClock, locale: str
) -> None:
    console, sms = phones
    await _circle(console, sms, locale, "2026-10-22", 8, "Fatou")
    await console.say("Otieno", "/reschedule 2 2026-10-30 18:00")
    clock.set(datetime(2026, 10, 24, 9, 0, tzinfo=UTC))
    parts = await _ask(sms.core, sms, "Fatou", "/next")
    assert len(parts) == 1, parts
    # Spanish writes "Reunión" (UCS-2) in the date itself; the note adds no letter GSM-7 lacks.
    assert _cost(parts) <= (3 if locale == "es" else 2), parts
