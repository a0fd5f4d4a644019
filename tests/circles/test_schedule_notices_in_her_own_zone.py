"""Walkthrough fac 16: a learner who set her own zone (/timezone) reads an online circle's
meetings in her time everywhere (/next, reminders), but its schedule-change notices said them in
the circle's: "now meets at 6:00 PM" for her 8:00 PM, and "Same place." for a meeting at a link.
Every notice of a change of when the circle meets says it as /next does for her: her time, with
her zone named; a learner without one set reads the circle's time, as before."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_editing import texts_to
from tests.circles.test_own_zone import online_circle
from tests.conftest import Chat

LINK = "https://meet.jit.si/py4e-detroit"


async def told(chat: Chat, clock: FakeClock, *said: str) -> tuple[str, str]:
    """What Wanjiru (in Nairobi) and Brian (the circle's time) hear of the change Amina makes
    by `said`, alone: past the last change's gathering window."""
    clock.advance(timedelta(minutes=11))
    for text in said:
        await chat.say("Amina", text)
    sent = await chat.deliver()
    [hers] = texts_to(sent, "Wanjiru")
    [his] = texts_to(sent, "Brian")
    assert "EAT" not in his, his
    return hers, his


async def test_a_moved_cancelled_or_added_meeting_reaches_her_in_her_own_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await online_circle(chat, core)  # Thursdays 6:00 PM in Detroit: 1:00 or 2:00 AM in Nairobi
    assert "Africa/Nairobi" in await chat.say("Wanjiru", "/timezone Nairobi")
    await chat.deliver()

    hers, his = await told(chat, clock, "/reschedule 4 2026-11-20 18:00")
    assert hers.startswith(
        "Python Online: meeting 4 has moved to Saturday, Nov 21, 2:00 AM (EAT) "
        "(it was Friday, Nov 20, 2:00 AM)."
    ), hers
    assert his.startswith(
        "Python Online: meeting 4 has moved to Friday, Nov 20, 6:00 PM "
        "(it was Thursday, Nov 19, 6:00 PM)."
    ), his
    # A link is no place: the same one, to tap.
    assert hers.endswith("Same link: " + LINK + ".") and "place" not in hers + his, hers

    hers, his = await told(chat, clock, "/reschedule 5 2026-11-26 19:00")
    assert hers == (
        "Python Online: meeting 5 is now at 3:00 AM (EAT) instead of 2:00 AM, Friday, "
        "November 27. Same link: " + LINK + "."
    )
    assert his.startswith("Python Online: meeting 5 is now at 7:00 PM instead of 6:00 PM")

    hers, his = await told(chat, clock, "/cancel 6", "yes")
    assert hers == (
        "Python Online: meeting 6 on Friday, Dec 4, 2:00 AM (EAT) won't take place. "
        "Your next meeting is still Friday, Oct 30, 1:00 AM (EAT)."
    )
    assert "meeting 6 on Thursday, Dec 3, 6:00 PM won't take place" in his

    hers, his = await told(chat, clock, "/uncancel 6")
    assert hers == (
        "Python Online: meeting 6 on Friday, December 4, 2026 at 2:00 AM (EAT) will take "
        "place after all."
    )
    assert "Thursday, December 3, 2026 at 6:00 PM (EST)" in his

    hers, his = await told(chat, clock, "/addmeeting 2026-12-10 18:00")
    assert hers.startswith(
        "Python Online has one more meeting: meeting 7, Friday, December 11, 2026 at 2:00 AM (EAT)"
    ), hers
    assert "Thursday, December 10, 2026 at 6:00 PM (EST)" in his


async def test_a_skipped_week_and_new_times_reach_her_in_her_own_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await online_circle(chat, core)
    assert "Africa/Nairobi" in await chat.say("Wanjiru", "/timezone Nairobi")
    await chat.deliver()

    hers, his = await told(chat, clock, "/skipweek 2", "yes")
    assert hers.startswith(
        "Python Online skips a week: meeting 2 is now Friday, November 13, 2026 at 2:00 AM (EAT)"
    ), hers
    assert "meeting 2 is now Thursday, November 12, 2026 at 6:00 PM (EST)" in his

    hers, his = await told(chat, clock, "/edit time 19:00", "yes")
    assert hers == (
        "Python Online now meets at 2:00 AM (EAT), from meeting 1 (Friday, Oct 30, 2:00 AM)."
    )
    assert his == "Python Online now meets at 7:00 PM, from meeting 1 (Thursday, Oct 29, 7:00 PM)."

    # Wednesday evening in Detroit is Thursday night in Nairobi.
    hers, his = await told(chat, clock, "/edit weekday wednesday", "yes")
    assert hers == (
        "Python Online now meets on Thursday, same time, from meeting 1 "
        "(Thursday, Oct 29, 2:00 AM (EAT))."
    )
    assert his.startswith("Python Online now meets on Wednesday, same time, from meeting 1")

    hers, his = await told(chat, clock, "/edit meetings 8")
    assert "the last on Thursday, December 24, 2026 at 3:00 AM (EAT)" in hers, hers

    # Changes gathered into one message: each in her time.
    clock.advance(timedelta(minutes=11))
    await chat.say("Amina", "/reschedule 3 2026-11-12 20:00")
    await chat.deliver()
    clock.advance(timedelta(minutes=1))
    await chat.say("Amina", "/reschedule 3 2026-11-12 21:00")
    await chat.say("Amina", "/addmeeting 2026-12-30 19:00")
    clock.advance(timedelta(minutes=10))
    [hers] = texts_to(await chat.deliver(), "Wanjiru")
    assert hers == (
        "Changes to Python Online: meeting 3 is now Friday, Nov 13, 5:00 AM (EAT); "
        "new meeting 9 on Thursday, Dec 31, 3:00 AM (EAT)."
    )
