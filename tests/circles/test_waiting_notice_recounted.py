"""Walkthrough (sms 10): a gathered waiting-list notice went out stale, "A newcomer (no name
yet) would like to join ..., which is full: 2 learners are waiting", when by then nobody was:
one waiting was a member's new phone, moved to her (MOVENUMBER), the other took the freed
seat. Whoever leaves the line before the notice goes is taken out of it, the line recounted;
a notice naming only them goes unsent."""

from __future__ import annotations

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.circles.test_waiting_list import full_circle, leave
from tests.conftest import Chat
from tests.core.test_sms_words import Phones


def told(messages: list, name: str = "amina") -> list[str]:
    return [m.text for m in messages if m.address.chat_id == name and "would like" in m.text]


async def test_someone_off_the_line_before_the_notice_goes_is_left_out(
    chat: Chat, core: Core
) -> None:
    code = await full_circle(chat, core)
    await chat.deliver()
    for name in ("Dana", "Eve"):
        assert "waiting list" in await chat.say(name, f"/join {code}")
    await chat.say("Dana", "/leave")
    assert "off the waiting list" in await chat.say("Dana", "yes")
    assert told(await chat.deliver()) == [
        "Eve would like to join Python for Everyone, which is full: 1 learner is waiting for a "
        "seat now."
    ]


async def test_a_notice_of_one_who_took_a_seat_goes_unsent(chat: Chat, core: Core) -> None:
    code = await full_circle(chat, core)
    await chat.deliver()
    assert "waiting list" in await chat.say("Dana", f"/join {code}")
    await leave(chat, "Brian")  # the seat is offered to Dana
    await chat.say("Dana", "1")  # she takes it
    assert told(await chat.deliver()) == []


async def test_a_members_new_phone_moved_off_the_line_is_no_notice(
    chat: Chat, core: Core
) -> None:
    code = await full_circle(chat, core)
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await chat.say("Amina", "/listing capacity 3")
    for said in ("/language en", f"JOIN {code}", "Dana"):  # the last seat
        await phones.say("+254722000001", said)
    await chat.deliver()
    assert "waiting list" in await phones.say("+254722000005", f"JOIN {code}")  # her new phone
    assert "Move Dana" in await chat.say("Amina", "/movenumber Dana +254722000005")
    await chat.say("Amina", "yes")
    asked = [m.text for m in await phones.deliver() if m.address.chat_id == "+254722000005"]
    assert "Is that you?" in asked[-1], asked
    assert "Dana" in await phones.say("+254722000005", "1")
    assert told(await chat.deliver()) == []
