"""Walkthrough (sms, lang): a learner in Nairobi in Detroit's online circle read every meeting in
Detroit's time. She sets her own zone (/timezone, TIMEZONE by SMS) and an online circle's
meetings show in it, the zone named, in /next, /schedule, reminders and calendar files; a
circle that meets in a room keeps its own zone, and a group chat sees the circle's."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from tests.circles.test_editing import ONLINE_CIRCLE
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.seasons import handle

MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursday 18:00 in Detroit (EDT)
PHONE = "+254700000009"


async def online_circle(chat: Chat, core: Core) -> None:
    """Amina's online circle, joined by Wanjiru (in Nairobi) and Brian (in Detroit)."""
    assert "is ready" in await chat.say("Amina", ONLINE_CIRCLE)
    code = await code_of(core, "Python Online")
    for learner in ("Wanjiru", "Brian"):
        await chat.say(learner, "/join " + code)
        await chat.say(learner, "/skip")
        await chat.say(learner, "/skip")


async def test_her_own_zone_shows_an_online_circles_meetings_in_her_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await online_circle(chat, core)
    assert "Send /timezone and your city" in await chat.say("Wanjiru", "/timezone")
    assert await chat.say("Wanjiru", "/timezone Nairobi") == (
        "Done: meetings of circles that meet online will show in your time, Africa/Nairobi (EAT)."
    )
    assert "Your time zone is Africa/Nairobi (EAT)" in await chat.say("Wanjiru", "/timezone")

    # Before: "Thursday, October 29, 2026 at 6:00 PM (EDT)" for her too.
    assert "Friday, October 30, 2026 at 1:00 AM (EAT)" in await chat.say("Wanjiru", "/next")
    assert "Thursday, October 29, 2026 at 6:00 PM (EDT)" in await chat.say("Brian", "/next")
    schedule = await chat.say("Wanjiru", "/schedule")
    assert "\n1. Friday, October 30, 2026 at 1:00 AM (EAT)\n" in schedule
    assert "\n6. Friday, December 4, 2026 at 2:00 AM (EAT)" in schedule  # Detroit's EST

    [reply] = await handle(chat, "Wanjiru", "/calendar")
    [ics] = reply.attachments
    assert b"X-WR-TIMEZONE:Africa/Nairobi" in ics.data
    assert b"DTSTART;TZID=Africa/Nairobi:20261030T010000" in ics.data
    [reply] = await handle(chat, "Brian", "/calendar")
    [ics] = reply.attachments
    assert b"DTSTART;TZID=America/Detroit:20261029T180000" in ics.data

    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    reminders = {m.address.chat_id: m.text for m in await chat.deliver() if "meets in" in m.text}
    assert "Friday at 1:00 AM (EAT), at https://meet.jit.si/py4e-detroit." in reminders["wanjiru"]
    # Walk 14, lang 10: an online circle's time named for one who set no zone of her own.
    assert "Thursday at 6:00 PM (EDT), at https://meet.jit.si/py4e-detroit." in reminders["brian"]

    # Back to the circle's own time.
    assert "own time zone again" in await chat.say("Wanjiru", "/timezone off")
    assert "6:00 PM (EDT)" in await chat.say("Wanjiru", "/next")


async def test_a_circle_in_a_room_keeps_its_own_zone_and_a_group_the_circles(
    chat: Chat, core: Core
) -> None:
    await online_circle(chat, core)
    assert "is ready" in await chat.say("Dana", DETROIT_CIRCLE)
    await chat.say("Wanjiru", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Wanjiru", "/skip")
    answer = await chat.say("Wanjiru", "/timezone Africa/Nairobi")
    assert "Done" in answer and "meet in person" not in answer
    both = await chat.say("Wanjiru", "/next")
    assert "Friday, October 30, 2026 at 1:00 AM (EAT), at https://" in both
    assert "Thursday, October 29, 2026 at 6:00 PM (EDT), at Detroit Public Library" in both
    # Shown in the circle's group chat, /schedule is everyone's: the circle's own time.
    group = replace(chat.inbound("Wanjiru", "#1 /schedule"), chat_id="-100", is_group=True)
    shown = "\n".join(r.text for r in await core.handle(group, chat.capabilities))
    assert "6:00 PM (EDT)" in shown and "EAT" not in shown


async def test_by_sms_a_zone_is_texted_and_unclear_ones_are_offered(chat: Chat, core: Core) -> None:
    await online_circle(chat, core)
    sms = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    await sms.say(PHONE, "JOIN " + await code_of(core, "Python Online"))
    await sms.say(PHONE, "Achieng")
    await sms.say(PHONE, "SKIP")
    assert "Africa/Nairobi (EAT)" in await sms.say(PHONE, "TIMEZONE Nairobi")
    # The dates alone, by SMS, with her zone named once.
    dates = await sms.say(PHONE, "SCHEDULE")
    assert "Fri, Oct 30" in dates and dates.endswith("(EAT)"), dates
    unclear = await sms.say(PHONE, "TIMEZONE Nairobbi")
    assert "Did you mean Africa/Nairobi" in unclear and "Reply 1 for Africa/Nairobi" in unclear
    assert "Africa/Nairobi (EAT)" in await sms.say(PHONE, "1")
