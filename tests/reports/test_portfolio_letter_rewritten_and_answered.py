"""The portfolio's letters (fac 21, frsw 15): a letter rejected and written again shows once,
the rewritten one (the facilitator's reason read like the letter itself); and the replies it
got from the circle that read it are kept with it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.letters.test_letters import AFTER_MEETING_3, TEXT, detroit, drain, write
from tests.letters.test_thanks_in_words import letters_read_in_nairobi
from tests.letters.test_walkthrough_letters import relaying
from tests.reports.test_records import portfolio_file

REASON = "Lovely letter! Could you send it again without that line?"


async def test_a_letter_written_again_shows_once(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian", TEXT + " Call me!")
    assert "Send it?" in await chat.say("Amina", "/letters reject 1 " + REASON)
    assert "is rejected" in await chat.say("Amina", "1")
    await write(chat, "Brian", TEXT)
    await chat.say("Amina", "/letters approve 2")
    await drain(chat)
    summary = await chat.say("Brian", "/portfolio")
    assert summary.count("Your letter:") == 1, summary
    assert REASON not in summary and "Approved, and waiting" in summary, summary
    whole = await portfolio_file(chat, "Brian")
    assert whole.count("### My letter to a new circle") == 1 and REASON not in whole


async def test_the_replies_to_a_letter_are_kept_with_it(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await letters_read_in_nairobi(core, chat, clock, "Brian")
    await chat.say("Otieno", "Asante sana Brian bro! We loved your letter")
    await drain(chat)
    summary = await chat.say("Brian", "/portfolio")
    assert "Read at the first meeting of a circle in Nairobi." in summary, summary
    assert '"Asante sana Brian bro! We loved your letter"' in summary, summary
    assert "No need to answer" not in summary
    whole = await portfolio_file(chat, "Brian")
    assert "Asante sana Brian bro! We loved your letter" in whole, whole
    assert "No need to answer" not in whole
