"""A letter sent straight back to its invitation after the next check-in question came: asked
"Is this your letter?", not passed on to the facilitator as a message. Walkthrough 8 (sms 19):
Don Hernando's letter, written as the invitation asked, reached Luz as an ordinary SMS and no
letter was kept."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import detroit
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms
from tests.letters.test_relay_due import INVITE, invited

LETTER = (
    "SALUDOS DESDE DETROIT. YO TENGO 63 AÑOS Y APRENDI PYTHON, USTEDES TAMBIEN PUEDEN. "
    "NO TENGAN MIEDO DE PREGUNTAR."
)


async def test_a_letter_after_the_checkin_question_is_asked_about(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    sms = await joined_by_sms(core, "Python for Everyone")
    clock.set(INVITE + timedelta(minutes=1))
    await core.tick()
    assert PHONE in await invited(chat)
    await core.dispatch({"sms": sms, "console": chat})
    clock.advance(timedelta(hours=12))
    assert "1" in await sms.say(PHONE, "CHECKIN")  # the 1-5 now waits, the letter's choice gone

    assert "Is this your letter" in await sms.say(PHONE, LETTER)
    assert "signed" in await sms.say(PHONE, "YES")
