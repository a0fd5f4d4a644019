"""A sentence sent to the open attendance sheet is no list of names: the sheet closes (what was
ticked is kept) and the words go where words go. Walkthrough 8 (mix 27): Nadia's "Julien, can
you help me with Thursday? I don't know how to take attendance" got "Reply with 1 or Yasmine,
or done" twice and never reached Julien."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Attendance
from tests.conftest import Chat
from tests.rhythm.test_rhythm import MEETING_1, count, start_circle

HELP = "Amina, can you help me with Thursday? I don't know how to take attendance"


async def test_a_sentence_closes_the_sheet_and_reaches_the_other_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Dede", "Chioma")
    assert "now co-facilitates" in await chat.say("Amina", "/cofacilitator Chioma")
    await chat.deliver()
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Chioma", "/attendance")
    await chat.say("Chioma", "brian")
    reply = await chat.say("Chioma", HELP)
    assert "Please reply with" not in reply
    assert "closed the attendance sheet for meeting 1" in reply
    assert any(HELP in m.text for m in await chat.deliver() if m.address.chat_id == "amina")
    assert await count(core, Attendance) >= 1  # Brian's tick is kept
