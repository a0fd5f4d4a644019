"""Lengths of time before a meeting (reminder offsets) as a facilitator reads them: each in the
unit it was most likely set in, all alike, joined the reader's way ("24 hours and 1 hour", not
"24 hours, 60 minutes", which reads like two different kinds of setting)."""

from __future__ import annotations

from babel.lists import format_list
from babel.units import format_unit

from bot.chat.i18n import N_, Translator

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


# How many reminders a circle sends, said in words: "2 days and 2 hours" alone reads as one
# reminder 50 hours before. One message per count, so each language words (and agrees) its own.
ONE_REMINDER = N_("%(circle)s sends learners a reminder %(times)s before each meeting.")
SEVERAL_REMINDERS = {
    2: N_("%(circle)s sends learners two reminders: %(times)s before each meeting."),
    3: N_("%(circle)s sends learners three reminders: %(times)s before each meeting."),
    4: N_("%(circle)s sends learners four reminders: %(times)s before each meeting."),
}
# More than /reminders allows today: a plural in every shipped language.
MANY_REMINDERS = N_("%(circle)s sends learners %(count)d reminders: %(times)s before each meeting.")


def reminders_sentence(tr: Translator, circle: str, minutes: list[int]) -> str:
    """'Python for Everyone sends learners two reminders: 2 days and 2 hours before each
    meeting.' `minutes`: at least one reminder."""
    times = spans(tr, minutes)
    if len(minutes) == 1:
        return tr._(ONE_REMINDER, circle=circle, times=times)
    wording = SEVERAL_REMINDERS.get(len(minutes), MANY_REMINDERS)
    return tr._(wording, circle=circle, times=times, count=len(minutes))
