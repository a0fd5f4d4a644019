"""Walkthrough 8 (lang 24): the weekly SMS reminder to a Swahili learner was two parts every
time. When "in 24 hours" is what makes it two, it goes without it: the day and time say when."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from tests.chat.test_sms_costs import _core
from tests.conftest import Chat, code_of

MOMBASA = (
    '/newcircle name="Ujuzi wa Kompyuta" course="Digital Skills" '
    'venue="Maktaba ya Kitaifa ya Mombasa, chumba cha kompyuta" city=Mombasa country=KE '
    "zone=Africa/Nairobi start=2026-10-24 time=10:00 meetings=6 language=sw"
)
JUMA = "+254712000111"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_the_swahili_reminder_is_one_sms(phones: tuple[Chat, Chat], clock: FakeClock) -> None:
    console, sms = phones
    await console.say("Mwanaisha", MOMBASA)
    code = await code_of(console.core, "Ujuzi wa Kompyuta")
    for said in ("/language sw", "JIUNGE " + code, "/name Juma", "/skip", "2"):
        await sms.say(JUMA, said)
    await sms.deliver()
    clock.set(datetime(2026, 10, 23, 7, 5, tzinfo=UTC))  # 24 hours before meeting 1
    await sms.core.tick()
    [reminder] = [m.text for m in await sms.deliver() if m.address.chat_id == JUMA]
    assert reminder.startswith("Ujuzi wa Kompyuta kitakutana Jumamosi"), reminder
    assert "chumba cha kompyuta" in reminder and "Jibu 1" in reminder, reminder
    assert sms_segments(reminder) == 1, reminder
