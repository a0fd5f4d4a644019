"""Walkthrough (issue 16): a learner made co-facilitator frees a seat, which goes to the first
learner waiting (smses 24); and /stepin after the circle one stepped out of has finished says
so, instead of "you haven't stepped out" (dede 37)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_waiting_list import full_circle, offers
from tests.conftest import Chat
from tests.rhythm.test_attendance_reminders import detroit


async def test_a_learner_made_cofacilitator_frees_a_seat_for_the_line(
    chat: Chat, core: Core
) -> None:
    code = await full_circle(chat, core)  # Brian and Chen have the 2 seats
    assert "number 1" in await chat.say("Dana", f"/join {code}")
    await chat.deliver()
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Brian")
    [offer] = await offers(chat)
    assert offer.chat_id == "dana"
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "dana"]
    assert any(t.startswith("Good news: a seat has opened in Python for Everyone") for t in told)
    assert (await chat.say("Dana", "1")).startswith("Welcome to Python for Everyone, Dana!")


async def test_stepping_in_after_the_circle_finished_says_so(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)  # Amina leads, Dede co-facilitates; Oct 29 - Dec 3, 2026
    await chat.say("Amina", "/handover Dede")
    assert "send /stepin" in await chat.say("Amina", "3")
    clock.set(datetime(2026, 12, 20, 12, 0, tzinfo=UTC))  # after its last meeting
    said = await chat.say("Amina", "/stepin")
    assert said == "Python for Everyone has finished, so there is nothing to step back into.", said
    await chat.say("Amina", "/language da")
    said = await chat.say("Amina", "/tilbage")
    assert said.startswith("Python for Everyone er slut"), said
