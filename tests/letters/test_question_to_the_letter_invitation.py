"""Walkthrough (fac 33): Mrs. Johnson, by SMS, answered the letter invitation ("Reply with your
letter, or send SKIP.") with "I already wrote one last time, is that ok?", and was asked how to
sign it: her question had become her letter. A question goes to her facilitators, and her
letter can still come; a letter that asks its readers something is still a letter."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in
from tests.letters.test_letters_by_sms import LETTER, PHONE, joined_by_sms
from tests.letters.test_relay_due import INVITE

QUESTION = "I already wrote one last time, is that ok?"


async def _invited_by_sms(chat: Chat, core: Core, clock: FakeClock) -> Chat:
    await detroit(chat, core, "Brian")
    sms = await joined_by_sms(core, "Python for Everyone")
    sms.capabilities = SMS_CAPABILITIES  # replies as a phone reads them: "send SKIP"
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await drain(chat)
    clock.set(INVITE + timedelta(minutes=1))
    await core.tick()
    [invitation] = [
        row for row in await chat.outbox() if row.kind == "letter-invite" and row.chat_id == PHONE
    ]
    assert "reply with your letter" in invitation.payload["text"].casefold()
    await drain(chat)
    return sms


async def test_a_question_to_the_invitation_goes_to_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    sms = await _invited_by_sms(chat, core, clock)
    answer = await sms.say(PHONE, QUESTION)
    assert "How should it be signed?" not in answer, answer
    assert "passed that on to Amina" in answer and "SKIP" in answer, answer
    [to_amina] = [m for m in await drain(chat) if m.address.chat_id == "amina"]
    assert QUESTION in to_amina.text
    assert await letters_in(core) == []
    # The letter question is still open: her letter, sent next, is the letter.
    assert "How should it be signed?" in await sms.say(PHONE, LETTER)
    await sms.say(PHONE, "1")
    assert [letter.text for letter in await letters_in(core)] == [LETTER]


async def test_a_letter_asking_its_readers_something_is_still_a_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    sms = await _invited_by_sms(chat, core, clock)
    asking = "Hello from Detroit! It is snowing here. What is the weather like where you are?"
    assert "How should it be signed?" in await sms.say(PHONE, asking)
