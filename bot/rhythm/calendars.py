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
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from bot.chat.i18n import Translator
from bot.chat.messages import Attachment
from bot.circles.meetings import is_link, venue_of
from bot.storage.models import Circle, Meeting, MeetingStatus

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
    slug = re.sub(r"[^a-z0-9]+", "-", circle.name.casefold()).strip("-")[:40]
    return (slug or "circle") + ".ics"


def circle_calendar(
    tr: Translator, circle: Circle, meetings: Sequence[Meeting], now: datetime
) -> bytes:
    zone = ZoneInfo(circle.timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", circle.name)
    calendar.add("x-wr-timezone", circle.timezone)
    description = circle.course_title + (f"\n{circle.course_url}" if circle.course_url else "")
    if meetings:
        # The zone's rules first (some apps want them before the events), and only the
        # transitions the meetings need, so the file stays small for a phone.
        first = min(m.starts_at for m in meetings).astimezone(zone).date() - timedelta(days=1)
        last = max(m.ends_at for m in meetings).astimezone(zone).date() + timedelta(days=1)
        calendar.add_component(
            Timezone.from_tzinfo(zone, circle.timezone, first_date=first, last_date=last)
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
            event.add("location", tr._("%(venue)s, %(city)s", venue=venue, city=circle.city))
        event.add("description", description)
        cancelled = meeting.status == MeetingStatus.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def attachment(
    tr: Translator, circle: Circle, meetings: Sequence[Meeting], now: datetime
) -> Attachment:
    return Attachment(filename(circle), MEDIA_TYPE, circle_calendar(tr, circle, meetings, now))
