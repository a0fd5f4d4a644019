"""A full circle offers its waiting list: a freed seat (someone leaves, the capacity grows) is
offered to the first learner waiting, held for them, and taken with one answer; the
facilitator sees how many wait."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.storage.models import OutboxMessage, WaitingPlace
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"


async def full_circle(chat: Chat, core: Core) -> str:
    """Amina's listed circle takes 2 learners: Brian and Chen have the seats."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/listing on")
    assert "takes 2 learners" in await chat.say("Amina", "/listing capacity 2")
    code = await code_of(core, CIRCLE)
    for name in ("Brian", "Chen"):
        assert "Welcome" in await chat.say(name, f"/join {code}")
    return code


async def offers(chat: Chat) -> list[OutboxMessage]:
    return [row for row in await chat.outbox() if row.kind == "seat-offered"]


async def leave(chat: Chat, name: str) -> None:
    await chat.say(name, "/leave")
    assert "You've left" in await chat.say(name, "yes")


async def test_full_circle_waiting_list_seat_frees_told_joins(chat: Chat, core: Core) -> None:
    code = await full_circle(chat, core)
    listing = await chat.say("Dana", "/find Detroit")
    assert "Full: no one waiting yet." in listing
    assert await chat.say("Dana", "1") == (
        "Python for Everyone is full right now, so I've put you on its waiting list: you're "
        "number 1. I'll tell you as soon as a seat frees up."
    )
    await chat.say("Eve", "/find Detroit")
    assert "you're number 2" in await chat.say("Eve", "1")
    assert "You're number 2 on the waiting list" in await chat.say("Eve", "#1 /find")
    status = await chat.say("Amina", "/listing")
    assert "Seats: 2, 2 taken." in status
    assert "2 learners waiting." in status

    await leave(chat, "Brian")
    [offer] = await offers(chat)
    sent = [m for m in await chat.deliver() if m.address.chat_id == "dana"]
    [told] = [m for m in sent if "seat has opened" in m.text]
    assert told.text.startswith("Good news: a seat has opened in Python for Everyone")
    assert told.text.endswith("Would you like it?\nReply 1 for Join.")
    assert code not in told.text and code not in str(offer.payload)
    assert offer.chat_id == "dana"
    # The seat is Dana's for now: Eve, next in line, can't take it.
    assert "You're number 2" in await chat.say("Eve", "#1 /find")
    welcome = await chat.say("Dana", "1")
    assert welcome.startswith("Welcome to Python for Everyone, Dana!")
    async with open_session(core) as session:
        waiting = (await session.exec(select(WaitingPlace))).all()
    assert len(waiting) == 1  # Eve, now first
    assert "1 learner waiting." in await chat.say("Amina", "/listing")


async def test_a_held_seat_is_anyones_after_two_days(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await full_circle(chat, core)
    await chat.say("Dana", "/find Detroit")
    await chat.say("Dana", "1")
    await leave(chat, "Brian")
    assert len(await offers(chat)) == 1
    assert "you're number 2" in await chat.say("Frank", "#1 /find")  # held for Dana
    clock.advance(timedelta(hours=49))
    # Dana never answered: the seat goes on down the line, to Frank, not to a newcomer.
    assert "you're number 3" in await chat.say("Grace", "#1 /find")
    assert "Welcome" in await chat.say("Frank", "#1 /find")
    assert "You're number 1" in await chat.say("Dana", "1")  # too late: still first in line


async def test_more_seats_are_offered_in_order(chat: Chat, core: Core) -> None:
    await full_circle(chat, core)
    for name in ("Dana", "Eve", "Frank"):
        await chat.say(name, "#1 /find")
    answer = await chat.say("Amina", "/listing capacity 4")
    assert "I've offered seats to the first 2 learners waiting." in answer
    assert sorted(row.chat_id for row in await offers(chat)) == ["dana", "eve"]
    assert "no limit" in await chat.say("Amina", "/listing capacity off")
    assert sorted(row.chat_id for row in await offers(chat)) == ["dana", "eve", "frank"]


async def test_a_join_code_for_a_full_circle_joins_the_waiting_list(chat: Chat, core: Core) -> None:
    """A private circle's code still counts the seats; its line, not the listing, is the way
    in once a seat frees."""
    code = await full_circle(chat, core)
    await chat.say("Amina", "/listing off")
    assert "you're number 1" in await chat.say("Dana", f"/join {code}")
    assert "isn't open for sign-ups" in await chat.say("Eve", "#1 /find")  # private: no line
    await leave(chat, "Chen")
    assert "Welcome" in await chat.say("Dana", "#1 /find")


async def test_waiting_and_taking_a_seat_by_text_message(chat: Chat, core: Core) -> None:
    phone = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    await full_circle(chat, core)
    assert "Full" in await phone.say("+15550001", "FIND DETROIT")
    assert "waiting list" in await phone.say("+15550001", "1")
    await leave(chat, "Brian")
    [told] = [m for m in await phone.deliver() if "seat has opened" in m.text]
    assert "Reply 1 for Join." in told.text
    assert "Welcome to Python for Everyone" in await phone.say("+15550001", "1")


async def test_forgetting_a_waiting_learner_takes_their_place(chat: Chat, core: Core) -> None:
    await full_circle(chat, core)
    await chat.say("Dana", "#1 /find")
    await chat.say("Dana", "/forget")
    await chat.say("Dana", "yes")
    async with open_session(core) as session:
        assert (await session.exec(select(WaitingPlace))).all() == []


async def test_a_seat_freed_where_nobody_was_told_goes_to_the_line_first(
    chat: Chat, core: Core
) -> None:
    """Chen's /forget frees a seat without a word to the line: the next newcomer can't jump
    it; Dana, first in line, is offered it then."""
    await full_circle(chat, core)
    await chat.say("Dana", "#1 /find")
    await chat.say("Chen", "/forget")
    await chat.say("Chen", "yes")
    assert await offers(chat) == []
    assert "you're number 2" in await chat.say("Eve", "#1 /find")
    assert [row.chat_id for row in await offers(chat)] == ["dana"]
    assert "Welcome" in await chat.say("Dana", "#1 /find")


async def test_an_offer_not_taken_goes_down_the_line_at_the_next_tick(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await full_circle(chat, core)
    for name in ("Dana", "Eve"):
        await chat.say(name, "#1 /find")
    await leave(chat, "Brian")
    await core.tick()
    assert [row.chat_id for row in await offers(chat)] == ["dana"]
    clock.advance(timedelta(hours=47))
    await core.tick()
    assert [row.chat_id for row in await offers(chat)] == ["dana"]  # still Dana's
    clock.advance(timedelta(hours=2))
    await core.tick()
    assert [row.chat_id for row in await offers(chat)] == ["dana", "eve"]
    assert "Welcome" in await chat.say("Eve", "1")
