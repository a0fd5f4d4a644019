"""Lengths of time before a meeting (reminder offsets) as a facilitator reads them: each in the
unit it was most likely set in, all alike, joined the reader's way ("24 hours and 1 hour", not
"24 hours, 60 minutes", which reads like two different kinds of setting)."""

from __future__ import annotations

from babel.lists import format_list
from babel.units import format_unit

from bot.chat.i18n import Translator

HOUR = 60
DAY = 24 * HOUR


def span(tr: Translator, minutes: int) -> str:
    """'2 days', '24 hours', '1 hour', '90 minutes'. A day is said in hours (24h is how the
    usual reminder is set and written); two days and more in days."""
    if minutes % DAY == 0 and minutes >= 2 * DAY:
        amount, unit = minutes // DAY, "duration-day"
    elif minutes % HOUR == 0:
        amount, unit = minutes // HOUR, "duration-hour"
    else:
        amount, unit = minutes, "duration-minute"
    return format_unit(amount, unit, length="long", locale=tr.locale)


def spans(tr: Translator, minutes: list[int]) -> str:
    """'24 hours and 1 hour'."""
    return format_list([span(tr, m) for m in minutes], locale=tr.locale)
