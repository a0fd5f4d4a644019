"""Walkthrough 8, fac 21: a letter "for a circle somewhere else" never goes back to its own
facilitator's next circle, nor to a circle in the same town written another way
("Detroit, MI")."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.letters.letters import LetterPolicy
from bot.letters.matching import city_key
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    approved_letter,
    detroit,
    drain,
)
from tests.platforms import PLATFORMS

FIRST = datetime(2026, 12, 10, 23, 0, tzinfo=UTC)  # 18:00 in Detroit, a Thursday
KISUMU_FIRST = datetime(2026, 12, 11, 15, 0, tzinfo=UTC)  # 18:00 in Kisumu, the day after


def new_circle(name: str, city: str, country: str, zone: str, start: str = "2026-12-10") -> str:
    return (
        f'/newcircle name="{name}" course="Spreadsheets" venue="Library" city="{city}" '
        f"country={country} zone={zone} start={start} time=18:00 meetings=6"
    )


async def test_a_letter_never_goes_back_to_its_facilitator_or_its_town(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(
        sqlite_engine, clock, random.Random(7), letter_policy=LetterPolicy(), platforms=PLATFORMS
    )
    chat = Chat(core)
    await detroit(chat, core, "Brian")
    # Amina's own next circle, in another town; another facilitator's in Detroit, "MI" added.
    await chat.say("Amina", new_circle("Spreadsheets Spring", "Ann Arbor", "US", "America/Detroit"))
    await chat.say(
        "Denise", new_circle("Detroit Spreadsheets", "Detroit, MI", "US", "America/Detroit")
    )
    await chat.say("Zawadi", new_circle("Lakeside", "Kisumu", "KE", "Africa/Nairobi", "2026-12-11"))
    for learner, circle in [
        ("Maria", "Spreadsheets Spring"),
        ("Tom", "Detroit Spreadsheets"),
        ("Akinyi", "Lakeside"),
    ]:
        await chat.say(learner, "/join " + await code_of(core, circle))
        await chat.say(learner, "/skip")
    await approved_letter(core, chat, clock, "Brian")
    sent = []
    for at in (FIRST - timedelta(hours=2), FIRST, KISUMU_FIRST - timedelta(hours=2), KISUMU_FIRST):
        clock.set(at)
        await core.tick()
        sent += await drain(chat)
    got = {m.address.chat_id for m in sent if "Hello from Detroit" in m.text}
    assert "akinyi" in got, got
    assert "maria" not in got and "tom" not in got and "amina" not in got and "denise" not in got
    [told] = [m.text for m in sent if m.address.chat_id == "brian" and "reached" in m.text]
    assert "Kisumu, Kenya" in told
    assert city_key("Cleveland, OH") == city_key("cleveland")
