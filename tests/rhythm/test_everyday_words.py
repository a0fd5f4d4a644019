"""Everyday words the bot reads as answers (walkthrough in Spanish and German): a yes or no
said the way people say it, a rating in its option's words with more text after it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import CheckIn, Membership, Role, RsvpAnswer
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.rhythm.test_reading_answers import (
    answer_reminder,
    passed_on_to,
    ratings,
    reminded,
    rsvps,
)
from tests.seasons import Week, open_circle, play_week, starts


@pytest.mark.parametrize(
    ("language", "typed", "answer"),
    [
        ("es", "siii claro que voy!! 🙌", RsvpAnswer.YES),
        ("es", "claro que sí", RsvpAnswer.YES),
        ("es", "voy", RsvpAnswer.YES),
        ("es", "dale", RsvpAnswer.YES),
        ("es", "no voy", RsvpAnswer.NO),
        ("de", "jo, bin dabei", RsvpAnswer.YES),
        ("de", "bin dabei", RsvpAnswer.YES),
        ("de", "jaaa", RsvpAnswer.YES),
        ("fr", "carrément", RsvpAnswer.YES),
        ("da", "jeg kommer", RsvpAnswer.YES),
        ("da", "jeg kommer ikke", RsvpAnswer.NO),
        ("sw", "nitakuja", RsvpAnswer.YES),
        ("sw", "sitakuja", RsvpAnswer.NO),
    ],
)
async def test_a_reminder_answered_in_everyday_words_is_an_rsvp_not_a_message(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, answer: RsvpAnswer
) -> None:
    reply = await answer_reminder(chat, core, clock, "Lucia", language, typed)
    assert await rsvps(core) == [answer], reply
    assert not passed_on_to(await chat.deliver(), "Amina")  # the answer, not a message


async def test_a_colloquial_german_no_is_kept_and_the_last_reminder_does_not_ask_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Jonas": True})
    await chat.say("Jonas", "/language de")
    await reminded(chat, core, clock, "Jonas", 1)
    await chat.say("Jonas", "nee, bin leider krank 🤒")
    assert await rsvps(core) == [RsvpAnswer.NO]
    await chat.deliver()
    clock.set(starts(1) - timedelta(minutes=59))
    await core.tick()
    assert not passed_on_to(await chat.deliver(), "Jonas")  # no "Kommst du?" in 60 minutes


async def test_a_yes_to_sharing_with_a_few_words_is_only_the_answer(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {})
    await chat.say("Lucia", "/language es")
    await chat.say("Lucia", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Lucia", "Aprender a ahorrar.")
    await chat.deliver()
    reply = await chat.say("Lucia", "si, que las lea")
    assert "Amina" not in reply  # not "ya se lo pasé a Amina"
    assert not passed_on_to(await chat.deliver(), "Amina")
    async with open_session(core) as session:
        [membership] = (
            await session.exec(select(Membership).where(Membership.role == Role.LEARNER))
        ).all()
    assert membership.shares_answers is True


async def test_a_rating_in_its_options_words_with_more_text_keeps_both(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Lucia": True})
    await chat.say("Lucia", "/language es")
    await play_week(chat, core, clock, 1, Week())
    await chat.say("Lucia", "muy bien! aprendí mucho sobre el presupuesto")
    assert await ratings(core) == [4]  # "muy bien" is option 4
    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.answer == "muy bien! aprendí mucho sobre el presupuesto"  # as written (D6)
    assert not passed_on_to(await chat.deliver(), "Amina")


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [("de", "war gut", 4), ("de", "war super", 5), ("es", "estuvo bien", 4)],
)
async def test_a_rating_said_with_was_is_read(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, rating: int
) -> None:
    await open_circle(chat, core, {"Jonas": True})
    await chat.say("Jonas", "/language " + language)
    await play_week(chat, core, clock, 1, Week())
    await chat.say("Jonas", typed)
    assert await ratings(core) == [rating]


async def test_a_sentence_starting_with_a_rating_word_that_is_no_option_is_no_rating(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week())
    reply = await chat.say("Brian", "well, I couldn't watch the videos this week")
    assert "kept that with your check-in" in reply  # wave 2: the check-in's words, no rating
    assert await ratings(core) == [None]


@pytest.mark.parametrize(
    ("language", "typed"),
    [("es", "dale"), ("es", "vale"), ("en", "ok"), ("de", "passt"), ("de", "klar")],
)
async def test_an_announcement_is_sent_on_a_word_that_agrees(
    chat: Chat, core: Core, language: str, typed: str
) -> None:
    await open_circle(chat, core, {"Lucia": True})
    await chat.say("Amina", "/language " + language)
    await chat.deliver()
    assert "2" in await chat.say("Amina", "/announce Bring your notebooks on Thursday.")
    await chat.say("Amina", typed)
    assert any(
        "Bring your notebooks" in text for text in passed_on_to(await chat.deliver(), "Lucia")
    )
