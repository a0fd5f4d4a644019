"""Walkthrough (es, sms): a reader answered the letter she was sent ("gracias!", "Thank you so
much") and her words went to her own facilitator. They go to the letter's writer, through the
bot (neither learns the other's number or surname), and she is told so."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    GLOBAL,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    write,
)
from tests.letters.test_walkthrough_letters import CHEN_TEXT, first_meeting, relaying

PHONE = "+254700000001"


async def letters_read_in_nairobi(core: Core, chat: Chat, clock: FakeClock, *writers: str) -> Chat:
    """Detroit's `writers` wrote letters, read at Nairobi's first meeting by Otieno (on the
    console) and Achieng (by SMS, in Spanish: she moved from Bogotá)."""
    await detroit(chat, core, *writers)
    await chat.say("Wanjiru", NAIROBI)
    code = await code_of(core, "Digital Skills")
    await chat.say("Otieno", "/join " + code)
    await chat.say("Otieno", "/skip")
    sms = Chat(core, platform="sms")
    await sms.say(PHONE, "JOIN " + code)
    await sms.say(PHONE, "Achieng Odhiambo")
    await sms.say(PHONE, "/language es")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    for number, writer in enumerate(writers, start=1):
        await write(chat, writer, CHEN_TEXT if number > 1 else "Hello from Detroit! " * 3)
        await chat.say("Amina", f"/letters approve {number}")
    await drain(chat)
    await first_meeting(core, chat, clock, NAIROBI_FIRST)
    await core.dispatch({"sms": sms, "console": chat})
    return sms


async def test_thanks_written_to_a_letter_reach_its_writer_not_the_facilitator(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    sms = await letters_read_in_nairobi(core, chat, clock, "Brian")

    # Before: "I've passed that on to Wanjiru."
    assert await chat.say("Otieno", "Thank you so much, we'll read it again!") == (
        "Your thanks is on its way to Brian."
    )
    [to_brian] = await drain(chat)
    assert to_brian.address.chat_id == "brian"
    assert to_brian.text == (
        "Someone in Nairobi, Kenya wrote back to your letter:\n"
        '"Thank you so much, we\'ll read it again!"\n'
        "No need to answer: a reply here wouldn't reach them."
    )
    # By SMS, in her language: no name or number goes with it. (Since walkthrough 8, sms 27,
    # her letter says "reply GRACIAS" where the reminder's Reply 1 waits: that word alone
    # thanks, without words; more words go with it.)
    assert await sms.say(PHONE, "gracias!! la leemos otra vez") == (
        "Tu agradecimiento va en camino a Brian."
    )
    [to_brian] = [m for m in await drain(chat) if m.address != GLOBAL]
    assert to_brian.text.endswith(
        '\n"gracias!! la leemos otra vez"\nNo need to answer: a reply here wouldn\'t reach them.'
    )
    assert "Achieng" not in to_brian.text and PHONE not in to_brian.text


async def test_other_words_after_a_letter_still_go_to_the_facilitator(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await letters_read_in_nairobi(core, chat, clock, "Brian")
    assert "passed that on to Wanjiru" in await chat.say("Otieno", "I'll be late tonight")
    assert [m.address.chat_id for m in await drain(chat)] == ["wanjiru"]
    # Once another choice is offered, the letter's thank-you is no longer what words answer.
    await chat.say("Otieno", "/language")
    assert "passed that on to Wanjiru" in await chat.say("Otieno", "Thanks!")


async def test_one_thank_you_for_every_letter_of_the_meeting_and_no_contact_details(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await letters_read_in_nairobi(core, chat, clock, "Brian", "Chen")
    answer = await chat.say("Otieno", "Asante sana! Call me on +254 712 345678")
    assert answer == (
        "Your thanks is on its way to Brian, without your words: letters and their answers "
        "travel without contact details.\n"
        "Your thanks is on its way to Chen, without your words: letters and their answers "
        "travel without contact details."
    )
    sent = await drain(chat)
    assert sorted(m.address.chat_id for m in sent) == ["brian", "chen"]
    thanked = "Someone in Nairobi, Kenya says thank you for your letter.\n"
    assert all(m.text.startswith(thanked) for m in sent)


async def test_a_thanks_with_a_question_goes_to_the_facilitator_not_the_writers(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """Walkthrough 8 (lang 22): "Asante! Who can translate this letter for me?" went abroad to
    the letters' writers as a reply to their encouragement."""
    core, chat = relaying(sqlite_engine, clock)
    await letters_read_in_nairobi(core, chat, clock, "Brian")
    answer = await chat.say("Otieno", "Thanks! Who can translate this letter for me?")
    assert "passed that on to Wanjiru" in answer
    assert [m.address.chat_id for m in await drain(chat)] == ["wanjiru"]


async def test_a_thank_you_naming_writers_goes_to_them_alone(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """Walkthrough B9: "Asante sana Ousmane na Khady!" under three letters went to all three
    writers, the one not named reading thanks addressed to others as a reply to his letter."""
    core, chat = relaying(sqlite_engine, clock)
    await letters_read_in_nairobi(core, chat, clock, "Brian", "Chen", "Dana")
    answer = await chat.say("Otieno", "Asante sana Brian na Dana! from Nairobi")
    assert answer == ("Your thanks is on its way to Brian.\nYour thanks is on its way to Dana.")
    assert sorted(m.address.chat_id for m in await drain(chat)) == ["brian", "dana"]
