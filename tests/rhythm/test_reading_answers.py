"""How the bot reads answers to the questions it asked (issue 16, three walkthroughs): a yes or
no with more words, ratings in words, two questions open at once, where words went, and a
facilitator's plain answer to a learner's message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.rhythm.checkins import parse_rating
from bot.storage.models import CheckIn, Membership, Question, Role, Rsvp, RsvpAnswer
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.seasons import Week, checkin_due, open_circle, play_week, starts


async def rsvps(core: Core) -> list[RsvpAnswer]:
    async with open_session(core) as session:
        return [RsvpAnswer(r.answer) for r in (await session.exec(select(Rsvp))).all()]


async def ratings(core: Core) -> list[int | None]:
    async with open_session(core) as session:
        return [c.rating for c in (await session.exec(select(CheckIn))).all()]


async def reminded(chat: Chat, core: Core, clock: FakeClock, name: str, number: int) -> str:
    """The 24-hour reminder of meeting `number`, as `name` reads it."""
    await chat.deliver()
    clock.set(starts(number) - timedelta(hours=23))
    await core.tick()
    [reminder] = [m.text for m in await chat.deliver() if m.address.chat_id == name.casefold()]
    return reminder


async def nudged(chat: Chat, core: Core, clock: FakeClock) -> None:
    """The check-in's nudge, two days after it, unanswered."""
    clock.set(checkin_due(1) + timedelta(hours=49))
    await core.tick()
    await chat.deliver()


def passed_on_to(sent: list, name: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == name.casefold()]


async def answer_reminder(
    chat: Chat, core: Core, clock: FakeClock, name: str, language: str, typed: str
) -> str:
    """`name`, in a circle reading `language`, answers meeting 1's reminder with `typed`."""
    await open_circle(chat, core, {name: True})
    await chat.say(name, "/language " + language)
    assert "1" in await reminded(chat, core, clock, name, 1)
    return await chat.say(name, typed)


# --- 1. a yes or no with more words ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "answer"),
    [
        ("fr", "oui je viens", RsvpAnswer.YES),
        ("fr", "non désolé", RsvpAnswer.NO),
        ("sw", "ndio nitakuja", RsvpAnswer.YES),
        ("en", "yes I'll come", RsvpAnswer.YES),
    ],
)
async def test_a_reminder_answered_with_a_yes_or_no_and_a_word_more_is_an_rsvp(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, answer: RsvpAnswer
) -> None:
    reply = await answer_reminder(chat, core, clock, "Brian", language, typed)
    assert await rsvps(core) == [answer], reply
    assert not passed_on_to(await chat.deliver(), "Amina")  # a short answer is just the answer


async def test_a_longer_answer_is_the_rsvp_and_goes_on_to_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    await reminded(chat, core, clock, "Brian", 1)
    reply = await chat.say("Brian", "no sorry, working late")
    assert "We'll miss you at meeting 1" in reply
    assert "passed that on to Amina" in reply
    assert await rsvps(core) == [RsvpAnswer.NO]
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert "no sorry, working late" in notice


