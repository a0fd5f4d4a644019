"""What a learner hears when a circle is full: their place on its waiting list (from /join CODE
or a pick from /find alike). A seat free but not yet offered to the line (freed where nobody
was told) is offered now, to whoever is first. /leave takes them off the list again (asked
first)."""

from __future__ import annotations

import re

from bot.chat import keywords
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.circles import meetings, seats
from bot.dialogue import confirmations, conversations, notifications
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.storage.models import Circle, WaitingPlace


async def wait_for_seat(ctx: Context, circle: Circle) -> None:
    assert circle.id is not None
    number, new = await seats.wait(ctx.session, ctx.now, circle.id, ctx.person_id)
    await seats.offer_free_seats(ctx.session, ctx.catalogs, ctx.now, circle)
    # In the language her seat offer will come in (notifications.reader_language): the
    # circle's, for someone whose words said none (sms 9: English now, Swahili two days on).
    languages = await notifications.reader_language(
        ctx.session, ctx.person, ctx.account, circle.language
    )
    ctx.tr = ctx.catalogs.translator(*languages)
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
    ctx.reply(_place_line(ctx.tr, circle, number))


# -- words from someone waiting ----------------------------------------------------------------

# Translators: what someone on a waiting list writes to ask where she stands in it ("en q
# lugar de la lista estoy?", "how many people are before me?"); comma-separated phrases. Keep
# the English ones.
PLACE_ASKED = N_(
    "my place in line, my place on the list, place in the line, place on the list, "
    "what number am I, how many people before me, how many before me, how many ahead of me, "
    "is it my turn"
)
# Someone waiting writes to the circle she waits for: its facilitators read that she is not in
# it yet, so they know why she asks.
WAITING_WROTE = N_("%(name)s, who is waiting for a seat in %(circle)s, wrote:\n%(text)s")
# Someone in no circle asks about one /find offered her ("if it's full, can I come anyway?").
NOT_IN_IT_WROTE = N_("%(name)s, who isn't in %(circle)s, wrote about it:\n%(text)s")

# Someone who left a circle writes to its facilitator after /find listed another of hers
# (dada 10): her words are filed under the circle she was in.
WAS_IN_WROTE = N_("%(name)s, who was in %(circle)s, wrote:\n%(text)s")


async def waited_for(
    ctx: Context, text: str, about: int | None
) -> tuple[WaitingPlace, Circle] | None:
    """The waiting list words from someone on one are about: `about` (the circle of the
    choices offered) or the one they name, else her first; None when she waits for none, or
    learns in a circle still meeting and names none she waits for (her words are about that
    one: plain_text.forward)."""
    lines = await seats.places_of(ctx.session, ctx.person_id)
    typed = keywords.plain(text)
    named = [
        (place, circle)
        for place, circle in lines
        if circle.id == about or keywords.plain(circle.name) in typed
    ]
    if named:
        return named[0]
    if not lines:
        return None
    for _, circle in ctx.memberships:
        assert circle.id is not None
        if await meetings.upcoming(ctx.session, circle.id, ctx.now) is not None:
            return None
    return lines[0]


async def tell_place(ctx: Context, place: WaitingPlace, circle: Circle) -> None:
    """Her place in line, when she asks; a seat kept for her, when it is."""
    if seats.has_live_offer(place, ctx.now):
        assert place.offered_at is not None and circle.id is not None
        ctx.reply(
            seats.offer_text(
                ctx.tr,
                circle,
                place.offered_at + seats.OFFER_HOLD,
                None if ctx.inbound.is_group else ctx.person.timezone,
            ),
            choices=seats.offer_choices(ctx.tr, circle.id),
        )
        return
    ctx.reply(_place_line(ctx.tr, circle, await seats.position(ctx.session, place)))


# -- a seat declined ---------------------------------------------------------------------------


