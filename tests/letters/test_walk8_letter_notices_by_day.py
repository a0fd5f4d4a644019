"""Walkthrough 8, sms 28: "your letter arrived" and "thank you" texts reached Don Hernando at
5 a.m. Bogotá time, when a circle far east read his letter. Notices to a letter's writer wait
for day time in the zone of the circle it was written in."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.conftest import code_of
from tests.letters.test_letters import (
    NAIROBI,
    approved_letter,
    detroit,
    drain,
)
from tests.letters.test_walkthrough_letters import first_meeting, relaying

MORNING_IN_NAIROBI = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)  # 10:00 there, 02:00 in Detroit
MORNING_IN_DETROIT = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)  # 08:00 EST


async def test_the_writer_hears_of_the_letter_by_day_in_her_own_zone(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI.replace("time=17:00", "time=10:00"))
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    await approved_letter(core, chat, clock, "Brian")

    sent = await first_meeting(core, chat, clock, MORNING_IN_NAIROBI)
    assert [m for m in sent if m.address.chat_id == "otieno" and "Hello from Detroit" in m.text]
    assert "on its way to Brian" in await chat.say("Otieno", "1")
    assert not [m for m in await drain(chat) if m.address.chat_id == "brian"]  # 2 a.m. there

    clock.set(MORNING_IN_DETROIT)
    told = sorted(m.text for m in await drain(chat) if m.address.chat_id == "brian")
    assert told == [
        "Someone in Nairobi, Kenya says thank you for your letter.\n"
        "No need to answer: a reply here wouldn't reach them.",
        "Your letter reached a learning circle in Nairobi, Kenya today.",
    ]


async def test_thanks_from_two_readers_due_together_reach_the_writer_as_one(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """D16: two readers in Nairobi thanked Brian's letter at night in Detroit; he got two
    identical texts in the morning. They come as one, saying how many thanked him; a thanks
    after that one went says it is another."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI.replace("time=17:00", "time=10:00"))
    code = await code_of(core, "Digital Skills")
    for reader in ("Otieno", "Achieng", "Kamau"):
        await chat.say(reader, "/join " + code)
        await chat.say(reader, "/skip")
    letter = await approved_letter(core, chat, clock, "Brian")

    await first_meeting(core, chat, clock, MORNING_IN_NAIROBI)
    assert "on its way to Brian" in await chat.say("Otieno", "1")
    assert "on its way to Brian" in await chat.say("Achieng", f"/thanks {letter.id}")
    assert "already thanked" in await chat.say("Achieng", f"/thanks {letter.id}")
    assert not [m for m in await drain(chat) if m.address.chat_id == "brian"]  # 2 a.m. there

    clock.set(MORNING_IN_DETROIT)
    told = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert [text for text in told if "thank" in text] == [
        "2 people in Nairobi, Kenya say thank you for your letter.\n"
        "No need to answer: a reply here wouldn't reach them."
    ]
    assert "already thanked" in await chat.say("Achieng", f"/thanks {letter.id}")
    assert "you've thanked them" in await chat.say("Achieng", "/thanks")

    assert "on its way to Brian" in await chat.say("Kamau", f"/thanks {letter.id}")
    [later] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert later.startswith("Someone else in Nairobi, Kenya says thank you"), later
