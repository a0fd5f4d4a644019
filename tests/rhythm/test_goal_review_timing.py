"""Walkthrough: the look back at the goal ("How close did you get?") for the circle's real last
meeting. A circle of one meeting gets it once, after that meeting (not before the circle has
even met); a circle shortened with /edit meetings gets it for its new last meeting, and after
it when the time two days before had already passed; never for a meeting that was removed."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.seasons import Week, open_circle, play_week, starts

LOOK_BACK = "How close did you get?"
ONE_MEETING = DETROIT_CIRCLE.replace("meetings=6", "meetings=1")
MEETING_MINUTES = 90
STEP = timedelta(hours=2)  # between ticks
DAY = timedelta(days=1)


async def look_backs(
    chat: Chat, core: Core, clock: FakeClock, until: datetime, step: timedelta = STEP
) -> list[datetime]:
    """When Brian is asked to look back at his goal (to within `step`), ticking until `until`."""
    asked = []
    while clock.now() < until:
        clock.advance(step)
        await core.tick()
        sent = await chat.deliver()
        asked += [clock.now() for m in sent if m.address.chat_id == "brian" and LOOK_BACK in m.text]
    return asked


async def test_a_one_meeting_circle_looks_back_after_its_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, ONE_MEETING)
    ends = starts(1) + timedelta(minutes=MEETING_MINUTES)
    asked = await look_backs(chat, core, clock, ends + timedelta(days=3))
    # Once, as the meeting ends (before: two days before it, when the circle hadn't met).
    assert len(asked) == 1
    assert ends <= asked[0] < ends + STEP


async def test_a_circle_shortened_late_looks_back_after_its_real_last_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))
    # The day before meeting 3 (the scheduler ticking all along): two days before it has
    # passed already.
    await look_backs(chat, core, clock, starts(3) - timedelta(days=1))
    await chat.say("Amina", "/edit meetings 3")  # three dropped: asked first
    assert "now has 3 meetings" in await chat.say("Amina", "yes")
    ends = starts(3) + timedelta(minutes=MEETING_MINUTES)
    asked = await look_backs(chat, core, clock, ends + timedelta(days=1))
    assert len(asked) == 1  # before: none at all
    assert ends <= asked[0] < ends + STEP
    assert await look_backs(chat, core, clock, starts(6) + timedelta(days=1), DAY) == []


async def test_a_circle_shortened_in_time_looks_back_before_its_new_last_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await chat.say("Amina", "/edit meetings 3")  # three dropped: asked first
    assert "now has 3 meetings" in await chat.say("Amina", "yes")
    asked = await look_backs(chat, core, clock, starts(3) + timedelta(days=1))
    assert len(asked) == 1
    assert starts(3) - timedelta(days=2, hours=12) < asked[0] <= starts(3) - timedelta(days=1)
    assert await look_backs(chat, core, clock, starts(6) + timedelta(days=1), DAY) == []


async def test_no_look_back_once_check_ins_are_paused(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D18: Bent sent CHECKIN OFF ("no more weekly check-in questions") and still got the
    final week's "How close did you get?"."""
    await open_circle(chat, core, {"Brian": True, "Dede": True}, ONE_MEETING)
    assert "no more weekly check-in questions" in await chat.say("Brian", "/checkin off")
    ends = starts(1) + timedelta(minutes=MEETING_MINUTES)
    assert await look_backs(chat, core, clock, ends + timedelta(days=3)) == []
