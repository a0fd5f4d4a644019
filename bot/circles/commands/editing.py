"""/edit: a circle's name, course, venue or meeting link (and a number to call in), one meeting's
venue, its city, country and time zone, how many meetings, its language.

The sub-commands are declared in the registry (bot/core/command_table.py); this reads which one
was typed and translates it into one change. Members hear of what changes where or when they
meet, once; a new name or course is for the facilitators to tell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_day_names
from babel.lists import format_list
from sqlmodel import func, select

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.circles import circles, dialin, editing, meetings, schedule_notices
from bot.circles.commands import newcircle
from bot.dialogue import confirmations, conversations, members, notifications, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args, Command, SubCommand, usage_of
from bot.dialogue.values import hour_alone, parse_number, parse_time, weekday_number
from bot.network import courses
from bot.storage.models import Circle, Course, Meeting, MeetingStatus

EDIT = "edit"
# "/edit venue 9 Auditorium" in a circle of 6 meetings: a street number, or a meeting that
# isn't there? Asked before every meeting moves and every member hears of it.
VENUE_FLOW = "edit-venue"
# "Members will get their messages in Spanish from now on. Change it?": LANGUAGE_FLOW.
LANGUAGE_FLOW = "edit-language"
# "Move every meeting still to come to 6:30 PM? They would be: ...": TIMES_FLOW.
TIMES_FLOW = "edit-times"
# "Drop the last 5 meetings of ...? They would be: ...": MEETINGS_FLOW.
MEETINGS_FLOW = "edit-meetings"


def _command(ctx: Context) -> Command:
    command = ctx.registry.get(EDIT)
    assert command is not None, "the registry declares /edit"
    return command


async def edit(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    typed = str(args.get("change") or "").strip()
    command = _command(ctx)
    sub = command.subcommand(ctx.tr, typed)
    if sub is None:
        if typed:
            raise UserError(N_("Usage: %(usage)s"), usage=_usages(ctx.tr, command))
        ctx.reply(await _details(ctx, circle, command))
        return
    rest = typed.split(maxsplit=1)[1].strip() if len(typed.split(maxsplit=1)) > 1 else ""
    if not rest:
        raise usage_of(command, ctx.tr, sub)
    match sub.name:
        case "name":
            await _name(ctx, circle, rest)
        case "course":
            await _course(ctx, circle, rest)
        case "venue":
            await _venue(ctx, circle, rest, command, sub)
        case "link":
            await _change_or_ask(ctx, circle, editing.parse_link(rest), None)
        case "dialin":
            await _dialin(ctx, circle, rest, command)
        case "city":
            editing.set_city(circle, rest)
            ctx.session.add(circle)
            ctx.reply(
                ctx.tr._("%(circle)s is now in %(city)s.", circle=circle.name, city=circle.city)
            )
        case "country":
            editing.set_country(circle, rest)
            ctx.session.add(circle)
            ctx.reply(_country_changed(ctx.tr, circle, command))
        case "zone":
            await _zone(ctx, circle, rest)
        case "meetings":
            await _meetings(ctx, circle, rest, command, sub)
        case "time":
            await _ask_times(ctx, circle, {"time": _time_typed(rest).strftime("%H:%M")})
        case "weekday":
            await _ask_times(ctx, circle, {"weekday": _weekday(ctx, rest, command, sub)})
        case "language":
            await _language(ctx, circle, newcircle.language_of(rest))
        case _:
            raise AssertionError(sub.name)


def _language_name(tr: Translator, language: str) -> str:
    return Locale.parse(language).get_display_name(tr.locale) or language


async def _language(ctx: Context, circle: Circle, language: str) -> None:
    """A new language reaches every member who hasn't chosen their own, from their next
    message: asked about first while anyone else is in the circle, as a new place is."""
    if language == circle.language or not await _others(ctx, circle):
        await _set_language(ctx, circle, language)
        return
    assert circle.id is not None
    confirmations.ask(
        ctx,
        LANGUAGE_FLOW,
        {"circle": circle.id, "language": language},
        _language_question(ctx.tr, circle, language),
    )


def _language_question(tr: Translator, circle: Circle, language: str) -> str:
    return tr._(
        "Members of %(circle)s who haven't chosen their own language will get every message "
        "in %(language)s from now on. Change it?",
        circle=circle.name,
        language=_language_name(tr, language),
    )


async def _set_language(ctx: Context, circle: Circle, language: str) -> None:
    was = circle.language
    circle.language = language
    ctx.session.add(circle)
    # A course first labelled by this circle's slip is the language it really speaks (frsw
    # 23, smses 17: a Swahili course listed "(fr)", and the next Swahili circle missed it).
    await courses.relabel(ctx.session, circle, was)
    ctx.reply(
        ctx.tr._(
            "%(circle)s now speaks %(language)s.",
            circle=circle.name,
            language=_language_name(ctx.tr, language),
        )
    )


async def language_answer(ctx: Context, text: str) -> None:
    """The answer to "... in Spanish from now on. Change it?": LANGUAGE_FLOW."""
    data = ctx.conversation.data
    language = str(data.get("language") or "")
    found = [(c, m) for m, c in ctx.memberships if c.id == data.get("circle")]
    if not found or not language:
        conversations.finish(ctx.conversation, ctx.now)
        return
    circle, _ = found[0]
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(
            _language_question(ctx.tr, circle, language), choices=confirmations.choices(ctx.tr)
        )
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(
            ctx.tr._(
                "OK, %(circle)s still speaks %(language)s.",
                circle=circle.name,
                language=_language_name(ctx.tr, circle.language),
            )
        )
        return
    await _set_language(ctx, circle, language)


def _usages(tr: Translator, command: Command) -> str:
    return ", ".join(command.usage(tr, sub) for sub in command.subcommands)


async def _details(ctx: Context, circle: Circle, command: Command) -> str:
    """What can be changed, as it is now."""
    tr = ctx.tr
    name = await circles.name_for(
        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    course = (
        tr._("Course: %(course)s, %(url)s", course=circle.course_title, url=circle.course_url)
        if circle.course_url
        else tr._("Course: %(course)s", course=circle.course_title)
    )
    return "\n".join(
        [
            name,
            course,
            tr._("Where: %(place)s", place=meetings.place(tr, circle)),
            *(
                [tr._("Or call: %(number)s", number=circle.dialin)]
                if dialin.number_for(circle)
                else []
            ),
            tr._(
                "City: %(city)s, %(country)s. Time zone: %(zone)s",
                city=circle.city,
                country=circle.country_code,
                zone=circle.timezone,
            ),
            tr.ngettext("%(n)d meeting", "%(n)d meetings", circle.meeting_count),
            tr._("To change one: %(usages)s", usages=_usages(tr, command)),
        ]
    )


async def _dialin(ctx: Context, circle: Circle, rest: str, command: Command) -> None:
    """A number to call into the circle's online meetings (reminders and /next give it), or
    none. A circle meeting in a room has no call to join, unless one of its meetings is held
    online (a snow day): that one is called into (dialin.number_for)."""
    tr = ctx.tr
    if dialin.is_none(tr, rest):
        circle.dialin = None
        ctx.session.add(circle)
        ctx.reply(tr._("%(circle)s has no number to call in now.", circle=circle.name))
        return
    online = await _online_meetings(ctx, circle)
    if not meetings.is_link(circle.venue) and not online:
        link_usage = command.usage(tr, next(s for s in command.subcommands if s.name == "link"))
        raise UserError(
            N_("A number to call in is for a circle that meets online. To meet online: %(usage)s"),
            usage=link_usage,
        )
    circle.dialin = dialin.parse(rest)
    ctx.session.add(circle)
    if not meetings.is_link(circle.venue):
        numbers = [str(meeting.number) for meeting in online]
        ctx.reply(
            tr.ngettext(
                "Learners can call %(phone)s to join meeting %(meetings)s online. Reminders "
                "and /next give the number.",
                "Learners can call %(phone)s to join meetings %(meetings)s online. Reminders "
                "and /next give the number.",
                len(numbers),
                phone=circle.dialin,
                meetings=format_list(numbers, locale=tr.locale),
            )
        )
        return
    ctx.reply(
        tr._(
            "Learners can call %(number)s to join %(circle)s online. Reminders and /next give "
            "the number.",
            number=circle.dialin,
            circle=circle.name,
        )
    )


async def _online_meetings(ctx: Context, circle: Circle) -> list[Meeting]:
    """The meetings not over yet that are held online, by the circle's link or their own."""
    assert circle.id is not None
    return [
        meeting
        for meeting in await meetings.schedule(ctx.session, circle.id)
        if meeting.status != MeetingStatus.CANCELLED
        and meeting.ends_at > ctx.now
        and meetings.is_link(meetings.venue_of(circle, meeting))
    ]


