"""/thanks alone, as a learner types it after a first meeting's letters: the letters there are
to thank, by number, with a button for each writer not thanked yet, instead of a usage line."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    write,
)
from tests.letters.test_walkthrough_letters import CHEN_TEXT, first_meeting, relaying


async def test_thanks_alone_lists_the_letters_to_thank(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    # Before: "Usage: /thanks LETTER [LETTER ...]".
    assert await chat.say("Otieno", "/thanks") == (
        "No letters have come to your circle yet. They arrive for a circle's first meeting; "
        "then /thanks and a letter's number thanks its writer."
    )

    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN_TEXT)
    await chat.say("Amina", "/letters approve 1")
    await chat.say("Amina", "/letters approve 2")
    await drain(chat)
    await first_meeting(core, chat, clock, NAIROBI_FIRST)

    [listed] = await core.handle(chat.inbound("Otieno", "/thanks"), chat.capabilities)
    assert listed.text.startswith(
        "Letters that came to your circle:\n"
        "#1 From Brian in Detroit, United States\n"
        "#2 From Chen in Detroit, United States\n"
        "To thank a writer, send /thanks and the letter's number, like /thanks 1."
    )
    # Without buttons (this chat), the choices as text.
    assert listed.text.endswith("\nReply 1 for Thank Brian or 2 for Thank Chen.")
    # The letters came together: the choices stay open, with the same numbers (issue 16).
    assert await chat.say("Otieno", "1") == (
        "Your thanks is on its way to Brian.\nReply 1 for Thank Brian or 2 for Thank Chen."
    )

    again = await chat.say("Otieno", "/thanks")
    assert "#1 From Brian in Detroit, United States: you've thanked them\n" in again
    assert "like /thanks 2." in again
    # Every letter listed has its choice, in order: "2" is Chen's, as the list numbers it.
    assert again.endswith("\nReply 1 for Thank Brian or 2 for Thank Chen.")
    assert await chat.say("Otieno", "2") == "Your thanks is on its way to Chen."
    assert sorted(m.address.chat_id for m in await drain(chat)) == ["brian", "chen"]


async def test_thanks_said_alone_is_still_words_not_the_command(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """/thanks needs no number now; "Thanks!" (or "Asante") typed alone is still a thank-you
    to the facilitator, passed on, not the list of letters."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    assert "passed that on to Amina" in await chat.say("Brian", "Thanks!")
    phones = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    await phones.say("+254700000001", "JOIN " + await code_of(core, "Python for Everyone"))
    await phones.say("+254700000001", "/skip")
    await phones.say("+254700000001", "/skip")
    assert "passed that on to Amina" in await phones.say("+254700000001", "THANKS")
