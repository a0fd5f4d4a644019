"""Facilitator walkthrough findings on changing the calendar: /addmeeting without a time takes
the circle's usual one; a cancelled meeting's notice doesn't read as if it moved."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_calendar_changes import circle_with_learners, texts_to


async def test_a_meeting_added_without_a_time_is_at_the_usual_time(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    assert await chat.say("Amina", "/addmeeting dec 10") == (
        "Meeting 7 is added: Thursday, December 10, 2026 at 6:00 PM (EST). "
        "I'm letting 2 members know."
    )
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert "meeting 7, Thursday, December 10, 2026 at 6:00 PM (EST)" in notice
    assert "Meeting 8 is added: Thursday, December 17, 2026 at 7:30 PM" in await chat.say(
        "Amina", "/addmeeting Dec 17 7:30pm"
    )


async def test_a_later_meeting_cancelled_leaves_the_next_one_still_on(
    chat: Chat, core: Core
) -> None:
    await circle_with_learners(chat, core)
    await chat.say("Amina", "/cancel 5")
    await chat.say("Amina", "yes")
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert notice == (
        "Python for Everyone: meeting 5 on Thursday, Nov 26, 6:00 PM won't take place. "
        "Your next meeting is still Thursday, Oct 29, 6:00 PM."
    )


async def test_the_next_meeting_cancelled_says_when_they_meet_instead(
    chat: Chat, core: Core
) -> None:
    await circle_with_learners(chat, core)
    await chat.say("Amina", "/cancel 1")
    await chat.say("Amina", "yes")
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert notice == (
        "Python for Everyone: meeting 1 on Thursday, Oct 29, 6:00 PM won't take place. "
        "You meet next on Thursday, Nov 5, 6:00 PM."
    )
