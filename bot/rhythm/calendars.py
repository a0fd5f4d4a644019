"""A circle's meetings as an iCalendar (.ics) file, for any calendar app.

Times are written as local wall times with the circle's TZID and a VTIMEZONE, so a calendar in
another zone still shows 18:00 in Detroit across a daylight-saving change. Each meeting keeps
one UID for life and its SEQUENCE goes up with every reschedule or cancellation
(Meeting.sequence), so importing the file again updates events instead of duplicating them;
a cancelled meeting is sent as STATUS:CANCELLED so apps strike it out. A meeting online has
its link as LOCATION and URL; one held elsewhere than usual, its own venue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.chat.i18n import Translator, format_day

# Written below the features that use it (circles' listings and welcome): kept here by name.
from bot.chat.i18n import short_when as short_when
from bot.chat.messages import Attachment
from bot.circles import own_zones
from bot.circles.meetings import is_link, place, venue_of
from bot.storage.models import Circle, Meeting, MeetingStatus, RemovedMeeting

MEDIA_TYPE = "text/calendar"
PRODID = "-//circlebot//learning circles//EN"
# Reminders carry the calendar where the platform's description says so
# (Platform.calendar_on_reminders): not where there are no files (the reader would get only a
# note about a file, costing a segment), nor where text files are printed inline (it would bury
# the reminder).


def uid(circle: Circle, meeting: Meeting) -> str:
    """Stable for the meeting's life: its number never changes, even when it moves."""
    return (
        f"circle-{circle.id}-{circle.created_at:%Y%m%dT%H%M%SZ}-meeting-{meeting.number}@circlebot"
    )


def filename(circle: Circle) -> str:
    """The file's name, as the reader sees it in her chat app: the circle's name."""
    return in_file_names(circle) + ".ics"


def in_file_names(circle: Circle) -> str:
    """The circle's name as its files are named by it (this calendar, /export's sheets), so a
    facilitator of two circles can tell their downloads apart: in plain letters, its accents
    dropped rather than the letters ("Inglés" -> "ingles", not "ingl-s")."""
    decomposed = unicodedata.normalize("NFKD", circle.name.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "-", bare).strip("-")[:40].rstrip("-")
    return slug or "circle"


def circle_calendar(
    tr: Translator,
    circle: Circle,
    meetings: Sequence[Meeting],
    now: datetime,
    own_zone: str | None = None,
    removed: Sequence[RemovedMeeting] = (),
) -> bytes:
    """The file; in the reader's `own_zone` where the circle meets online (own_zones), so an
    app that shows events in their file's zone shows her own time. Meetings /edit meetings
    took off the end (`removed`) are in it too, cancelled, so phones strike them out."""
    zone_name = own_zones.zone_for(circle, own_zone)
    zone = ZoneInfo(zone_name)
    # Imported here: most `circlebot` starts never write a calendar file.
    from icalendar import Calendar, Event, Timezone

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", circle.name)
    calendar.add("x-wr-timezone", zone_name)
    description = circle.course_title + (f"\n{circle.course_url}" if circle.course_url else "")
    gone = [
        Meeting(
            circle_id=m.circle_id,
            number=m.number,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            status=MeetingStatus.CANCELLED,
            sequence=m.sequence,
        )
        for m in removed
        if m.number not in {kept.number for kept in meetings}
    ]
    meetings = [*meetings, *gone]
    if meetings:
        # The zone's rules first (some apps want them before the events), and only the
        # transitions the meetings need, so the file stays small for a phone.
        first = min(m.starts_at for m in meetings).astimezone(zone).date() - timedelta(days=1)
        last = max(m.ends_at for m in meetings).astimezone(zone).date() + timedelta(days=1)
        calendar.add_component(
            Timezone.from_tzinfo(zone, zone_name, first_date=first, last_date=last)
        )
    for meeting in sorted(meetings, key=lambda m: m.number):
        event = Event()
        event.add("uid", uid(circle, meeting))
        event.add("sequence", meeting.sequence)
        event.add("dtstamp", now)
        # Local wall time with its zone: icalendar writes TZID=America/Detroit:20261105T180000.
        event.add("dtstart", meeting.starts_at.astimezone(zone))
        event.add("dtend", meeting.ends_at.astimezone(zone))
        event.add(
            "summary",
            tr._("%(circle)s: meeting %(number)d", circle=circle.name, number=meeting.number),
        )
        venue = venue_of(circle, meeting)
        if is_link(venue):  # online: the link is where to go, and one tap opens it
            event.add("location", venue)
            event.add("url", venue)
        else:
            event.add("location", place(tr, circle, meeting))
        event.add("description", description)
        cancelled = meeting.status == MeetingStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def attachment(
    tr: Translator,
    circle: Circle,
    meetings: Sequence[Meeting],
    now: datetime,
    own_zone: str | None = None,
    removed: Sequence[RemovedMeeting] = (),
) -> Attachment:
    return Attachment(
        filename(circle),
        MEDIA_TYPE,
        circle_calendar(tr, circle, meetings, now, own_zone, removed),
    )