def _time_typed(text: str) -> time:
    """The new meeting time: a bare afternoon or evening hour is that hour ("/rediger tid 18":
    dada 16); a bare 1 to 12 could be morning or evening, so it is still asked as HH:MM."""
    alone = hour_alone(text)
    if alone is not None and alone.hour >= 13:
        return alone
    return parse_time(text)


async def _name(ctx: Context, circle: Circle, rest: str) -> None:
    editing.rename(circle, rest)
    ctx.session.add(circle)
    ctx.reply(ctx.tr._("Your circle is now called %(circle)s.", circle=circle.name))


async def _course(ctx: Context, circle: Circle, rest: str) -> None:
    editing.set_course(circle, rest)
    # Another course: the circle's record follows, so its tips and survey go to that course.
    circle.course_id = None
    course = await courses.link_circle(ctx.session, circle)
    ctx.session.add(circle)
    await _retitle(ctx, circle, course)
    if circle.course_url:
        ctx.reply(
            ctx.tr._(
                "The course is now %(course)s, %(url)s",
                course=circle.course_title,
                url=circle.course_url,
            )
        )
    else:
        ctx.reply(ctx.tr._("The course is now %(course)s.", course=circle.course_title))


async def _retitle(ctx: Context, circle: Circle, course: Course) -> None:
    """A new title for the same course (found by its link): where this is the only circle on
    it, the course takes the title too, so /courses and the next /newcircle show the name the
    facilitator corrected, not the sentence first typed. A course other circles share keeps
    its title: one facilitator's wording is not theirs to change."""
    if course.title == circle.course_title or course.url is None:
        return
    others = await ctx.session.exec(
        select(func.count())
        .select_from(Circle)
        .where(Circle.course_id == course.id, Circle.id != circle.id)
    )
    if others.one() == 0:
        course.title = circle.course_title
        ctx.session.add(course)


