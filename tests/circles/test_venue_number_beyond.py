"""Walkthrough (issue 16): "/edit venue 9 Auditorium" in a circle of 6 meetings asks before
moving every meeting and telling every member."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_editing import calendar_events, circle_with_members
from tests.conftest import Chat


async def test_a_number_beyond_the_meetings_is_asked_about_first(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    await chat.deliver()
    asked = await chat.say("Amina", "/edit venue 9 Auditorium")
    assert asked == (
        "There's no meeting 9. Set “9 Auditorium” as the venue of every meeting?\n"
        "Reply 1 for Yes or 2 for No."
    )
    assert await chat.deliver() == []  # no one told yet
    assert await chat.say("Amina", "2") == "OK, the venue stays as it was."
    events = await calendar_events(chat, "Brian")
    assert "9 Auditorium, Detroit" not in {e["location"] for e in events.values()}
    await chat.say("Amina", "/edit venue 9 Auditorium")
    assert "meets here: 9 Auditorium" in await chat.say("Amina", "1")
    events = await calendar_events(chat, "Brian")
    assert {e["location"] for e in events.values()} == {"9 Auditorium, Detroit"}
