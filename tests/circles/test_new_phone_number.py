"""A learner with a new SIM gets back into her record (her circle, answers, goal): from her old
phone she texts NEWNUMBER and the new number, and it moves once the code texted there comes
back from the new phone (nobody can take a number over); or her facilitator moves her with
/movenumber (asked first, answered privately), and she is told on the new number. The old
number is no longer her: whoever gets it next starts afresh."""

from __future__ import annotations

import re

from sqlmodel import select

from bot.chat.segments import SMS_CAPABILITIES
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


async def test_facilitator_moves_a_learner_after_asking(chat: Chat, core: Core) -> None:
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)

    question = await chat.say("Amina", "/movenumber mercy +254 722 000 002")
    assert question.startswith(
        "Move Mercy to +254 722 000002? Whoever has that phone will be Mercy here, with their "
        "circles and answers. I'll text them there."
    )
    assert OLD not in question
    assert await chat.say("Amina", "yes") == (
        "Done: I'll text Mercy at +254 722 000002 from now on, and I've told them there."
    )
    [told] = await phones.deliver()
    assert told.address.chat_id == NEW
    assert told.text == (
        "Amina moved your Python for Everyone texts to this phone: your circles and answers "
        "are here, as before."
    )
    assert await numbers(core) == [NEW]
    assert "Python for Everyone" in await phones.say(NEW, "NEXT")


async def test_facilitator_move_merges_her_second_start_from_the_new_phone(
    chat: Chat, core: Core
) -> None:
    """She lost her phone and joined again from the new one, as "Circle member": the move puts
    her back together, one Mercy with her goal."""
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)
    assert "Welcome" in await phones.say(NEW, "JOIN " + await code_of(core, CIRCLE))

    await chat.say("Amina", "/movenumber Mercy " + NEW)
    assert "Done" in await chat.say("Amina", "yes")
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
