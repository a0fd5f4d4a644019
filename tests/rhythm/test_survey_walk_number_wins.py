"""Walkthroughs sms 13, dada 25, lang 7: a number typed in a check-in answer ("Maybe three",
"muy bien!! 5", "good. 3") is the rating, whatever mood word comes with it; and the words
sent after a rating in words ("vizuri sana! tulifanya mazoezi...") are kept as the answer."""

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
        (
            "en",
            "It was very good but the teacher was too fast for me, I am old and my eyes are "
            "not good. Maybe three.",
            3,
        ),
        ("es", "muy bien!! aprendí a usar el correo 5", 5),
        ("es", "muy bien!! 5", 5),
        ("en", "good. 3", 3),
        ("sw", "vizuri sana, lakini nadhani tatu.", 3),
    ],
)
async def test_the_number_typed_wins_over_a_mood_word(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, rating: int
) -> None:
    await open_circle(chat, core, {"Rehema": True})
    await chat.say("Rehema", "/language " + language)
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Rehema", typed)
    [checkin] = await checkins(core)
    assert checkin.rating == rating, reply


async def test_words_after_a_rating_in_words_are_kept_past_the_follow_up(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Zawadi": True})
    await chat.say("Zawadi", "/language sw")
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Zawadi", "vizuri sana! tulifanya mazoezi ya kuandika barua pepe")
    [checkin] = await checkins(core)
    assert checkin.rating == 5, reply
    assert checkin.answer and "barua pepe" in checkin.answer, reply
    follow = await chat.say("Zawadi", "hapana, mtandao ulikuwa mzuri wiki hii")
    [checkin] = await checkins(core)
    assert checkin.answer and "barua pepe" in checkin.answer, (reply, follow)
