"""A facilitator answering learners who wrote to them: the answer to a message comes under the
first words of it, for the learner only (she may have written several); /inbox lists the
messages no facilitator has answered yet, privately, each with its number for /reply."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_two_way import detroit, to

LONG_QUESTION = (
    "Could someone explain again how the homework for week three works, I got lost after loops"
)


async def test_an_answer_quotes_the_start_of_the_question_it_answers(
    chat: Chat, core: Core
) -> None:
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Brian", "Is there parking near the library?")
    await chat.say("Brian", LONG_QUESTION)
    await chat.deliver()
    await chat.say("Amina", "/reply 2 We'll go through it together on Thursday.")
    sent = await chat.deliver()
    assert to(sent, "brian") == [
        'Amina (your facilitator) replied to your message "Could someone explain again how '
        "the...\":\nWe'll go through it together on Thursday.\n"
        "(Reply here and I'll pass it on to Amina.)"
    ]
    assert not any("Could someone" in text for text in to(sent, "chen"))


async def test_an_answer_written_after_reply_n_quotes_it_too(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Brian", "Is there parking near the library?")
    await chat.deliver()
    assert "What would you like to say to Brian?" in await chat.say("Amina", "/reply 1")
    await chat.say("Amina", "Yes, behind the building.")
    [answer] = to(await chat.deliver(), "brian")
    assert answer.startswith(
        'Amina (your facilitator) replied to your message "Is there parking near the '
        'library?":\nYes, behind the building.'
    )


async def test_inbox_lists_the_messages_still_waiting_for_an_answer(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian", "Chen")
    assert await chat.say("Amina", "/inbox") == (
        "No learner's message is waiting for an answer. When one writes to you, I pass it on "
        "with a number, and /reply NUMBER answers it."
    )
    await chat.say("Brian", "Is there parking near the library?")
    clock.advance(timedelta(hours=2))
    await chat.say("Chen", LONG_QUESTION)
    await chat.deliver()
    assert await chat.say("Amina", "/inbox") == (
        "2 messages are waiting for an answer:\n"
        '1. Brian, 2 hours ago: "Is there parking near the library?"\n'
        '2. Chen, just now: "Could someone explain again how the homework for..."\n'
        "To answer one, send /reply NUMBER and your answer."
    )
    await chat.say("Amina", "/reply 1 Yes, behind the building.")
    listed = await chat.say("Amina", "/inbox")
    assert listed.startswith("1 message is waiting for an answer:\n2. Chen")
    assert "Brian" not in listed
    # Learners' words: never for a learner, never in a group.
    assert "Only a facilitator" in await chat.say("Brian", "/inbox")


async def test_inbox_is_in_help_and_in_the_facilitators_language(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    assert "/inbox: The learners' messages still waiting for your answer" in await chat.say(
        "Amina", "/help all"
    )
    await chat.say("Amina", "/language es")
    await chat.say("Brian", "Is there parking near the library?")
    await chat.deliver()
    assert (await chat.say("Amina", "/mensajes")).startswith(
        "1 mensaje espera respuesta:\n1. Brian"
    )


async def test_a_late_answer_to_a_numbered_message_still_quotes_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough 11 (B21): answered two months late with /reply 1, "Yes, room 3 now" came
    without the question it answers, when the learner most needs reminding."""
    await detroit(chat, core, "Brian")
    await chat.say("Brian", "Is it still the same room?")
    await chat.deliver()
    clock.advance(timedelta(days=60))
    await chat.say("Amina", "/reply 1 Yes, room 3 now, sorry for the late answer")
    [answer] = to(await chat.deliver(), "brian")
    assert answer.startswith(
        'Amina (your facilitator) replied to your message "Is it still the same room?":\n'
    ), answer
