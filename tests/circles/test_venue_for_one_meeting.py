"""Facilitator walkthrough (entry 14): "/edit venue for meeting 2 only: ROOM" moved every
meeting and told every member at once. The words name the meeting, and a change members will
hear of is shown as they will read it and asked about first, as /announce does."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.circles.test_editing import calendar_events, circle_with_members, texts_to
from tests.conftest import Chat


@pytest.mark.parametrize(
    "typed",
    [
        "for meeting 2 only: Kibera Community Library, main hall",
        "meeting 2 only - Kibera Community Library, main hall",
        "only meeting 2, Kibera Community Library, main hall",
        "for meeting 2: Kibera Community Library, main hall",
    ],
)
async def test_words_naming_a_meeting_move_only_that_meeting(
    chat: Chat, core: Core, typed: str
) -> None:
    await circle_with_members(chat, core)
    asked = await chat.say("Amina", f"/edit venue {typed}")
    assert asked == (
        "Python for Everyone: meeting 2 (Thursday, November 5, 2026 at 6:00 PM (EST)) is "
        "somewhere else: Kibera Community Library, main hall, Detroit.\n\n"
        "Change the venue and send this to 2 members?\nReply 1 for Yes or 2 for No."
    )
    assert await chat.say("Amina", "yes") == (
        "Meeting 2 is here now: Kibera Community Library, main hall, Detroit. "
        "I'm letting 2 members know."
    )
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert "meeting 2" in notice and "for meeting" not in notice
    events = await calendar_events(chat, "Brian")
    assert events[2]["location"] == "Kibera Community Library, main hall, Detroit"
    assert {events[n]["location"] for n in (1, 3, 4, 5, 6)} == {"Detroit Public Library, Detroit"}


async def test_a_venue_change_is_sent_only_once_confirmed(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    asked = await chat.say("Amina", "/edit venue Meeting Room 3, Main Library")
    assert asked.startswith("Python for Everyone meets somewhere new from meeting 1 (")
    assert asked.endswith(
        "Meeting Room 3, Main Library, Detroit.\n\nChange the venue and send this to 2 members?\n"
        "Reply 1 for Yes or 2 for No."
    )
    assert await chat.deliver() == []
    assert await chat.say("Amina", "2") == "OK, the venue stays as it was."
    assert await chat.deliver() == []
    events = await calendar_events(chat, "Brian")
    assert {e["location"] for e in events.values()} == {"Detroit Public Library, Detroit"}
    # A meeting number beyond the circle's is refused, not taken as part of the place.
    assert await chat.say("Amina", "/edit venue for meeting 9 only: Room B") == (
        "There is no meeting 9. This circle has meetings 1 to 6."
    )
