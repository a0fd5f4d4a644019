"""/attendance NAME, by a facilitator of two circles: the circle the named learner is in, not
"Which circle?" (walk dede 13: Mads was asked, though Bo learns in one of them only)."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.rhythm.test_reply_names import EVENINGS, SECOND_CIRCLE, joined

DETROIT = "Python for Everyone"


async def test_the_named_learners_circle_is_meant(chat: Chat, core: Core, clock: FakeClock) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SECOND_CIRCLE.replace("time=18:00", "time=10:00"))
    await joined(chat, core, "Bo", DETROIT)
    await joined(chat, core, "Freja", EVENINGS)
    # Both circles' first meetings are on 2026-10-29; Python for Everyone's at 18:00 Detroit.
    clock.set(clock.now().replace(year=2026, month=10, day=29, hour=22, minute=10))
    said = await chat.say("Amina", "/attendance Bo")
    assert "Which circle" not in said, said
    assert "Bo" in said
    # A name in neither circle still asks (nothing to go by).
    clock.advance(timedelta(minutes=1))
    assert "Which circle" in await chat.say("Amina", "/attendance Zed")
