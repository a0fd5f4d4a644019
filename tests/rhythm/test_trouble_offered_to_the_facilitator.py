"""A private learner who tells a problem in answer to "Any trouble with the course site, your
phone or your connection this week?" is offered to pass it on: her facilitator might help, and
nobody could while it stayed between her and the bot. Walkthrough 10 (B3): Aya's slow site
and data costs reached no one."""

from __future__ import annotations

import pytest
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


async def _offered_in(chat: Chat, core: Core, clock: FakeClock, locale: str, said: str) -> str:
    """Aya, private and writing in `locale`, tells a problem and is offered to pass it on."""
    await open_circle(chat, core, {"Aya": False})
    await _rated(chat, core, clock, "Aya")
    await chat.say("Aya", f"/language {locale}")
    await _asked_about(core, "Aya", "tech-trouble")
    offered = await chat.say("Aya", said)
    await chat.deliver()
    return offered


async def test_a_yes_in_words_passes_on_the_problem_not_the_yes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # B3, C11: "ndio tafadhali" (yes please) reached Juma instead of her data-bundle problem,
    # and she was told it had been passed on; "ya, pasale nomas" and "oui stp" likewise.
    problem = "ndio, bando iliisha siku mbili"
    await _offered_in(chat, core, clock, "sw", problem)
    said = await chat.say("Aya", "ndio tafadhali")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert len(told) == 1, told
    assert problem in told[0] and "tafadhali" not in told[0], told
    assert "Amina" in said, said  # told whom it went to


async def test_a_spanish_everyday_yes_passes_on_the_problem(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    problem = "el listening, hablan muy rapido en los videos"
    await _offered_in(chat, core, clock, "es", problem)
    await chat.say("Aya", "ya, pasale nomas")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert len(told) == 1 and problem in told[0] and "nomas" not in told[0], told


async def test_a_worded_no_keeps_the_problem_private(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _offered_in(chat, core, clock, "fr", "le site est trop lent sur mon téléphone")
    await chat.say("Aya", "non merci")
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]


async def test_a_yes_that_says_more_passes_on_both(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _offered_in(chat, core, clock, "en", TROUBLE)
    more = "yes please, and the library wifi was down on Tuesday too"
    await chat.say("Aya", more)
    told = "\n".join(m.text for m in await chat.deliver() if m.address.chat_id == "amina")
    assert TROUBLE in told and more in told, told


async def _quitting_at_the_rating(chat: Chat, core: Core, clock: FakeClock, locale: str) -> None:
    """Aya, private, is asked to rate her week (in `locale`)."""
    await open_circle(chat, core, {"Aya": False})
    if locale != "en":
        await chat.say("Aya", f"/language {locale}")
    clock.set(starts(1))
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()


async def test_a_private_learner_saying_she_may_drop_out_is_offered_her_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A4: "im prob gonna drop" at the rating was filed away, and a 1-5 asked for. Now: the
    offer to tell Amina, and the ways to step back; told only on her yes."""
    await _quitting_at_the_rating(chat, core, clock, "en")
    words = "honestly im prob gonna drop, work got crazy"
    said = await chat.say("Aya", words)
    assert "Shall I tell Amina?" in said, said
    assert "/checkin off" in said and "/leave" in said, said
    assert "send a number from 1 to 5" not in said, said
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]
    await chat.say("Aya", "1")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert any(words in text for text in told), told


async def test_a_spanish_learner_saying_she_wont_go_on_is_offered_her_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C6: "creo que ya no voy a seguir", kept private, reached nobody."""
    await _quitting_at_the_rating(chat, core, clock, "es")
    said = await chat.say(
        "Aya", "la verdad me cuesta mucho y no tengo tiempo, creo que ya no voy a seguir"
    )
    assert "¿Se lo cuento a Amina?" in said and "/salir" in said, said
    await chat.say("Aya", "2")
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]


async def test_a_hard_week_is_no_drop_out(chat: Chat, core: Core, clock: FakeClock) -> None:
    await _quitting_at_the_rating(chat, core, clock, "en")
    said = await chat.say("Aya", "lost my job last week so its been rough, quite tired")
    assert "Shall I tell" not in said and "send a number from 1 to 5" in said, said


@pytest.mark.parametrize(
    ("locale", "nothing", "private"),
    [("fr", "Rien de spécial.", "Cela reste entre vous et moi."), ("sw", "hakuna kitu", "")],
)
async def test_nothing_to_tell_is_thanked_and_not_offered(
    chat: Chat, core: Core, clock: FakeClock, locale: str, nothing: str, private: str
) -> None:
    """Walkthrough 11 (B22): "rien de spécial" to the trouble question was offered to the
    facilitator as a problem; "nothing" in the learner's language is thanked briefly."""
    await open_circle(chat, core, {"Aya": False})
    await _rated(chat, core, clock, "Aya")
    await chat.say("Aya", f"/language {locale}")
    await _asked_about(core, "Aya", "tech-trouble")
    said = await chat.say("Aya", nothing)
    assert "Amina" not in said, said  # no "Amina might help: shall I pass it on?"
    assert private in said
    assert [m for m in await chat.deliver() if m.address.chat_id == "amina"] == []
