"""Walkthrough 8, sms 37: a learner who went through the course survey herself (SURVEY) before
it was due is not sent it again from its first question; one who stopped half way is asked
only what is left."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, answers_of, delivered
from tests.seasons import Week, open_circle, play_week, starts


async def test_the_survey_goes_on_from_where_she_stopped(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Dana")))
    clock.set(starts(2) + timedelta(hours=2))
    await core.tick()  # the close-out
    await delivered(chat)
    assert "how was Python for Everybody" in await chat.say("Brian", "/survey")
    assert "Did you reach your goal?" in await chat.say("Brian", "4")
    assert "recommend Python for Everybody" in await chat.say("Brian", "2")  # partly; stops
    await chat.say("Dana", "/survey")
    await chat.say("Dana", "5")
    await chat.say("Dana", "1")
    assert "one tip" in await chat.say("Dana", "1")
    await chat.say("Dana", "/skip")

    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    sent = await delivered(chat)
    assert "how was Python for Everybody" not in sent.get("brian", "")
    assert "recommend Python for Everybody" in sent["brian"]
    assert "how was Python for Everybody" not in sent.get("dana", "")
    assert "one tip" in await chat.say("Brian", "1")
    brian = await answers_of(core, "Brian")
    assert brian is not None and (brian.rating, brian.goal_met, brian.recommend) == (
        4,
        "partly",
        True,
    )


async def test_the_survey_asked_again_weeks_later_takes_its_answers(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B16, B17: a facilitator of two circles leaves the survey sent after the end unanswered;
    weeks later /survey, the circle, and the 1-5 it shows: the answer is taken, never "I didn't
    catch that" because the same choices were first sent weeks ago."""
    other = TWO_WEEKS.replace('name="Python for Everyone"', 'name="Excel Basics"')
    other = other.replace('course="Python for Everybody"', 'course="Intro to Excel"')
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await open_circle(chat, core, {"Dana": True}, other)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(starts(2) + timedelta(hours=2))
    await core.tick()  # the close-out
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    assert "how well did the course work" in (await delivered(chat))["amina"]
    clock.set(starts(2) + timedelta(days=60))
    assert "Which circle" in await chat.say("Amina", "/survey")
    shown = await chat.say("Amina", "2")
    assert "Python for Everyone" in shown and "Reply 1 for poor" in shown, shown
    assert "one tip" in await chat.say("Amina", "4")
