"""A phone number to join an online meeting by: a learner on a basic phone can't open a video
link, but can call in. Kept as typed, PIN included ("+1 646 558 8656 PIN 4821#"), and shown
beside the link wherever a meeting's place is told to members (reminders, /next, the welcome,
/schedule and the invitation)."""

from __future__ import annotations

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.circles import meetings
from bot.circles.meetings import Placed
from bot.storage.models import Circle

MAX_LENGTH = 80  # the column's
MIN_DIGITS = 6  # fewer is no phone number anywhere (a room number, a PIN alone)
# Typed after /edit dialin to take the number away.
NONE = N_("none")


def is_none(tr: Translator, text: str) -> bool:
    return plain(text) in {plain(NONE), plain(tr._(NONE))}


def parse(text: str) -> str:
    """A dial-in number as it is kept; UserError says what is wrong with it."""
    typed = " ".join(text.split())
    if meetings.is_link(typed) or sum(c.isdigit() for c in typed) < MIN_DIGITS:
        raise UserError(
            N_("Please send the phone number to call, like +1 646 558 8656 (a PIN may follow).")
        )
    if len(typed) > MAX_LENGTH:
        raise UserError(N_("A dial-in number can have up to %(max)d characters."), max=MAX_LENGTH)
    return typed


def kept_with(circle: Circle, venue: str) -> str | None:
    """The circle's number to call in, for a meeting held at `venue`: a circle that meets at a
    link has the number of that link's meeting, which another link does not share (its meeting
    has its own number, given again with /edit dialin). A circle in a room keeps the number it
    was given for a meeting moved online (a snow day), and so does one moving to a room."""
    if meetings.is_link(circle.venue) and meetings.is_link(venue) and venue != circle.venue:
        return None
    return circle.dialin


def number_for(circle: Circle, meeting: Placed | None = None) -> str | None:
    """The number to call for a meeting: the circle's, when that meeting is held online (a
    meeting given a room of its own is not called into, nor one given a link of its own)."""
    venue = meetings.venue_of(circle, meeting)
    if circle.dialin and meetings.is_link(venue):
        return kept_with(circle, venue)
    return None


def venue_or_call(tr: Translator, circle: Circle, meeting: Placed | None = None) -> str:
    """Where a meeting is held, as typed, with "or call NUMBER" when it can be called into:
    for "at %(venue)s" in reminders."""
    venue = meetings.venue_of(circle, meeting)
    number = number_for(circle, meeting)
    return tr._("%(venue)s, or call %(number)s", venue=venue, number=number) if number else venue
