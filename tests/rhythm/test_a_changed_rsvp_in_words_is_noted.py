"""A change of mind in words after the facilitator answered the learner changes the RSVP, and
the words still go on to the facilitator: Yesenia's "sii" by SMS, a question Amina answered,
then on the day "ay al final no puedo ir, me toco doblar turno"; Lukas's "nein leider, bin
verkühlt", Amina's "Gute Besserung!", then the next day "geht mir doch besser, ich komme doch".
Both went on only as replies to her answer (its reply window waits for words), and the digest
counted the old answer."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, rsvps
from tests.seasons import starts


async def test_a_spanish_text_on_the_day_turns_a_yes_into_a_no(
    core: Core, clock: FakeClock
) -> None:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await answer_reminder(phones, core, clock, "Yesenia", "es", "sii")
    assert await rsvps(core) == [RsvpAnswer.YES]
    await phones.say("Yesenia", "una pregunta, hay que llevar laptop?")
    await phones.deliver()
    assert "sent your answer" in await phones.say("Amina", "/reply 1 Sí, trae la tuya")
    await phones.deliver()
    clock.set(starts(1) - timedelta(hours=5))
    typed = "ay al final no puedo ir, me toco doblar turno"
    reply = await phones.say("Yesenia", typed)
    assert await rsvps(core) == [RsvpAnswer.NO], reply
    assert "extrañar" in reply
    [notice] = passed_on_to(await phones.deliver(), "Amina")
    assert typed in notice


async def test_a_german_message_the_next_day_turns_a_no_into_a_yes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await answer_reminder(chat, core, clock, "Lukas", "de", "nein leider, bin verkühlt")
    assert await rsvps(core) == [RsvpAnswer.NO]
    await chat.deliver()
    assert "sent your answer" in await chat.say("Amina", "/reply 1 Gute Besserung!")
    await chat.deliver()
    clock.set(starts(1) - timedelta(hours=4))
    typed = "geht mir doch besser, ich komme doch"
    reply = await chat.say("Lukas", typed)
    assert await rsvps(core) == [RsvpAnswer.YES], reply
    assert "bis zum Treffen 1" in reply
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice
