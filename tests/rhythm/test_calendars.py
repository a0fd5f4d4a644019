"""/calendar: the circle's meetings as an .ics file, right across daylight saving time and
updated (same UIDs, higher SEQUENCE) after a meeting moves or is cancelled."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.chat.clock import FakeClock
from bot.chat.messages import Attachment, Capabilities
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import WITH_FILES, handle, open_circle, starts

BERLIN_CIRCLE = (
    '/newcircle name="Offene Werkstatt" course="Python lernen" venue="Stadtbibliothek Mitte" '
    "city=Berlin country=DE zone=Europe/Berlin start=2026-10-22 time=18:00 meetings=4 language=de"
)


def events(attachment: Attachment) -> list:
    assert attachment.filename.endswith(".ics")
    assert attachment.media_type == "text/calendar"
    calendar = Calendar.from_ical(attachment.data)
    return sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


async def calendar_of(chat: Chat, name: str) -> Attachment:
    [reply] = await handle(chat, name, "/calendar")
    assert "for your calendar app" in reply.text or "Kalender" in reply.text
    [attachment] = reply.attachments
    return attachment


async def test_a_learner_gets_every_meeting_at_18_00_local_across_the_end_of_dst(
    chat: Chat, core: Core
) -> None:
    await open_circle(chat, core, {"Brian": True})
    attachment = await calendar_of(chat, "Brian")
    found = events(attachment)
    assert len(found) == 6
    detroit = ZoneInfo("America/Detroit")
    for number, event in enumerate(found, start=1):
        start = event.decoded("dtstart")
        assert start.tzinfo is not None and str(event["dtstart"].params["TZID"]) == (
            "America/Detroit"
        )
        assert start.astimezone(detroit).time() == time(18, 0)
        assert event.decoded("dtend") - start == timedelta(minutes=90)
        assert start.astimezone(UTC) == starts(number)
        assert str(event["status"]) == "CONFIRMED"
    # 18:00 EDT is 22:00 UTC; after 1 November 18:00 EST is 23:00 UTC.
    assert found[0].decoded("dtstart").astimezone(UTC).hour == 22
    assert found[1].decoded("dtstart").astimezone(UTC).hour == 23
    calendar = Calendar.from_ical(attachment.data)
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "America/Detroit"
    assert b"TZID=America/Detroit:20261105T180000" in attachment.data


async def test_a_berlin_circle_keeps_18_00_across_the_end_of_summer_time(
    chat: Chat, core: Core
) -> None:
    assert "Offene Werkstatt" in await chat.say("Klara", BERLIN_CIRCLE)
    found = events(await calendar_of(chat, "Klara"))
    berlin = ZoneInfo("Europe/Berlin")
    assert [e.decoded("dtstart").astimezone(berlin).time() for e in found] == [time(18, 0)] * 4
    # Summer time ends on 25 October 2026: 16:00 UTC before, 17:00 UTC after.
    assert [e.decoded("dtstart").astimezone(UTC) for e in found[:2]] == [
        datetime(2026, 10, 22, 16, 0, tzinfo=UTC),
        datetime(2026, 10, 29, 17, 0, tzinfo=UTC),
    ]


async def test_a_moved_and_a_cancelled_meeting_update_the_same_events(
    chat: Chat, core: Core
) -> None:
    await open_circle(chat, core, {"Brian": True})
    before = {str(e["uid"]): e for e in events(await calendar_of(chat, "Brian"))}
    assert all(int(e["sequence"]) == 0 for e in before.values())
    assert "is now" in await chat.say("Amina", "/reschedule 3 2026-11-13 17:30")
    await chat.say("Amina", "/cancel 4")
    assert "is cancelled" in await chat.say("Amina", "yes")
    after = {str(e["uid"]): e for e in events(await calendar_of(chat, "Brian"))}
    assert after.keys() == before.keys()  # stable UIDs: calendar apps update, not duplicate
    by_summary = {str(e["summary"]): e for e in after.values()}
    moved = by_summary["Python for Everyone: meeting 3"]
    assert int(moved["sequence"]) == 1
    local = moved.decoded("dtstart").astimezone(ZoneInfo("America/Detroit"))
    assert (local.date(), local.time()) == (date(2026, 11, 13), time(17, 30))
    cancelled = by_summary["Python for Everyone: meeting 4"]
    assert (str(cancelled["status"]), int(cancelled["sequence"])) == ("CANCELLED", 1)
    untouched = by_summary["Python for Everyone: meeting 2"]
    assert (str(untouched["status"]), int(untouched["sequence"])) == ("CONFIRMED", 0)


async def test_someone_outside_a_circle_gets_no_calendar(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {"Brian": True})
    [reply] = await handle(chat, "Zawadi", "/calendar")
    assert "You're not in a circle yet." in reply.text
    assert reply.attachments == ()


async def test_reminders_carry_the_calendar_where_files_are_shown(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {"Brian": True})
    telegram = Chat(core, platform="telegram", capabilities=WITH_FILES)
    await telegram.say("Esi", f"/join {code}")
    await telegram.say("Esi", "/skip")
    assert "is now" in await chat.say("Amina", "/reschedule 1 2026-10-29 17:00")
    clock.set(starts(1) - timedelta(hours=25))
    await core.tick()
    [on_telegram] = [m for m in await telegram.deliver() if "meets in" in m.text]
    [ics] = on_telegram.attachments
    [first, *_] = events(ics)
    assert first.decoded("dtstart").astimezone(ZoneInfo("America/Detroit")).hour == 17
    assert int(first["sequence"]) == 1
    # The console shows text files inline, SMS shows none: their reminders stay short.
    console = Chat(core, capabilities=Capabilities(max_text_length=4000, files=True))
    [on_console] = [
        m for m in await console.deliver() if m.address.chat_id == "brian" and "meets in" in m.text
    ]
    assert "meets in" in on_console.text and on_console.attachments == ()


async def test_accented_letters_keep_their_letter_in_the_file_name(chat: Chat) -> None:
    """lang 36: Diego's calendar for "Inglés para el trabajo" was "ingl-s-para-el-trabajo.ics";
    the accent goes, not the letter."""
    assert "Inglés para el trabajo" in await chat.say(
        "Camila",
        '/newcircle name="Inglés para el trabajo" course="English at Work" venue="Biblioteca" '
        "city=Puebla country=MX zone=America/Mexico_City start=2027-01-13 time=18:00 "
        "meetings=6",
    )
    [reply] = await handle(chat, "Camila", "/calendar")
    [attachment] = reply.attachments
    assert attachment.filename == "ingles-para-el-trabajo.ics"