# -- the same meetings as text, where no file can go (SMS) -----------------------------------


def _short_date(tr: Translator, instant: datetime, zone: str, weekday: bool) -> str:
    """ "Thu, Jan 7" or "Jan 14", as the reader's locale abbreviates them (CLDR)."""
    local = instant.astimezone(ZoneInfo(zone))
    return format_day(local, "MMMEd" if weekday else "MMMd", tr.locale)


def dates_line(
    tr: Translator, circle: Circle, meetings: Sequence[Meeting], own_zone: str | None = None
) -> str:
    """The meetings as short as a date can be said, for a reader who pays per SMS:
    "Thu, Jan 7, Jan 14, Jan 21, 6:00 PM". The time is said once for the meetings in a row that
    share it, the weekday only where it changes, and no year or zone: these are the circle's
    own coming weeks, in its own town. A meeting elsewhere than usual names its venue. In the
    reader's `own_zone` (an online circle's, own_zones.own_zone), it is named once at the end:
    the time is hers, not the circle's town's."""
    zone = own_zone or circle.timezone
    groups: list[str] = []
    run: list[str] = []
    previous: Meeting | None = None
    for meeting in meetings:
        same_run = (
            previous is not None
            and tr.time(previous.starts_at, zone) == tr.time(meeting.starts_at, zone)
            and venue_of(circle, previous) == venue_of(circle, meeting)
        )
        if previous is not None and not same_run:
            groups.append(_run_text(tr, circle, previous, run, zone))
            run = []
        weekday = not same_run or (
            previous is not None
            and tr.weekday(previous.starts_at, zone) != tr.weekday(meeting.starts_at, zone)
        )
        run.append(_short_date(tr, meeting.starts_at, zone, weekday))
        previous = meeting
    if previous is not None:
        groups.append(_run_text(tr, circle, previous, run, zone))
    line = "; ".join(groups)
    if own_zone is None or previous is None:
        return line
    return tr._(
        "%(dates)s (%(zone)s)",
        dates=line,
        zone=tr.zone_name_over([m.starts_at for m in meetings], own_zone),
    )


def _run_text(tr: Translator, circle: Circle, last: Meeting, dates: list[str], zone: str) -> str:
    line = ", ".join([*dates, tr.time(last.starts_at, zone)])
    if last.venue and last.venue != circle.venue:  # /edit venue 3 Room B
        line = tr._("%(line)s, at %(venue)s", line=line, venue=last.venue)
    return line


def day_of(tr: Translator, instant: datetime, zone: str) -> str:
    """The day without its year, as a notice names it: "Thursday, February 11"."""
    local = instant.astimezone(ZoneInfo(zone))
    return format_day(local, "MMMMEd", tr.locale, full_weekday=True)
