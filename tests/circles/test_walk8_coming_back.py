"""Walkthrough 8, lang 29 and 31: a learner who leaves and comes back keeps the meetings he came
to; the report still counts him, and a later newcomer hears how often the group really met."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, open_circle, play_week, starts


async def test_leaving_and_coming_back_keeps_the_meetings_he_came_to(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {"Otieno": True})
    await play_week(chat, core, clock, 1, Week(came=("Otieno",)))
    await chat.say("Otieno", "/leave")
    assert "You've left" in await chat.say("Otieno", "yes")
    assert "Welcome" in await chat.say("Otieno", f"/join {code}")
    await play_week(chat, core, clock, 2, Week(came=("Otieno",)))
    await play_week(chat, core, clock, 3, Week(came=("Otieno",)))

    report = await chat.say("Amina", "/report")
    assert "Attendance: 1 at meeting 1, 1 at meeting 2, 1 at meeting 3" in report
    clock.set(starts(4) - timedelta(days=2))
    welcome = await chat.say("Juma", f"/join {code}")
    assert "The group has met 3 times already" in welcome
