"""A private learner who tells a problem in answer to "Any trouble with the course site, your
phone or your connection this week?" is offered to pass it on: her facilitator might help, and
nobody could while it stayed between her and the bot. Walkthrough 10 (B3): Aya's slow site
and data costs reached no one."""

from __future__ import annotations

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Person, Question
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import checkin_due, open_circle, starts

TROUBLE = "The site loads slowly on my phone and it eats my data."


async def _asked_about(core: Core, name: str, key: str) -> None:
    """Her open check-in question is the one about `key` (the week's question varies)."""
    async with open_session(core) as session:
        person = (await session.exec(select(Person).where(Person.display_name == name))).one()
        for question in (
            await session.exec(select(Question).where(Question.person_id == person.id))
        ).all():
            question.prompt_key = key
            session.add(question)
        await session.commit()


async def _rated(chat: Chat, core: Core, clock: FakeClock, name: str) -> None:
    clock.set(starts(1))
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()
    assert "Thanks" in await chat.say(name, "3")


async def test_a_problem_told_in_private_is_offered_to_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Aya": False})
    await _rated(chat, core, clock, "Aya")
    await _asked_about(core, "Aya", "tech-trouble")
    said = await chat.say("Aya", TROUBLE)
    assert "It stays between you and me." in said
    assert "Amina might be able to help with that. Shall I pass it on?" in said, said
    await chat.deliver()
    await chat.say("Aya", "1")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert any(TROUBLE in text for text in told), told


async def test_a_no_problem_answer_is_not_offered(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Aya": False})
    await _rated(chat, core, clock, "Aya")
    await _asked_about(core, "Aya", "tech-trouble")
    assert "pass it on" not in await chat.say("Aya", "no")


async def test_other_questions_stay_private_without_an_offer(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Aya": False})
    await _rated(chat, core, clock, "Aya")
    await _asked_about(core, "Aya", "one-thing-learned")
    said = await chat.say("Aya", "How to make a list in Python, and loops.")
    assert "It stays between you and me." in said
    assert "pass it on" not in said
