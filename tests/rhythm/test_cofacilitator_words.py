"""Walkthrough: a co-facilitator's words to the bot reached nobody. With nothing waiting, they go
to the circle's other facilitators (as a learner's do), she is told so, and /reply answers her."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat, code_of
from tests.rhythm.test_two_way import CIRCLE, detroit, to


async def test_a_co_facilitators_words_reach_the_other_facilitator_and_back(
    chat: Chat, core: Core
) -> None:
    await detroit(chat, core, "Brian", "Dede")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await chat.deliver()

    told = await chat.say("Dede", "I'll be ten minutes late, can you open the room?")
    assert told == "Thanks, I've passed that on to Amina."
    sent = await chat.deliver()
    assert to(sent, "amina") == [
        f"Dede, who runs {CIRCLE} with you, wrote:\n"
        "I'll be ten minutes late, can you open the room?\n"
        "(To answer, send /reply 1 and your answer.)"
    ]
    assert to(sent, "brian") == []  # never to a learner

    assert await chat.say("Amina", "/reply 1 Sure, I have the key.") == (
        "I've sent your answer to Dede."
    )
    [answer] = to(await chat.deliver(), "dede")
    assert answer.startswith(f"Amina, who runs {CIRCLE} with you, wrote:\nSure, I have the key.")
    # Her answer comes back to Amina, numbered in turn.
    assert "passed that on to Amina" in await chat.say("Dede", "Thank you, see you there!")
    [back] = to(await chat.deliver(), "amina")
    assert "Thank you, see you there!" in back and "/reply 2" in back


async def test_a_co_facilitator_hears_how_to_answer_a_learner_too(chat: Chat, core: Core) -> None:
    """Her words may have been meant for the learner who wrote: she is shown how to answer
    them, and a word or two alone is no message for the other facilitators."""
    await detroit(chat, core, "Brian", "Dede")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await chat.say("Brian", "Is there parking near the library?")
    await chat.deliver()
    told = await chat.say("Dede", "Yes, behind the building, it's free.")
    assert told == (
        "Thanks, I've passed that on to Amina.\nTo answer Brian, send /reply 1 and your answer."
    )
    await chat.deliver()
    assert "To answer Brian" in await chat.say("Dede", "hello")
    assert to(await chat.deliver(), "amina") == []


async def test_a_newcomer_is_asked_whether_both_facilitators_may_read_by_name(
    chat: Chat, core: Core
) -> None:
    """A5: with a co-facilitator, a learner joining in the app was asked "May your facilitator
    read ...?" and told "Your facilitator will see ...", though two people would."""
    await detroit(chat, core, "Brian", "Dede")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await chat.deliver()
    await chat.say("Hakim", "/join " + await code_of(core, CIRCLE))
    asked = await chat.say("Hakim", "To learn Python with others.")
    assert "May Amina and Dede read your written answers?" in asked, asked
    answer = await chat.say("Hakim", "1")
    assert answer.startswith("Thanks! From now on, Amina and Dede will see what you write"), answer
