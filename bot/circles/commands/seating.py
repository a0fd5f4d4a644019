"""What a learner hears when a circle is full: their place on its waiting list (from /join CODE
or a pick from /find alike). A seat free but not yet offered to the line (freed where nobody
was told) is offered now, to whoever is first."""

from __future__ import annotations

from bot.circles import seats
from bot.dialogue.context import Context
from bot.storage.models import Circle


async def wait_for_seat(ctx: Context, circle: Circle) -> None:
    assert circle.id is not None
    number, new = await seats.wait(ctx.session, ctx.now, circle.id, ctx.person_id)
    await seats.offer_free_seats(ctx.session, ctx.catalogs, ctx.now, circle)
    if new:
        await seats.tell_facilitators(
            ctx.session, ctx.catalogs, ctx.now, circle, ctx.person_id, ctx.occurrence
        )
        ctx.reply(
            ctx.tr._(
                "%(circle)s is full right now, so I've put you on its waiting list: you're "
                "number %(n)d. I'll tell you as soon as a seat frees up.",
                circle=circle.name,
                n=number,
            )
        )
        return
    ctx.reply(
        ctx.tr._(
            "You're number %(n)d on the waiting list for %(circle)s. I'll tell you as soon as "
            "a seat frees up.",
            circle=circle.name,
            n=number,
        )
    )
