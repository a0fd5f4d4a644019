"""Walkthrough 8: thanking the letters of a first meeting.

mix 11: in a chat with no buttons, three letters each ended "Reply 1 for Send a thank-you";
"1" under the last one thanked all three writers. Issue 16: then it thanked the last writer
only, however often it was sent. Now one list under the last letter names each writer
(tests/letters/test_letter_numbers_beside_choices.py).
sms 27: the letter's "Reply 1" came on top of the unanswered "Will you come? Reply 1", and
Kofi's "1" thanked the writer instead of saying he is coming."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.conftest import code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    approved_letter,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms
from tests.letters.test_walkthrough_letters import first_meeting, relaying


async def test_one_under_three_letters_thanks_the_writer_it_names(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen", "Dana")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    for name in ("Brian", "Chen", "Dana"):
        await write(chat, name, f"{name} here. Come every week, even when you feel behind.")
    for letter in await letters_in(core):
        await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, NAIROBI_FIRST)
    read = [m.text for m in sent if m.address.chat_id == "otieno" and "here. Come" in m.text]
    assert len(read) == 3
    first = next(name for name in ("Brian", "Chen", "Dana") if f"- {name}" in read[0])
    assert f"Reply 1 for Thank {first}, 2 for Thank " in read[-1] and "Reply" not in read[0]
    thanked = await chat.say("Otieno", "1")
    assert thanked.startswith(f"Your thanks is on its way to {first}.\nReply 1 for Thank")
    told = {m.address.chat_id for m in await drain(chat) if "says thank you" in m.text}
    assert told == {first.casefold()}


async def test_by_sms_a_waiting_question_keeps_its_digits_and_the_letter_takes_a_word(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    sms = await joined_by_sms(core, "Digital Skills")
    await approved_letter(core, chat, clock, "Brian")

    for at in (NAIROBI_FIRST - timedelta(hours=2), NAIROBI_FIRST - timedelta(minutes=59)):
        clock.set(at)
        await core.tick()
        while await core.dispatch({"sms": sms, "console": chat}):
            pass
    assert [m.text for m in sms.sent if "Will you come?" in m.text]
    clock.set(NAIROBI_FIRST)
    await core.tick()
    while await core.dispatch({"sms": sms, "console": chat}):
        pass
    [read] = [m.text for m in sms.sent if "A letter for your first meeting" in m.text]
    assert "Reply 1" not in read
    assert read.endswith("To thank the writer, reply THANKS.")
    # The digit answers the question asked before; the word, as the letter says, thanks.
    assert "expecting you" in await sms.say(PHONE, "1")
    assert await sms.say(PHONE, "thanks") == "Your thanks is on its way to Brian."
