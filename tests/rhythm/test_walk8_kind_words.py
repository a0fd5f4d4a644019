"""Words to a learner that fit what happened. Walkthrough 8: fac 4 (a painful answer, a
divorce, got "That is really useful to hear"), fac 10 (a note the facilitator started
herself reached the learner as "Denise replied", as if her private answers had been read)."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import checkin_question_waits, passed_on_to
from tests.seasons import open_circle


async def test_a_painful_answer_gets_a_kind_neutral_thanks(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Greg": False})
    await checkin_question_waits(chat, core, clock, "Greg")
    typed = "honestly I'm going through a divorce and can't focus on anything right now"
    reply = await chat.say("Greg", typed)
    assert "useful" not in reply
    assert reply.startswith("Thank you for sharing that with me.")
    assert "It stays between you and me." in reply


async def test_a_note_the_facilitator_starts_is_no_reply(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {"Lena": False, "Tom": True})
    await chat.deliver()
    await chat.say("Amina", "/reply Lena Hi Lena, we missed you. We can go slower.")
    [note] = passed_on_to(await chat.deliver(), "Lena")
    assert note.startswith("Amina (your facilitator) wrote to you:"), note
    await chat.say("Tom", "Can I bring a friend next week?")
    await chat.deliver()
    await chat.say("Amina", "/reply 1 Of course!")
    [answer] = passed_on_to(await chat.deliver(), "Tom")
    assert answer.startswith("Amina (your facilitator) replied to your message"), answer
