"""/find: open circles near a place, on a course or in a language, joined with one tap or one
number; /listing: whether a circle is found that way, its seats and its sign-up deadline.

A pick from /find comes back as "#12 /find" (seats.take_payload): the circle by its number,
never by its join code, so a listing shown anywhere gives no code away.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.chat import keywords, rendering
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator, short_when
from bot.chat.messages import Choice
from bot.circles import circles, discovery, erasure, meetings, phone_numbers, seats
from bot.circles.commands import membership, seating
from bot.circles.discovery import Near, OpenCircle, Search
from bot.dialogue.context import Context
from bot.dialogue.registry import Args, Command, usage_of
from bot.dialogue.values import MAX_NUMBER, coming_date, dates_locale
from bot.storage.models import Circle

LISTING = "listing"
MAX_FIND_CHARS = 100
SHOWN = 5  # circles in one answer
SHOWN_BY_TEXT = 3  # on SMS, where every line costs
# How long the numbers of a listing answer: a "2" texted days later answers something else
# (a later question, or nothing), never picks circle 2 of an old list (walkthrough, es); and
# the seats and meetings listed change. A seat offered to someone waiting is held longer
# (seats.OFFER_HOLD).
FOUND_KEPT_FOR = timedelta(hours=24)
OFF = N_("off")
NOTHING_NEAR = N_(
    "No open circle near %(place)s right now. To look elsewhere, send /find and a town, a "
    "country or a language."
)
NOTHING_FOUND_SMS = N_(
    "I found no open circle for “%(text)s”. Many circles aren't listed: ask your library or "
    "facilitator for the code, then text %(join)s and the code."
)
NOTHING_FOUND = N_(
    "I found no open circle for “%(text)s”. To see the nearest ones, send /find and your "
    "country, like /find Kenya. Or start a circle yourself with /newcircle."
)
NOTHING_FOUND_TRY_ONLINE = N_(
    "I found no open circle for “%(text)s”. Some circles meet online and welcome anyone: "
    "send /find online to see them. Or start a circle yourself with /newcircle."
)
NOTHING_ANYWHERE = N_(
    "I found no open circle for “%(text)s”, and no circle anywhere is taking sign-ups right "
    "now. Why not start one? Send /newcircle and I'll help you set it up."
)
NO_MEETINGS_LEFT = N_(
    "%(circle)s has no meetings left, so /find can't offer it to anyone. To meet again, start "
    "a new circle with /newcircle."
)


async def find(ctx: Context, args: Args) -> None:
    if ctx.chosen_circle_id is not None:  # a pick from a listing or a seat offered: "#12 /find"
        await _take(ctx, ctx.chosen_circle_id)
        return
    typed = " ".join(str(args.get("what") or "").split())
    if len(typed) > MAX_FIND_CHARS:
        raise UserError(N_("Please keep this under %(limit)d characters."), limit=MAX_FIND_CHARS)
    near = None
    country = None  # the phone's own, for someone in no circle who texts
    if ctx.memberships:  # no place asked: near the person's own circle
        own = ctx.memberships[0][1]
        near = Near(discovery.city_key(own.city), own.country_code, own.timezone)
    elif ctx.platforms.phone_numbers(ctx.inbound.platform):
        # Near the phone, by its number's country code (C22: BUSCAR from Colombia was offered
        # a room in Kenya).
        country = phone_numbers.region_of(ctx.account.external_id)
        near = discovery.place(country, []) if country else None
    search, found = await discovery.find(
        ctx.session, ctx.now, typed, near=near, reader_language=ctx.tr.locale
    )
    mine = {circle.id for _, circle in ctx.memberships}
    theirs = [circle for circle in found if circle.circle_id in mine]
    found = [circle for circle in found if circle.circle_id not in mine]
    if not typed and country:
        # Nothing asked: the rooms in the phone's country, or online; never one abroad as if
        # it were near.
        found = [circle for circle in found if discovery.tier(circle, search.near) < 2]
        if not found:
            place = discovery.country_name(ctx.tr.locale, country)
            ctx.reply(ctx.tr._(NOTHING_NEAR, place=place))
            return
    by_text = ctx.platforms.keywords(ctx.inbound.platform)
    abroad: list[OpenCircle] = []
    if by_text and search.near is not None:
        # By SMS, "Reply 1" joins: a room in another country is never offered for one digit
        # (C19: FIND KAMPALA offered Lima; C1, C3), though a circle online is.
        abroad = [circle for circle in found if discovery.tier(circle, search.near) == 2]
        found = [circle for circle in found if discovery.tier(circle, search.near) < 2]
    if not found and abroad and typed and search.near is near and near is not None:
        # A course or a language asked, the place only the phone's: the ones abroad, said to
        # be elsewhere, rather than "none found" (dede 42: SUCHEN English, Aarhus).
        found = abroad
    shown = found[: SHOWN_BY_TEXT if by_text else SHOWN]
    if not shown and theirs and typed:
        # Her own circle is what the search found (wave 2, C54): never "nothing is open".
        ctx.reply(ctx.tr._(ONLY_YOURS, circle=theirs[0].name, city=theirs[0].city))
        return
    if not shown:
        ctx.reply(await _nothing(ctx, typed, by_text, search))
        return
    if not typed and near is not None and discovery.tier(shown[0], search.near) == 2:
        # Nothing near their own circle: a class in another country is no one-tap offer (a
        # Dane was put on a Nairobi waiting list); where else to look is theirs to say.
        own = ctx.memberships[0][1]
        ctx.reply(ctx.tr._(NOTHING_NEAR, place=own.city))
        return
    elsewhere = by_text and search.near is near and discovery.tier(shown[0], near) == 2
    text, choices = _listing(ctx.tr, typed, search, shown, by_text, elsewhere)
    platform = ctx.platforms.get(ctx.inbound.platform)
    while len(shown) > 1 and platform is not None and platform.billed_per_segment:
        # By SMS: two parts at most (C22: three; C1: four), the farthest left out.
        if rendering.sms_parts(text, choices, ctx.tr) <= MOST_SMS_PARTS:
            break
        shown = shown[:-1]
        text, choices = _listing(ctx.tr, typed, search, shown, by_text, elsewhere)
    ctx.reply(text, choices=choices)


# A listing by SMS takes at most this many parts.
MOST_SMS_PARTS = 2


def _listing(
    tr: Translator,
    typed: str,
    search: Search,
    shown: list[OpenCircle],
    by_text: bool,
    elsewhere: bool = False,
) -> tuple[str, list[Choice]]:
    """The circles found, numbered, and the choice of each; `elsewhere`: none is near where
    the person is (not a place they asked for), so the heading says so."""
    lines = [_heading(tr, typed, search, shown, elsewhere)]
    lines += [f"{n}. {_line(tr, circle, by_text)}" for n, circle in enumerate(shown, 1)]
    if not by_text or any(circle.full for circle in shown):
        # By SMS, "Reply 1 for ..." says how to pick: the seats are worth a line only when
        # one is full (C1: a part of its own).
        lines.append(
            tr._("Pick one to join; where it's full, you'll wait for a seat.")
            if len(shown) > 1
            else tr._("Pick it to join; if it's full, you'll wait for a seat.")
        )
    choices = [Choice(circle.name, seats.take_payload(circle.circle_id)) for circle in shown]
    return "\n".join(lines), choices


# The waiting list in /listing: how its people are reached (they are in no circle of hers).
WAITING_ANSWERED = N_(
    "When one of them writes to you, I pass it on with a number: /reply and that number "
    "answers them."
)
ONLY_YOURS = N_("You're already in %(circle)s (%(city)s). I found no other open circle for that.")


def _heading(
    tr: Translator, typed: str, search: Search, shown: list[OpenCircle], elsewhere: bool = False
) -> str:
    if search.other_languages and search.language is not None:
        # Each line says its circle's language (_line): the heading, that none is in this one.
        return tr._(
            "No open circle in %(language)s for “%(text)s”. In other languages:",
            language=discovery.language_name(tr.locale, search.language),
            text=typed,
        )
    if elsewhere and search.near is not None and search.near.country is not None:
        return tr._(
            "%(place)s: no open circle yet. Open circles elsewhere:",
            place=discovery.country_name(tr.locale, search.near.country),
        )
    if search.titled is not None:  # a language and a subject: "Inglés básico" too (C3)
        return tr._("Open circles: %(place)s", place=typed)
    if search.language is not None:
        return tr._(
            "Open circles in %(language)s:",
            language=discovery.language_name(tr.locale, search.language),
        )
    if search.course is not None and typed:
        return tr._("Open circles taking “%(course)s”:", course=typed)
    if typed and search.near is not None and discovery.tier(shown[0], search.near) == 2:
        # The place stands alone, never after "in" or "near": a country needs an article in
        # French ("au Sénégal"), a city none ("à Dakar").
        return tr._("%(place)s: no open circle yet. Open circles elsewhere:", place=typed)
    if typed and search.near is not None and discovery.tier(shown[0], search.near) == 0:
        place = (  # as the listing spells it: "Nairobi" for NAIROBI, "Kenya" for KE
            shown[0].city
            if search.near.city is not None
            else discovery.country_name(tr.locale, shown[0].country_code)
        )
        return tr._("Open circles: %(place)s", place=place)
    if typed:
        return tr._("Open circles: %(place)s", place=typed)
    return tr._("Open circles:")


def _line(tr: Translator, circle: OpenCircle, short: bool) -> str:
    """One circle of a listing; `short` on SMS, where every character counts."""
    # Where, before joining: the venue, or "online" (its link is for members, and long).
    venue = tr._("online") if meetings.is_link(circle.venue) else circle.venue
    if short:
        # "jueves, 10 dic, 19:00", as the short invitation says it (C1: the year and the zone
        # in full cost a part); online, anyone anywhere comes: its zone is said.
        when = (
            tr.when(circle.next_meeting, circle.timezone)
            if meetings.is_link(circle.venue)
            else short_when(tr, circle.next_meeting, circle.timezone)
        )
        line = (
            tr._(
                "%(circle)s, %(city)s: %(course)s. Where: %(venue)s. Next: %(when)s.",
                circle=circle.name,
                city=circle.city,
                course=circle.course_title,
                venue=venue,
                when=when,
            )
            if discovery.speaks(circle.language, tr.locale)  # the reader's own: not said
            else tr._(
                "%(circle)s, %(city)s: %(course)s (%(language)s). Where: %(venue)s. "
                "Next: %(when)s.",
                circle=circle.name,
                city=circle.city,
                course=circle.course_title,
                language=discovery.language_name(tr.locale, circle.language),
                venue=venue,
                when=when,
            )
        )
    else:
        line = tr._(
            "%(circle)s, %(city)s (%(country)s): %(course)s, in %(language)s. "
            "Where: %(venue)s. Next meeting: %(when)s.",
            circle=circle.name,
            city=circle.city,
            country=discovery.country_name(tr.locale, circle.country_code),
            course=circle.course_title,
            language=discovery.language_name(tr.locale, circle.language),
            venue=venue,
            when=tr.when(circle.next_meeting, circle.timezone),
        )
    if circle.full and circle.waiting:
        return (
            line + " " + tr.ngettext("Full: %(n)d waiting.", "Full: %(n)d waiting.", circle.waiting)
        )
    if circle.full:
        return line + " " + tr._("Full: no one waiting yet.")
    if circle.seats_left is not None:
        return line + " " + tr.ngettext("%(n)d seat left.", "%(n)d seats left.", circle.seats_left)
    return line


async def _nothing(ctx: Context, typed: str, by_text: bool, search: Search) -> str:
    """The answer to a search that found nothing: said plainly, with what to do instead
    (circles online, the nearest ones, or starting one), never a riddle."""
    tr = ctx.tr
    if not typed:
        return tr._("No circle is open for sign-ups right now. Please try again in a few days.")
    if by_text:
        # Not "try FIND KENYA": after FIND KENYA found nothing too, that sends her round in a
        # circle. Most circles are never listed: their code is the way in.
        return tr._(NOTHING_FOUND_SMS, text=typed, join=keywords.command_word(tr, "join"))
    listed, online = await discovery.open_counts(ctx.session, ctx.now)
    if not listed:
        return tr._(NOTHING_ANYWHERE, text=typed)
    if online and not search.online:
        return tr._(NOTHING_FOUND_TRY_ONLINE, text=typed)
    return tr._(NOTHING_FOUND, text=typed)


async def _take(ctx: Context, circle_id: int) -> None:
    """Join the circle picked, or wait for a seat in it. Only a circle /find offers now, or
    one whose waiting list the person is on (a private circle they had the code of)."""
    # A typed "#999999999999 /find" must not reach the database (PostgreSQL's integer ends
    # at 2**31 - 1).
    circle = await ctx.session.get(Circle, circle_id) if circle_id <= MAX_NUMBER else None
    waiting = (
        None if circle is None else await seats.place_of(ctx.session, circle_id, ctx.person_id)
    )
    if circle is None or (
        waiting is None and not await discovery.is_open(ctx.session, circle, ctx.now)
    ):
        raise UserError(
            N_("That circle isn't open for sign-ups any more. Send /find to see the ones that are.")
        )
    if await seats.must_wait(ctx.session, ctx.now, circle, ctx.person_id):
        await seating.wait_for_seat(ctx, circle)
        return
    # The same join as by code, from here on: closed, already in it, the welcome.
    result = await circles.join(ctx.session, ctx.now, ctx.person, ctx.account, circle.join_code)
    await membership.answer_join(ctx, result, circle.name)


def offers_circles(payloads: list[str]) -> bool:
    """Whether the choices on offer are circles to join (/find's listing, a seat: "#12 /find")."""
    return bool(payloads) and all(
        payload.startswith("#") and payload.endswith(" /find") for payload in payloads
    )


async def decline(ctx: Context, offered: list[str]) -> None:
    """A no to circles offered ("non merci c'est trop loin"): the offer closes. Their words
    are no message for a facilitator of a circle they were in. A no to a seat held for her
    passes it on down the line (seating.decline_seat)."""
    if await seating.decline_seat(ctx, offered):
        return
    ctx.reply(
        ctx.tr._(
            "OK, no problem. To look elsewhere, send /find and a town, a country or a language."
        )
    )


# -- /listing -----------------------------------------------------------------------------------


def _command(ctx: Context) -> Command:
    command = ctx.registry.get(LISTING)
    assert command is not None, "the registry declares /listing"
    return command


def _usages(tr: Translator, command: Command) -> str:
    return ", ".join(command.usage(tr, sub) for sub in command.subcommands)


def _is_off(tr: Translator, text: str) -> bool:
    return keywords.plain(text) in {"off", keywords.plain(tr._(OFF))}


async def listing(ctx: Context, args: Args) -> None:
    """/listing: as it is now; /listing on|off, capacity N|off, deadline DATE|off."""
    circle, _ = ctx.require_circle()
    tr = ctx.tr
    typed = " ".join(str(args.get("change") or "").split())
    command = _command(ctx)
    sub = command.subcommand(tr, typed)
    if sub is None:
        if typed:
            raise UserError(N_("Usage: %(usage)s"), usage=_usages(tr, command))
        ctx.reply(await _status(ctx, circle, command))
        return
    rest = typed.split(maxsplit=1)[1] if len(typed.split(maxsplit=1)) > 1 else ""
    if sub.name in ("on", "off") and rest:
        raise usage_of(command, tr, sub)
    if sub.name in ("capacity", "deadline") and not rest:
        raise usage_of(command, tr, sub)
    name = await circles.name_for(
        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    match sub.name:
        case "on":
            if not await discovery.meets_again(ctx.session, circle, ctx.now):
                raise UserError(NO_MEETINGS_LEFT, circle=name)
            circle.listed = True
            ctx.reply(
                tr._(
                    "%(circle)s is listed now: anyone can find it with /find and join (or wait "
                    "for a seat) without the code. /listing off makes it private again.",
                    circle=name,
                )
            )
        case "off":
            circle.listed = False
            ctx.reply(
                tr._(
                    "%(circle)s is private now: only people with its join code can join.",
                    circle=name,
                )
            )
        case "capacity":
            await _capacity(ctx, circle, name, rest)
        case "deadline":
            _deadline(ctx, circle, name, rest)
        case _:
            raise AssertionError(sub.name)
    ctx.session.add(circle)


async def _capacity(ctx: Context, circle: Circle, name: str, typed: str) -> None:
    tr = ctx.tr
    assert circle.id is not None
    circle.capacity = None if _is_off(tr, typed) else seats.parse_capacity(typed)
    ctx.session.add(circle)
    await ctx.session.flush()
    offered = await seats.offer_free_seats(ctx.session, ctx.catalogs, ctx.now, circle)
    if circle.capacity is None:
        text = tr._("%(circle)s has no limit on learners now.", circle=name)
    else:
        learners = await seats.learners(ctx.session, circle.id)
        text = tr.ngettext(
            "%(circle)s takes %(n)d learner now.",
            "%(circle)s takes %(n)d learners now.",
            circle.capacity,
            circle=name,
        )
        if learners > circle.capacity:
            text += " " + tr._(
                "Everyone in it stays; new learners wait until there is a seat for them."
            )
    if offered:
        text += " " + tr.ngettext(
            "I've offered the seat to the first learner waiting.",
            "I've offered seats to the first %(n)d learners waiting.",
            offered,
        )
    ctx.reply(text)


def _deadline(ctx: Context, circle: Circle, name: str, typed: str) -> None:
    tr = ctx.tr
    if _is_off(tr, typed):
        circle.signup_deadline = None
        ctx.reply(
            tr._("%(circle)s takes sign-ups through /find until its last meeting.", circle=name)
        )
        return
    # A weekday ("friday") means the coming one where the circle is, as in /newcircle.
    today = ctx.now.astimezone(ZoneInfo(circle.timezone)).date()
    day = coming_date(typed, dates_locale(tr.locale, circle.country_code), today)
    if day < today:
        raise UserError(N_("That day has passed. Please give a date from today on."))
    circle.signup_deadline = day
    ctx.reply(
        tr._(
            "/find offers %(circle)s until the end of %(date)s.",
            circle=name,
            date=tr.date(_noon(day, circle.timezone), circle.timezone),
        )
    )


def _noon(day: date, zone: str) -> datetime:
    """A day as an instant in the circle's zone, to be written as a date."""
    return meetings.local_instant(day, time(12, 0), zone)


async def _status(ctx: Context, circle: Circle, command: Command) -> str:
    tr = ctx.tr
    assert circle.id is not None
    name = await circles.name_for(
        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    if not await discovery.meets_again(ctx.session, circle, ctx.now):
        lines = [tr._(NO_MEETINGS_LEFT, circle=name)]  # listed or not, /find can't offer it
    elif circle.listed:
        lines = [
            tr._(
                "%(circle)s is listed: /find shows it to anyone looking for a circle.",
                circle=name,
            )
        ]
    else:
        lines = [
            tr._("%(circle)s is private: only people with its join code can join.", circle=name)
        ]
    learners = await seats.learners(ctx.session, circle.id)
    waiting = await seats.waiting(ctx.session, circle.id)
    if circle.capacity is None:
        lines.append(
            tr.ngettext(
                "Seats: no limit (%(n)d learner).", "Seats: no limit (%(n)d learners).", learners
            )
        )
    else:
        lines.append(
            tr._(
                "Seats: %(capacity)d, %(taken)d taken.",
                capacity=circle.capacity,
                taken=min(learners, circle.capacity),
            )
        )
    if waiting:
        lines.append(tr.ngettext("%(n)d learner waiting.", "%(n)d learners waiting.", waiting))
    if waiting and not ctx.inbound.is_group:  # names stay out of a group chat
        # Who waits, in order: never a phone number (a texter with no name is "a newcomer").
        names = await seats.names_in_line(ctx.session, circle.id)
        lines += [
            f"{n}. {erasure.shown_name(tr, name, ctx.catalogs)}" for n, name in enumerate(names, 1)
        ]
        lines.append(tr._(WAITING_ANSWERED))
    if circle.signup_deadline is not None:
        lines.append(
            tr._(
                "Sign-ups through /find close after %(date)s.",
                date=tr.date(_noon(circle.signup_deadline, circle.timezone), circle.timezone),
            )
        )
    lines.append(tr._("To change: %(usages)s", usages=_usages(tr, command)))
    return "\n".join(lines)
