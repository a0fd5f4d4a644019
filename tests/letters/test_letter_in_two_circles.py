"""A learner in two circles sends /letter: she is asked which circle, and once she has said,
the words she sends next are her letter (then its signature is asked), never passed on to the
facilitator as a message; by SMS (LETTER, then the circle's number or name) too."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import LetterStatus
from tests.conftest import Chat, code_of
from tests.core.test_finished_circles import AFTER_ATELIER, two_circles
from tests.letters.test_letters import TEXT, drain, letters_in

PHONE = "+13135550123"


async def test_the_words_after_the_circle_is_chosen_are_the_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)  # Atelier Python has just had its last meeting
    clock.set(AFTER_ATELIER)
    await drain(chat)
    assert (await chat.say("Brian", "/letter")).startswith("Which circle is that for?")
    assert "Write to a new circle far away" in await chat.say("Brian", "Atelier Python")
    assert "How should it be signed?" in await chat.say("Brian", TEXT)
    await chat.say("Brian", "1")
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.REVIEW and letter.text == TEXT
    told = [m.text for m in await drain(chat) if m.address.chat_id == "amina"]
    assert not any("Brian wrote about" in text for text in told)


async def test_by_sms_too(chat: Chat, core: Core, clock: FakeClock) -> None:
    await two_circles(chat, core)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for circle in ("Python for Everyone", "Atelier Python"):
        await phone.say(PHONE, "JOIN " + await code_of(core, circle))
        for _ in range(3):  # her name (the first time), her goal, sharing
            if "?" not in await phone.say(PHONE, "SKIP"):
                break
    clock.set(AFTER_ATELIER)
    await drain(chat)
    asked = await phone.say(PHONE, "LETTER")
    assert asked.startswith("Which circle is that for?"), asked
    assert "Atelier Python" in asked
    choice = "2" if asked.endswith("2 for Atelier Python.") else "1"
    assert "Write to a new circle far away" in await phone.say(PHONE, choice)
    assert "How should it be signed?" in await phone.say(PHONE, TEXT)
    await phone.say(PHONE, "1")
    [letter] = await letters_in(core)
    assert letter.text == TEXT
