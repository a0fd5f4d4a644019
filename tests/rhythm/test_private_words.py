"""A learner's words reach the facilitator only when she chose to share them or asked for it
(walkthrough sms 1, 4, 8; lang 27): the questions asked with a goal wait for the sharing
question's answer; a private answer is passed on with one key, never retyped; a learner who sent
STOP can still write to her facilitator, who is told how to reach back; a message to the
facilitator sent in answer to a reflection is asked about, not filed; one that only speaks of
her is a reflection."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import CheckIn, QuestionKind, Reflection
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.seasons import Week, open_circle, play_week

HALIMA = "+254700000007"
GOAL = (
    "I want to keep the accounts of my shop on a phone. My children laugh at me. "
    "Will the class be in English or Swahili? And is there a fee?"
)
ASKED = "Will the class be in English or Swahili? And is there a fee?"


async def text(sms: Chat, phone: str, words: str) -> str:
    """A text from a basic phone (SMS gives no name): the bot's replies, as she reads them."""
    inbound = replace(sms.inbound(phone, words), display_name=None)
    return "\n".join(reply.text for reply in await sms.core.handle(inbound, sms.capabilities))


def to(sent: list, name: str) -> list[str]:
    return [message.text for message in sent if message.address.chat_id == name.casefold()]


async def halima_joins(chat: Chat, sms: Chat, core: Core) -> str:
    """Halima joins Amina's circle by SMS, says her name and sends her goal with two questions:
    the reply to it."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    assert "Welcome" in await text(sms, HALIMA, "JOIN " + code)
    assert "What do you hope" in await text(sms, HALIMA, "Halima")
    await chat.deliver()  # the join notice
    return await text(sms, HALIMA, GOAL)


async def test_questions_with_a_goal_wait_for_the_sharing_answer(chat: Chat, core: Core) -> None:
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    answer = await halima_joins(chat, sms, core)
    # The question waiting is the last thing she reads; nothing went to Amina yet.
    assert answer.endswith("Reply 1 for Yes, share or 2 for No, keep private."), answer
    assert "passed" not in answer
    assert to(await chat.deliver(), "Amina") == []

    # She keeps her answers private: her goal's question is offered with one key.
    private = await text(sms, HALIMA, "2")
    assert "stay between you and me" in private
    assert "Your goal had a question for Amina: shall I pass it on?" in private
    assert private.endswith("Reply 1 for Yes, pass it on or 2 for No, keep it private."), private
    assert to(await chat.deliver(), "Amina") == []

    assert "passed that on to Amina" in await text(sms, HALIMA, "1")
    [notice] = to(await chat.deliver(), "Amina")
    assert ASKED in notice and "laugh" not in notice  # the question, never the goal
    async with open_session(core) as session:
        [goal] = (
            await session.exec(select(Reflection).where(Reflection.kind == QuestionKind.GOAL))
        ).all()
    assert goal.text == GOAL.removesuffix(" " + ASKED)


async def test_a_private_learner_who_lets_the_offer_go_keeps_her_question(
    chat: Chat, core: Core
) -> None:
    """Another text after the offer is read as usual (here: a message of its own), and the
    goal's question never reaches the facilitator."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")
    assert "passed that on to Amina" in await text(sms, HALIMA, "See you on Thursday then")
    [notice] = to(await chat.deliver(), "Amina")
    assert "See you on Thursday then" in notice and ASKED not in notice
    assert "Nothing is waiting" in await text(sms, HALIMA, "1")  # the offer has gone
    assert to(await chat.deliver(), "Amina") == []


async def test_a_learner_who_shares_has_her_goals_question_passed_on(
    chat: Chat, core: Core
) -> None:
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    shared = await text(sms, HALIMA, "1")
    assert "Amina will see" in shared and "passed that on to Amina" in shared  # sms 35
    [notice] = to(await chat.deliver(), "Amina")
    assert ASKED in notice and "laugh" not in notice


async def test_a_private_check_in_question_is_passed_on_with_one_key_by_sms(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 8: "send it again" asked a feature-phone user to retype 350 characters."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")
    await play_week(chat, core, clock, 1, Week())
    await sms.deliver()
    assert "Thank" in await text(sms, HALIMA, "4")
    written = (
        "I learned to make a table of what I sell each day and add it up. "
        "Can I send you a photo of my book by email? Is there a certificate at the end?"
    )
    answer = await text(sms, HALIMA, written)
    assert "It stays between you and me. Is it a question for Amina?" in answer
    assert answer.endswith("Reply 1 for Yes, pass it on or 2 for No, keep it private."), answer
    assert "send it again" not in answer
    await chat.deliver()
    assert to(await chat.deliver(), "Amina") == []
    assert "passed that on to Amina" in await text(sms, HALIMA, "1")
    [notice] = to(await chat.deliver(), "Amina")
    assert written in notice
    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.answer == written  # kept as her (private) answer too


