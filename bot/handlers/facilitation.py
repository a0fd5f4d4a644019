"""Facilitator commands: /invite, /roster, /reschedule, /cancel, /cofacilitator."""

from __future__ import annotations

from datetime import date, time

from bot import circles, meetings, people
from bot.commands import Args
from bot.context import Context
from bot.i18n import N_
from bot.outbox import OutboxKey
from bot.storage.models import Role

ROLE_NAMES = {
    Role.FACILITATOR: N_("facilitator"),
    Role.COFACILITATOR: N_("co-facilitator"),
    Role.LEARNER: N_("learner"),
}
PLATFORM_NAMES = {
    "console": N_("console"),
    "telegram": N_("Telegram"),
    "discord": N_("Discord"),
    "sms": N_("SMS"),
}


async def invite(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    ctx.reply(
        ctx.tr._(
            "Invite people to %(circle)s with the join code %(code)s.\n"
            "They send me: /join %(code)s",
            circle=circle.name,
            code=circle.join_code,
        )
    )


async def roster(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    entries = await circles.roster(ctx.session, circle.id)
    lines = [
        tr.ngettext(
            "%(circle)s has %(n)d member:",
            "%(circle)s has %(n)d members:",
            len(entries),
            circle=circle.name,
        )
    ]
    for number, entry in enumerate(entries, start=1):
        assert entry.person.id is not None
        platforms = await people.platforms_of(ctx.session, entry.person.id)
        lines.append(
            tr._(
                "%(number)d. %(name)s, %(role)s (%(platforms)s)",
                number=number,
                name=entry.person.display_name,
                role=tr._(ROLE_NAMES[Role(entry.membership.role)]),
                platforms=", ".join(tr._(PLATFORM_NAMES.get(p, p)) for p in platforms),
            )
        )
    ctx.reply("\n".join(lines))


async def reschedule(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    number = int(args["MEETING"])  # type: ignore[call-overload]
    day, at = args["DATE"], args["TIME"]
    assert isinstance(day, date) and isinstance(at, time)
    meeting, old_start = await meetings.reschedule(ctx.session, circle, number, day, at, ctx.now)
    zone = circle.timezone
    reached = await ctx.notify_members(
        circle,
        tuple(Role),
        "meeting-moved",
        f"meeting:{meeting.id}@{ctx.occurrence}",  # every move is news, even back again
        lambda tr: tr._(
            "%(circle)s: meeting %(number)d has moved to %(when)s (it was %(old)s). "
            "Same place: %(venue)s.",
            circle=circle.name,
            number=number,
            when=tr.when(meeting.starts_at, zone),
            old=tr.when(old_start, zone),
            venue=circle.venue,
        ),
    )
    ctx.reply(
        ctx.tr.ngettext(
            "Meeting %(number)d is now %(when)s. I'm letting %(n)d member know.",
            "Meeting %(number)d is now %(when)s. I'm letting %(n)d members know.",
            reached,
            number=number,
            when=ctx.tr.when(meeting.starts_at, zone),
        )
    )


async def cancel(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    number = int(args["MEETING"])  # type: ignore[call-overload]
    meeting = await meetings.cancel(ctx.session, circle, number, ctx.now)
    zone = circle.timezone
    reached = await ctx.notify_members(
        circle,
        tuple(Role),
        "meeting-cancelled",
        f"meeting:{meeting.id}",
        lambda tr: tr._(
            "%(circle)s: meeting %(number)d on %(when)s won't take place. "
            "/next shows when you meet again.",
            circle=circle.name,
            number=number,
            when=tr.when(meeting.starts_at, zone),
        ),
    )
    ctx.reply(
        ctx.tr.ngettext(
            "Meeting %(number)d is cancelled. I'm letting %(n)d member know.",
            "Meeting %(number)d is cancelled. I'm letting %(n)d members know.",
            reached,
            number=number,
        )
    )


async def cofacilitator(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    entry = circles.find_member(await circles.roster(ctx.session, circle.id), str(args["NAME"]))
    await circles.make_cofacilitator(ctx.session, entry)
    assert entry.person.id is not None
    await ctx.notify(
        entry.person.id,
        OutboxKey(
            "cofacilitator", f"circle:{circle.id}", f"person:{entry.person.id}", ctx.occurrence
        ),
        lambda tr: tr._(
            "%(facilitator)s asked you to co-facilitate %(circle)s. Send /help to see the "
            "facilitator commands.",
            facilitator=ctx.person.display_name,
            circle=circle.name,
        ),
    )
    ctx.reply(
        ctx.tr._(
            "%(name)s now co-facilitates %(circle)s.",
            name=entry.person.display_name,
            circle=circle.name,
        )
    )
