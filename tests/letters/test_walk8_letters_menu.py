"""Walkthrough 8, fac 11 and mix 9: in the /letters list the menu's numbers ("Reply 3 for
Approve 2") read like the letters' own; typing a letter's number approved or began rejecting
another letter, and "godkend alle" (approve all) was not understood."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import LetterStatus
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in, write


async def test_a_letters_number_never_acts_on_another_and_all_can_be_approved(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian", "Chen", "Dana")
    clock.set(AFTER_MEETING_3)
    for name in ("Brian", "Chen", "Dana"):
        await write(chat, name, f"{name} here. Come every week, even when you feel behind.")
    await drain(chat)
    first, second, third = await letters_in(core)
    overview = await chat.say("Amina", "/letters")
    assert "for Approve 2" not in overview and "for Reject" not in overview
    assert f"/letters approve {first.id}, or /letters reject {first.id} and a reason" in overview
    assert overview.endswith("Reply 1 for Approve all 3.")

    await chat.say("Amina", str(third.id))  # "letter 3", as she reads it
    assert {x.status for x in await letters_in(core)} == {LetterStatus.REVIEW}

    await chat.say("Amina", "/letters")
    approved = await chat.say("Amina", "approve all")
    assert all(f"Letter {x.id} is approved" in approved for x in (first, second, third))
    assert {x.status for x in await letters_in(core)} == {LetterStatus.POOLED}
