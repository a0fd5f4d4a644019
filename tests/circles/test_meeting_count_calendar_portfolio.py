"""Facilitators' leftovers (group F3): /edit meetings counts the meetings that take place (fac
34); /portfolio after a handover names the circle once (mix 28); the calendar file and meetings
removed by /edit meetings stay in it, cancelled (fac 35)."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.circles.test_editing import circle_with_members
from tests.conftest import Chat, code_of
from tests.reports.test_records import CIRCLE, MEETING_2, brians_season
from tests.seasons import WITH_FILES, handle


async def _events(chat: Chat, name: str) -> dict[int, tuple[str, int, str]]:
    """Each meeting's (UID, SEQUENCE, STATUS) in the .ics /calendar sends, by number."""
    [reply] = await handle(chat, name, "/calendar")
    [attachment] = reply.attachments
    found = {}
    for event in Calendar.from_ical(attachment.data).walk("VEVENT"):
        number = int(str(event["summary"]).rsplit(" ", 1)[1])
        found[number] = (str(event["uid"]), int(event["sequence"]), str(event["status"]))
    return found


async def test_a_cancelled_meeting_is_not_one_of_the_meetings_counted(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_members(chat, core)  # 6 meetings, Thursdays from October 29
    await chat.say("Amina", "/cancel 3")
    assert "is cancelled" in await chat.say("Amina", "yes")
    # 5 take place: asking for 5 changes nothing.
    assert await chat.say("Amina", "/edit meetings 5") == (
        "Python for Everyone already has 5 meetings."
    )
    # 4 of them: meeting 6 goes, and the reply counts and dates the ones that take place.
    assert await chat.say("Amina", "/edit meetings 4") == (
        "Python for Everyone now has 4 meetings, the last on Thursday, November 26, 2026 at "
        "6:00 PM (EST). /schedule shows them all. I'm letting 2 members know."
    )
    listing = await chat.say("Brian", "/schedule")
    assert "3. Thursday, November 12, 2026 at 6:00 PM (EST) (cancelled)" in listing
    assert listing.endswith("5. Thursday, November 26, 2026 at 6:00 PM (EST)")
    # 6 again: two weekly meetings after the last.
    assert await chat.say("Amina", "/edit meetings 6") == (
        "Python for Everyone now has 6 meetings, the last on Thursday, December 10, 2026 at "
        "6:00 PM (EST). /schedule shows them all. I'm letting 2 members know."
    )
    assert (await chat.say("Brian", "/schedule")).endswith(
        "7. Thursday, December 10, 2026 at 6:00 PM (EST)"
    )


async def test_a_meeting_removed_stays_in_the_calendar_as_cancelled(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_members(chat, core)
    before = await _events(chat, "Brian")
    await chat.say("Amina", "/edit meetings 5")
    after = await _events(chat, "Brian")
    uid, sequence, _ = before[6]
    # A phone that imported meeting 6 strikes it out: same UID, higher SEQUENCE, CANCELLED.
    assert after[6] == (uid, sequence + 1, "CANCELLED")
    assert after[5] == before[5]
    # Given back, it is on again, above the cancellation the phone holds.
    await chat.say("Amina", "/edit meetings 6")
    again = await _events(chat, "Brian")
    assert again[6] == (uid, sequence + 2, "CONFIRMED")


async def test_a_circle_handed_over_to_a_learner_is_named_once_in_her_portfolio(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Brian checked in and reflected as a learner, then ran meeting 2: the circle once, with
    both, not a line for each."""
    await brians_season(chat, core, clock)
    await chat.say("Amina", "/cofacilitator Brian")
    await chat.say("Amina", "/handover Brian")
    assert "Brian now facilitates" in await chat.say("Amina", "1")
    assert "Welcome" in await chat.say("Tom", "/join " + await code_of(core, CIRCLE))
    clock.set(MEETING_2 + timedelta(days=1))  # Brian ran meeting 2, Tom in it
    for capabilities in (WITH_FILES, SMS_CAPABILITIES):
        [reply] = await handle(chat, "Brian", "/portfolio", capabilities)
        assert reply.text.count(CIRCLE) == 1
        assert (
            "Python for Everyone: I facilitated it: 1 meeting held, on Thursday, November 5, "
            # His check-in answer (walk C21) and his /reflect, each counted once (lang 8).
            "2026.\n1 check-in, 1 written answer, 1 reflection.\nYou came to 1 of 1 meeting."
        ) in reply.text
    text = (await handle(chat, "Brian", "/portfolio"))[0].attachments[0].data.decode()
    assert text.count("## " + CIRCLE) == 1
