"""A week's check-in asked while the learner writes a letter: once the letter is done, "5
great. Thank you Madam Amina for everything" rates the week (5, its words kept and passed on),
never "send a number from 1 to 5" to a message that starts with one (walk C10)."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import ratings
from tests.seasons import checkin_due, open_circle


async def test_a_rating_with_words_after_the_letter_rates_the_week(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    clock.set(checkin_due(3))
    await core.tick()
    await chat.deliver()
    assert "Write to a new circle far away" in await chat.say("Brian", "/letter")
    await chat.say("Brian", "Hello from Detroit! Come every week, even when you feel behind.")
    await chat.say("Brian", "1")  # signed: the letter is done
    reply = await chat.say("Brian", "5 great. Thank you Madam Amina for everything")
    assert "number from 1 to 5" not in reply, reply
    assert await ratings(core) == [5]
