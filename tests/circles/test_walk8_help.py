"""/help and words the bot can't read, for facilitators (walkthrough 8, mix 19 and fac 13)."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_a_facilitators_question_in_words_gets_the_closest_commands(
    chat: Chat, core: Core
) -> None:
    """mix 19: Ingrid, 78, asked how to move a meeting and got "commands start with /"."""
    await chat.say("Ingrid", "/sprog da")
    assert "er klar" in await chat.say("Ingrid", DETROIT_CIRCLE)
    said = await chat.say(
        "Ingrid",
        "Hvordan flytter jeg næste mandags møde til onsdag? Jeg skal til lægen om mandagen.",
    )
    assert "Kommandoer starter med /" not in said, said
    assert "/flyt" in said, said
    said = await chat.say("Denise", DETROIT_CIRCLE)
    said = await chat.say("Denise", "how do I move a meeting to another day?")
    assert "/reschedule MEETING" in said, said
    assert len(said.splitlines()) <= 5, said


@pytest.mark.parametrize(
    ("language", "asked", "roster"),
    [
        ("de", "hallo, wie kann ich sehen wer in python für alle noch dabei ist?", "/teilnehmende"),
        ("en", "how can I see who is still in my circle?", "/roster"),
    ],
)
async def test_asking_who_is_in_the_circle_offers_the_roster(
    chat: Chat, core: Core, language: str, asked: str, roster: str
) -> None:
    """D17: Sabine asked who was still in her circle and was offered /start and /portfolio."""
    await chat.say("Sabine", f"/language {language}")
    await chat.say("Sabine", DETROIT_CIRCLE)
    said = await chat.say("Sabine", asked)
    assert f"\n{roster}:" in said, said


async def test_help_lists_the_most_used_first_and_all_on_asking(chat: Chat, core: Core) -> None:
    """fac 13: /help was a wall of 30 (learner) to 56 (facilitator) commands, and never said
    that a plain message reaches the facilitator."""
    await chat.say("Denise", DETROIT_CIRCLE)
    await chat.say("Tom", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Tom", "/skip")
    await chat.say("Tom", "/skip")
    learner = await chat.say("Tom", "/help")
    assert learner.startswith("Here's what you can do:\n/next"), learner
    assert "/rsvp" in learner and "/checkin" in learner and "/leave" in learner
    assert "To write to your facilitator, just send a message here." in learner
    assert "/unlink" not in learner and len(learner.splitlines()) <= 8, learner
    assert learner.endswith("Everything else: /help all")
    assert "/unlink" in await chat.say("Tom", "/help all")
    facilitator = await chat.say("Denise", "/help")
    assert "/attendance" in facilitator and "/digest" in facilitator, facilitator
    assert "/cofacilitator" not in facilitator and len(facilitator.splitlines()) <= 12
    assert "/cofacilitator NAME" in await chat.say("Denise", "/help all")


async def test_a_question_about_answers_offers_the_digest_never_delete(
    chat: Chat, core: Core
) -> None:
    """Walk fac 17: "how do I see who hasn't answered the check-in?" was offered /delete
    ("Delete a circle that hasn't met yet"), not /digest."""
    await chat.say("Rosa", DETROIT_CIRCLE)
    said = await chat.say("Rosa", "how do I see who hasn't answered the check-in?")
    assert "\n/digest" in said, said
    assert "/delete" not in said and "/close" not in said, said
