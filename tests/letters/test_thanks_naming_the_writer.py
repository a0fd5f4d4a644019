"""Walkthrough (dada 13): a facilitator typed /gracias Sofie after /cartas listed Sofie's letter,
and Sofie was sent "Someone in Lima, Peru wrote back to your letter: "Sofie"": the name that
picked the letter went as the reply's words. A name alone picks the writer; she gets the plain
thank-you, as /thanks with the letter's number sends it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.letters.test_letters import drain
from tests.letters.test_thanks_in_words import letters_read_in_nairobi
from tests.letters.test_walkthrough_letters import relaying


async def test_thanks_with_the_writers_name_alone_is_a_plain_thank_you(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await letters_read_in_nairobi(core, chat, clock, "Brian", "Chen")
    thanked = await chat.say("Otieno", "/thanks Chen")
    assert thanked.startswith("Your thanks is on its way to Chen.\n"), thanked
    [to_chen] = await drain(chat)
    assert to_chen.address.chat_id == "chen"
    assert to_chen.text.startswith("Someone in Nairobi, Kenya says thank you for your letter.")
    assert '"Chen"' not in to_chen.text
    # Words beside the name still go with it.
    assert await chat.say("Otieno", "/thanks Brian your tip about the weekly rhythm helped") == (
        "Your thanks is on its way to Brian."
    )
    [to_brian] = await drain(chat)
    assert "your tip about the weekly rhythm helped" in to_brian.text
