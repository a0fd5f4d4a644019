"""Questions that trapped or swallowed texts (round-2 walkthroughs): an open question asks
again at most once, then words go on to the facilitators; a lone skip word skips; a lone
acknowledgement is no written answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import CheckIn, Question, QuestionKind, Reflection
from tests.conftest import Chat
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS, end_the_circle
from tests.seasons import Week, checkin_due, open_circle, play_week

ASK_AGAIN = "Could you send a number from 1 to 5?"


async def checkins(core: Core) -> list[CheckIn]:
    async with open_session(core) as session:
        return list((await session.exec(select(CheckIn))).all())


def to(sent: list, name: str) -> list[str]:
    return [message.text for message in sent if message.address.chat_id == name.casefold()]


async def test_an_open_rating_asks_again_once_then_lets_words_through(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 44: "hello", "are you there?", "answer me" each got the same 1-5 prompt and none
    reached the facilitator. The second word goes on to her; the rating still takes a number."""
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))  # the check-in, unanswered
    clock.set(checkin_due(1) + timedelta(hours=2))
    await chat.deliver()
    assert ASK_AGAIN in await chat.say("Brian", "hello")
    answer = await chat.say("Brian", "are you there?")
    assert ASK_AGAIN not in answer
    assert "Amina" in answer  # passed on, and told so
    assert "to rate your week, send a number from 1 to 5" in answer
    assert any("are you there?" in text for text in to(await chat.deliver(), "Amina"))
    assert ASK_AGAIN not in await chat.say("Brian", "thanks a lot")
    assert [c.rating for c in await checkins(core)] == []
    assert "Thanks, got it!" in await chat.say("Brian", "4")
    assert [c.rating for c in await checkins(core)] == [4]


async def test_a_number_outside_1_to_5_is_asked_again_each_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A number is an attempt at the rating, never a message: it is always asked again."""
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(checkin_due(1) + timedelta(hours=2))
    for typed in ("7", "hmm", "0", "9"):
        assert ASK_AGAIN in await chat.say("Brian", typed), typed


async def test_a_survey_weeks_old_no_longer_catches_a_word(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 71: a word two months after the course survey got its 1-5 prompt again."""
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    clock.set(clock.now() + timedelta(days=20))
    answer = await chat.say("Brian", "hmm")
    assert "Sorry, I didn't catch that" not in answer
    assert "how was Python for Everybody" not in answer


@pytest.mark.parametrize(
    ("language", "typed"),
    [("da", "spring over"), ("sw", "ACHA"), ("fr", "je passe"), ("en", "Skip it")],
)
async def test_a_lone_skip_word_skips_a_written_question(
    chat: Chat, core: Core, language: str, typed: str
) -> None:
    """sms 19 and 36: "spring over" became Freja's reflection, "ACHA" Baraka's goal review."""
    await open_circle(chat, core, {"Brian": True})
    await chat.say("Brian", "/language " + language)
    await chat.say("Brian", "/reflect")
    await chat.say("Brian", typed)
    async with open_session(core) as session:
        kept = select(Reflection).where(Reflection.kind == QuestionKind.REFLECTION)
        assert (await session.exec(kept)).all() == []
        assert (await session.exec(select(Question))).all() == []  # skipped, not waiting


@pytest.mark.parametrize(("language", "typed"), [("sw", "poa"), ("en", "OK"), ("da", "fint")])
async def test_a_lone_acknowledgement_is_not_a_written_answer(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    """sms 16: "poa" to a notice was kept as Otieno's answer to "What is one thing you learned
    this week?". The check-in keeps waiting for words."""
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await chat.say("Brian", "/language " + language)
    clock.set(checkin_due(1) + timedelta(hours=2))
    await chat.deliver()
    await chat.say("Brian", "4")
    await chat.say("Brian", typed)
    [checkin] = await checkins(core)
    assert checkin.answer is None
    await chat.say("Brian", "We built a loop together.")
    [checkin] = await checkins(core)
    assert checkin.answer == "We built a loop together."


async def test_a_question_sent_with_the_goal_goes_to_the_facilitator(
    chat: Chat, core: Core
) -> None:
    """fac 47: "... can I bring my own laptop?" was kept as Wanjiru's goal, forever, and never
    reached the facilitator. It goes on once Brian has said he shares (sms 1: never before he
    has answered the sharing question)."""
    code = await open_circle(chat, core, {})
    await chat.say("Brian", "/join " + code)
    await chat.deliver()
    answer = await chat.say("Brian", "I want to get a job in an office. can I bring my own laptop?")
    assert answer.endswith("Reply 1 for Yes, share or 2 for No, keep private.")  # asked last
    assert not to(await chat.deliver(), "Amina")
    assert "Amina" in await chat.say("Brian", "1")  # told it went on
    [notice] = to(await chat.deliver(), "Amina")
    assert "can I bring my own laptop?" in notice and "office" not in notice
    async with open_session(core) as session:
        [goal] = (
            await session.exec(select(Reflection).where(Reflection.kind == QuestionKind.GOAL))
        ).all()
    assert goal.text == "I want to get a job in an office."
