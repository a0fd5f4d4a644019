"""A check-in's rating opened with its number ("mbili, email setup ilikuwa ngumu"): the number
is the rating, never a label word said later in the sentence; the words are kept as written."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_everyday_answers import checkins
from tests.seasons import Week, open_circle, play_week


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [
        ("sw", "mbili, email setup ilikuwa ngumu", 2),  # Juma: noted as ngumu's 1
        ("sw", "2, email setup ilikuwa ngumu", 2),
        ("en", "two, it was hard", 2),
        ("en", "four, email was hard", 4),
        ("es", "tres, estuvo difícil", 3),
    ],
)
async def test_a_number_first_wins_over_a_label_later(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, rating: int
) -> None:
    await open_circle(chat, core, {"Juma": True})
    await chat.say("Juma", "/language " + language)
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Juma", typed)
    [checkin] = await checkins(core)
    assert checkin.rating == rating, reply
    assert checkin.answer, reply  # the words after the number are kept
