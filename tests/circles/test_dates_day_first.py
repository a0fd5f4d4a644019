"""Facilitator walkthrough (entry 1): an English-speaking facilitator in Kenya writes dates day
first. "19/12/2026" was refused and "2/1/2027" read as February 1. Dates follow the circle's
country (en_KE), and a date that can be read only one way is never refused."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_newcircle_dates import NAIROBI_CIRCLE
from tests.conftest import DETROIT_CIRCLE, Chat


async def test_a_kenyan_circle_reads_dates_day_first(chat: Chat, core: Core) -> None:
    answer = await chat.say("Joseph", NAIROBI_CIRCLE.replace("start=2026-11-03", "start=2/1/2027"))
    assert "starting Saturday, January 2, 2027" in answer, answer


async def test_the_guided_question_shows_and_reads_dates_day_first(chat: Chat) -> None:
    await chat.say("Joseph", "/newcircle")
    answers = ("Intro to Data", "GCF Excel basics", "skip", "Kibera Library", "Nairobi", "KE")
    for answer in (*answers, "Africa/Nairobi"):
        asked = await chat.say("Joseph", answer)
    # Two weeks ahead of October 20, day first as in Kenya (not 11/3/2026).
    assert "For example 03/11/2026, or a weekday" in asked, asked
    assert "First meeting: Saturday, December 19, 2026." in await chat.say("Joseph", "19/12/2026")
    await chat.say("Joseph", "/cancel")
    await chat.say("Joseph", "/newcircle")
    for answer in (*answers, "Africa/Nairobi"):
        await chat.say("Joseph", answer)
    assert "First meeting: Saturday, January 2, 2027." in await chat.say("Joseph", "2/1/2027")


async def test_meetings_move_to_a_day_first_date_in_a_kenyan_circle(chat: Chat) -> None:
    assert "is ready" in await chat.say("Joseph", NAIROBI_CIRCLE)
    # November 5, between meeting 1 (November 3) and meeting 3 (November 17); not May 11.
    answer = await chat.say("Joseph", "/reschedule 2 5/11/2026 17:30")
    assert answer.startswith("Meeting 2 is now Thursday, November 5, 2026"), answer


async def test_a_date_only_one_way_round_is_never_refused(chat: Chat) -> None:
    # In the US, month first; but 19 can't be a month.
    answer = await chat.say("Amina", DETROIT_CIRCLE.replace("start=2026-10-29", "start=19/11/2026"))
    assert "starting Thursday, November 19, 2026" in answer, answer
    answer = await chat.say(
        "Brian",
        DETROIT_CIRCLE.replace("start=2026-10-29", "start=2/1/2027").replace("Python", "Py"),
    )
    assert "starting Monday, February 1, 2027" in answer, answer


async def test_a_date_and_time_with_their_little_words_are_read(chat: Chat) -> None:
    """lang 48: "/reprogramar 3 el 25/03 a las 6 pm" was refused: "“el” is not a date"."""
    assert "is ready" in await chat.say("Joseph", NAIROBI_CIRCLE)
    answer = await chat.say("Joseph", "/reschedule 2 the 5/11/2026 at 6 pm")
    assert answer.startswith("Meeting 2 is now Thursday, November 5, 2026 at 6:00 PM"), answer
    await chat.say("Joseph", "/language es")
    answer = await chat.say("Joseph", "/reprogramar 3 el 19/11/2026 a las 6 pm")
    assert "19 de noviembre de 2026" in answer and "18:00" in answer, answer
