"""Words are read in the circle's language too, not only the reader's (walkthroughs sms 7,
sms 11, ops 13): a Kenyan who reads the bot in English texts NIMEFIKA, NDIYO or TANO."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.seasons import CIRCLE, checkin_due, starts


async def _english_learner_in(chat: Chat, core: Core, circle: str) -> None:
    assert "is ready" in await chat.say("Amina", circle)
    code = await code_of(core, CIRCLE)
    await chat.say("Otieno", "/language en")
    assert "Welcome" in await chat.say("Otieno", f"/join {code}")
    await chat.say("Otieno", "To read better.")
    await chat.say("Otieno", "yes")


async def _english_phone_in(chat: Chat, core: Core, circle: str) -> Chat:
    assert "is ready" in await chat.say("Amina", circle)
    phone = Chat(core, platform="sms")
    await phone.say("+254722000111", "/language en")
    await phone.say("+254722000111", f"JOIN {await code_of(core, CIRCLE)}")
    await phone.say("+254722000111", "Otieno")  # the name question
    return phone


@pytest.mark.parametrize("text", ["nimefika", "niko hapa", "HERE", "I'm here"])
async def test_a_here_word_of_the_circles_language_marks_an_english_reader_here(
    chat: Chat, core: Core, clock: FakeClock, text: str
) -> None:
    phone = await _english_phone_in(chat, core, DETROIT_CIRCLE + " language=sw")
    clock.set(starts(1) + timedelta(minutes=5))
    assert "You're here" in await phone.say("+254722000111", text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("da", "jeg er her"),
        ("es", "ya llegué"),
        ("de", "bin da"),
        ("de", "bin auch da"),  # walk 14, lang 13: passed on, not here
        ("de", "ich bin jetzt da"),
    ],
)
async def test_a_short_im_here_sentence_marks_a_learner_here(
    chat: Chat, core: Core, clock: FakeClock, language: str, text: str
) -> None:
    phone = await _english_phone_in(chat, core, DETROIT_CIRCLE + f" language={language}")
    clock.set(starts(1) + timedelta(minutes=5))
    answer = await phone.say("+254722000111", text)
    assert "You're here" in answer and "passed that on" not in answer


async def test_a_yes_of_the_circles_language_answers_an_english_readers_reminder(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _english_learner_in(chat, core, DETROIT_CIRCLE + " language=sw")
    clock.set(starts(1) - timedelta(hours=23))
    await core.tick()
    await chat.deliver()
    assert "see you" in (await chat.say("Otieno", "NDIYO")).casefold()


async def test_a_rating_in_the_language_of_the_circles_country_is_taken(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # An English circle in Kenya: its learners text Swahili numbers.
    await _english_learner_in(chat, core, DETROIT_CIRCLE.replace("country=US", "country=KE"))
    clock.set(starts(1) + timedelta(minutes=5))
    await chat.say("Otieno", "/here")
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()
    answer = await chat.say("Otieno", "tano")
    assert "Thanks" in answer and "didn't catch" not in answer
