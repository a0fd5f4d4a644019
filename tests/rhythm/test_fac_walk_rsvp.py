"""Facilitator walkthrough: "2 - no internet at home" to "Will you come? Reply 1 for Yes or 2
for No." is a No with a reason, not only a message passed on."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Rsvp, RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_rhythm import MEETING_1, rows, start_circle, to


async def test_a_no_with_its_reason_set_apart_counts_and_goes_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Maria", "Brian")
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    await chat.deliver()
    answer = await chat.say("Maria", "2 - no internet at home")
    assert "We'll miss you at meeting 1" in answer
    [rsvp] = await rows(core, Rsvp)
    assert rsvp.answer == RsvpAnswer.NO
    [passed_on] = to(await chat.deliver(), "Amina")
    assert "no internet at home" in passed_on
    clock.set(MEETING_1 - timedelta(hours=20))
    assert "Can't come: Maria." in await chat.say("Amina", "/digest")


async def test_a_number_starting_a_sentence_is_still_a_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Maria")
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    await chat.deliver()
    await chat.say("Maria", "2 people in my house are ill this week")
    assert await rows(core, Rsvp) == []
