"""Rejecting a letter reaches its author, so it is asked first, as /announce and /cancel are:
the rejection is shown as the author will read it, and goes only once the reviewer says Send
(from the review notice's Reject or /letters reject N REASON alike). Don't send leaves the
letter waiting for review, and the author hears nothing."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import LetterStatus
from tests.conftest import Chat
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
