"""A reader's own time zone for the meetings of a circle that meets online.

A circle meeting at a library has its learners in its town: its meetings are said in its own
zone. One that meets at a link has learners anywhere, so someone who set her zone (/timezone,
Person.timezone) sees its meetings in her own time, with her zone named, in /next, /schedule,
reminders and calendar files. Where her zone is not set, or the circle meets in a room, the
circle's zone is used, as before. A learner who texts from a phone has her zone known from her
number (zone_of_number) when she joins an online circle without one set: a learner in Kenya
reads a Dakar circle's meetings in Nairobi's time without having to know /timezone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers
from babel.dates import format_timedelta
from phonenumbers import timezone as number_zones

from bot.chat.i18n import Translator
from bot.circles.meetings import is_link
from bot.storage.models import Circle


def meets_online(circle: Circle) -> bool:
    """Whether the circle meets at a link rather than a place (its venue is a web address)."""
    return is_link(circle.venue)


def own_zone(circle: Circle, zone: str | None) -> str | None:
    """The reader's own `zone` when the circle's meetings are to be shown in it: the circle
    meets online and she set one. None: the circle's zone."""
    return zone if zone and meets_online(circle) else None


def zone_for(circle: Circle, zone: str | None) -> str:
    """The zone to say the circle's meetings in for a reader whose own zone is `zone`."""
    return own_zone(circle, zone) or circle.timezone


def named_zone(circle: Circle, zone: str | None) -> str | None:
    """The zone to name beside the circle's times for a reader whose own is `zone`: hers, or
    an online circle's own (she may be anywhere); None for a circle meeting in a room, whose
    times are its town's."""
    return own_zone(circle, zone) or (circle.timezone if meets_online(circle) else None)


def weekday_at(tr: Translator, instant: datetime, circle: Circle, zone: str | None) -> str:
    """A time within the coming week, as a reminder says it: "Thursday at 6:00 PM" in the
    circle's own town; in the reader's own zone, with the zone named, as the time is hers and
    not the circle's: "Friday at 1:00 AM (EAT)". An online circle's own time is named too for
    one who set none: she may be anywhere, and "12:00" alone reads as her own noon (walk 14,
    lang 10: a German learner of a Toronto circle)."""
    own = named_zone(circle, zone)
    if own is None:
        return tr.weekday_at(instant, circle.timezone)
    return tr._(
        "%(weekday)s at %(time)s (%(zone)s)",
        weekday=tr.weekday(instant, own),
        time=tr.time(instant, own),
        zone=tr.zone_name(instant, own),
    )


def clocks_changed(
    tr: Translator, circle: Circle, before: datetime | None, starts: datetime, zone: str | None
) -> str | None:
    """One line for a reminder where a clock change (the circle's or hers) moved the meeting on
    the reader's own clock since the meeting `before` (lang 18: "Donnerstag um 17:00 (MEZ)",
    where the weeks before said 18:00); None where it did not, or her zone is not in use. A
    meeting moved in its own town is not the clocks: only the difference between the zones
    counts."""
    own = own_zone(circle, zone)
    if own is None or before is None:
        return None
    moved = _minutes_of_day(starts, own) - _minutes_of_day(before, own)
    moved -= _minutes_of_day(starts, circle.timezone) - _minutes_of_day(before, circle.timezone)
    moved = (moved + MINUTES_A_DAY // 2) % MINUTES_A_DAY - MINUTES_A_DAY // 2
    if moved == 0:
        return None
    # "1 hour", never Translator.duration's "60 minutes".
    delta = format_timedelta(timedelta(minutes=abs(moved)), threshold=1, locale=tr.locale)
    delta = delta.replace("\u202f", " ").replace("\u00a0", " ")
    if moved < 0:
        return tr._("That's %(delta)s earlier than usual for you: the clocks changed.", delta=delta)
    return tr._("That's %(delta)s later than usual for you: the clocks changed.", delta=delta)


MINUTES_A_DAY = 24 * 60


def _minutes_of_day(instant: datetime, zone: str) -> int:
    local = instant.astimezone(ZoneInfo(zone))
    return local.hour * 60 + local.minute


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_of_number(number: str) -> str | None:
    """The time zone a phone number is in (E.164, "+254712345678": Africa/Nairobi), when its
    number range has one alone; None for a country or range spanning several, or unknown."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    zones = number_zones.time_zones_for_number(parsed)
    if len(zones) != 1 or zones[0] not in _known_zones():
        return None
    return zones[0]


def zone_from_number(circle: Circle, own: str | None, number: str) -> str | None:
    """The zone to keep as her own on joining `circle` by phone `number`: the number's, where
    the circle meets online, she has none set, and it is not the circle's own; else None."""
    if own or not meets_online(circle):
        return None
    zone = zone_of_number(number)
    return zone if zone and zone != circle.timezone else None


def likely_zone(others: list[Circle], number: str | None) -> str | None:
    """Where a reader who set no zone probably is: the zone of one of her circles that meets
    in a room (lang 21: Amani, in a Nairobi circle too), else her phone number's; None where
    unknown."""
    zones = [other.timezone for other in others if not meets_online(other)]
    if number:
        zones.append(zone_of_number(number) or "")
    return next((zone for zone in zones if zone), None)


def how_to_see_own_time(tr: Translator, circle: Circle, likely: str | None) -> str | None:
    """One line for a reader of the online `circle`'s times who set no zone: how to see them
    in her own, with her likely city where known ("/timezone Nairobi"); None where she is
    likely on the circle's own clock (a Montréal number, a Toronto circle)."""
    if likely == circle.timezone:
        return None
    if likely is None:
        return tr._("To see these times in your own time zone, send /timezone and your city.")
    return tr._(
        "In %(city)s? Send /timezone %(city)s to see these times in your own.",
        city=likely.rsplit("/", 1)[-1].replace("_", " "),
    )
