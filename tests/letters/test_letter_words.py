"""Walkthrough (issue 16): the letter's command word while the letter is awaited shows the guide
again; a reason to reject ends with /cancel (EXIT by SMS, never the carrier's CANCEL); a letter
thanked twice is said to be."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.letters.test_letters import AFTER_MEETING_3, NAIROBI, NAIROBI_FIRST, detroit, drain
from tests.letters.test_letters import write as write_letter
from tests.letters.test_letters_by_sms import LETTER, PHONE, joined_by_sms
from tests.letters.test_relay_due import INVITE
from tests.letters.test_walkthrough_letters import first_meeting, relaying


async def test_the_letter_word_while_the_letter_is_awaited_shows_the_guide(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    sms = await joined_by_sms(core, "Python for Everyone")
    clock.set(INVITE + timedelta(minutes=1))
    await core.tick()
    await drain(chat)
    for word in ("LETTER", "/letter"):
        assert "Write to a new circle far away" in await sms.say(PHONE, word)
    assert "How should it be signed?" in await sms.say(PHONE, LETTER)


async def test_the_reason_prompt_names_cancel_with_its_slash(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write_letter(chat, "Brian")
    asked = await chat.say("Amina", "/letters reject 1")
    assert asked.endswith("Send the reason in a few words, or /cancel.")


async def test_a_letter_thanked_twice_is_said_to_be(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write_letter(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    await first_meeting(core, chat, clock, NAIROBI_FIRST)
    assert await chat.say("Otieno", "/thanks 1") == "Your thanks is on its way to Brian."
    assert len(await drain(chat)) == 1
    assert await chat.say("Otieno", "/thanks 1") == "You've already thanked Brian for letter 1."
    assert await drain(chat) == []
