"""From a facilitator walkthrough: the digest said "3 of 3 answered" for the last check-in while
one of those three had left the circle since. The digest speaks of the circle as it is now: a
learner who left is neither asked nor answered in its figures, and never named; /digest and the
digest sent the day before the meeting say the same."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, open_circle, play_week, starts


async def test_the_digest_counts_only_the_learners_still_in_the_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True, "Dede": True})
    # The check-in of meeting 1 goes out to all three; Brian and Chioma answer it.
    await play_week(chat, core, clock, 1, Week(ratings={"Brian": 4, "Chioma": 2}))
    await chat.say("Chioma", "/leave")
    assert "You've left" in await chat.say("Chioma", "1")
    await chat.deliver()

    # Brian and Dede are still in: Brian answered, Dede hasn't (Chioma's 2 is no longer in
    # the average either).
    expected = "Last check-in: 1 of 2 answered. Average rating 4.0 of 5.\n"
    clock.set(starts(2) - timedelta(days=2))
    asked = await chat.say("Amina", "/digest")
    assert expected in asked, asked
    assert "Chioma" not in asked

    # The digest that goes out on its own, a day before meeting 2, shares the figures.
    clock.set(starts(2) - timedelta(days=1))
    await core.tick()
    [scheduled] = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert expected in scheduled, scheduled
    assert "Chioma" not in scheduled
