"""A letter a phone sends in two texts: the second is the rest of the letter, not its
signature. Walkthrough 8 (sms 18): Yese's advice became the signature "Consejo: no se rindan
aunque al principio parezca dificil, pregu", cut off, and was dropped from her letter."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, letters_in

FIRST = "Hola desde Bogota!! aca hace sol y llueve el mismo dia jaja. Lo mejor fue aprender."
REST = "Consejo: no se rindan aunque al principio parezca dificil, pregunten todo"


async def test_the_second_text_joins_the_letter_and_the_signature_is_asked_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Yese")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await chat.say("Yese", "/letter")
    assert "signed" in await chat.say("Yese", FIRST)
    again = await chat.say("Yese", REST)
    assert again.startswith("I've added that to your letter.")
    assert "signed" in again
    await chat.say("Yese", "1")
    [letter] = await letters_in(core)
    assert letter.text == FIRST + "\n" + REST
    assert letter.signature == "Yese"
