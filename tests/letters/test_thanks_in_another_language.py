"""Words written back to a letter in another language than its writer's say which language
they are in, as the letters themselves do: a French writer got Swahili thanks with no hint
(B12)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.letters.test_letters import drain
from tests.letters.test_thanks_in_words import PHONE, letters_read_in_nairobi
from tests.letters.test_walkthrough_letters import relaying


async def test_the_writer_is_told_the_language_of_the_thanks(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    sms = await letters_read_in_nairobi(core, chat, clock, "Brian")
    await sms.say(PHONE, "Muchas gracias Brian, tu carta nos dio mucho animo a todos")
    [to_brian] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert to_brian.startswith("Someone in Nairobi, Kenya wrote back to your letter, in Spanish:\n")
    # In the writer's own language, nothing more is said.
    await chat.say("Otieno", "Thank you so much, we'll read it again!")
    [to_brian] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert to_brian.startswith("Someone in Nairobi, Kenya wrote back to your letter:\n")


async def test_the_writer_knows_a_reply_would_not_reach_them(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """C14: "Greetings to my friends in Medellin", answered to a thank-you, reached the
    writer's old facilitator: the thank-you says an answer wouldn't reach them."""
    core, chat = relaying(sqlite_engine, clock)
    await letters_read_in_nairobi(core, chat, clock, "Brian")
    await chat.say("Otieno", "/thanks 1")
    [to_brian] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert to_brian == (
        "Someone in Nairobi, Kenya says thank you for your letter.\n"
        "No need to answer: a reply here wouldn't reach them."
    )


async def test_the_language_of_the_thanks_is_read_from_its_words_not_the_setting(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """dede 16: Freja (Danish account) wrote back in German and Jonas read "auf Dänisch":
    the label is the words' language, and left out when the words don't clearly say."""
    core, chat = relaying(sqlite_engine, clock)
    await letters_read_in_nairobi(core, chat, clock, "Brian")
    await chat.say("Otieno", "/language da")
    await drain(chat)
    await chat.say("Otieno", "Danke schön aus Aarhus, hier schneit es auch!")
    [to_brian] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert to_brian.startswith("Someone in Nairobi, Kenya wrote back to your letter, in German:\n")
    await chat.say("Otieno", "/thanks 1 Bravo Brian!!")
    [to_brian] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert "Danish" not in to_brian
    assert to_brian.startswith("Someone in Nairobi, Kenya wrote back to your letter:\n")
