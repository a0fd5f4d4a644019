"""Walkthroughs (lang 29, sms 29): the final week's goal review, answered a day late under the
last meeting's reminder, still reaches the portfolio; answered in the same message as the
reminder (B21, B22), both are taken."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import QuestionKind, Reflection, Rsvp, RsvpAnswer
from tests.conftest import Chat
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS
from tests.seasons import Week, open_circle, play_week, starts


async def test_a_day_late_goal_review_answer_is_kept_after_the_reminder(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("How close did you get?" in text for text in sent), sent
    clock.set(starts(2) - timedelta(hours=24))
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "Reply 1 for Yes or 2 for No" in sent[-1], sent
    answer = await chat.say("Brian", "Pretty close, I wrote my first script for work")
    assert "It's in your portfolio" in answer
    assert not any("first script" in m.text for m in await chat.deliver())  # not passed on
    async with open_session(core) as session:
        kept = (
            await session.exec(
                select(Reflection).where(Reflection.kind == QuestionKind.GOAL_REVIEW)
            )
        ).all()
    assert [r.text for r in kept] == ["Pretty close, I wrote my first script for work"]
    # The reminder's choices still answer.
    assert "see you" in (await chat.say("Brian", "1")).casefold()


@pytest.mark.parametrize(
    ("language", "typed", "look_back", "kept", "coming"),
    [
        (
            "sw",
            "Nimefikia lengo langu kidogo, na nitakuja Jumatano",
            "Nimefikia lengo langu kidogo",
            "(/jalada)",
            "tutaonana",
        ),
        (
            "fr",
            "j'ai presque atteint mon objectif, et je viendrai samedi",
            "j'ai presque atteint mon objectif",
            "(/portfolio)",
            "rendez-vous",
        ),
        (
            "en",
            "Pretty close, I wrote my first script. I'll be there Thursday",
            "Pretty close, I wrote my first script.",
            "It's in your portfolio",
            "see you",
        ),
        ("en", "Yes I'll be there, I'll bring snacks for everyone", None, "", ""),
    ],
)
async def test_one_message_looks_back_at_the_goal_and_answers_the_reminder(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    language: str,
    typed: str,
    look_back: str | None,
    kept: str,
    coming: str,
) -> None:
    """B21, B22: the look back and the yes in one message: the yes was noted and the whole
    message passed on to the facilitator; the look back was lost."""
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await chat.say("Brian", "/language " + language)
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    await chat.deliver()  # the look back
    clock.set(starts(2) - timedelta(hours=24))
    await core.tick()
    await chat.deliver()  # the reminder, with its Yes / No
    answer = await chat.say("Brian", typed)
    if look_back is None:  # the yes first: what follows is about the meeting, a message
        assert [m for m in await chat.deliver() if m.address.chat_id == "amina"]
        async with open_session(core) as session:
            review = select(Reflection).where(Reflection.kind == QuestionKind.GOAL_REVIEW)
            assert (await session.exec(review)).first() is None  # the look back still waits
        return
    assert coming in answer.casefold() and kept in answer, answer
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]  # not passed on
    async with open_session(core) as session:
        reviews = (
            await session.exec(
                select(Reflection.text).where(Reflection.kind == QuestionKind.GOAL_REVIEW)
            )
        ).all()
        said = [RsvpAnswer(r.answer) for r in (await session.exec(select(Rsvp))).all()]
    assert list(reviews) == [look_back]
    assert said == [RsvpAnswer.YES]


async def test_words_a_day_after_other_talk_are_not_filed_as_the_look_back_unasked(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A18, C27: the look back went unanswered and other things were said since (here the
    letter he wrote); words a day later are asked about, never filed silently as
    "how close did you get"."""
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("How close did you get?" in text for text in sent), sent
    clock.set(starts(2) - timedelta(days=2, hours=-1))
    assert "Write to a new circle" in await chat.say("Brian", "/letter")
    await chat.say("Brian", "Keep going, it gets easier every week. Ask for help.")
    assert "Your letter goes to" in await chat.say("Brian", "1")
    clock.set(starts(2) - timedelta(days=2, hours=-20))
    answer = await chat.say("Brian", "ok I will write it again then")
    assert answer.startswith("Is this a message for Amina?"), answer
    async with open_session(core) as session:
        review = select(Reflection).where(Reflection.kind == QuestionKind.GOAL_REVIEW)
        assert (await session.exec(review)).first() is None
    assert "passed that on to Amina" in await chat.say("Brian", "yes")
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert any("ok I will write it again then" in text for text in sent), sent
