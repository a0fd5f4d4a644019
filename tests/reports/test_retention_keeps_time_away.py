"""The report's retention (fac 40): "The one learner at meeting 1 didn't come to meeting 2
(0%)" of Otieno, who had left before meeting 2 and joined again after it. His time away is
kept (bot/circles/away.py): it is not a drop-out."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, checkin_due, open_circle, play_week, starts


async def test_a_learner_away_for_the_latest_meeting_is_not_lost(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {"Otieno": True})
    await play_week(chat, core, clock, 1, Week(came=("Otieno",)))
    clock.set(checkin_due(1) + timedelta(hours=2))
    await chat.say("Otieno", "/leave")
    assert "You've left" in await chat.say("Otieno", "yes")
    assert "Welcome" in await chat.say("Wanjiru", f"/join {code}")
    await play_week(chat, core, clock, 2, Week(came=("Wanjiru",)))
    clock.set(starts(3) - timedelta(days=2))
    assert "Welcome back" in await chat.say("Otieno", f"/join {code}")
    report = await chat.say("Amina", "/report")
    assert "didn't come to meeting 2" not in report, report
    assert "The one learner at meeting 1 came to meeting 2 (100%)" in report, report
    assert "Otieno was away for meeting 2 and came back, so counts as still coming." in report
