"""Fac 5: after /edit venue added the room ("Golden Gate Branch Library, Computer Lab (2nd
floor)"), the SMS reminder said only "...at Golden Gate Branch Library.": its short form kept
the venue's first piece, and dropped exactly what had changed. The reminder of the first
meeting in the new place keeps the new piece; a street address is what goes first."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat import rendering
from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from tests.chat.test_sms_costs import _core
from tests.conftest import Chat, code_of

NAME = "Spreadsheets for Small Business Owners"
OLD = "Golden Gate Branch Library, 5606 San Pablo Ave, Oakland"
NEW = "Golden Gate Branch Library, Computer Lab (2nd floor)"
LEARNER = "+15105550142"


async def test_the_sms_reminder_after_a_change_of_room_names_the_room(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = _core(sqlite_engine, clock)
    console, sms = Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    await console.say(
        "Odile",
        f'/newcircle name="{NAME}" course="GCFGlobal Excel basics" venue="{OLD}" '
        "city=Oakland country=US zone=America/Los_Angeles start=2026-12-15 time=18:00 "
        "meetings=4",
    )
    code = await code_of(core, NAME)
    await sms.say(LEARNER, "/join " + code)
    await sms.say(LEARNER, "Yesenia")
    await sms.say(LEARNER, "/skip")
    await sms.say(LEARNER, "2")
    clock.set(datetime(2026, 12, 16, 17, 0, tzinfo=UTC))  # meeting 1 is over
    await core.tick()
    asked = await console.say("Odile", f'/edit venue "{NEW}"')
    assert "meets somewhere new from meeting 2" in asked, asked
    await console.say("Odile", "1")
    await sms.deliver()

    clock.set(datetime(2026, 12, 22, 2, 0, tzinfo=UTC))  # 24 hours before meeting 2
    await core.tick()
    [reminder] = [m.text for m in await sms.deliver() if m.address.chat_id == LEARNER]
    assert "Computer Lab (2nd floor)" in reminder, reminder


def test_the_short_venue_cuts_the_street_first_and_keeps_what_changed() -> None:
    long = "Campbell Branch Library, 8733 W Vernor Hwy, Detroit - community room"
    assert rendering.short_venue(long) == "Campbell Branch Library"
    assert rendering.without_street(long) == "Campbell Branch Library, Detroit - community room"
    assert rendering.short_venue(NEW, before=OLD) == NEW
    assert rendering.short_venue(NEW, before=NEW) == "Golden Gate Branch Library"
    moved = "Golden Gate Branch Library, Room 4, 5606 San Pablo Ave"
    assert rendering.short_venue(moved, before=OLD) == "Golden Gate Branch Library, Room 4"
