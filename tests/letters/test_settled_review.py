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
    # Since fac 22 the choices close when Amina decides: "1" is no review of it any more.
    said = await chat.say("Chen", "1")
    assert f"Letter {number}" not in said and REOFFER not in said, said
    assert REOFFER not in await chat.say("Chen", "I will open the room")


async def test_a_review_settled_by_a_co_facilitator_drops_the_others_choices(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 22: Priya (co-facilitator) approved letter 6; Rosa's ordinary sentence later got
    "Sorry, I didn't catch that. Reply 1 for Approve letter #6...", then "1" got "already
    been reviewed"."""
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Amina", "/cofacilitator Chen")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    [letter] = await letters_in(core)
    await drain(chat)
    assert "joins the pool" in await chat.say("Chen", f"/letters approve {letter.id}")
    said = await chat.say("Amina", "I will bring the projector on Friday")
    assert REOFFER not in said and "didn't catch that. Reply" not in said, said
    said = await chat.say("Amina", "1")
    assert f"Letter {letter.id} has" not in said and REOFFER not in said, said
