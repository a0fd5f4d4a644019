"""Walkthrough 8 digest findings: a learner who missed the last two meetings is flagged at once,
even though she answered her check-in (fac 8); each meeting's count is said with its meeting,
and no sentence on how those who left are counted (lang 19)."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, open_circle, play_week, starts


async def test_two_meetings_missed_flag_a_learner_in_week_four(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Lena": False, "Jonas": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Lena", "Jonas")))
    await chat.say("Jonas", "/leave")
    assert "You've left" in await chat.say("Jonas", "yes")
    await play_week(chat, core, clock, 2, Week(no=("Lena",), came=("Brian",)))
    # She answers the week-3 check-in ("i stopped coming"): she is drifting all the same.
    await play_week(
        chat,
        core,
        clock,
        3,
        Week(came=("Brian",), ratings={"Lena": 1}, answers={"Lena": "i stopped coming"}),
    )
    clock.set(starts(4) - timedelta(days=1))
    digest = await chat.say("Amina", "/digest")
    assert "May be drifting away (missed the last two meetings): Lena." in digest
    assert "Attendance so far: 3 at meeting 1, 1 at meeting 2, 1 at meeting 3" in digest
    assert "left" not in digest
