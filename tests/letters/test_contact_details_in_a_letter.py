"""A letter with a phone number (an e-mail, a link, an @handle) in it: its author is offered
to have it taken out, shown how that part will read, rather than told to write the whole
letter again after signing it. She may still send the letter again instead; by SMS, 1 takes
it out."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.letters.screening import carrying, contact_details, without_their_sentences
from bot.storage.models import LetterStatus
from tests.conftest import Chat, code_of
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in

WITH_NUMBER = (
    "Keep going, friends. The first weeks are the hardest. Call me at (313) 555-0199 any time!"
)
OFFER = (
    'Your letter has "(313) 555-0199" in it, and letters travel without a way to reach their '
    "author. Send it again as it should go, or I can take out the sentence it's in: "
    '"Call me at (313) 555-0199 any time!"'
)


def test_the_details_are_found_and_their_sentences_taken_out() -> None:
    """An invitation to write or call with nothing to write or call left in it ("Call me at
    any time!", dada 8) makes no sense: the sentence that carried the details goes."""
    text = "Hi all! Write to maria@example.com or see www.p2pu.org. Bye.\n\nCall 0712 345 678!"
    details = contact_details(text, "KE")
    assert details == ["maria@example.com", "www.p2pu.org", "0712 345 678"]
    assert without_their_sentences(text, details) == "Hi all! Bye."
    assert carrying(text, details) == [
        "Write to maria@example.com or see www.p2pu.org.",
        "Call 0712 345 678!",
    ]
    bente = "Held og lykke! Ring til mig hvis I har brug for hjælp: 20 11 22 33, Bente"
    assert without_their_sentences(bente, contact_details(bente, "DK")) == "Held og lykke!"
    lines = "Dear new circle,\nmy number is 0712 345 678\nKeep going every week!"
    assert without_their_sentences(lines, contact_details(lines, "KE")) == (
        "Dear new circle,\nKeep going every week!"
    )


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
    assert letter.text == "Keep going, friends. The first weeks are the hardest."
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
    assert letter.text == "Keep going, friends. The first weeks are the hardest."


# A Danish circle meeting Tuesdays from 8 December 2026; its third meeting is on the 22nd.
COPENHAGEN = (
    '/newcircle name="Kodeklub" course="Python for Everybody" venue="Hovedbiblioteket" '
    "city=København country=DK zone=Europe/Copenhagen start=2026-12-08 time=17:00 meetings=6 "
    "language=da"
)
AFTER_COPENHAGEN_3 = datetime(2026, 12, 23, 12, 0, tzinfo=UTC)
BENTE = "+4520112233"
SHORT = "Held og lykke! Ring til mig hvis I har brug for hjælp: 20 11 22 33, Bente"
LONGER = (
    "Held og lykke med jeres nye cirkel, det bliver sjovt! "
    "Ring til mig hvis I har brug for hjælp: 20 11 22 33, Bente"
)


async def bente_writing(chat: Chat, core: Core, clock: FakeClock) -> Chat:
    await chat.say("Mette", COPENHAGEN)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await phone.say(BENTE, "JOIN " + await code_of(core, "Kodeklub"))
    for _ in range(3):  # her name, her goal, sharing
        await phone.say(BENTE, "SKIP")
    clock.set(AFTER_COPENHAGEN_3)
    await phone.say(BENTE, "BREV")
    return phone


async def test_the_sentence_with_the_number_goes_whole(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """dada 8: "1" to take the number out left "Ring til mig hvis I har brug for hjælp:,
    Bente", an invitation to phone with no number and a stray ":,"."""
    phone = await bente_writing(chat, core, clock)
    offered = await phone.say(BENTE, LONGER)
    assert offered == (
        'Dit brev indeholder "20 11 22 33", og breve rejser uden en måde at kontakte '
        "forfatteren på. Send det igen, som det skal være, eller jeg kan fjerne sætningen, "
        'hvor det står: "Ring til mig hvis I har brug for hjælp: 20 11 22 33, Bente"'
        "\nSvar 1 (Tag det ud)."
    )
    assert "Hvilket navn" in await phone.say(BENTE, "1")
    await phone.say(BENTE, "Bente")
    [letter] = await letters_in(core)
    assert letter.text == "Held og lykke med jeres nye cirkel, det bliver sjovt!"
    assert letter.flags == []


async def test_too_little_left_without_the_number_asks_for_the_letter_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """ "Held og lykke!" alone is too short to travel: she is asked to send it again, with no
    choice to take the number out."""
    phone = await bente_writing(chat, core, clock)
    asked = (
        'Dit brev indeholder "20 11 22 33", og breve rejser uden en måde at kontakte '
        "forfatteren på. Uden den del ville der være for lidt tilbage: send dit brev igen, "
        "som det skal være."
    )
    assert await phone.say(BENTE, SHORT) == asked
    assert await phone.say(BENTE, "1") == asked
    assert await letters_in(core) == []
    fine = "Held og lykke! Spørg hinanden om hjælp, det er det cirklen er til."
    assert "Hvilket navn" in await phone.say(BENTE, fine)
    await phone.say(BENTE, "Bente")
    [letter] = await letters_in(core)
    assert letter.text == fine