def _country_changed(tr: Translator, circle: Circle, command: Command) -> str:
    """The new country, and a word when the circle's time zone is not one of its zones."""
    done = tr._(
        "%(circle)s is now in %(country)s.", circle=circle.name, country=circle.country_code
    )
    if editing.zone_fits_country(circle):
        return done
    zone_usage = command.usage(tr, next(s for s in command.subcommands if s.name == "zone"))
    return (
        done
        + " "
        + tr._(
            "Its time zone is still %(zone)s. To change it: %(usage)s",
            zone=circle.timezone,
            usage=zone_usage,
        )
    )


async def _zone(ctx: Context, circle: Circle, rest: str) -> None:
    """Meetings to come keep their local time in the new zone. Members are not messaged: for
    them, in the circle's town, nothing changes (their reminders follow the new instants)."""
    moved = await editing.set_zone(ctx.session, circle, rest, ctx.now)
    tr = ctx.tr
    if not moved:
        ctx.reply(
            tr._(
                "%(circle)s's time zone is now %(zone)s.", circle=circle.name, zone=circle.timezone
            )
        )
        return
    ctx.reply(
        tr._(
            "%(circle)s's time zone is now %(zone)s. Meetings keep their local time: "
            "the next is %(when)s.",
            circle=circle.name,
            zone=circle.timezone,
            when=tr.when(moved[0].starts_at, circle.timezone),
        )
    )


