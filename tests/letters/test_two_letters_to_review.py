"""Two letters come to a facilitator for review, one after the other. "1" under two notices
meant letter 1 to her and approved letter 2 (B8); after approving one, the other was left
waiting without a word, and "1" no longer answered anything (C13). Now one letter is asked
about at a time: the second notice's choices are still the first letter's, and each decision
shows the next letter waiting, with its own choices."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import LetterStatus
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in, write

CHEN = "Chen here! The best part was fixing bugs together on Thursday nights. Keep at it."


async def test_one_letter_at_a_time_and_the_next_comes_back(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian", "Chen")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN)
    first, second = await letters_in(core)
    notices = [m for m in await drain(chat) if m.address.chat_id == "amina"]
    assert notices[0].text.endswith(
        f"Reply 1 for Approve letter #{first.id} or 2 for Reject letter #{first.id}."
    )
    # The second notice shows Chen's letter, and its choices are still for Brian's.
    assert CHEN in notices[1].text
    assert f"the choices below are for letter {first.id}" in notices[1].text
    assert notices[1].text.endswith(
        f"Reply 1 for Approve letter #{first.id} or 2 for Reject letter #{first.id}."
    )
    approved = await chat.say("Amina", "1")
    assert f"Letter {first.id} is approved" in approved
    assert "One more letter is waiting for your review:" in approved and CHEN in approved
    assert approved.endswith(
        f"Reply 1 for Approve letter #{second.id} or 2 for Reject letter #{second.id}."
    )
    approved = await chat.say("Amina", "1")
    assert f"Letter {second.id} is approved" in approved
    assert "waiting for your review" not in approved
    assert [x.status for x in await letters_in(core)] == [LetterStatus.POOLED] * 2


DEDE = "Dede here. Ask the others when you're stuck: that's what the circle is for, truly."


async def test_approve_both_approves_both(chat: Chat, core: Core, clock: FakeClock) -> None:
    """fac 16: "approve both" to the first letter's choices approved only that one, then
    offered the second."""
    await detroit(chat, core, "Brian", "Chen")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN)
    first, second = await letters_in(core)
    await drain(chat)
    approved = await chat.say("Amina", "approve both")
    assert f"Letter {first.id} is approved" in approved
    assert f"Letter {second.id} is approved" in approved
    assert "waiting for your review" not in approved and "Reply 1" not in approved
    assert [x.status for x in await letters_in(core)] == [LetterStatus.POOLED] * 2


async def test_approve_both_in_other_words(chat: Chat, core: Core, clock: FakeClock) -> None:
    await detroit(chat, core, "Brian", "Chen", "Dede")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN)
    await write(chat, "Dede", DEDE)
    await drain(chat)
    approved = await chat.say("Amina", "ok, approve all of them")
    assert approved.count("is approved") == 3, approved
    assert [x.status for x in await letters_in(core)] == [LetterStatus.POOLED] * 3


async def test_both_in_the_reviewers_language(chat: Chat, core: Core, clock: FakeClock) -> None:
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Amina", "/language da")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN)
    await drain(chat)
    await chat.say("Amina", "Godkend begge")
    assert [x.status for x in await letters_in(core)] == [LetterStatus.POOLED] * 2


async def test_all_good_then_approve_approves_the_one_shown(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian", "Chen")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN)
    await drain(chat)
    approved = await chat.say("Amina", "All good, approve it")
    assert "Letter 1 is approved" in approved and "One more letter is waiting" in approved
    assert [x.status for x in await letters_in(core)] == [
        LetterStatus.POOLED,
        LetterStatus.REVIEW,
    ]


async def test_a_letter_settled_by_the_co_facilitator_says_who_and_offers_the_next(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 18: both were shown letter 4's choices; Marcus approved it; Dana's "1" got "I
    didn't catch that. Commands start with /..." instead of who decided it and letter 5."""
    await detroit(chat, core, "Brian", "Chen", "Dede")
    await chat.say("Amina", "/cofacilitator Chen")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await write(chat, "Dede", DEDE)
    first, second = await letters_in(core)
    notices = [m for m in await drain(chat) if m.address.chat_id == "chen"]
    assert notices[-1].text.endswith(
        f"Reply 1 for Approve letter #{first.id} or 2 for Reject letter #{first.id}."
    )
    assert f"Letter {first.id} is approved" in await chat.say("Amina", "1")
    said = await chat.say("Chen", "1")
    assert said.startswith(f"Amina already approved letter {first.id}."), said
    assert DEDE in said
    assert said.endswith(
        f"Reply 1 for Approve letter #{second.id} or 2 for Reject letter #{second.id}."
    )
    assert f"Letter {second.id} is approved" in await chat.say("Chen", "1")
    assert [x.status for x in await letters_in(core)] == [LetterStatus.POOLED] * 2
