"""A letter for a first meeting reaches a phone as one text with its thank-you line, even when
its letters cost UCS-2 ("Aquí", walkthrough lang 17: a 263-character letter came in three texts,
the last only "Reply 1 for Send a thank-you")."""

from __future__ import annotations

import random

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_MAX_SEGMENTS, sms_segments
from bot.core import Core
from bot.letters.letters import LetterPolicy
from tests.conftest import Chat
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    GLOBAL,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms
from tests.platforms import PLATFORMS

# 263 characters, with letters GSM-7 lacks (í, ó): the whole text goes as UCS-2.
LETTER = (
    "Hola desde la Ciudad de México! Aquí hace fresco y los volcanes se ven desde la "
    "biblioteca. Vengan cada semana aunque se sientan atrasados: nadie sabe todo, y las "
    "preguntas de uno ayudan a los demás. Nosotros aprendimos variables y ciclos juntos en "
    "la tarde."
)


async def test_a_ucs2_letter_comes_as_one_text_with_its_thank_you_line(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(
        sqlite_engine,
        clock,
        random.Random(7),
        letter_policy=LetterPolicy(global_channels=(GLOBAL,)),
        platforms=PLATFORMS,
    )
    chat = Chat(core)
    await detroit(chat, core, "Brian")
    await chat.say("Otieno", NAIROBI)
    sms = await joined_by_sms(core, "Digital Skills")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian", LETTER)
    [letter] = await letters_in(core)
    await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)

    clock.set(NAIROBI_FIRST)
    await core.tick()
    await core.dispatch({"sms": sms, "console": chat})
    texts = [m.text for m in sms.sent if m.address.chat_id == PHONE]
    [at] = [i for i, text in enumerate(texts) if "A letter for your first meeting" in text]
    message = texts[at]
    # One text: the beginning of the letter, its signature and the reply that thanks it.
    assert "Hola desde la Ciudad de México!" in message
    # The reminder's "Will you come? Reply 1" waits too: the letter is thanked by a word
    # (walkthrough 8, sms 27), and says how to read all of it (sms 21).
    assert "- Brian" in message and "To thank the writer, reply THANKS." in message
    assert f"All of it: send LETTER {letter.id}." in message
    assert sms_segments(message) <= SMS_MAX_SEGMENTS
    assert not any("reply THANKS" in text for text in texts[at + 1 :])