async def decline_seat(ctx: Context, offered: list[str]) -> bool:
    """A no to the one seat offered and held for her ("no thanks, I found another class"):
    she leaves the line and the seat goes at once to the next learner waiting, not when her
    hold runs out (sms 45). False when the choices were no seat held for her (a listing)."""
    ids = [int(m["id"]) for p in offered if (m := _SEAT_CHOICE.fullmatch(p))]
    if len(ids) != 1 or len(offered) != 1:
        return False
    place = await seats.place_of(ctx.session, ids[0], ctx.person_id)
    circle = await ctx.session.get(Circle, ids[0])
    if place is None or circle is None or not seats.has_live_offer(place, ctx.now):
        return False
    await seats.stop_waiting(ctx.session, ctx.catalogs, ctx.now, place, circle)
    ctx.reply(
        ctx.tr._(
            "No problem: the seat goes to the next person waiting, and you're off the waiting "
            "list for %(circle)s.",
            circle=circle.name,
        )
    )
    return True


# A seat's choice (seats.take_payload).
_SEAT_CHOICE = re.compile(r"#(?P<id>\d{1,12}) /find")


# -- leaving a waiting list (/leave) ------------------------------------------------------------

# The leave flow's data for a place in line, rather than a membership ("circle").
WAITING = "waiting"


def line_choice(tr: Translator, circle: Circle) -> Choice:
    """A waiting list among what /leave may mean: picked, it asks first (leave_line)."""
    return Choice(tr._("%(circle)s (waiting list)", circle=circle.name), f"#{circle.id} /leave")


async def leave_line(ctx: Context, args: Args, flow: str) -> None:
    """/leave from someone in none of the circles it applies to (Command.no_circle): the
    waiting list they are on, asked first (`flow`, answered by leave_line_answer), or which of
    several; the router's refusal when they wait for none."""
    waiting = await seats.places_of(ctx.session, ctx.person_id)
    lines = [
        (place, circle) for place, circle in waiting if ctx.chosen_circle_id in (None, circle.id)
    ]
    # Otherwise the router's refusals: a circle chosen that isn't theirs, or no circle at all.
    if not lines and ctx.chosen_circle_id is not None and (waiting or ctx.memberships):
        raise UserError(N_("That circle isn't one of yours any more. Send the command again."))
    if not lines:
        raise UserError(
            N_(
                "You're not in a circle yet. Join one with /join and the code your "
                "facilitator gave you, or start one with /newcircle."
            )
        )
    if len(lines) > 1:
        ctx.reply(
            ctx.tr._("Which would you like to leave?"),
            choices=[line_choice(ctx.tr, circle) for _, circle in lines],
        )
        return
    place, circle = lines[0]
    confirmations.ask(ctx, flow, {WAITING: circle.id}, await _line_question(ctx, place, circle))


async def _line_question(ctx: Context, place: WaitingPlace, circle: Circle) -> str:
    return ctx.tr._(
        "Leave the waiting list for %(circle)s? You're number %(n)d in line.",
        circle=circle.name,
        n=await seats.position(ctx.session, place),
    )


async def leave_line_answer(ctx: Context, text: str) -> None:
    """The answer to "Leave the waiting list ...?": yes takes the person off it (a seat held
    for them goes to the next in line), no keeps their place, anything else asks again."""
    circle_id = ctx.conversation.data.get(WAITING)
    found = [
        (p, c) for p, c in await seats.places_of(ctx.session, ctx.person_id) if c.id == circle_id
    ]
    if not found:  # a seat taken or the list left meanwhile: nothing to leave
        conversations.finish(ctx.conversation, ctx.now)
        ctx.reply(ctx.tr._("You're not on that waiting list any more."))
        return
    place, circle = found[0]
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(await _line_question(ctx, place, circle), choices=confirmations.choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(
            ctx.tr._(
                "Good, you keep your place on the waiting list for %(circle)s.", circle=circle.name
            )
        )
        return
    await seats.stop_waiting(ctx.session, ctx.catalogs, ctx.now, place, circle)
    ctx.reply(
        ctx.tr._(
            "Done: you're off the waiting list for %(circle)s. To find another circle, send /find.",
            circle=circle.name,
        )
    )


def _place_line(tr: Translator, circle: Circle, number: int) -> str:
    """Her place in a full circle's line, as told on joining it and when she asks."""
    return tr._(
        "You're number %(n)d on the waiting list for %(circle)s. I'll tell you as soon as a "
        "seat frees up.",
        circle=circle.name,
        n=number,
    )
