"""Issue 16: choice answers written in words.

fac 12: "definitely" to the survey's "Would you recommend ...? Reply 1 for Yes or 2 for No" was
"Sorry, I didn't catch that." smses 13: "presnte" at the meeting went to the facilitator, no
attendance noted. smses 15: "no, I will stay" to LEAVE? was also passed on to Peter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from bot.storage.models import Attendance
from tests.conftest import Chat
from tests.database import open_session
from tests.letters.test_letter_invitation_answers import _invited
from tests.letters.test_letters import detroit, drain
from tests.network.test_survey import TWO_WEEKS
from tests.rhythm.test_reading_answers import passed_on_to
from tests.seasons import DETROIT_CIRCLE, Week, open_circle, play_week, starts


@pytest.mark.parametrize("typed", ["definitely", "Absolutely!", "of course", "for sure"])
async def test_an_emphatic_yes_answers_the_surveys_yes_or_no(
    chat: Chat, core: Core, clock: FakeClock, typed: str
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week())
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    await chat.deliver()
    await chat.say("Brian", "4")
    asked = await chat.say("Brian", "2")  # the goal: partly
    assert "recommend" in asked, asked
    reply = await chat.say("Brian", typed)
    assert "didn't catch" not in reply and "recommend" not in reply, reply


async def present(core: Core) -> int:
    async with open_session(core) as session:
        return len((await session.exec(select(Attendance))).all())


@pytest.mark.parametrize(
    ("language", "typed"), [("es", "presnte"), ("es", "PRESNTE"), ("fr", "presnt")]
)
async def test_the_arrival_word_with_a_letter_off_is_attendance(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    """smses 13: "presnte" went to the facilitator as a message."""
    code = await open_circle(chat, core, {}, DETROIT_CIRCLE + " language=" + language)
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["JOIN " + code, "Aprender Python.", "1"]:
        await sms.say("+573001234567", text)
    await sms.deliver()
    await chat.deliver()
    clock.set(starts(1) + timedelta(minutes=10))
    reply = await sms.say("+573001234567", typed)
    assert await present(core) == 1, reply
    assert not passed_on_to(await chat.deliver(), "Amina")


async def test_where_at_the_meeting_is_no_arrival(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True})
    clock.set(starts(1) + timedelta(minutes=10))
    await chat.say("Brian", "where")
    assert await present(core) == 0


@pytest.mark.parametrize("typed", ["no, I will stay", "No, I'm staying."])
async def test_a_no_to_leave_said_again_is_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock, typed: str
) -> None:
    """smses 15: "Thanks, I've passed that on to Peter." after "no, I will stay"."""
    await open_circle(chat, core, {"Brian": True})
    await chat.deliver()
    assert "?" in await chat.say("Brian", "/leave")
    reply = await chat.say("Brian", typed)
    assert "still in" in reply and "passed" not in reply, reply
    assert not passed_on_to(await chat.deliver(), "Amina")


async def test_a_no_to_leave_with_a_question_is_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    await chat.deliver()
    await chat.say("Brian", "/leave")
    reply = await chat.say("Brian", "no, I will stay. Can we meet earlier next week?")
    assert "still in" in reply, reply
    assert passed_on_to(await chat.deliver(), "Amina")


@pytest.mark.parametrize(
    ("language", "words", "no"),
    [
        (
            "en",
            "I finally understood loops this week, and I want to keep going.",
            "No, it is my answer about the meeting.",
        ),
        (
            "es",
            "Por fin entendí los bucles esta semana y quiero seguir.",
            "No, es mi respuesta sobre la reunión.",
        ),
    ],
)
async def test_a_no_to_is_this_your_letter_said_again_is_only_the_answer(
    chat: Chat, core: Core, clock: FakeClock, language: str, words: str, no: str
) -> None:
    """smses 15: Julián's "No, es mi respuesta sobre la reunión." went to Lucía too."""
    await detroit(chat, core, "Eve")
    await _invited(chat, core, clock, asked=("Eve",))
    await chat.say("Eve", "/language " + language)
    assert "?" in await chat.say("Eve", words)  # is this your letter?
    kept = await chat.say("Eve", no)
    assert "(/port" in kept, kept  # the no read: the words are her reflection
    amina = [m.text for m in await drain(chat) if m.address.chat_id == "amina"]
    assert not any(no in text for text in amina), amina
