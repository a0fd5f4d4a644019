"""/checkin after the week's rating was given says so, and a number then changes it.
Walkthrough 8 (mix 29): BILAN by SMS asked the same question as if new, and "3" silently
replaced the 4 she had given."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_everyday_answers import checkins
from tests.seasons import Week, open_circle, play_week


async def test_checkin_again_says_the_rating_given(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Yasmine": True})
    await play_week(chat, core, clock, 1, Week(ratings={"Yasmine": 4}))
    again = await chat.say("Yasmine", "/checkin")
    assert again.startswith("Python for Everyone, meeting 1: you rated it 4 of 5 already.")
    await chat.say("Yasmine", "3")
    [checkin] = await checkins(core)
    assert checkin.rating == 3
