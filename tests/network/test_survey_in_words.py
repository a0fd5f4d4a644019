"""Walkthrough (fix-a): the end-of-circle survey answered in words. A yes or no that starts a
sentence ("yes!! I did it", "oui j'ai fini", "ndiyo nilimaliza") and a rating in words answer
its question as they answer a reminder or a check-in; a word or three it can't read asks the
question again; only a sentence goes on to the facilitators, and the question still waits."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, answers_of, delivered, end_the_circle
from tests.seasons import open_circle


async def test_answers_in_words_are_read_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True, "Chen": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Dana", "/language fr")
    await chat.say("Chen", "/language sw")

    # A word or two it can't read: the question again, with its choices, nothing passed on.
    again = await chat.say("Brian", "loved it")
    assert "didn't catch that" in again and "how was Python for Everybody" in again
    assert "passed that on" not in again
    assert "Did you reach your goal?" in await chat.say("Brian", "excellent")
    asked = await chat.say("Brian", "yes!! I did it")
    assert "recommend" in asked and "didn't catch" not in asked
    answers = await answers_of(core, "Brian")
    assert answers is not None and (answers.rating, answers.goal_met) == (5, "yes")
    assert "didn't catch that" in await chat.say("Brian", "hmm")
    # Asked again once: the next words are not held by the question, they go on.
    assert "passed that on" in await chat.say("Brian", "hmm, let me think")
    assert "one tip" in await chat.say("Brian", "no, not really")
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.recommend is False

    await chat.say("Dana", "4")
    assert "Recommanderiez" in await chat.say("Dana", "oui j'ai fini")
    await chat.say("Chen", "tano")  # five, in Swahili
    await chat.say("Chen", "ndiyo nilimaliza")
    for name in ("Dana", "Chen"):
        answers = await answers_of(core, name)
        assert answers is not None and answers.goal_met == "yes"
    chen = await answers_of(core, "Chen")
    assert chen is not None and chen.rating == 5

    # What the facilitator got: words after the question was asked again, never a bare "loved it".
    amina = (await delivered(chat)).get("amina", "")
    assert "loved it" not in amina and "j'ai fini" not in amina
    assert "hmm, let me think" in amina


async def test_a_sentence_still_reaches_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    told = await chat.say("Brian", "The videos were too fast for me, honestly.")
    assert "passed that on to Amina" in told
    assert "too fast" in (await delivered(chat))["amina"]
    # The goal question still waits, and still reads a yes in a sentence after that.
    assert "recommend" in await chat.say("Brian", "yes I did, thanks to the group")
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.goal_met == "yes"
