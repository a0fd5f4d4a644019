"""Swahili time without "asubuhi" or "jioni": "saa tano" is 11:00, as a circle meets by day
(saa moja, 7:00, to saa kumi na mbili, 18:00); and a time that can't be read is quoted whole."""

from __future__ import annotations

from datetime import time

import pytest

from bot.core import Core
from bot.dialogue.values import parse_time
from tests.circles.test_find import SWAHILI_CIRCLE
from tests.conftest import Chat


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("saa tano", time(11)),
        ("saa moja", time(7)),
        ("saa sita", time(12)),
        ("saa nane", time(14)),
        ("saa kumi na mbili", time(18)),
        ("saa tatu na nusu", time(9, 30)),
        ("saa tano usiku", time(23)),  # the part of the day said still rules
    ],
)
def test_swahili_hours_without_the_part_of_the_day_are_by_day(typed: str, meant: time) -> None:
    assert parse_time(typed) == meant


async def test_moving_a_meeting_to_saa_tano(chat: Chat, core: Core) -> None:
    await chat.say("Wanjiru", "/lugha sw")
    await chat.say("Wanjiru", SWAHILI_CIRCLE)
    moved = await chat.say("Wanjiru", "/hamisha 2 Jumamosi saa tano")
    assert "saa tano asubuhi" in moved or "11:00" in moved, moved
    assert "si saa ninayoweza" not in moved


async def test_an_unreadable_time_is_quoted_whole(chat: Chat, core: Core) -> None:
    await chat.say("Wanjiru", "/lugha sw")
    await chat.say("Wanjiru", SWAHILI_CIRCLE)
    refused = await chat.say("Wanjiru", "/hamisha 2 Jumamosi saa ishirini")
    assert "“saa ishirini”" in refused, refused