async def test_a_sentence_with_both_yes_and_no_is_neither(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    await reminded(chat, core, clock, "Brian", 1)
    assert "passed that on" in await chat.say("Brian", "yes maybe, or no, not sure yet")
    assert await rsvps(core) == []
    await chat.say("Brian", "/language fr")
    assert "transmis" in await chat.say("Brian", "oui ou non")
    assert await rsvps(core) == []


@pytest.mark.parametrize(
    ("typed", "shares"), [("d'accord, oui", True), ("non merci", False), ("yes please", True)]
)
async def test_the_sharing_question_reads_a_yes_or_no_in_a_short_answer(
    chat: Chat, core: Core, typed: str, shares: bool
) -> None:
    await open_circle(chat, core, {})
    await chat.say("Brian", "/language fr")
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Brian", "Apprendre Python.")
    await chat.say("Brian", typed)
    async with open_session(core) as session:
        [membership] = (
            await session.exec(select(Membership).where(Membership.role == Role.LEARNER))
        ).all()
        assert (await session.exec(select(Question))).all() == []  # answered, not asked again
    assert membership.shares_answers is shares


# --- 2. ratings in words, and the nudge's choices -------------------------------------------


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(Path(__file__).parents[2] / "locales")


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [
        ("fr", "5 !!", 5),
        ("en", "five", 5),
        ("fr", "cinq", 5),
        ("sw", "tano", 5),
        ("fr", "plutôt bien", 4),
        ("fr", "très bien", 5),
        ("fr", "pas trop", 2),
        ("en", "not really", 2),
        ("sw", "kidogo", 2),
        ("fr", "pas mal", 3),
        ("en", "pretty good", 4),
        ("en", "really hard going", 1),
        ("sw", "vizuri sana", 5),
        ("es", "muy bien", 4),
    ],
)
def test_a_rating_in_words_or_with_punctuation_is_read(
    catalogs: Catalogs, language: str, typed: str, rating: int
) -> None:
    assert parse_rating(typed, catalogs.translator(language)) == rating


@pytest.mark.parametrize("typed", ["55", "6 !", "yes", "pas", "very", "I wrote my first program"])
def test_words_that_are_no_rating_are_not_read_as_one(catalogs: Catalogs, typed: str) -> None:
    assert parse_rating(typed, catalogs.translator("fr")) is None


