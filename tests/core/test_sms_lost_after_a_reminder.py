"""A learner on a phone, lost after a meeting's "Will you come?" ("no entiendo, qué tengo que
responder", AYUDA): she is given the question itself or the words to text, never the bot's
last reply quoted as "my question", nor a bare "Reply 1 for Yes or 2 for No" about a meeting
that is already over."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_sms_words import Phones, joined
from tests.seasons import starts

PHONE = "+5215500000001"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def reminded(chat: Chat, phones: Phones, clock: FakeClock) -> str:
    """Gloria, by SMS in Spanish, sent the hour-before reminder of meeting 1; what she got."""
    await joined(chat, phones, PHONE, "es")
    for said in ("/skip", "2"):  # the goal and sharing questions
        await phones.say(PHONE, said)
    clock.set(starts(1) - timedelta(minutes=50))
    await chat.core.tick()
    return "".join(m.text for m in await phones.deliver() if m.address.chat_id == PHONE)


async def test_ayuda_after_a_reply_asks_the_reminders_question_not_the_reply(
    chat: Chat, phones: Phones, clock: FakeClock
) -> None:
    assert "¿Vienes?" in await reminded(chat, phones, clock)
    passed = await phones.say(PHONE, "mmm no se todavia, depende de mi jefe")
    assert "pasé" in passed and "1 (Si)" in passed, passed  # passed on; the question waits
    helped = await phones.say(PHONE, "AYUDA")
    assert "¿Vienes?" in helped, helped
    assert "pasé" not in helped, helped


async def test_lost_after_the_meeting_is_over_gets_the_words_to_text(
    chat: Chat, phones: Phones, clock: FakeClock
) -> None:
    assert "¿Vienes?" in await reminded(chat, phones, clock)
    clock.set(starts(1) + timedelta(hours=3))
    lost = await phones.say(PHONE, "NO ENTIENDO COMO FUNCIONA ESTO, QUE TENGO QUE RESPONDER")
    assert "pasé" not in lost, lost  # not a message to the facilitator
    assert "1 (Si)" not in lost and "1 (Sí)" not in lost, lost  # that meeting is over
    assert "PROXIMA" in lost.upper() or "PRÓXIMA" in lost.upper(), lost  # the words to text
    helped = await phones.say(PHONE, "AYUDA")
    assert "Mi pregunta para ti" not in helped, helped
