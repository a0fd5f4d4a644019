"""/timezone: a person's own time zone, for the meetings of circles that meet online
(bot/circles/own_zones.py)."""

from __future__ import annotations

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.chat.messages import Choice
from bot.circles import circles, own_zones, timezones
from bot.dialogue.context import Context
from bot.dialogue.registry import Args

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
        return tr._(
            "Meetings show in each circle's own time zone. In an online circle from another "
            "zone? Send /timezone and your city, like /timezone Nairobi."
        )
    return tr._(
        "Your time zone is %(zone)s (%(name)s): meetings of circles that meet online show in "
        "it. /timezone off shows each circle's own zone again.",
        zone=zone,
        name=tr.zone_name(ctx.now, zone),
    )
