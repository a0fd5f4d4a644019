"""Walkthrough 8, sms 21: the letter an SMS learner receives is cut short to fit one text,
and there was no way to read the rest ("LEER CARTA" went to the facilitator). A cut letter
says which word brings all of it, and that word does."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.conftest import Chat
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms
from tests.letters.test_walkthrough_letters import relaying

LONG = (
    "Hello from Detroit! I am 63 and I learned Python here, so you can too. Do not be afraid "
    "to ask, every question helps someone else. It is snowing here and our room is warm."
)


async def test_a_cut_letter_says_how_to_read_it_all_and_that_word_brings_it(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    sms = await joined_by_sms(core, "Digital Skills")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian", LONG + " " + LONG)
    [letter] = await letters_in(core)
    await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)

    for at in (NAIROBI_FIRST.replace(hour=12), NAIROBI_FIRST):
        clock.set(at)
        await core.tick()
        while await core.dispatch({"sms": sms, "console": chat}):
            pass
    [read] = [m.text for m in sms.sent if "A letter for your first meeting" in m.text]
    assert LONG + " " + LONG not in read  # cut to one text
    assert f"All of it: send LETTER {letter.id}." in read
    whole = await sms.say(PHONE, f"LETTER {letter.id}")
    assert LONG + " " + LONG in whole and "- Brian" in whole
    # Someone else's circle's letter stays there.
    other = Chat(core, platform="sms")
    assert "didn't come to your circle" in await other.say(PHONE, "LETTER 999")
