"""HELP while a question waits for a number starts from that question: it is asked again, with
its choices, and a second HELP lists the words. Walkthrough 8 (sms 29): Maribel's "ayuda" at
"¿Vienes? Responde 1 (Sí) o 2 (No)" got 4 SMS of keywords and nothing about the question."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.core.test_sms_words import Phones, joined
from tests.rhythm.test_reading_answers import rsvps
from tests.seasons import starts

PHONE = "+573001234567"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_help_at_a_reminder_asks_it_again(
    chat: Chat, phones: Phones, core: Core, clock: FakeClock
) -> None:
    await joined(chat, phones, PHONE, "es")
    await phones.say(PHONE, "/skip")
    await phones.say(PHONE, "/skip")
    await phones.deliver()
    clock.set(starts(1) - timedelta(hours=23))
    await core.tick()
    [reminder] = [m.text for m in await phones.deliver() if m.address.chat_id == PHONE]
    assert "¿Vienes?" in reminder
    helped = await phones.say(PHONE, "ayuda")
    assert "¿Vienes?" in helped and "Responde 1" in helped, helped
    assert "PROXIMA" not in helped
    assert "PROXIMA" in await phones.say(PHONE, "ayuda")  # asked again: the words
    await phones.say(PHONE, "1")
    assert await rsvps(core) == [RsvpAnswer.YES]
