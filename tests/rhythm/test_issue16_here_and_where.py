"""Issue 16 (fac 34): "HERE at the library computer" by SMS at a meeting was not attendance,
though "Here. I am on the phone line" was: the arrival word, then where, is an arrival."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_walk8_everyday_words import present
from tests.seasons import open_circle, starts


async def test_here_then_where_by_sms_is_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {})
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["JOIN " + code, "Walter", "Learn to use email.", "1"]:
        await sms.say("+13135550142", text)
    await sms.deliver()
    clock.set(starts(1) + timedelta(minutes=10))
    reply = await sms.say("+13135550142", "HERE at the library computer")
    assert "You're here for meeting 1" in reply, reply
    assert await present(core) == 1
