"""Walkthrough (issue 16): a letter was matched to "Code à Lyon 2", which nobody had joined,
and its writer was told it arrived. A letter goes only to a circle with a learner to read it;
until then it waits for one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.letters.test_letters import NAIROBI_FIRST, TEXT, delivered_season, drain

LYON = (
    '/newcircle name="Code à Lyon 2" course="Python pour tous" venue="Bibliothèque de la '
    'Part-Dieu" city=Lyon country=FR zone=Europe/Paris start=2026-12-07 time=18:00 meetings=6'
)
LYON_FIRST = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)


async def test_a_circle_nobody_joined_gets_no_letter(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = await delivered_season(sqlite_engine, clock)
    assert "is ready" in await chat.say("Claire", LYON)
    await drain(chat)
    for at in (LYON_FIRST - timedelta(hours=2), LYON_FIRST):
        clock.set(at)
        await core.tick()
        sent = await drain(chat)
        assert not [m for m in sent if m.address.chat_id == "claire" and TEXT in m.text]
        assert not [m for m in sent if "reached" in m.text]
    # The letter waited for a circle with a learner: Nairobi's, the next day.
    clock.set(NAIROBI_FIRST)
    await core.tick()
    sent = await drain(chat)
    assert [m for m in sent if m.address.chat_id == "otieno" and TEXT in m.text]
    [told] = [m.text for m in sent if m.address.chat_id == "brian" and "reached" in m.text]
    assert "Nairobi" in told
