""" "LETTER 2", exactly as the letters of a first meeting say to send it, brings the letter
straight away for someone in several circles: the circle it came to is the one meant, never
"Which circle is that for?" first (D13)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.conftest import code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    letters_in,
    write,
)
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms
from tests.letters.test_walk8_whole_letter_by_sms import LONG
from tests.letters.test_walkthrough_letters import relaying

MOMBASA = (
    '/newcircle name="Sicher im Netz" course="Safety Online" venue="Mombasa Library" '
    "city=Mombasa country=KE zone=Africa/Nairobi start=2026-12-20 time=17:00 meetings=6"
)


async def test_letter_and_its_number_needs_no_circle_picked(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", MOMBASA)
    sms = await joined_by_sms(core, "Digital Skills")
    await sms.say(PHONE, "JOIN " + await code_of(core, "Sicher im Netz"))
    await sms.say(PHONE, "SKIP")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian", LONG + " " + LONG)
    [letter] = await letters_in(core)
    await chat.say("Amina", f"/letters approve {letter.id}")
    for at in (NAIROBI_FIRST.replace(hour=12), NAIROBI_FIRST):
        clock.set(at)
        await core.tick()
        while await core.dispatch({"sms": sms, "console": chat}):
            pass
    whole = await sms.say(PHONE, f"LETTER {letter.id}")
    assert "Which circle" not in whole
    assert LONG + " " + LONG in whole and "- Brian" in whole
