"""Facilitator walkthrough finding fac 16: a gathered join notice counts learners as they are
when it goes, so one made co-facilitator meanwhile is not counted as a learner."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_join_notices import WINDOW, join, open_circle, to_amina
from tests.conftest import T0, Chat


async def test_a_joiner_made_cofacilitator_is_not_counted_a_learner(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core)
    await join(chat, code, "Otieno")
    assert await to_amina(chat) == ["Otieno joined Python for Everyone. That's 1 learner now."]
    await join(chat, code, "Faith", "Kevin", "Wanjiru")
    assert "Wanjiru now co-facilitates" in await chat.say("Amina", "/cofacilitator add Wanjiru")
    clock.set(T0 + WINDOW)
    assert await to_amina(chat) == [
        "3 people joined Python for Everyone: Faith, Kevin, and Wanjiru. "
        "That's 3 learners now."  # Otieno, Faith and Kevin
    ]
