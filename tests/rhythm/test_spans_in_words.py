"""Walkthrough (issue 16): lengths of time written in words ("2 days and 1 hour", "2 jours",
"siku 2") and "/rhythm checkin 2 days 7pm"; /rhythm tells times as the reader writes them."""

from __future__ import annotations

import pytest

from bot.core import Core
from bot.dialogue.values import read_spans
from tests.conftest import Chat
from tests.rhythm.test_rhythm import circle_row, start_circle

DAY, HOUR = 24 * 60, 60


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("2 days", [2 * DAY]),
        ("1 hour", [HOUR]),
        ("2 days and 1 hour", [2 * DAY, HOUR]),
        ("48h", [2 * DAY]),
        ("2d", [2 * DAY]),
        ("2 jours et 1 heure", [2 * DAY, HOUR]),
        ("2 días y 1 hora", [2 * DAY, HOUR]),
        ("2 Tage und 1 Stunde", [2 * DAY, HOUR]),
        ("siku 2 na saa 1", [2 * DAY, HOUR]),
        ("2 dage og 1 time", [2 * DAY, HOUR]),
        # lang 78: "before" after the length, as reminders are written.
        ("2 Tage vorher", [2 * DAY]),
        ("1 día antes y 2 horas antes", [DAY, 2 * HOUR]),
        ("1 day before", [DAY]),
        ("siku 1 kabla", [DAY]),
        ("before", None),
        ("2", None),  # hours or minutes?
        ("2 days soon", None),
    ],
)
def test_lengths_of_time_in_words(typed: str, minutes: list[int] | None) -> None:
    assert read_spans(typed) == minutes


async def test_reminders_in_words(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Amina", "/reminders 2 days and 1 hour")
    assert answer == (
        "Python for Everyone sends learners two reminders: 2 days and 1 hour before each meeting."
    )
    assert (await circle_row(core)).reminder_offsets == [2 * DAY, HOUR]
    assert "hours or minutes" in await chat.say("Amina", "/reminders 2")
    assert "24 hours before each meeting" in await chat.say("Amina", "/reminders 1 day before")
    assert (await circle_row(core)).reminder_offsets == [DAY]


async def test_checkin_days_with_their_unit_and_a_us_time(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Amina", "/rhythm checkin 2 days 7pm")
    assert "Check-in: 2 days after each meeting, at 7:00 PM." in answer
    circle = await circle_row(core)
    assert (circle.checkin_days_after, circle.checkin_time.hour) == (2, 19)
