"""sms 25: a rating with words ("4 good but too fast for me") is kept and its words passed on;
the next question came first and "passed on" last, burying the question on a phone. Now one
message: "passed on" first, the question waiting for an answer last."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, delivered, end_the_circle
from tests.seasons import Week, open_circle, play_week


async def test_the_next_question_comes_last_in_one_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await end_the_circle(chat, core, clock)
    inbound = chat.inbound("Brian", "4 good but too fast for me")
    [reply] = await core.handle(inbound, chat.capabilities)
    assert reply.text.startswith("Thanks, I've passed that on to Amina.\n")
    assert reply.text.endswith(
        "Did you reach your goal?\nReply 1 for Yes, 2 for Partly, or 3 for Not yet."
    )
    assert "too fast for me" in (await delivered(chat))["amina"]
