"""Walkthroughs (lang 39, sms 31, sms 47): a learner in two circles with a question open in
each. One circle's reminder never wipes the other's rating, a bare number is never kept as
written words, and words that answer one circle's reminder reach that circle's facilitators."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import CheckIn, Rsvp
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_several_circles import SECOND_CIRCLE, two_circles
from tests.database import open_session

# Python for Everyone's check-in (Friday Oct 30, 10:00 Detroit), then Digital Skills' 24-hour
# reminder (Sunday Nov 1, 10:00 Detroit).
CHECKIN = datetime(2026, 10, 30, 14, 5, tzinfo=UTC)
REMINDER = datetime(2026, 11, 1, 15, 5, tzinfo=UTC)


async def brian_in_both(chat: Chat, core: Core, clock: FakeClock) -> None:
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)  # Brian in Python for Everyone, Chen in Digital Skills
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    for at in (CHECKIN, REMINDER):
        clock.set(at)
        await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("How did meeting 1 of Python for Everyone go" in text for text in sent)
    assert "Digital Skills meets in 24 hours" in sent[-1]


async def test_one_circles_reminder_leaves_the_others_rating_open(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await brian_in_both(chat, core, clock)
    # "good" is the rating's own word: Python for Everyone's rating, not a message to Amina.
    # In two circles, the thanks names the circle (walkthrough 8, mix 8).
    assert (await chat.say("Brian", "good")).startswith(
        "Python for Everyone, meeting 1: Thanks, got it!"
    )
    # A bare number is no written answer: the reminder's choices still wait.
    assert "Reply 1 for Yes or 2 for No" in await chat.say("Brian", "4")
    assert (await chat.say("Brian", "1")).startswith("Digital Skills: Great, see you at meeting 1")
    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert checkin.rating == 4 and checkin.answer is None
    assert rsvp.person_id == checkin.person_id
    assert not any("Brian wrote" in m.text for m in await chat.deliver())


async def test_words_after_one_circles_reminder_reach_that_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 47: Brian's /default is Python for Everyone; his words right under Digital Skills'
    reminder are about Digital Skills, and say so to Amina."""
    await brian_in_both(chat, core, clock)
    assert "Python for Everyone" in await chat.say("Brian", "/default python for everyone")
    await chat.say("Brian", "good")  # the other circle's rating, answered
    await chat.say("Brian", "/skip")
    await chat.deliver()
    assert "Amina" in await chat.say("Brian", "Running ten minutes late tomorrow, sorry")
    [forwarded] = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert forwarded.startswith("Brian wrote about Digital Skills:\nRunning ten minutes late")


async def test_a_co_facilitators_answer_never_reaches_her_other_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 64: Brian co-facilitates Dede's Digital Skills and learns in Amina's Python for
    Everyone. His answer to Dede's announcement is not for Amina."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Dede", SECOND_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    assert "co-facilitates" in await chat.say("Dede", "/cofacilitator Brian")
    assert "Python for Everyone" in await chat.say("Brian", "/default python for everyone")
    await chat.say("Dede", "/announce Bring markers on Monday.")
    assert "Sent to" in await chat.say("Dede", "1")
    await chat.deliver()
    answer = await chat.say("Brian", "Perfect Dede, I'll bring the markers")
    assert "Amina" not in answer
    assert not any("markers" in m.text for m in await chat.deliver())


async def test_two_ratings_open_each_number_counts_once_and_is_named(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 31: both circles' check-ins wait. "3" rates the newest (Digital Skills), "5" then
    rates Python for Everyone, never kept as words; each thanks names its circle."""
    await brian_in_both(chat, core, clock)
    assert (await chat.say("Brian", "1")).startswith("Digital Skills: Great")  # the reminder's yes
    clock.set(datetime(2026, 11, 3, 15, 5, tzinfo=UTC))  # Digital Skills' check-in
    await core.tick()
    assert any("meeting 1 of Digital Skills" in m.text for m in await chat.deliver())
    assert (await chat.say("Brian", "3")).startswith("Digital Skills, meeting 1: Thanks, got it!")
    assert (await chat.say("Brian", "5")).startswith(
        "Python for Everyone, meeting 1: Thanks, got it!"
    )
    async with open_session(core) as session:
        checkins = (await session.exec(select(CheckIn))).all()
    assert sorted((c.rating, c.answer) for c in checkins) == [(3, None), (5, None)]
