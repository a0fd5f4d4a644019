"""A letter review someone else settled never holds a co-facilitator's phone (fac 33): the
notice's choices ask again at most once, and "already reviewed" closes them."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in, write

REOFFER = "Reply 1 for Approve letter"


async def co_reviewed(chat: Chat, core: Core, clock: FakeClock) -> int:
    """Brian's letter, sent for review to Amina and Chen, approved by Amina."""
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Amina", "/cofacilitator Chen")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    [letter] = await letters_in(core)
    notices = [m for m in await drain(chat) if "A letter from" in m.text]
    assert sorted(m.address.chat_id for m in notices) == ["amina", "chen"]
    assert "joins the pool" in await chat.say("Amina", f"/letters approve {letter.id}")
    assert letter.id is not None
    return letter.id


async def test_words_to_a_settled_review_are_not_caught_twice(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await co_reviewed(chat, core, clock)
    first = await chat.say("Chen", "Pole sana Amina, get well soon")
    second = await chat.say("Chen", "I will open the room, no problem")
    assert REOFFER not in second, (first, second)


async def test_already_reviewed_closes_the_notices_choices(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    number = await co_reviewed(chat, core, clock)
    assert f"Letter {number} has already been reviewed." in await chat.say("Chen", "1")
    assert REOFFER not in await chat.say("Chen", "I will open the room")
