"""Walkthrough (issue 16): a facilitator's own /checkin is not a learner's answer: the figures
count learners only."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, open_circle, play_week, starts


async def test_a_facilitators_own_checkin_is_not_counted(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma"), ratings={"Brian": 4}))
    assert "1" in await chat.say("Amina", "/checkin")
    assert "Thanks" in await chat.say("Amina", "1")
    await chat.say("Amina", "It went fine.")
    clock.set(starts(2) - timedelta(hours=3))
    report = await chat.say("Amina", "/report")
    assert "Check-ins: 1 of 2 answered (50%). Average rating by meeting (of 5): 1: 4.0." in report
