"""Walkthrough sms 24: Mama Rehema by SMS, at the survey's "Would you recommend...? Reply 1
for Yes or 2 for No.", sent LETTER, then SKIP ("OK, no letter this time"); her "yes I will tell
my church friends" then went to the facilitator, the survey's question dropped. After the
detour the survey's question is asked again, and her yes is its answer."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.network.test_survey import TWO_WEEKS, answers_of, end_the_circle
from tests.seasons import open_circle


async def test_the_survey_question_comes_back_after_a_skipped_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await sms.say("Rehema", "JOIN " + await code_of(core, "Python for Everyone"))
    await sms.say("Rehema", "To read my grandchildren's emails")
    await sms.say("Rehema", "2")
    await end_the_circle(chat, core, clock)
    await sms.deliver()
    await sms.say("Rehema", "5")
    asked = await sms.say("Rehema", "1")  # her goal: reached
    assert "Reply 1 for Yes or 2 for No" in asked, asked
    await sms.say("Rehema", "LETTER")
    skipped = await sms.say("Rehema", "SKIP")
    assert "no letter this time" in skipped, skipped
    assert "recommend" in skipped and "Reply 1 for Yes or 2 for No" in skipped, skipped
    await sms.say("Rehema", "yes I will tell my church friends")
    answers = await answers_of(core, "Rehema")
    assert answers is not None and answers.recommend is True
