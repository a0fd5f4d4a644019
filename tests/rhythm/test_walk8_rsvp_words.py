"""Answers to "Will you come?" a learner would expect to count. Walkthrough 8: lang 34 (German
"ich sag ab, bin krank" was filed in the portfolio, Katrin never told), sms 25 (a thumbs-up
was passed on to Luz as a message)."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, rsvps


async def test_ich_sag_ab_is_a_no_and_the_reason_reaches_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    reply = await answer_reminder(chat, core, clock, "Lena", "de", "ich sag ab, bin krank")
    assert "Portfolio" not in reply
    assert await rsvps(core) == [RsvpAnswer.NO]
    assert any("bin krank" in text for text in passed_on_to(await chat.deliver(), "Amina"))


@pytest.mark.parametrize("typed", ["👍", "👍👍", "👍🏾"])
async def test_a_thumbs_up_is_a_yes(chat: Chat, core: Core, clock: FakeClock, typed: str) -> None:
    await answer_reminder(chat, core, clock, "Maribel", "es", typed)
    assert await rsvps(core) == [RsvpAnswer.YES]
    assert not passed_on_to(await chat.deliver(), "Amina")
