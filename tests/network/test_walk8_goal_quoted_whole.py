"""Walkthrough 8, sms 40: the look back at a learner's goal quotes her whole goal by SMS when
the text still fits one SMS; only a goal too long for that is cut to its beginning."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.network.test_quotes_by_sms import cost, sent_to, texted
from tests.network.test_survey import TWO_WEEKS
from tests.seasons import Week, open_circle, play_week, starts

GOAL = "I want to learn how to advertise my bead business on facebook"


async def test_a_goal_that_fits_one_text_is_quoted_whole(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    sms = Chat(core, platform="sms")
    await texted(core, sms, "JOIN " + await code_of(core, "Python for Everyone"))
    await texted(core, sms, GOAL)
    await texted(core, sms, "2")
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))

    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    sent = await sent_to(core, chat, sms)
    [halima] = [text for text in sent["halima"] if "How close did you get?" in text]
    assert f'you said: "{GOAL}". How close' in halima
    assert cost(halima) == 1
