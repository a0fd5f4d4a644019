"""The closing summary counts only the check-ins that have gone out: the last meeting's goes the
next morning, after the summary."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.seasons import Week, open_circle, play_week, starts

TWO_MEETINGS = DETROIT_CIRCLE.replace("meetings=6", "meetings=2")


async def test_the_closing_summary_does_not_count_the_last_check_in_before_it_goes_out(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False}, TWO_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma"), ratings={"Brian": 4}))
    # Nobody ticks the last meeting's sheet: the summary goes 12 hours after its end, at 8:30
    # the next morning, before that meeting's check-in (10:00).
    clock.set(starts(2) + timedelta(hours=14))
    await core.tick()
    [summary] = [m for m in await chat.deliver() if "Thank you for facilitating" in m.text]
    assert "Check-ins: 1 of 2 answered (50%)." in summary.text
