"""/timezone: a person's own time zone, for the meetings of circles that meet online
(bot/circles/own_zones.py)."""

from __future__ import annotations

import re

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.chat.messages import Choice
from bot.circles import circles, own_zones, timezones
from bot.dialogue.context import Context
from bot.dialogue.registry import Args

# Translators: short phrases asking for the meetings' times in one's own time ("can the times
# show in my time?"); comma-separated. Keep the English ones.
OWN_TIME_ASKED = N_("in my time, my time zone, my timezone, my own time, my local time")
# A question about one's own time is short; a longer text says more, and goes to a person.
OWN_TIME_MOST_WORDS = 25
# Cities people call by letters, written in capitals ("I moved to LA"): never the article "la".
CITY_LETTERS = {"LA": "America/Los_Angeles", "NYC": "America/New_York", "SF": "America/Los_Angeles"}
# A city's name is this many words at most ("Dar es Salaam").
CITY_MOST_WORDS = 3


def answers_own_time(ctx: Context, text: str) -> bool:
    """ "can the times show in my time?", "kwa saa zangu" from a member of an online circle:
    answered with /timezone and the city said, if one was ("i moved to LA": /timezone Los
    Angeles, a tap away), never passed on to a facilitator who has to know it (fac 34)."""
    said = keywords.whole_words(text)
    if len(said.split()) > OWN_TIME_MOST_WORDS:
        return False
    if not any(own_zones.meets_online(circle) for _, circle in ctx.memberships):
        return False
    every = [OWN_TIME_ASKED, *ctx.catalogs.in_every_language(OWN_TIME_ASKED)]
    phrases = {keywords.whole_words(p) for listed in every for p in listed.split(",")}
    if not any(phrase.strip() and phrase in said for phrase in phrases):
        return False
    zone = _city_said(text)
    if zone is None:
        ctx.reply(_current(ctx) if ctx.person.timezone else ctx.tr._(NO_ZONE_YET))
        return True
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    ctx.reply(
        ctx.tr._(
            "Send /timezone %(city)s and the meetings of circles that meet online will show "
            "in your time.",
            city=city,
        ),
        choices=[Choice(city, f"/timezone {zone}")],
    )
    return True


def _city_said(text: str) -> str | None:
    """The zone of a city named in `text` (a run of up to CITY_MOST_WORDS words), or None."""
    typed = re.findall(r"\w+", text)
    for word in typed:
        if word in CITY_LETTERS:
            return CITY_LETTERS[word]
    for size in range(CITY_MOST_WORDS, 0, -1):
        for start in range(len(typed) - size + 1):
            words = " ".join(typed[start : start + size])
            if words[:1].isupper() and timezones.known_city(words):
                return timezones.resolve(words)
    return None


# Shorter is a code or a zone's letters (DE, EAT), never read as a country's name.
MIN_COUNTRY_NAME = 4
# The word that goes back to each circle's own zone: "/timezone off" (the on/off switches').
OFF = N_("off")


async def timezone(ctx: Context, args: Args) -> None:
    """Set, show or clear the person's own zone. A zone typed unclearly ("Nairobbi",
    "Eastern") offers the zones it may be, as choices."""
    tr = ctx.tr
    typed = str(args.get("zone") or "").strip()
    if not typed:
        ctx.reply(_current(ctx))
        return
    if keywords.plain(typed) in {keywords.plain(OFF), keywords.plain(tr._(OFF))}:
        ctx.person.timezone = None
        ctx.session.add(ctx.person)
        ctx.reply(tr._("OK: every circle's meetings show in its own time zone again."))
        return
    try:
        zone = _of_country(typed) or timezones.resolve(typed)
    except timezones.UnclearZone as unclear:
        ctx.reply(
            tr._(unclear.message, **unclear.params),
            choices=[Choice(zone, f"/timezone {zone}") for zone in unclear.zones],
        )
        return
    ctx.person.timezone = zone
    ctx.session.add(ctx.person)
    lines = [
        tr._(
            "Done: meetings of circles that meet online will show in your time, %(zone)s "
            "(%(name)s).",
            zone=zone,
            name=tr.zone_name(ctx.now, zone),
        )
    ]
    if ctx.memberships and not any(own_zones.meets_online(c) for _, c in ctx.memberships):
        lines.append(
            tr._("Your circles meet in person, so their times stay in their own town's zone.")
        )
    ctx.reply("\n".join(lines))


def _of_country(typed: str) -> str | None:
    """The zone of a country named in any of the six languages ("Deutschland", "Tanzania"):
    its one clock, or UnclearZone offering its own zones. None for anything else, a zone's
    abbreviation included ("ET" is Eastern Time here, not Ethiopia)."""
    if timezones.known(typed) or len(typed.strip()) < MIN_COUNTRY_NAME:
        return None
    try:
        country = circles.parse_country(typed)
    except UserError:
        return None
    zones = timezones.zones_for_country(country)
    if not zones:
        return None
    one = timezones.one_clock(country)
    if one is not None:
        return one
    raise timezones.UnclearZone(
        N_("“%(zone)s” covers several time zones. Which one is yours?"),
        zones[: timezones.SEVERAL],
        zone=typed.strip(),
    )


def _current(ctx: Context) -> str:
    tr = ctx.tr
    zone = ctx.person.timezone
    if zone is None:
        return tr._(NO_ZONE_YET)
    return tr._(
        "Your time zone is %(zone)s (%(name)s): meetings of circles that meet online show in "
        "it. /timezone off shows each circle's own zone again.",
        zone=zone,
        name=tr.zone_name(ctx.now, zone),
    )


NO_ZONE_YET = N_(
    "Meetings show in each circle's own time zone. In an online circle from another "
    "zone? Send /timezone and your city, like /timezone Nairobi."
)
