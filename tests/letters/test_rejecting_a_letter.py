"""Rejecting a letter reaches its author, so it is asked first, as /announce and /cancel are:
the rejection is shown as the author will read it, and goes only once the reviewer says Send
(from the review notice's Reject or /letters reject N REASON alike). Don't send leaves the
letter waiting for review, and the author hears nothing."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import LetterStatus
from tests.conftest import Chat, code_of
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in, write


async def test_a_cofacilitator_rejecting_from_the_review_is_asked_first(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian", "Dede")
    await chat.say("Amina", "/cofacilitator Dede")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await drain(chat)
    assert "What should I tell the author of letter 1?" in await chat.say("Dede", "2")  # Reject
    shown = await chat.say("Dede", "Please leave out the surname")
    assert shown == (
        "The author of letter 1 will read:\n"
        'Your letter "Hello from Detroit! Come every week..." wasn\'t approved this time. The '
        "reason given: Please leave out the surname\n"
        "You're welcome to write another with /letter.\n"
        "Send it?\nReply 1 for Send or 2 for Don't send."
    )
    assert not [m for m in await drain(chat) if m.address.chat_id == "brian"]
    assert await chat.say("Dede", "2") == (
        "OK, I haven't rejected letter 1: it's still waiting for review (/letters)."
    )
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.REVIEW
    assert not [m for m in await drain(chat) if m.address.chat_id == "brian"]

    assert "Send it?" in await chat.say("Dede", "/letters reject 1 Please leave out the surname")
    assert "is rejected" in await chat.say("Dede", "1")
    [told] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert "Please leave out the surname" in told
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.REJECTED


async def test_a_new_letter_texted_back_to_a_rejection_is_taken_as_the_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 19: Mrs. Johnson, by SMS, answered the rejection ("...You're welcome to write
    another with LETTER.") with her new letter: it went to the facilitators as a message."""
    await detroit(chat, core)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await phone.say(JOHNSON, "JOIN " + await code_of(core, "Python for Everyone"))
    for _ in range(3):  # her name, her goal, sharing
        await phone.say(JOHNSON, "SKIP")
    clock.set(AFTER_MEETING_3)
    await phone.say(JOHNSON, "LETTER")
    await phone.say(JOHNSON, "Hello! Welcome to the circle, I hope you enjoy it a lot.")
    await phone.say(JOHNSON, "Mrs. Johnson")
    [letter] = await letters_in(core)
    await drain(chat)
    await drain(phone)
    await chat.say("Amina", f"/letters reject {letter.id} Could you write them a tip?")
    assert "is rejected" in await chat.say("Amina", "1")
    [told] = [m.text for m in await drain(phone) if m.address.chat_id == JOHNSON]
    assert "write another" in told
    asked = await phone.say(JOHNSON, AGAIN)
    assert asked.startswith("Is this your letter to a new circle?"), asked
    assert "How should it be signed?" in await phone.say(JOHNSON, "1")
    assert "Thank you" in await phone.say(JOHNSON, "Mrs. Johnson")
    _, again = await letters_in(core)
    assert (again.text, again.status) == (AGAIN, LetterStatus.REVIEW)
    assert not [m for m in await drain(chat) if "passed" in m.text]


JOHNSON = "+13135550142"
AGAIN = (
    "On my first day I was nervous, but everyone helped. Tip: bring a notebook and ask "
    "every question you have."
)
