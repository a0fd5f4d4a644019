"""Who runs a circle: /cofacilitator NAME (and /cofacilitator remove NAME), /handover NAME."""

from __future__ import annotations

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.circles import circles, roles
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import members
from bot.dialogue.context import Context
from bot.dialogue.registry import Args

COFACILITATOR = "cofacilitator"


async def cofacilitator(ctx: Context, args: Args) -> None:
    """/cofacilitator NAME or /cofacilitator add NAME; /cofacilitator remove NAME."""
    typed = str(args["name"]).strip()
    command = ctx.registry.get(COFACILITATOR)
    sub = command.subcommand(ctx.tr, typed) if command is not None else None
    words = typed.split(maxsplit=1)
    if sub is not None and command is not None and len(words) < 2:
        raise UserError(N_("Usage: %(usage)s"), usage=command.usage(ctx.tr, sub))
    if sub is not None:
        typed = words[1]  # "remove Grace": the sub-command's word, then the name
    if sub is not None and sub.name == "remove":
        await _remove(ctx, typed)
    else:
        await _add(ctx, typed)


async def _add(ctx: Context, who: str) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    entry = circles.find_member(await members.roster(ctx.session, circle.id), who)
    await circles.make_cofacilitator(ctx.session, entry)
    assert entry.person.id is not None
    await ctx.notify(
        entry.person.id,
        OutboxKey(
            MessageKind.COFACILITATOR,
            f"circle:{circle.id}",
            f"person:{entry.person.id}",
            ctx.occurrence,
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
            circle=await circles.name_for(
                ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
            ),
        )
    )


async def _remove(ctx: Context, who: str) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    entry = circles.find_member(await members.roster(ctx.session, circle.id), who)
    await roles.remove_cofacilitator(ctx.session, entry)
    assert entry.person.id is not None
    await ctx.notify(
        entry.person.id,
        OutboxKey(
            MessageKind.COFACILITATOR_REMOVED,
            f"circle:{circle.id}",
            f"person:{entry.person.id}",
            ctx.occurrence,
        ),
        lambda tr: tr._(
            "You're a learner in %(circle)s again: %(facilitator)s runs it from here. Thank "
            "you for helping!",
            facilitator=ctx.person.display_name,
            circle=circle.name,
        ),
    )
    ctx.reply(
        ctx.tr._(
            "%(name)s is a learner in %(circle)s again.",
            name=entry.person.display_name,
            circle=await circles.name_for(
                ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
            ),
        )
    )


async def handover(ctx: Context, args: Args) -> None:
    circle, lead = ctx.require_circle()
    assert circle.id is not None
    entry = circles.find_member(await members.roster(ctx.session, circle.id), str(args["name"]))
    await roles.hand_over(ctx.session, lead, entry)
    assert entry.person.id is not None
    await ctx.notify(
        entry.person.id,
        OutboxKey(
            MessageKind.HANDED_OVER,
            f"circle:{circle.id}",
            f"person:{entry.person.id}",
            ctx.occurrence,
        ),
        lambda tr: tr._(
            "%(facilitator)s has handed %(circle)s over to you: you're its facilitator now, "
            "and they co-facilitate. Send /help to see what you can do.",
            facilitator=ctx.person.display_name,
            circle=circle.name,
        ),
    )
    ctx.reply(
        ctx.tr._(
            "%(name)s now facilitates %(circle)s, and you co-facilitate it.",
            name=entry.person.display_name,
            circle=await circles.name_for(
                ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
            ),
        )
    )
