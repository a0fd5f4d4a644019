"""Issue 16 walkthroughs: a rating's number followed by words ("5 it was great, we built a
loop", "4/5", "4 sur 5") answers the rating; "1 asante" answers a Yes / No."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import CheckIn
from tests.conftest import Chat
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS, answers_of, end_the_circle
from tests.seasons import Week, checkin_due, open_circle, play_week


async def checked_in(core: Core) -> list[CheckIn]:
    async with open_session(core) as session:
        return list((await session.exec(select(CheckIn))).all())


async def test_a_rating_with_words_keeps_both(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(checkin_due(1) + timedelta(hours=1))
    await core.tick()
    await chat.deliver()
    answer = await chat.say("Brian", "5 it was great, we built a loop")
    assert "Could you send a number" not in answer
    assert "Thank you for sharing" in answer
    [checkin] = await checked_in(core)
    assert checkin.rating == 5
    assert checkin.answer == "it was great, we built a loop"


@pytest.mark.parametrize("said", ["4/5", "4 out of 5", "4 sur 5", "4 kati ya 5"])
async def test_a_rating_out_of_five(chat: Chat, core: Core, clock: FakeClock, said: str) -> None:
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(checkin_due(1) + timedelta(hours=1))
    await core.tick()
    await chat.deliver()
    assert "Thanks, got it!" in await chat.say("Brian", said)
    [checkin] = await checked_in(core)
    assert checkin.rating == 4


async def test_the_survey_s_rating_with_words(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    assert "Did you reach your goal?" in await chat.say("Brian", "4 it was good, a bit fast")
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.rating == 4
    assert "recommend" in await chat.say("Brian", "1 asante")  # reached the goal
    assert "one tip" in await chat.say("Brian", "1 asante")  # would recommend it
    answers = await answers_of(core, "Brian")
    assert answers is not None and (answers.goal_met, answers.recommend) == ("yes", True)


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "en partie, je fais deja les totaux mais pas encore les graphiques"),  # B10
        ("sw", "kiasi, nimeanza kuuza kwa WhatsApp"),
        ("en", "Partly - I can do totals, not charts yet"),
    ],
)
async def test_the_survey_s_goal_answered_with_its_label_and_more_words(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    """B10: "en partie, ..." (option 2's own words) went to the facilitator only: nothing
    noted, and the question not asked again."""
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Dana")))
    await chat.say("Dana", "/language " + language)
    await end_the_circle(chat, core, clock)
    await chat.say("Dana", "4")
    reply = await chat.say("Dana", typed)
    answers = await answers_of(core, "Dana")
    assert answers is not None and answers.goal_met == "partly", reply
