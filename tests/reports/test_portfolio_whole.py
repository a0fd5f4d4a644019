"""Walkthroughs (issue 16): a facilitator's portfolio holds the circles she facilitated; a
learner's, her survey answers and where her letters were read; by SMS, a summary with no
file to talk of, and how to get the whole record."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.reports import portfolio
from locales import LOCALES_DIR
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, end_the_circle
from tests.reports.test_records import EMPTY, portfolio_file
from tests.seasons import open_circle, starts


async def test_a_facilitator_and_a_learner_keep_the_whole_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    for answer in ["5", "1", "1", "Ask for help early.", "1"]:
        await chat.say("Brian", answer)

    amina = await portfolio_file(chat, "Amina")
    assert EMPTY not in amina
    assert "## Python for Everyone" in amina
    assert (
        "I facilitated it: 2 meetings held, from Thursday, October 29, 2026 to Thursday, "
        "November 5, 2026." in amina
    )

    brian = await portfolio_file(chat, "Brian")
    assert "### Looking back on the course" in brian
    assert "- Did I reach my goal? Yes" in brian
    assert "- The course: 5 of 5" in brian
    assert "My tip for the next circle:\n> Ask for help early." in brian


async def test_by_sms_the_summary_says_how_to_get_the_whole_record(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {}, TWO_WEEKS)
    sms = Chat(core, platform="sms")
    await sms.say("+254700000009", "JOIN " + code)
    await sms.say("+254700000009", "Hank")
    await sms.say("+254700000009", "To write my first program.")
    answer = await sms.say("+254700000009", "PORTFOLIO")
    assert "Files not shown" not in answer and "portfolio.md" not in answer
    assert "Here is your portfolio" not in answer  # nothing comes beside it
    assert answer.startswith("Your portfolio, in short:")
    assert "to get the whole record as a file" in answer


def test_where_a_letter_was_read_reads_as_a_sentence() -> None:
    tr = Catalogs(LOCALES_DIR).translator("en")
    read = ["Kisumu", "Mombasa"]
    assert (
        portfolio._read_at(tr, read)
        == "Read at the first meetings of circles in Kisumu and Mombasa."
    )
    assert portfolio._read_at(tr, read[:1]) == "Read at the first meeting of a circle in Kisumu."


async def test_by_sms_the_summary_holds_what_she_keeps(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough sms 19: a learner with no chat app to link keeps, in the summary, how many
    meetings she came to, how close she got to her goal in her words, and where her letter
    is; the whole record as a file is offered beside it, not as the only way."""
    code = await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    sms = Chat(core, platform="sms")
    phone = "+254700000009"
    await sms.say(phone, "JOIN " + code)
    await sms.say(phone, "Wanjiku")
    await sms.say(phone, "I want to learn to use email and apply for jobs online.")
    await sms.say(phone, "2")  # keep her answers private
    clock.set(starts(1) + timedelta(minutes=5))
    assert "You're here" in await sms.say(phone, "HERE")
    clock.set(starts(1) + timedelta(hours=3))
    assert "Write to a new circle far away" in await sms.say(phone, "LETTER")
    await sms.say(phone, "Keep coming every week, even when it feels slow. It gets easier!")
    await sms.say(phone, "1")  # signed with her name
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    await sms.deliver()
    await sms.say(phone, "Very close! I have an email now and I sent two applications.")
    await end_the_circle(chat, core, clock)

    answer = await sms.say(phone, "PORTFOLIO")
    assert "You came to 1 of 2 meetings." in answer
    assert 'Looking back: "Very close! I have an email now' in answer
    assert "Your letter: Waiting for approval." in answer
    assert "Have a chat app too?" in answer
