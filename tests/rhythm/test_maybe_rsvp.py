"""A maybe to "Will you come?" ("maybe", "peut-être", "labda", "vielleicht", "måske",
"quizás"): noted as a maybe, not passed on as a message, and counted apart in the
facilitator's /digest; "/rsvp maybe" says the same."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, rsvps


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en", "maybe"),
        ("fr", "Peut-être"),
        ("sw", "labda"),
        ("de", "vielleicht"),
        ("da", "måske"),
        ("es", "quizás"),
        ("en", "peut-être"),  # in her own language, in a circle of another
    ],
)
async def test_a_maybe_to_the_reminder_is_noted_as_a_maybe(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    reply = await answer_reminder(chat, core, clock, "Brian", language, typed)
    assert await rsvps(core) == [RsvpAnswer.MAYBE], reply
    assert not passed_on_to(await chat.deliver(), "Amina")


async def test_a_maybe_is_thanked_and_counted_apart_in_the_digest(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    reply = await answer_reminder(chat, core, clock, "Brian", "en", "maybe")
    assert "I've noted a maybe for meeting 1" in reply, reply
    assert "Tell me when you know:" in reply
    digest = await chat.say("Amina", "/digest")
    assert "Maybe (1): Brian." in digest, digest
    assert "0 yes, 0 no" in digest or "Coming" in digest
    assert "Not answered yet: Brian" not in digest


async def test_rsvp_maybe_is_a_maybe_and_a_yes_later_replaces_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await answer_reminder(chat, core, clock, "Brian", "fr", "oui")
    assert await rsvps(core) == [RsvpAnswer.YES]
    said = await chat.say("Brian", "/rsvp peut-être")
    assert "peut-être" in said.casefold() or "noté" in said.casefold(), said
    assert await rsvps(core) == [RsvpAnswer.MAYBE]
    await chat.say("Brian", "/rsvp oui")
    assert await rsvps(core) == [RsvpAnswer.YES]


async def test_after_a_maybe_the_question_stays_open_and_is_asked_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await answer_reminder(chat, core, clock, "Brian", "en", "maybe")
    assert await rsvps(core) == [RsvpAnswer.MAYBE]
    await chat.say("Brian", "1")  # its Yes, once she knows
    assert await rsvps(core) == [RsvpAnswer.YES]


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en", "maybe, depends on work"),  # A9
        ("sw", "labda, nitajaribu kufika"),  # B2
        ("fr", "peut etre, ca depend de mon mari"),
        ("fr", "pas sur, je confirme demain matin"),
    ],
)
async def test_a_maybe_with_its_reason_is_a_maybe_and_the_reason_goes_on(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    """A9, B2: a maybe and a few words went on as a message, "your answer isn't noted yet",
    and the learner was pushed to pick yes or no."""
    reply = await answer_reminder(chat, core, clock, "Brian", language, typed)
    assert await rsvps(core) == [RsvpAnswer.MAYBE], reply
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice


async def test_a_maybe_word_that_opens_a_late_yes_is_no_maybe(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await answer_reminder(chat, core, clock, "Brian", "en", "might be a few minutes late")
    assert RsvpAnswer.MAYBE not in await rsvps(core)


@pytest.mark.parametrize("typed", ["/dispo peut etre", "/dispo peutetre", "/dispo pas sur"])
async def test_rsvp_maybe_typed_without_hyphen_or_accents(
    chat: Chat, core: Core, clock: FakeClock, typed: str
) -> None:
    """B13: "/dispo peut etre" was refused; only "peut-etre" with its hyphen was read."""
    await answer_reminder(chat, core, clock, "Brian", "fr", "oui")
    said = await chat.say("Brian", typed)
    assert await rsvps(core) == [RsvpAnswer.MAYBE], said
