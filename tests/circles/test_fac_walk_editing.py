"""Facilitator walkthrough findings on /edit: "meeting 2 ROOM" names meeting 2."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_editing import calendar_events, circle_with_members, texts_to
from tests.conftest import Chat


@pytest.mark.parametrize(
    "typed", ["meeting 2 Conference Room B (upstairs)", "Meeting #2: Conference Room B (upstairs)"]
)
async def test_meeting_and_its_number_pick_that_meeting(chat: Chat, core: Core, typed: str) -> None:
    await circle_with_members(chat, core)
    asked = await chat.say("Amina", f"/edit venue {typed}")
    assert asked.startswith("Python for Everyone: meeting 2 (")
    assert "somewhere else: Conference Room B (upstairs), Detroit." in asked
    assert "meeting 2 Conference" not in asked and "somewhere new" not in asked
    await chat.say("Amina", "yes")
    events = await calendar_events(chat, "Brian")
    assert events[2]["location"] == "Conference Room B (upstairs), Detroit"
    assert events[3]["location"] == "Detroit Public Library, Detroit"


async def test_a_meeting_room_is_still_a_place(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    asked = await chat.say("Amina", "/edit venue Meeting Room 3, Main Library")
    assert "meets somewhere new from meeting 1" in asked


async def test_one_meeting_online_takes_a_number_to_call_in(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A snow day: meeting 4 online, and the learner on a basic phone calls in to it."""
    await circle_with_members(chat, core)
    await chat.say("Amina", "/edit venue 4 https://meet.jit.si/ParkmanBasics")
    moved = await chat.say("Amina", "yes")
    assert moved.startswith("Meeting 4 is here now: online at https://meet.jit.si/ParkmanBasics")
    assert "Learners on basic phones can't open a link." in moved
    assert "/edit dialin NUMBER" in moved
    assert await chat.say("Amina", "/edit dialin +1 313 555 0199 PIN 4821#") == (
        "Learners can call +1 313 555 0199 PIN 4821# to join meeting 4 online. Reminders and "
        "/next give the number."
    )
    # Only that meeting is called into; the others are in the library, as before.
    events = await calendar_events(chat, "Brian")
    assert events[3]["location"] == "Detroit Public Library, Detroit"
    clock.set(datetime(2026, 11, 18, 23, 30, tzinfo=UTC))  # the day before meeting 4
    await core.tick()
    texts = texts_to(await chat.deliver(), "Brian")
    assert any("or call +1 313 555 0199 PIN 4821#" in text for text in texts)


async def test_a_circle_meeting_only_in_a_room_still_has_no_call(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    assert (await chat.say("Amina", "/edit dialin +1 313 555 0199")).startswith(
        "A number to call in is for a circle that meets online."
    )
