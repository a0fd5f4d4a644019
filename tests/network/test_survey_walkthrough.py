"""Walkthrough (issue 16, Dakar): the end-of-circle survey answered by a learner who already
answered the final week's goal review, and who is in her next circle by then."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.network.test_survey import TWO_WEEKS, answers_of, delivered, end_the_circle
from tests.seasons import Week, open_circle, play_week, starts

NEXT_CIRCLE = (
    '/newcircle name="Code Dakar 2" course="Python for Everybody" venue=Bibliothèque '
    "city=Dakar country=SN zone=Africa/Dakar start=2027-03-01 time=18:00 meetings=6"
)
PY4E = TWO_WEEKS.replace("Python for Everybody", "Python pour tous (py4e)")


async def test_the_goal_review_is_quoted_not_asked_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, PY4E)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Dana")))
    await chat.say("Dana", "/language fr")
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    await delivered(chat)
    await chat.say("Dana", "en partie")  # her goal review
    sent = await end_the_circle(chat, core, clock)
    # No brackets in brackets around the course's title "(py4e)".
    assert "comment était Python pour tous (py4e), de 1 à 5 ?" in sent["dana"]

    asked = await chat.say("Dana", "4")
    # Her goal quoted as her goal, never her look-back ("en partie") as if it were (B10).
    assert "votre objectif était : « To learn Python with others »" in asked
    assert "atteint" not in asked
    assert "Recommanderiez" in asked
    answers = await answers_of(core, "Dana")
    assert answers is not None and answers.goal_met == "partly"  # counted for the course


async def test_words_typed_to_the_survey_go_to_its_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Dana")))
    assert "is ready" in await chat.say("Zeynep", NEXT_CIRCLE)
    assert "Welcome" in await chat.say("Dana", "/join " + await code_of(core, "Code Dakar 2"))
    await chat.say("Dana", "/skip")
    await chat.say("Dana", "/skip")
    await delivered(chat)
    await end_the_circle(chat, core, clock)
    assert "Did you reach your goal?" in await chat.say("Dana", "4")
    assert "passed that on to Amina" in await chat.say(
        "Dana", "The videos were too fast for me, honestly."
    )
    sent = await delivered(chat)
    assert "Dana replied about Python for Everyone" in sent["amina"]
    assert "too fast" not in sent.get("zeynep", "")
    # The survey still waits for its answer, and takes it.
    assert "recommend" in await chat.say("Dana", "2")
    answers = await answers_of(core, "Dana")
    assert answers is not None and (answers.circle_id, answers.goal_met) == (1, "partly")
    await chat.say("Dana", "1")
    await chat.say("Dana", "/skip")  # no tip: the survey is over
    await chat.say("Dana", "See you on Monday!")
    assert "See you on Monday!" in (await delivered(chat)).get("zeynep", "")
