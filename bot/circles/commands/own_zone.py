"""/timezone: a person's own time zone, for the meetings of circles that meet online
(bot/circles/own_zones.py)."""

from __future__ import annotations

from bot.chat import keywords
from bot.chat.i18n import N_
from bot.chat.messages import Choice
from bot.circles import own_zones, timezones
from bot.dialogue.context import Context
from bot.dialogue.registry import Args

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
        zone = timezones.resolve(typed)
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