async def test_the_nudge_shows_the_ratings_it_waits_for(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await chat.deliver()
    # two days on at the same local time: 49 hours, as the clocks go back on November 1
    clock.set(checkin_due(1) + timedelta(hours=49, minutes=1))
    await core.tick()
    [nudge] = passed_on_to(await chat.deliver(), "Brian")
    assert "Reply when you can" in nudge
    assert "Reply 1 for hard going" in nudge
    await chat.say("Brian", "pretty good")
    assert await ratings(core) == [4]


# --- 3. two questions open at once ----------------------------------------------------------


async def test_a_number_after_a_reminder_answers_it_not_an_older_check_in(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Thierry ignored the check-in; the reminder came; "non désolé" was asked for a rating,
    and the "2" after it stored one."""
    await open_circle(chat, core, {"Thierry": True})
    await chat.say("Thierry", "/language fr")
    await play_week(chat, core, clock, 1, Week())  # the check-in, unanswered
    await nudged(chat, core, clock)
    await reminded(chat, core, clock, "Thierry", 2)
    # Neither yes nor no, nor a rating ("peut-être" is a maybe now: test_maybe_rsvp.py).
    reply = await chat.say("Thierry", "ça dépend de mon travail")
    assert "chiffre de 1 à 5" not in reply
    assert "transmis à Amina" in reply
    assert await chat.say("Thierry", "2")  # the reminder's No
    assert await rsvps(core) == [RsvpAnswer.NO]
    assert await ratings(core) == []
    # The check-in lapsed quietly; /checkin still asks it.
    assert "1" in await chat.say("Thierry", "/checkin")


async def test_a_yes_with_words_after_a_reminder_is_not_a_rating(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Wanjiru": True})
    await chat.say("Wanjiru", "/language sw")
    await play_week(chat, core, clock, 1, Week())
    await nudged(chat, core, clock)
    await reminded(chat, core, clock, "Wanjiru", 2)
    await chat.say("Wanjiru", "hapana samahani")
    assert await rsvps(core) == [RsvpAnswer.NO]
    assert await ratings(core) == []


# --- 4. where the words went ----------------------------------------------------------------


async def test_words_while_a_rating_waits_are_the_check_in_and_stay_private(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Wave 2 (A19): words at the rating question are the check-in's, kept private as the
    learner chose (they used to go to the facilitator as a message); the number still waits."""
    await open_circle(chat, core, {"Aminata": False})
    await chat.say("Aminata", "/language fr")
    await play_week(chat, core, clock, 1, Week())
    reply = await chat.say("Aminata", "j'ai écrit mon premier programme, je suis fière")
    assert "transmis à Amina" not in reply
    assert "de 1 à 5" in reply
    assert not passed_on_to(await chat.deliver(), "Amina")
    assert "Merci" in await chat.say("Aminata", "4")
    assert await ratings(core) == [4]


async def checkin_question_waits(chat: Chat, core: Core, clock: FakeClock, name: str) -> None:
    await play_week(chat, core, clock, 1, Week())
    await chat.say(name, "4")  # the open question now waits
    await chat.deliver()


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en", "Amina, can we go slower on loops next time? I got lost"),
        ("sw", "Amina wiki ijayo tutasoma sura gani?"),
    ],
)
async def test_a_check_in_answer_naming_the_facilitator_reaches_them(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    await open_circle(chat, core, {"Aisha": True})
    await chat.say("Aisha", "/language " + language)
    await checkin_question_waits(chat, core, clock, "Aisha")
    reply = await chat.say("Aisha", typed)
    assert "Amina" in reply  # told it was passed on to her
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice
    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.answer == typed  # kept as the answer too


async def test_a_private_check_in_answer_says_it_stays_private_and_how_to_ask(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Aisha": False})
    await checkin_question_waits(chat, core, clock, "Aisha")
    reply = await chat.say("Aisha", "Could we have more exercises?")
    assert "It stays between you and me. Is it a question for Amina?" in reply
    # One key, not typed again (and No as a choice too: wave 2, D8).
    assert reply.endswith("Reply 1 for Yes, pass it on or 2 for No, keep it private.")
    assert not passed_on_to(await chat.deliver(), "Amina")
    assert "passed that on to Amina" in await chat.say("Aisha", "1")
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert "Could we have more exercises?" in notice


async def test_a_private_answer_naming_the_facilitator_stays_private_until_sent_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 30: a learner who chose "keep private" mentions the facilitator in passing; the
    answer is not forwarded (she is offered one key to pass it on), and sending it again (no
    question open) reaches her: the offer lets the next message go as usual."""
    await open_circle(chat, core, {"Aisha": False})
    await checkin_question_waits(chat, core, clock, "Aisha")
    typed = "Amina helped me catch up, thanks"
    reply = await chat.say("Aisha", typed)
    assert "It stays between you and me. Is it meant for Amina?" in reply
    assert "passed that on" not in reply
    assert not passed_on_to(await chat.deliver(), "Amina")
    assert "passed that on to Amina" in await chat.say("Aisha", typed)
    assert any(typed in text for text in passed_on_to(await chat.deliver(), "Amina"))


# --- 5. a facilitator's plain answer; co-facilitators told -----------------------------------


async def test_a_facilitators_plain_answer_is_shown_how_to_reply(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Aisha": True})
    await chat.say("Aisha", "Can I bring a chromebook?")
    reply = await chat.say("Amina", "Hi Aisha! A chromebook is fine.")
    assert reply == "To answer Aisha, send /reply 1 and your answer."
    await chat.say("Amina", "/language fr")
    assert "Pour répondre à Aisha, envoyez /repondre 1" in await chat.say("Amina", "Bonjour Aisha")


async def test_a_co_facilitator_hears_the_answer_given(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Aisha": True, "Dede": True})
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await chat.say("Aisha", "Can I bring a chromebook?")
    await chat.deliver()
    assert "I've sent your answer to Aisha" in await chat.say(
        "Amina", "/reply 1 A chromebook is fine."
    )
    sent = await chat.deliver()
    [told] = passed_on_to(sent, "Dede")
    assert told == "Amina answered Aisha:\nA chromebook is fine."
    assert not any("answered Aisha" in text for text in passed_on_to(sent, "Amina"))
