"""A survey answer given with a few words ("Good. 4", "Yes, I will tell my nephew") is the
survey's answer: nothing is passed on to the facilitator to /reply to (wave 2, group G2)."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, answers_of, delivered, end_the_circle
from tests.seasons import open_circle


async def test_survey_answers_with_words_are_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    rated = await chat.say("Brian", "Good. 4")
    assert "passed that on" not in rated, rated
    goal = await chat.say("Brian", "Yes, I reached it and sent my CV to three companies")
    assert "passed that on" not in goal, goal
    recommended = await chat.say("Brian", "Yes, I will tell my nephew")
    assert "passed that on" not in recommended, recommended
    answers = await answers_of(core, "Brian")
    assert answers is not None
    assert (answers.rating, answers.goal_met, answers.recommend) == (4, "yes", True)
    amina = (await delivered(chat)).get("amina", "")
    assert "Good. 4" not in amina and "nephew" not in amina, amina
