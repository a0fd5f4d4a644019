"""Walkthrough 8, sms 20: Ama's letter says her salon found customers "from facebook"; it was
held as contact details and she was told to type all of it again on a feature phone. Naming an
app is not a way to reach someone; pointing the reader to her there is."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.letters.screening import Flag, screen
from bot.storage.models import LetterStatus
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms

AMA = (
    "Hello from Accra! Pls dont give up, the first week is hard but the group will help you. "
    "I got 5 new customers for my salon from facebook. It is very hot here tnx"
)


async def test_a_letter_naming_an_app_travels_and_one_pointing_there_is_held(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    sms = await joined_by_sms(core, "Python for Everyone")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await sms.say(PHONE, "LETTER")
    await sms.say(PHONE, AMA)
    answer = await sms.say(PHONE, "Ama")
    assert "can't go on" not in answer and "contact details" not in answer, answer
    [letter] = await letters_in(core)
    assert letter.flags == []
    await drain(chat)
    assert "approved" in await chat.say("Amina", f"/letters approve {letter.id}")
    assert (await letters_in(core))[0].status == LetterStatus.POOLED

    # Pointing the reader to the author on an app still holds the letter, in any language.
    for pointing, language in [
        ("Follow me on instagram for tips!", "en"),
        ("Agrégame en Facebook, soy Ama.", "es"),
        ("Nifuate WhatsApp kila siku.", "sw"),
    ]:
        assert Flag.APP in screen(AMA + " " + pointing, language, "GH"), pointing
