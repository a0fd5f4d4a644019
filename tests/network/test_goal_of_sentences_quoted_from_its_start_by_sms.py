"""A goal of two or three sentences quoted back by SMS keeps its start, cut with "...": the
look back and the survey once quoted only its last sentence ("I also want to help my son with
homework."), which read as if the bot had misremembered her goal."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.rendering import quoted
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from tests.conftest import Chat, code_of
from tests.network.test_quotes_by_sms import cost, sent_to, texted
from tests.network.test_survey import TWO_WEEKS
from tests.seasons import Week, open_circle, play_week, starts

GOAL = (
    "I want to automate my invoices at work. My boss asked me to. "
    "I also want to help my son with homework."
)
START = "I want to automate my invoices at work. My boss asked me to..."
LAST = "I also want to help my son with homework"


def test_a_short_quote_is_the_goal_s_beginning_never_its_last_sentence() -> None:
    assert quoted(GOAL, by_text=True) == START
    # Where it fits, the whole goal, sentences and all.
    assert quoted("I want to learn Excel. For my job.", by_text=True) == (
        "I want to learn Excel. For my job"
    )


async def test_the_look_back_and_the_survey_quote_the_start_of_her_goal(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    sms = Chat(core, platform="sms")
    await texted(core, sms, "JOIN " + await code_of(core, "Python for Everyone"))
    await texted(core, sms, GOAL)
    await texted(core, sms, "2")  # keep my answers private
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))

    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    sent = await sent_to(core, chat, sms)
    [look_back] = [text for text in sent["halima"] if "How close did you get?" in text]
    assert 'you said: "' + START + '". How close' in look_back
    assert LAST not in look_back
    assert cost(look_back) == 1

    await texted(core, sms, "Half way: the invoices work, homework not yet.")
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    await sent_to(core, chat, sms)
    [survey] = await texted(core, sms, "4")  # the course's rating
    assert 'Your goal at the start was: "' + START + '",' in survey
    assert LAST not in survey
    assert cost(survey) <= 2
