"""The hint after a No names the meeting when it was a later one: "/rsvp yes" alone answers the
next meeting, so following the hint after "/rsvp no 3" answered meeting 1 (walkthrough)."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_leave_and_default import join
from tests.conftest import DETROIT_CIRCLE, Chat


async def test_the_hint_after_a_no_for_a_later_meeting_names_it(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    later = await chat.say("Brian", "/rsvp no 3")
    assert "If plans change, send /rsvp yes 3." in later
    following = await chat.say("Brian", "/rsvp yes 3")
    assert "see you at meeting 3" in following
    next_one = await chat.say("Brian", "/rsvp no")
    assert "If plans change, send /rsvp yes." in next_one
