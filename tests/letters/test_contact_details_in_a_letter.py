"""A letter with a phone number (an e-mail, a link, an @handle) in it: its author is offered
to have it taken out, shown how that part will read, rather than told to write the whole
letter again after signing it. She may still send the letter again instead; by SMS, 1 takes
it out."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.letters.screening import changed_parts, contact_details, without
from bot.storage.models import LetterStatus
from tests.conftest import Chat, code_of
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in

WITH_NUMBER = (
    "Keep going, friends. The first weeks are the hardest. Call me at (313) 555-0199 any time!"
)
OFFER = (
    'Your letter has "(313) 555-0199" in it, and letters travel without a way to reach their '
    'author. I can take it out, so that part reads: "Call me at any time!". Or send your '
    "letter again as it should go."
)


def test_the_details_are_found_and_taken_out_of_their_sentence_only() -> None:
    text = "Hi all! Write to maria@example.com or see www.p2pu.org. Bye."
    details = contact_details(text, "US")
    assert details == ["maria@example.com", "www.p2pu.org"]
    assert without(text, details) == "Hi all! Write to or see. Bye."
    assert changed_parts(text, details) == ["Write to or see."]


async def test_the_number_is_taken_out_and_the_rest_kept(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await chat.say("Brian", "/letter")
    offered = await chat.say("Brian", WITH_NUMBER)
    assert offered == OFFER + "\nReply 1 for Take it out."
    signing = await chat.say("Brian", "1")
    assert signing.startswith("Done, it's out. Lovely. How should it be signed?")
    thanked = await chat.say("Brian", "1")
    assert "can't go on as it is" not in thanked and "goes to your facilitator" in thanked
    [letter] = await letters_in(core)
    assert (
        letter.text == "Keep going, friends. The first weeks are the hardest. Call me at any time!"
    )
    assert letter.flags == [] and letter.status == LetterStatus.REVIEW


async def test_the_letter_sent_again_instead_is_taken(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await chat.say("Brian", "/letter")
    await chat.say("Brian", WITH_NUMBER)
    again = "Keep going, friends. The first weeks are the hardest, then it's fun."
    assert "How should it be signed?" in await chat.say("Brian", again)
    await chat.say("Brian", "1")
    [letter] = await letters_in(core)
    assert letter.text == again


async def test_by_sms_one_takes_the_number_out(chat: Chat, core: Core, clock: FakeClock) -> None:
    await detroit(chat, core)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await phone.say("+13135550100", "JOIN " + await code_of(core, "Python for Everyone"))
    for _ in range(3):  # her name, her goal, sharing
        await phone.say("+13135550100", "SKIP")
    await drain(chat)
    clock.set(AFTER_MEETING_3)
    await phone.say("+13135550100", "LETTER")
    offered = await phone.say("+13135550100", WITH_NUMBER)
    assert offered == OFFER + "\nReply 1 for Take it out."
    assert "signed" in await phone.say("+13135550100", "1")
    await phone.say("+13135550100", "1")
    [letter] = await letters_in(core)
    assert "555" not in letter.text and letter.text.endswith("Call me at any time!")
