"""Being there counts as coming: a learner who says she is here before the meeting starts is
a yes in the facilitator's digest, never "not answered yet". Walkthrough 8 (sms 38): Don
Hernando's "YA LLEGUE" at 16:31 was noted, but Luz still saw him as not having replied."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import open_circle, starts


async def test_here_before_the_start_is_a_yes(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Hernando": True, "Camila": True})
    clock.set(starts(1) - timedelta(minutes=29))
    await chat.say("Hernando", "/rsvp no")  # a no given earlier does not stand either
    assert "You're here" in await chat.say("Hernando", "/here")
    digest = await chat.say("Amina", "/digest")
    assert "1 yes" in digest, digest
    assert "Not answered yet: Camila" in digest
