"""A learner with a new SIM gets back into her record (her circle, answers, goal): from her old
phone she texts NEWNUMBER and the new number, and it moves once the code texted there comes
back from the new phone (nobody can take a number over); or her facilitator moves her with
/movenumber (asked first, answered privately), and nothing moves until the new phone says yes
within 2 days (sms 36: a mistyped number captures nothing); the facilitator and the old number
are told. The old number is no longer her: whoever gets it next starts afresh."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Outbound
from bot.chat.segments import SMS_CAPABILITIES
from bot.circles.phone_numbers import shown
from bot.core import Core
from bot.storage.models import Account, Reflection
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones
from tests.database import open_session

CIRCLE = "Python for Everyone"
OLD = "+254700000001"
NEW = "+254722000002"
STRANGER = "+254733000003"


def phones_of(core: Core) -> Chat:
    """Feature phones: no name, no slash."""
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def mercy_joins(chat: Chat, phones: Chat, core: Core, number: str = OLD) -> None:
    """Mercy joins by SMS, says her name and her goal."""
    if "is ready" not in await chat.say("Amina", "/next"):
        assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "Welcome" in await phones.say(number, "JOIN " + await code_of(core, CIRCLE))
    await phones.say(number, "Mercy")
    await phones.say(number, "Learn to write small programs")
    await phones.say(number, "1")  # her facilitator may read her answers


async def numbers(core: Core) -> list[str]:
    async with open_session(core) as session:
        rows = await session.exec(select(Account.external_id).where(Account.platform == "sms"))
        return sorted(rows.all())


async def test_newnumber_moves_her_once_the_new_phone_sends_the_code_back(
    chat: Chat, core: Core
) -> None:
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)

    answer = await phones.say(OLD, "NEWNUMBER 0722 000002")
    assert answer == (
        "I've texted a code to +254 722 000002. Send it back from that phone within 10 "
        "minutes, and your circles and answers move there."
    )
    [texted] = [m for m in await phones.deliver() if m.address.chat_id == NEW]
    assert "Mercy" not in texted.text  # a mistyped number would be a stranger's
    code = re.search(r"LINK (\w+)", texted.text)
    assert code is not None

    # Someone else sending the code gets nowhere.
    assert "I don't know the code" in await phones.say(STRANGER, f"LINK {code[1]}")

    assert await phones.say(NEW, f"LINK {code[1]}") == (
        "Done, Mercy: your circles and answers are on this number now, and your old number is "
        "no longer linked to you."
    )
    assert "Python for Everyone" in await phones.say(NEW, "NEXT")
    async with open_session(core) as session:
        [goal] = (await session.exec(select(Reflection))).all()
    assert goal.text == "Learn to write small programs"
    assert OLD not in await numbers(core)
    # Whoever gets the old SIM next is nobody here yet.
    assert "You're not in a circle yet" in await phones.say(OLD, "/schedule")
    roster = await chat.say("Amina", "/roster")
    assert roster.count("Mercy") == 1 and "Circle member" not in roster


async def asked_to_move(chat: Chat, phones: Chat, number: str = NEW) -> Outbound:
    """Amina asks to move Mercy to `number` and says yes: the question texted there."""
    question = await chat.say("Amina", "/movenumber mercy " + number)
    assert question.startswith(
        f"Move Mercy to {shown(number)}? Whoever has that phone will be Mercy here, with their "
        "circles and answers. I'll text them there."
    )
    assert OLD not in question
    assert await chat.say("Amina", "yes") == (
        f"I've texted {shown(number)} to check it's Mercy's phone. Nothing moves until they "
        "answer yes there (within 2 days). I'll tell you when they answer; without an "
        "answer, nothing changes."
    )
    [asked] = [m for m in await phones.deliver() if m.address.chat_id == number]
    return asked


async def test_facilitator_move_waits_for_the_new_phone_to_say_yes(chat: Chat, core: Core) -> None:
    """sms 36: nothing moves until the new phone says yes; then the facilitator is told, and
    the old number too, without the new number in full."""
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)

    asked = await asked_to_move(chat, phones)
    assert asked.text.startswith(
        "Amina from Python for Everyone asked me to send a learner's circle texts to this "
        "phone from now on. Is that you? Please answer within 2 days."
    )
    assert "Mercy" not in asked.text  # a mistyped number would be a stranger's
    assert await numbers(core) == [OLD]  # nothing has moved yet
    assert "Python for Everyone" in await phones.say(OLD, "NEXT")

    assert await phones.say(NEW, "YES") == (
        "Done, Mercy: your circles and answers are on this number now, and your old number is "
        "no longer linked to you."
    )
    assert await numbers(core) == [NEW]
    assert "Python for Everyone" in await phones.say(NEW, "NEXT")
    [old_told] = [m for m in await phones.deliver() if m.address.chat_id == OLD]
    assert old_told.text == (
        "Your learning circle texts now go to your new phone (number ending 002), as Amina "
        "asked. If that's a mistake, please talk to Amina."
    )
    assert NEW not in old_told.text and shown(NEW) not in old_told.text
    told = [m.text for m in await chat.deliver()]
    assert "Mercy said yes from +254 722 000002: I'll text them there from now on." in told


async def test_a_mistyped_number_says_no_and_captures_nothing(chat: Chat, core: Core) -> None:
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)
    await asked_to_move(chat, phones, STRANGER)

    assert await phones.say(STRANGER, "No") == (
        "Thanks for telling me. Nothing has changed, and I won't ask again."
    )
    assert await numbers(core) == [OLD, STRANGER]  # the stranger is no one's record
    assert "You're not in a circle yet" in await phones.say(STRANGER, "/schedule")
    told = [m.text for m in await chat.deliver()]
    assert (
        "The phone at +254 733 000003 says it isn't Mercy's, so nothing has moved. Please "
        "check the number with them."
    ) in told
    assert "Python for Everyone" in await phones.say(OLD, "NEXT")


async def test_a_yes_after_two_days_is_too_late(chat: Chat, core: Core, clock: FakeClock) -> None:
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)
    await asked_to_move(chat, phones)

    clock.advance(timedelta(days=2, minutes=1))
    assert (await phones.say(NEW, "1")).startswith(
        "Sorry, that question has expired, so nothing has changed. If you still want your "
        "circle texts here, ask your facilitator to send it again."
    )
    assert await numbers(core) == [OLD, NEW]
    assert "Python for Everyone" in await phones.say(OLD, "NEXT")


async def test_facilitator_move_merges_her_second_start_from_the_new_phone(
    chat: Chat, core: Core
) -> None:
    """She lost her phone and joined again from the new one, as "Circle member": the move puts
    her back together, one Mercy with her goal."""
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)
    assert "Welcome" in await phones.say(NEW, "JOIN " + await code_of(core, CIRCLE))

    await chat.say("Amina", "/movenumber Mercy " + NEW)
    assert "Nothing moves until" in await chat.say("Amina", "yes")
    assert "Done, Mercy" in await phones.say(NEW, "1")
    assert await numbers(core) == [NEW]
    roster = await chat.say("Amina", "/roster")
    assert roster.count("Mercy") == 1 and "Circle member" not in roster


async def test_a_number_someone_else_uses_is_refused(chat: Chat, core: Core) -> None:
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)
    assert "is ready" in await chat.say(
        "Zawadi",
        '/newcircle name="Data Basics" course="Data" venue="Kenya National Library" '
        "city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-29 time=18:00 meetings=6",
    )
    assert "Welcome" in await phones.say(STRANGER, "JOIN " + await code_of(core, "Data Basics"))

    assert await chat.say("Amina", "/movenumber Mercy " + STRANGER) == (
        "Someone else uses me from +254 733 000003, so I can't move Mercy there."
    )
    assert await chat.say("Brian", "/movenumber Mercy " + NEW) == (
        "Only a facilitator or co-facilitator can use /movenumber."
    )


async def test_a_fellow_learners_number_is_refused(chat: Chat, core: Core) -> None:
    """sms C63: the number of another learner of the same circle (a mistyped digit) is his:
    never a merge of her private answers into his phone."""
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)
    assert "Welcome" in await phones.say(STRANGER, "JOIN " + await code_of(core, CIRCLE))
    await phones.say(STRANGER, "don Pedro")
    assert await chat.say("Amina", "/movenumber Mercy " + STRANGER) == (
        "Someone else uses me from +254 733 000003, so I can't move Mercy there."
    )
    assert await numbers(core) == [OLD, STRANGER]


async def test_newnumber_to_another_learners_number_is_refused(chat: Chat, core: Core) -> None:
    """Walkthrough smses 34: Yesenia's NUEVONUMERO with a mistyped digit was Gloria's number, a
    learner of another circle; Gloria sent back the code she didn't understand, and her circle,
    goal and answers became Yesenia's. A number someone else uses is refused before any code
    goes out, as /movenumber refuses it."""
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)
    assert "is ready" in await chat.say(
        "Zawadi",
        '/newcircle name="Data Basics" course="Data" venue="Kenya National Library" '
        "city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-29 time=18:00 meetings=6",
    )
    assert "Welcome" in await phones.say(STRANGER, "JOIN " + await code_of(core, "Data Basics"))
    await phones.say(STRANGER, "Gloria")

    answer = await phones.say(OLD, "NEWNUMBER " + STRANGER)
    assert answer == "Someone else uses me from +254 733 000003, so your texts can't move there."
    assert not [m for m in await phones.deliver() if m.address.chat_id == STRANGER]
    assert await numbers(core) == [OLD, STRANGER]
