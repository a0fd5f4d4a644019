"""A rating with only a thanks or a please around it ("good tnx", "5 tnx", "5 porfa") is the
rating, and the week's open question is still asked. Walkthrough 8 (sms 10, sms 14): Ama's
"good tnx" was not understood, and "5 tnx" kept "tnx" as her answer, the question never asked."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_everyday_answers import checkins
from tests.seasons import Week, open_circle, play_week


@pytest.mark.parametrize(("typed", "rating"), [("good tnx", 4), ("5 tnx", 5), ("great pls", 5)])
async def test_a_rating_with_thanks_is_the_rating_and_the_question_follows(
    chat: Chat, core: Core, clock: FakeClock, typed: str, rating: int
) -> None:
    await open_circle(chat, core, {"Ama": True})
    await play_week(chat, core, clock, 1, Week())
    reply = await chat.say("Ama", typed)
    [checkin] = await checkins(core)
    assert (checkin.rating, checkin.answer) == (rating, None)
    assert reply.endswith("?")  # the week's open question, asked


async def test_a_rating_with_a_spanish_please_is_the_rating(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Yese": True})
    await chat.say("Yese", "/language es")
    await play_week(chat, core, clock, 1, Week())
    await chat.say("Yese", "4 porfa")
    [checkin] = await checkins(core)
    assert (checkin.rating, checkin.answer) == (4, None)
