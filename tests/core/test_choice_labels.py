"""Typing a choice's label picks it, as its number does: people type what they read on the
buttons ("en partie", "Kiswahili"), in any case, with or without accents or punctuation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat.clock import FakeClock
from bot.chat.messages import Choice
from bot.core import Core
from bot.dialogue import conversations
from bot.storage.models import Conversation
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, answers_of, end_the_circle
from tests.seasons import open_circle

SWAHILI = "Kuanzia sasa nitakuandikia kwa Kiswahili."
FRENCH = "Désormais, je vous écrirai en français."


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("Kiswahili", SWAHILI),
        ("  kiswahili. ", SWAHILI),
        ("kisw", SWAHILI),  # a beginning no other language shares
        ("français", FRENCH),
        ("FRANCAIS!", FRENCH),
    ],
)
async def test_typing_a_language_from_the_menu_picks_it(
    chat: Chat, typed: str, answer: str
) -> None:
    assert "Kiswahili" in await chat.say("Brian", "/language")
    assert await chat.say("Brian", typed) == answer


async def test_words_that_are_no_label_are_not_taken_for_one(chat: Chat) -> None:
    await chat.say("Brian", "/language")
    # "d" begins "dansk" and "Deutsch": too short, and shared ("de" is German's code).
    assert "I didn't catch that" in await chat.say("Brian", "d")
    # The menu answers once: then the label is just a word again.
    await chat.say("Brian", "/language")
    assert "Kuanzia sasa" in await chat.say("Brian", "Kiswahili")
    # Not picked again: no switch said twice (a newcomer's "didn't catch that" may list the
    # languages, Kiswahili among them).
    assert "Kuanzia sasa" not in await chat.say("Brian", "Kiswahili")


def _offered(*labels: str) -> Conversation:
    conversation = Conversation(key="sms:+254700000001:+254700000001", updated_at=datetime.now(UTC))
    conversations.offer(
        conversation, [Choice(label, f"/answer {n}") for n, label in enumerate(labels, start=1)]
    )
    return conversation


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        ("en partie", "/answer 2"),
        ("EN PARTIE", "/answer 2"),
        ("  En Partie !", "/answer 2"),
        ("en parti", "/answer 2"),
        ("2", "/answer 2"),
        ("oui", "/answer 1"),
        ("Non.", "/answer 3"),
        ("4", None),  # no such number
        ("en", None),  # too short to be a beginning
        ("en partie, mais pas tout", None),  # a sentence, not the label
    ],
)
def test_a_label_typed_picks_its_choice(typed: str, payload: str | None) -> None:
    assert conversations.picked(_offered("Oui", "En partie", "Non"), typed) == payload


def test_a_label_two_choices_share_picks_neither() -> None:
    same = _offered("Python for Everyone", "Python for Everyone", "Other")
    assert conversations.picked(same, "python for everyone") is None
    alike = _offered("Python Nairobi", "Python Detroit")
    assert conversations.picked(alike, "python") is None
    assert conversations.picked(alike, "python detroit") == "/answer 2"
    # The whole label of one wins over the beginning of another.
    assert conversations.picked(_offered("Yes", "Yes, send it"), "yes") == "/answer 1"


def test_choices_kept_before_labels_still_answer_by_number() -> None:
    old = Conversation(key="k", choices=["/rsvp yes 3", "/rsvp no 3"], updated_at=datetime.now(UTC))
    assert conversations.picked(old, "2") == "/rsvp no 3"
    assert conversations.picked(old, "rsvp") is None


async def test_a_french_learner_types_en_partie_to_the_survey(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """The survey's goal question offers "1 Oui / 2 En partie / 3 Pas encore"."""
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "/language fr")
    assert "1 à 5" in await chat.say("Brian", "/survey")
    assert "En partie" in await chat.say("Brian", "4")
    assert "Recommanderiez-vous" in await chat.say("Brian", "  en Partie. ")
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.goal_met == "partly"