async def test_a_private_check_in_answer_stays_private_on_a_no(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Aisha": False})
    await play_week(chat, core, clock, 1, Week())
    await chat.say("Aisha", "4")
    assert "Is it a question for Amina?" in await chat.say("Aisha", "Could we go slower?")
    assert await chat.say("Aisha", "2") == "OK, it stays between you and me."
    assert to(await chat.deliver(), "Amina") == []


async def test_words_after_stop_still_reach_the_facilitator(chat: Chat, core: Core) -> None:
    """sms 4: Kipchoge sent STOP, then "SIWEZI KUJA JUMANNE": he hears nothing back, and Amina
    gets his words, told that an answer reaches him only once he texts START."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    phone = "+254700000008"
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await text(sms, phone, "JOIN " + await code_of(core, "Python for Everyone"))
    await text(sms, phone, "Kipchoge")
    await text(sms, phone, "/skip")
    await text(sms, phone, "/skip")
    await chat.deliver()
    assert "START" in await text(sms, phone, "STOP")
    await chat.deliver()  # Amina hears he sent STOP (walkthrough 8, fac 19)

    assert await text(sms, phone, "SIWEZI KUJA JUMANNE") == ""
    [notice] = to(await chat.deliver(), "Amina")
    assert "Kipchoge texted about Python for Everyone:\nSIWEZI KUJA JUMANNE" in notice
    assert "Kipchoge sent STOP" in notice and "START" in notice
    assert "To answer, send /reply" not in notice
    assert await sms.deliver() == []  # nothing to him

    # Keywords after STOP still say nothing and pass nothing on.
    assert await text(sms, phone, "NEXT") == ""
    assert to(await chat.deliver(), "Amina") == []


async def test_a_message_sent_to_a_reflection_is_asked_about(chat: Chat, core: Core) -> None:
    """lang 27: Fatou's "Amélie je pourrai pas venir..." after /reflexion was filed in her
    portfolio; Amélie never heard she was away."""
    await open_circle(chat, core, {"Fatou": False})
    await chat.deliver()  # the join notice
    await chat.say("Fatou", "/language fr")
    assert "?" in await chat.say("Fatou", "/reflect")
    typed = "Amina je pourrai pas venir la semaine prochaine, mon fils est malade"
    asked = await chat.say("Fatou", typed)
    assert asked.startswith("Est-ce un message pour Amina ?"), asked
    assert "portfolio" not in asked
    assert "transmis à Amina" in await chat.say("Fatou", "1")
    [notice] = to(await chat.deliver(), "Amina")
    assert typed in notice
    assert await reflections(core) == []  # not filed as her reflection

    # Her answer to the reflection, later, is kept as it.
    assert "portfolio" in await chat.say("Fatou", "J'explique les boucles avec une recette.")
    assert await reflections(core) == ["J'explique les boucles avec une recette."]


@pytest.mark.parametrize(
    ("language", "typed", "kept"),
    [
        ("en", "Amina showed us how to break a problem into steps, and it stuck.", "(/portfolio)"),
        ("es", "Amina explica muy bien, gracias", "(/portafolio)"),  # C11
    ],
)
async def test_a_reflection_that_speaks_of_the_facilitator_is_kept_as_one(
    chat: Chat, core: Core, language: str, typed: str, kept: str
) -> None:
    """C11: "Carmen explica muy bien, gracias" was taken for a message to Carmen."""
    await open_circle(chat, core, {"Brian": False})
    await chat.deliver()  # the join notice
    await chat.say("Brian", "/language " + language)
    await chat.say("Brian", "/reflect")
    reply = await chat.say("Brian", typed)
    assert kept in reply and "Amina" not in reply, reply
    assert await reflections(core) == [typed]
    assert to(await chat.deliver(), "Amina") == []


async def test_a_reflection_that_speaks_to_the_facilitator_is_asked_about(
    chat: Chat, core: Core
) -> None:
    await open_circle(chat, core, {"Brian": False})
    await chat.deliver()  # the join notice
    await chat.say("Brian", "/reflect")
    typed = "Amina, the recipe idea for loops really helped me."
    assert "Is this a message for Amina?" in await chat.say("Brian", typed)
    assert "portfolio" in await chat.say("Brian", "2")
    assert await reflections(core) == [typed]
    assert to(await chat.deliver(), "Amina") == []


async def reflections(core: Core) -> list[str]:
    async with open_session(core) as session:
        rows = await session.exec(
            select(Reflection.text).where(Reflection.kind == QuestionKind.REFLECTION)
        )
        return list(rows.all())
