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
