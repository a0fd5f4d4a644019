"""Reading the numbers, dates and times people type as command arguments ("12", "2027-01-14",
"6pm", "18:00")."""

from __future__ import annotations

import re
from datetime import date, time

from bot.chat.errors import UserError
from bot.chat.i18n import N_

MIN_YEAR, MAX_YEAR = 2000, 2100
# Meeting and letter numbers are looked up in INTEGER columns, 32-bit on PostgreSQL: a number
# beyond that is no row's, and would make the database fail rather than find nothing.
MAX_NUMBER = 2**31 - 1
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_number(text: str) -> int:
    """A whole number that could be a row's (a meeting or letter number); ValueError if not."""
    text = text.strip()
    # The length first: int() of thousands of digits is slow, then refused anyway.
    if not text.isdecimal() or len(text) > len(str(MAX_NUMBER)) or int(text) > MAX_NUMBER:
        raise ValueError(text)
    return int(text)


def parse_date(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            N_("“%(text)s” is not a date I can read. Write it as YYYY-MM-DD, like 2027-01-14."),
            text=text,
        ) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:  # far dates mean a typo, and overflow date maths
        raise UserError(
            N_("Please pick a date between %(first)d and %(last)d."), first=MIN_YEAR, last=MAX_YEAR
        )
    return day


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    if match:
        hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
        if half and (hour < 1 or hour > 12):
            hour = 99
        elif half == "pm" and hour != 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        if (match[2] or half) and hour < 24 and minute < 60:
            return time(hour, minute)
    raise UserError(
        N_("“%(text)s” is not a time I can read. Write it as HH:MM, like 18:00."), text=text
    )
