"""Someone on a full circle's waiting list can come off it: /leave (LEAVE by SMS) asks first,
then takes them off; a seat held for them goes to the next learner waiting. A member also
waiting elsewhere is asked which they mean."""

from __future__ import annotations

from sqlmodel import select

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import WaitingPlace
from tests.circles.test_waiting_list import full_circle, leave, offers
from tests.conftest import Chat
from tests.database import open_session

PHONE = "+254700000002"


async def waiting(core: Core) -> int:
    async with open_session(core) as session:
        return len((await session.exec(select(WaitingPlace))).all())


async def test_leave_takes_someone_off_the_waiting_list_after_asking(
    chat: Chat, core: Core
) -> None:
    await full_circle(chat, core)
    await chat.say("Dana", "/find Detroit")
    assert "you're number 1" in await chat.say("Dana", "1")

    assert await chat.say("Dana", "/leave") == (
        "Leave the waiting list for Python for Everyone? You're number 1 in line.\n"
        "Reply 1 for Yes or 2 for No."
    )
    assert "keep your place" in await chat.say("Dana", "no")
    assert await waiting(core) == 1

    await chat.say("Dana", "/leave")
    assert await chat.say("Dana", "yes") == (
        "Done: you're off the waiting list for Python for Everyone. To find another circle, "
        "send /find."
    )
    assert await waiting(core) == 0


async def test_a_seat_held_for_her_goes_to_the_next_in_line(chat: Chat, core: Core) -> None:
    await full_circle(chat, core)
    for name in ("Dana", "Eve"):
        await chat.say(name, "/find Detroit")
        await chat.say(name, "1")
    await leave(chat, "Brian")
    [offer] = await offers(chat)
    assert offer.chat_id == "dana"

    await chat.say("Dana", "/leave")
    await chat.say("Dana", "1")
    assert [row.chat_id for row in await offers(chat)] == ["dana", "eve"]


async def test_leave_by_sms_from_the_waiting_list(chat: Chat, core: Core) -> None:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await full_circle(chat, core)
    await phones.say(PHONE, "FIND Detroit")
    assert "waiting list" in await phones.say(PHONE, "1")

    assert await phones.say(PHONE, "LEAVE") == (
        "Leave the waiting list for Python for Everyone? You're number 1 in line.\n"
        "Reply 1 for Yes or 2 for No."
    )
    assert "you're off the waiting list" in await phones.say(PHONE, "1")
    assert await waiting(core) == 0


async def test_a_member_also_waiting_elsewhere_is_asked_which(chat: Chat, core: Core) -> None:
    await full_circle(chat, core)
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    assert "is ready" in await chat.say(
        "Zawadi",
        '/newcircle name="Data Basics" course="Data" venue="Kenya National Library" '
        "city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-29 time=18:00 meetings=6",
    )
    await chat.say("Zawadi", "/listing on")
    await chat.say("Zawadi", "/listing capacity 1")
    await chat.say("Fatuma", "/find Nairobi")
    assert "Welcome" in await chat.say("Fatuma", "1")
    await chat.say("Brian", "/find Nairobi")
    assert "waiting list" in await chat.say("Brian", "1")

    assert await chat.say("Brian", "/leave") == (
        "Which would you like to leave?\n"
        "Reply 1 for Python for Everyone or 2 for Data Basics (waiting list)."
    )
    assert (await chat.say("Brian", "1")).startswith("Leave Python for Everyone?")
    assert "still in Python for Everyone" in await chat.say("Brian", "no")
    assert "Which would you like to leave?" in await chat.say("Brian", "/leave")
    assert (await chat.say("Brian", "2")).startswith(
        "Leave the waiting list for Data Basics? You're number 1 in line."
    )
    assert "off the waiting list for Data Basics" in await chat.say("Brian", "yes")
    # He is still in his own circle, and /leave now asks about it alone.
    assert (await chat.say("Brian", "/leave")).startswith(
        "Leave Python for Everyone? You'll stop getting its reminders and check-ins."
    )