# "for meeting 2 only: Room B", "meeting 2 only - Room B", "only meeting 2, Room B", "for
# meeting 2: Room B", "meeting 2 Room B": the meeting comes first in words, as people write
# it, not as "/edit venue 2 Room B". ("Meeting Room 3" has no number after "meeting": a place.)
_ONE_MEETING = re.compile(
    r"(?:(?:for|only)\s+(?:for\s+)?)?meeting\s*(?:no\.?\s*)?#?(?P<number>\d+)(?:\s+only)?"
    r"\s*[:,;\-–—]?\s+(?P<venue>\S.*)",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class _At:
    """A meeting's place before it is kept (meetings.Placed): for the notice shown first."""

    venue: str | None


def _one_meeting(text: str, circle: Circle) -> tuple[int | None, str]:
    """The meeting a venue is for, and the venue: "3 Room B" or "for meeting 3 only: Room B"
    name meeting 3; anything else is every meeting's venue (None)."""
    said = _ONE_MEETING.fullmatch(text.strip())
    if said:
        number = int(said["number"])
        if not 1 <= number <= circle.meeting_count:
            raise UserError(
                N_("There is no meeting %(number)d. This circle has meetings 1 to %(count)d."),
                number=number,
                count=circle.meeting_count,
            )
        return number, said["venue"].strip()
    first = _meeting_number(text, circle)
    if first is None:
        return None, text
    venue = text.split(maxsplit=1)[1].strip()
    quoted = _QUOTED.fullmatch(venue)  # /edit venue 5 "Central Library, Room 2B"
    return first, quoted["venue"].strip() if quoted else venue


def _meeting_number(text: str, circle: Circle) -> int | None:
    """The meeting a `/edit venue 3 ROOM B` names: its first word, when that is one of the
    circle's meeting numbers and something follows ("/edit venue 21 Main Street" in a circle
    of 6 meetings is a street)."""
    words = text.split(maxsplit=1)
    if len(words) < 2:
        return None
    try:
        number = parse_number(words[0])
    except ValueError:
        return None
    return number if 1 <= number <= circle.meeting_count else None


async def _venue(
    ctx: Context, circle: Circle, rest: str, command: Command, sub: SubCommand
) -> None:
    online = {"online", plain(ctx.tr._("online"))}
    said = rest.split(maxsplit=1)
    if len(said) == 2 and plain(said[0]) in online and meetings.is_link(said[1].strip()):
        rest = said[1].strip()  # "/edit venue online https://...": the link (walkthrough fac 48)
    if plain(rest) in online:
        link_usage = command.usage(ctx.tr, next(s for s in command.subcommands if s.name == "link"))
        raise UserError(N_("To meet online, give the meeting link: %(usage)s"), usage=link_usage)
    if rest.isdecimal():  # "/edit venue 3": which meeting, but not where
        raise usage_of(command, ctx.tr, sub)
    quoted = _QUOTED.fullmatch(rest.strip())
    if quoted:  # /edit venue “5 Points Community Center”: every meeting's, number and all
        await _change_or_ask(ctx, circle, quoted["venue"].strip(), None)
        return
    number, venue = _one_meeting(rest, circle)
    link = circles.link_in(venue) if number is not None else None
    if link is not None and not meetings.is_link(venue):
        # "/edit venue 4 zoom.us/j/999 (library closed, online this week)": that meeting is
        # online at the link, never a street address with the town after it.
        try:
            venue = editing.parse_link(link)
        except UserError:
            pass
    beyond = _number_beyond_schedule(rest, circle)
    assert circle.id is not None
    if number is None and beyond is not None:
        confirmations.ask(
            ctx,
            VENUE_FLOW,
            {"circle": circle.id, "venue": rest},
            _every_meeting_question(ctx.tr, beyond, rest),
        )
        return
    bare = number is not None and _ONE_MEETING.fullmatch(rest.strip()) is None
    if bare and _QUOTED.fullmatch(rest.split(maxsplit=1)[1].strip()):
        bare = False  # /edit venue 5 "Central Library": the number is outside the place's quotes
    if bare and number is not None:
        meeting = await meetings.meeting_by_number(ctx.session, circle, number)
        if meeting.ends_at <= ctx.now:  # "/edit venue 2 East 5th Street": an address
            confirmations.ask(
                ctx,
                VENUE_FLOW,
                {"circle": circle.id, "venue": rest},
                ctx.tr._(
                    "Meeting %(number)d has already happened. Set “%(venue)s” as the venue "
                    "of every meeting?",
                    number=number,
                    venue=rest,
                ),
            )
            return
    await _change_or_ask(ctx, circle, venue, number, rest if bare else None)


# A venue in quotes is all venue, a number at its start too: “5 Points Community Center”.
_QUOTED = re.compile(r"[\"“”„«»](?P<venue>[^\"“”„«»]+)[\"“”„«»]")


def _address_hint(tr: Translator, typed: str) -> str:
    """After a venue for one meeting read from a number in front ("5 Points Community
    Center"): how to say the number is part of the place (walkthrough fac 24)."""
    return "\n" + tr._(
        'If "%(number)s" is part of the address, answer no and send /edit venue "%(venue)s".',
        number=typed.split(maxsplit=1)[0],
        venue=typed,
    )


async def _change_or_ask(
    ctx: Context, circle: Circle, venue: str, number: int | None, typed: str | None = None
) -> None:
    """A new place that members will hear of is shown as they will read it, and asked about
    first (it can't be taken back, as /announce asks); with no one to tell, it is made. Not
    for a circle that has finished: it meets nowhere any more. `typed`: the whole text, when
    the meeting was read from a number in front of it, which may be part of an address: then
    it is asked about even with no one to tell."""
    await meetings.finished(ctx.session, circle, ctx.now)
    notice = await _notice(ctx, circle, venue, number)
    others = await _others(ctx, circle)
    assert circle.id is not None
    if (notice is None or not others) and typed is not None and number is not None:
        confirmations.ask(
            ctx,
            VENUE_FLOW,
            {"circle": circle.id, "venue": venue, "meeting": number},
            ctx.tr._(
                "Set “%(venue)s” as the venue of meeting %(number)d only?",
                venue=venue,
                number=number,
            )
            + _address_hint(ctx.tr, typed),
        )
        return
    if notice is None or not others:
        await _apply(ctx, circle, venue, number)
        return
    confirmations.ask(
        ctx,
        VENUE_FLOW,
        {"circle": circle.id, "venue": venue, "meeting": number, "send": True},
        _preview(ctx.tr, notice, others)
        + await _sms_warning(ctx, circle, venue, number)
        + (_address_hint(ctx.tr, typed) if typed is not None else ""),
    )


def _preview(tr: Translator, notice: Callable[[Translator], str], others: int) -> str:
    return (
        notice(tr)
        + "\n\n"
        # The change and the telling in one question: "Send this?" read as "tell them?", and a
        # No meant to change it quietly kept the old venue (fac 4).
        + tr.ngettext(
            "Change the venue and send this to %(n)d member?",
            "Change the venue and send this to %(n)d members?",
            others,
        )
    )


async def _sms_warning(ctx: Context, circle: Circle, venue: str, number: int | None) -> str:
    """Before a circle meeting in a room moves online: how many members get the bot's messages
    by SMS (a basic phone can't open a link), and whether they have a number to call in."""
    was = meetings.venue_of(circle, None)
    if number is not None:
        was = meetings.venue_of(
            circle, await meetings.meeting_by_number(ctx.session, circle, number)
        )
    if not meetings.is_link(venue) or meetings.is_link(was):
        return ""
    texted = await _members_by_sms(ctx, circle)
    if not texted:
        return ""
    if circle.dialin:
        return "\n" + ctx.tr.ngettext(
            "%(n)d member gets my messages by SMS, on a phone that may not open a link: "
            "their notice gives %(number)s to call in.",
            "%(n)d members get my messages by SMS, on phones that may not open a link: "
            "their notice gives %(number)s to call in.",
            texted,
            number=circle.dialin,
        )
    return "\n" + ctx.tr.ngettext(
        "%(n)d member gets my messages by SMS, on a phone that may not open a link. If the "
        "meeting has a number to call in, add it after this: /edit dialin NUMBER",
        "%(n)d members get my messages by SMS, on phones that may not open a link. If the "
        "meeting has a number to call in, add it after this: /edit dialin NUMBER",
        texted,
    )


async def _members_by_sms(ctx: Context, circle: Circle) -> int:
    """The members but the sender whose messages go by SMS (paid per part, a basic phone)."""
    assert circle.id is not None
    texted = {platform.name for platform in ctx.platforms.billed_per_segment()}
    count = 0
    for entry in await members.roster(ctx.session, circle.id):
        if entry.person.id is None or entry.person.id == ctx.person_id:
            continue
        account = await people.preferred_account(ctx.session, entry.person.id)
        count += account is not None and account.platform in texted
    return count


async def _others(ctx: Context, circle: Circle) -> int:
    """The members a change of place is told to: everyone but the sender."""
    assert circle.id is not None
    roster = await members.roster(ctx.session, circle.id)
    return sum(1 for entry in roster if entry.person.id != ctx.person_id)


async def _notice(
    ctx: Context, circle: Circle, venue: str, number: int | None
) -> Callable[[Translator], str] | None:
    """What members would be sent about the change, changing nothing yet (refused as the
    change itself would be); None when it moves no meeting to come."""
    circle_clock = schedule_notices.Clock.of(circle)  # the facilitator's preview
    if number is not None:
        meeting, kept_venue = await editing.planned_meeting_venue(
            ctx.session, circle, number, venue, ctx.now
        )
        return lambda tr: _meeting_notice(tr, circle, meeting, _At(kept_venue), circle_clock)
    kept_venue, changed = await editing.planned_venue(ctx.session, circle, venue, ctx.now)
    if not changed:
        return None
    staying = [m for m in await editing.kept(ctx.session, circle, ctx.now) if m.venue != kept_venue]
    return lambda tr: _moved_notice(tr, circle, changed[0], _At(kept_venue), staying, circle_clock)


async def _apply(ctx: Context, circle: Circle, venue: str, number: int | None) -> None:
    """The change made, members told, and the facilitator told how many heard; moved online
    with no number to call in, told too that learners on basic phones can't open the link."""
    old_number = circle.dialin
    await _move(ctx, circle, venue, number)
    if meetings.is_link(venue) and not circle.dialin and ctx.replies:
        last = ctx.replies[-1]
        hint = ctx.tr._(
            "Learners on basic phones can't open a link. If your meeting has a number to call "
            "in, add it: /edit dialin NUMBER"
        )
        if old_number:
            hint = ctx.tr._(
                "The number to call in, %(number)s, was for the old link, so I took it off. If "
                "the new meeting has a number to call in, add it: /edit dialin NUMBER",
                number=old_number,
            )
        ctx.replies[-1] = replace(last, text=last.text + "\n" + hint)


async def _move(ctx: Context, circle: Circle, venue: str, number: int | None) -> None:
    if number is None:
        await _moved_to(ctx, circle, await editing.set_venue(ctx.session, circle, venue, ctx.now))
        return
    meeting = await editing.set_meeting_venue(ctx.session, circle, number, venue, ctx.now)
    told = await _tell(
        ctx,
        circle,
        schedule_notices.Change(
            f"venue:{meeting.id}",
            lambda tr, clock: _meeting_notice(tr, circle, meeting, meeting, clock),
            lambda tr, _: tr._(
                "meeting %(number)d is here: %(place)s",
                number=meeting.number,
                place=meetings.place(tr, circle, meeting),
            ),
            (meeting.starts_at,),
        ),
    )
    reached = told.reached
    ctx.reply(
        (
            ctx.tr.ngettext(
                "Meeting %(number)d is here now: %(place)s. I'm letting %(n)d member know.",
                "Meeting %(number)d is here now: %(place)s. I'm letting %(n)d members know.",
                reached,
                number=meeting.number,
                place=meetings.place(ctx.tr, circle, meeting),
            )
            if reached  # no one has joined yet: nothing to say about telling them
            else ctx.tr._(
                "Meeting %(number)d is here now: %(place)s.",
                number=meeting.number,
                place=meetings.place(ctx.tr, circle, meeting),
            )
        )
        + schedule_notices.when_told(ctx.tr, told, ctx.now)
    )


def _meeting_notice(
    tr: Translator,
    circle: Circle,
    meeting: Meeting,
    at: meetings.Placed,
    clock: schedule_notices.Clock,
) -> str:
    return tr._(
        "%(circle)s: meeting %(number)d (%(when)s) is somewhere else: %(place)s.",
        circle=circle.name,
        number=meeting.number,
        when=clock.when(tr, meeting.starts_at),
        place=meetings.place(tr, circle, at),
    ) + _call_in(tr, circle, at)


def _call_in(tr: Translator, circle: Circle, at: meetings.Placed | None) -> str:
    """For a meeting moved online, the number to call in, if the circle has one: a learner on
    a basic phone can't open the link."""
    number = dialin.number_for(circle, at)
    if number is None:
        return ""
    return " " + tr._("Or call %(number)s to join by phone.", number=number)


def _moved_notice(
    tr: Translator,
    circle: Circle,
    first: Meeting,
    at: meetings.Placed | None,
    kept: list[Meeting],
    clock: schedule_notices.Clock,
) -> str:
    return (
        tr._(
            "%(circle)s meets somewhere new from meeting %(number)d (%(when)s): %(place)s.",
            circle=circle.name,
            number=first.number,
            when=clock.when(tr, first.starts_at),
            place=meetings.place(tr, circle, at),
        )
        + _call_in(tr, circle, at)
        + _staying(tr, kept)
    )


def _number_beyond_schedule(text: str, circle: Circle) -> int | None:
    """The first word of a venue, when it is a number above the circle's meeting count."""
    words = text.split(maxsplit=1)
    if len(words) < 2 or not words[0].isdecimal():
        return None
    number = int(words[0])
    return number if number > circle.meeting_count else None


def _every_meeting_question(tr: Translator, number: int, venue: str) -> str:
    return tr._(
        "There's no meeting %(number)d. Set “%(venue)s” as the venue of every meeting?",
        number=number,
        venue=venue,
    )


async def venue_answer(ctx: Context, text: str) -> None:
    """The answer to "Set 'VENUE' as the venue of every meeting?" or to the notice shown
    before members are sent it ("Change the venue and send this to 2 members?"): VENUE_FLOW."""
    data = ctx.conversation.data
    circle_id = data.get("circle")
    venue = str(data.get("venue") or "")
    number = data.get("meeting")
    number = number if isinstance(number, int) else None
    found = [(c, m) for m, c in ctx.memberships if c.id == circle_id]
    if not found or not venue:
        conversations.finish(ctx.conversation, ctx.now)
        return
    circle, membership = found[0]
    said = confirmations.read(ctx.tr, text)
    if said is None:
        notice = await _notice(ctx, circle, venue, number) if data.get("send") else None
        if notice is not None:
            question = _preview(ctx.tr, notice, await _others(ctx, circle))
            question += await _sms_warning(ctx, circle, venue, number)
        elif number is not None:
            question = ctx.tr._(
                "Set “%(venue)s” as the venue of meeting %(number)d only?",
                venue=venue,
                number=number,
            )
        else:
            beyond = _number_beyond_schedule(venue, circle)
            question = _every_meeting_question(ctx.tr, beyond or 0, venue)
        ctx.reply(question, choices=confirmations.choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(ctx.tr._("OK, the venue stays as it was."))
        return
    ctx.circle, ctx.membership = circle, membership
    try:
        await _apply(ctx, circle, venue, number)
    except UserError as error:  # changed meanwhile ("already there"): the question is over
        error.ends_conversation = ctx.conversation.key
        raise


async def _moved_to(ctx: Context, circle: Circle, changed: list[Meeting]) -> None:
    """The circle meets somewhere new from its next meeting: members hear it once. A meeting
    given a venue of its own keeps it, and both they and the facilitator are told so."""
    kept = await editing.kept(ctx.session, circle, ctx.now)
    if not changed:
        ctx.reply(
            ctx.tr._(
                "%(circle)s meets here now: %(place)s.",
                circle=circle.name,
                place=meetings.place(ctx.tr, circle),
            )
            + _staying(ctx.tr, kept)
        )
        return
    first = changed[0]
    told = await _tell(
        ctx,
        circle,
        schedule_notices.Change(
            "venue",
            lambda tr, clock: _moved_notice(tr, circle, first, None, kept, clock),
            lambda tr, _: tr._(
                "from meeting %(number)d you meet here: %(place)s",
                number=first.number,
                place=meetings.place(tr, circle),
            ),
            (first.starts_at,),
        ),
    )
    reached = told.reached
    ctx.reply(
        (
            ctx.tr.ngettext(
                "From meeting %(number)d, %(circle)s meets here: %(place)s. "
                "I'm letting %(n)d member know.",
                "From meeting %(number)d, %(circle)s meets here: %(place)s. "
                "I'm letting %(n)d members know.",
                reached,
                number=first.number,
                circle=circle.name,
                place=meetings.place(ctx.tr, circle),
            )
            if reached
            else ctx.tr._(
                "From meeting %(number)d, %(circle)s meets here: %(place)s.",
                number=first.number,
                circle=circle.name,
                place=meetings.place(ctx.tr, circle),
            )
        )
        + _staying(ctx.tr, kept)
        + schedule_notices.when_told(ctx.tr, told, ctx.now)
    )


def _staying(tr: Translator, kept: list[Meeting]) -> str:
    """A sentence for each meeting keeping a venue of its own ("Meeting 3 stays at ...")."""
    return "".join(
        " " + tr._("Meeting %(number)d stays at %(venue)s.", number=m.number, venue=m.venue)
        for m in kept
    )


async def _meetings(
    ctx: Context, circle: Circle, rest: str, command: Command, sub: SubCommand
) -> None:
    try:
        count = parse_number(rest)
    except ValueError:
        raise usage_of(command, ctx.tr, sub) from None
    await meetings.finished(ctx.session, circle, ctx.now)
    assert circle.id is not None
    was = [
        m
        for m in await meetings.schedule(ctx.session, circle.id)
        if m.status != MeetingStatus.CANCELLED
    ]
    if 1 <= count <= len(was) - 2 and was[count - 1].ends_at > ctx.now:
        # One digit can drop most of a season ("3" for "8"): the meetings dropped are shown
        # and asked about first, as /edit time shows its dates. The last one alone is plain.
        confirmations.ask(
            ctx,
            MEETINGS_FLOW,
            {"circle": circle.id, "count": count},
            _dropping_question(ctx.tr, circle, was[count:]),
        )
        return
    await _set_count(ctx, circle, count)


def _dropping_question(tr: Translator, circle: Circle, dropped: list[Meeting]) -> str:
    return "\n".join(
        [
            tr.ngettext(
                "Drop the last meeting of %(circle)s? It would be:",
                "Drop the last %(n)d meetings of %(circle)s? They would be:",
                len(dropped),
                circle=circle.name,
            ),
            *(
                f"{m.number}. {schedule_notices.short_when(tr, m.starts_at, circle.timezone)}"
                for m in dropped
            ),
        ]
    )


async def meetings_answer(ctx: Context, text: str) -> None:
    """The answer to "Drop the last 5 meetings of ...?": MEETINGS_FLOW."""
    data = ctx.conversation.data
    found = [c for _, c in ctx.memberships if c.id == data.get("circle")]
    if not found:
        conversations.finish(ctx.conversation, ctx.now)
        return
    circle = found[0]
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(ctx.tr._(confirmations.NOT_CAUGHT), choices=confirmations.choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(ctx.tr._("OK, the meetings stay as they are."))
        return
    await meetings.finished(ctx.session, circle, ctx.now)
    await _set_count(ctx, circle, int(data["count"]))


async def _set_count(ctx: Context, circle: Circle, count: int) -> None:
    """The circle has `count` meetings that take place; members are told (gathered)."""
    assert circle.id is not None
    before = await meetings.schedule(ctx.session, circle.id)
    was = [m for m in before if m.status != MeetingStatus.CANCELLED]
    await editing.set_meeting_count(ctx.session, circle, count, ctx.now)
    after = await meetings.schedule(ctx.session, circle.id)
    # How many take place, and until when: a cancelled meeting is not one of them (fac 34).
    taking_place = [m for m in after if m.status != MeetingStatus.CANCELLED]
    last = taking_place[-1]
    kept = {m.id for m in after}
    net = notifications.Net(  # cut back inside the window: nobody hears of either change
        f"{len(was)}|{was[-1].starts_at.isoformat()}" if was else "",
        f"{len(taking_place)}|{last.starts_at.isoformat()}",
        last.number,
        tuple(f"meeting:{m.id}" for m in before if m.id not in kept),
    )

    def told(tr: Translator, clock: schedule_notices.Clock) -> str:
        return tr.ngettext(
            "%(circle)s now has %(n)d meeting, the last on %(when)s. /schedule shows it.",
            "%(circle)s now has %(n)d meetings, the last on %(when)s. /schedule shows them all.",
            len(taking_place),
            circle=circle.name,
            when=clock.when(tr, last.starts_at),
        )

    def part(tr: Translator, clock: schedule_notices.Clock) -> str:
        return tr._(
            "the last meeting is now meeting %(number)d, %(when)s",
            number=last.number,
            when=clock.short_when(tr, last.starts_at),
        )

    gathered = await _tell(ctx, circle, schedule_notices.Change("meetings", told, part, net=net))
    ctx.reply(
        told(ctx.tr, schedule_notices.Clock.of(circle))  # the facilitator's: the circle's time
        + editing.letting(ctx.tr, gathered.reached)
        + schedule_notices.when_told(ctx.tr, gathered, ctx.now)
    )


async def _tell(
    ctx: Context, circle: Circle, change: schedule_notices.Change
) -> schedule_notices.Told:
    """Members hear of a change of where or when they meet, gathered with the others made
    meanwhile (schedule_notices)."""
    return await schedule_notices.tell(ctx, circle, change)


# -- /edit time, /edit weekday: every meeting still to come at once (walkthrough fac 41) -------


def _weekday(ctx: Context, text: str, command: Command, sub: SubCommand) -> int:
    """0 (Monday) to 6, from a weekday's name in the reader's language or another the bot
    speaks ("wednesday", "mercredi", "Jumatano")."""
    weekday = weekday_number(text.strip(), ctx.tr.locale)
    if weekday is None:
        raise usage_of(command, ctx.tr, sub)
    return weekday


def _slot_change(data: dict[str, object]) -> tuple[editing.SlotChange, time | None, int | None]:
    """The change a TIMES_FLOW question is about: (the change, the new time, the new weekday)."""
    if isinstance(data.get("weekday"), int):
        weekday = int(data["weekday"])  # type: ignore[call-overload]
        return editing.new_weekday(weekday), None, weekday
    at = parse_time(str(data.get("time")))
    return editing.new_time(at), at, None


def _weekday_name(tr: Translator, weekday: int) -> str:
    return str(get_day_names("wide", locale=tr.locale)[weekday])


async def _ask_times(ctx: Context, circle: Circle, data: dict[str, object]) -> None:
    """Every meeting still to come at a new time or weekday: the new dates shown and asked
    about first, as members hear of it (once)."""
    await meetings.finished(ctx.session, circle, ctx.now)
    change, _, _ = _slot_change(data)
    moving = await editing.planned_times(ctx.session, circle, change, ctx.now)
    assert circle.id is not None
    confirmations.ask(
        ctx,
        TIMES_FLOW,
        {"circle": circle.id, **data},
        _times_question(ctx.tr, circle, data, moving),
    )


def _times_question(
    tr: Translator,
    circle: Circle,
    data: dict[str, object],
    moving: list[tuple[Meeting, datetime]],
) -> str:
    _, _, weekday = _slot_change(data)
    taking_place = [(m, starts) for m, starts in moving if m.status != MeetingStatus.CANCELLED]
    if weekday is not None:
        question = tr._(
            "Move every meeting of %(circle)s still to come to the %(weekday)s of its week, "
            "at the same time? They would be:",
            circle=circle.name,
            weekday=_weekday_name(tr, weekday),
        )
    else:
        question = tr._(
            "Move every meeting of %(circle)s still to come to %(time)s? They would be:",
            circle=circle.name,
            time=tr.time(taking_place[0][1], circle.timezone),
        )
    lines = [
        tr._(
            "%(number)d. %(when)s",
            number=meeting.number,
            when=schedule_notices.short_when(tr, starts, circle.timezone),
        )
        for meeting, starts in taking_place
    ]
    return "\n".join([question, *lines])


async def times_answer(ctx: Context, text: str) -> None:
    """The answer to "Move every meeting ... still to come to 6:30 PM?": TIMES_FLOW."""
    data = dict(ctx.conversation.data)
    found = [(c, m) for m, c in ctx.memberships if c.id == data.get("circle")]
    if not found:
        conversations.finish(ctx.conversation, ctx.now)
        return
    circle, membership = found[0]
    said = confirmations.read(ctx.tr, text)
    if said is None:
        change, _, _ = _slot_change(data)
        moving = await editing.planned_times(ctx.session, circle, change, ctx.now)
        question = _times_question(ctx.tr, circle, data, moving)
        ctx.reply(question, choices=confirmations.choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    if not said:
        ctx.reply(ctx.tr._("OK, the meetings stay as they are."))
        return
    ctx.circle, ctx.membership = circle, membership
    try:
        await _set_times(ctx, circle, data)
    except UserError as error:  # changed meanwhile: the question is over
        error.ends_conversation = ctx.conversation.key
        raise


async def _set_times(ctx: Context, circle: Circle, data: dict[str, object]) -> None:
    change, at, weekday = _slot_change(data)
    moved = await editing.set_times(ctx.session, circle, change, ctx.now, at, weekday)
    first = moved[0]

    def their_weekday(clock: schedule_notices.Clock) -> int:
        """The new weekday where the reader is: in her own zone, an evening in Detroit is the
        next day in Nairobi."""
        return first.starts_at.astimezone(ZoneInfo(clock.zone)).weekday()

    def told(tr: Translator, clock: schedule_notices.Clock) -> str:
        if weekday is not None:
            return tr._(
                "%(circle)s now meets on %(weekday)s, same time, from meeting %(number)d "
                "(%(when)s).",
                circle=circle.name,
                weekday=_weekday_name(tr, their_weekday(clock)),
                number=first.number,
                when=clock.short_when(tr, first.starts_at),
            )
        return tr._(
            "%(circle)s now meets at %(time)s, from meeting %(number)d (%(when)s).",
            circle=circle.name,
            time=clock.time(tr, first.starts_at),
            number=first.number,
            # her zone named once, with the time just before
            when=clock.short_when(tr, first.starts_at, named=False),
        )

    def part(tr: Translator, clock: schedule_notices.Clock) -> str:
        if weekday is not None:
            return tr._(
                "from meeting %(number)d you meet on %(weekday)s",
                number=first.number,
                weekday=_weekday_name(tr, their_weekday(clock)),
            )
        return tr._(
            "from meeting %(number)d you meet at %(time)s",
            number=first.number,
            time=clock.time(tr, first.starts_at),
        )

    gathered = await _tell(
        ctx,
        circle,
        schedule_notices.Change("times", told, part, tuple(m.starts_at for m in moved)),
    )
    ctx.reply(
        told(ctx.tr, schedule_notices.Clock.of(circle))  # the facilitator's: the circle's time
        + editing.letting(ctx.tr, gathered.reached)
        + schedule_notices.when_told(ctx.tr, gathered, ctx.now)
    )
