"""A reminder's "Will you come?" answered with "cant" ("cant tmrw work", "can't, sorry"):
the No is noted and the words go on to the facilitator, as "no, <reason>" does; "can't wait"
is never a no."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, rsvps


@pytest.mark.parametrize(
    "typed",
    ["cant tmrw work", "can't tmrw, work", "cannot, working late", "cant", "can't", "cannot"],
)
async def test_cant_is_a_no(chat: Chat, core: Core, clock: FakeClock, typed: str) -> None:
    """Marcus's "cant tmrw work" went to the facilitator, his RSVP stayed unanswered and the
    one-hour reminder asked him again."""
    reply = await answer_reminder(chat, core, clock, "Marcus", "en", typed)
    assert await rsvps(core) == [RsvpAnswer.NO], reply


@pytest.mark.parametrize("typed", ["cant make it", "can't come"])
async def test_cant_make_it_is_a_no(chat: Chat, core: Core, clock: FakeClock, typed: str) -> None:
    reply = await answer_reminder(chat, core, clock, "Marcus", "en", typed)
    assert await rsvps(core) == [RsvpAnswer.NO], reply


async def test_cant_with_its_reason_reaches_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await answer_reminder(chat, core, clock, "Marcus", "en", "cant tmrw work")
    assert await rsvps(core) == [RsvpAnswer.NO]
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert "cant tmrw work" in notice


@pytest.mark.parametrize("typed", ["can't wait!", "cant wait to see everyone"])
async def test_cant_wait_is_no_no(chat: Chat, core: Core, clock: FakeClock, typed: str) -> None:
    reply = await answer_reminder(chat, core, clock, "Marcus", "en", typed)
    assert RsvpAnswer.NO not in await rsvps(core), reply


async def test_yes_cant_wait_stays_a_yes(chat: Chat, core: Core, clock: FakeClock) -> None:
    reply = await answer_reminder(chat, core, clock, "Marcus", "en", "Yes, can't wait!")
    assert await rsvps(core) == [RsvpAnswer.YES], reply
