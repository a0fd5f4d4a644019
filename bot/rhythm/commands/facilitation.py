"""Facilitator commands: /invite, /roster, /reschedule, /cancel (after asking), /uncancel,
/addmeeting, /skipweek, /close and /delete (after asking), /attendance, /digest, /reminders,
/rhythm."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta
from sqlmodel import col, select

from bot.chat import keywords, rendering
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Catalogs, Translator, format_day
from bot.chat.messages import Choice
from bot.chat.segments import fold_to_gsm7, gsm_safe, sms_segments
from bot.circles import (
    away,
    circles,
    defaults,
    dialin,
    editing,
    erasure,
    meetings,
    schedule_notices,
)
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import confirmations, conversations, members, notifications, people, values
from bot.dialogue.context import Context
from bot.dialogue.registry import Args, usage_of
from bot.dialogue.values import parse_time, read_spans, settle
from bot.reports import closeout, retention
from bot.rhythm import attendance as attendance_records
from bot.rhythm import calendars, digests, questions, rsvps, spans
from bot.rhythm.commands import answers
from bot.rhythm.derivation import MAX_REMINDER_OFFSET
from bot.storage.models import (
    FACILITATING,
    Circle,
    Meeting,
    MeetingStatus,
    Person,
    Role,
    RsvpAnswer,
)


async def invite(ctx: Context, args: Args) -> None:
    """An invitation to forward as it is (course, the first or next meeting, where, the join
    code and links), after a word to the facilitator."""
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
    if upcoming is None:  # the circle has finished (meetings.is_over)
        raise UserError(
            N_(
                "%(circle)s has finished, so there is nothing to invite people to. To meet "
                "again, start a new circle with /newcircle."
            ),
            circle=name,
        )
    first = not await meetings.held(ctx.session, circle.id, ctx.now)
    ctx.reply(
        ctx.tr._(
            "Here is an invitation to %(circle)s. Forward it as it is to anyone you'd like "
            "to join:",
            circle=name,
        )
    )
    # By SMS, where every segment costs, the invitation is for phones: the keyword form only.
    sms = ctx.platforms.keywords(ctx.inbound.platform)
    # The invitation is forwarded to the circle's people, so it speaks the circle's language
    # (the join word "REJOINDRE" included), whichever language its facilitator reads.
    spoken = ctx.catalogs.translator(circle.language)
    join_word = keywords.first_word(spoken, keywords.JOIN)
    ways = [] if sms else app_ways(ctx, circle.join_code, join_word, spoken)
    number = texted_number(ctx, circle.country_code)
    texted = bool(ctx.platforms.billed_per_segment())  # no SMS line where no one can text
    # Never "ask Circle member": with no name of her own, the "ask" part is left out (sms 1).
    facilitator: str | None = ctx.person.display_name
    if erasure.nameless(ctx.person.display_name, ctx.catalogs):
        facilitator = None
    whole = invitation(
        spoken,
        circle,
        upcoming,
        first,
        ways,
        apps=not sms,
        join_word=join_word,
        number=number,
        texted=texted,
        facilitator=facilitator,
    )
    if sms:  # by SMS, the short version is the one to forward (sms 4: 5-6 parts)
        ctx.reply(
            texted_invitation(
                spoken, circle, upcoming, first, join_word, number, facilitator, TEXTED_PARTS
            )
        )
        return
    short = texted_invitation(spoken, circle, upcoming, first, join_word, number, facilitator)
    ctx.reply(whole)
    if texted:  # for basic phones, a version that fits one text message
        parts = sms_segments(short)
        ctx.reply(
            ctx.tr._("For a basic phone, this shorter one fits in one text message:")
            if parts == 1
            else ctx.tr.ngettext(
                "For a basic phone, this shorter one takes %(n)d text message:",
                "For a basic phone, this shorter one takes %(n)d text messages:",
                parts,
            )
        )
        ctx.reply(short)


@dataclass(frozen=True)
class Way:
    """One way to join from an app, for the invitation: the platform as the reader calls it,
    whom to write to there (None: unknown) and what, and its one-tap link (None: none)."""

    platform: str
    bot: str | None
    command: str
    link: str | None = None


def app_ways(ctx: Context, code: str, join_word: str, tr: Translator | None = None) -> list[Way]:
    """The apps people can join from: each platform with a one-tap link (Core.join_links) or a
    known name to write to (Core.reach), but not the texted ones (the SMS line has those);
    platforms named in `tr`'s language (the asker's by default)."""
    tr = tr or ctx.tr
    texted = {p.name for p in ctx.platforms.billed_per_segment()}
    named = {name for name in ctx.reach if name not in texted and ctx.reach[name]}
    ways = []
    for platform in sorted(named | set(ctx.join_links)):
        link = ctx.join_links.get(platform)
        universal = f"{keywords.VERBATIM}/join {code}"  # as written, whoever forwards it
        typed = f"{join_word} {code}" if ctx.platforms.keywords(platform) else universal
        ways.append(
            Way(
                ctx.platforms.display_name(tr, platform),
                ctx.reach[platform][0] if platform in named else None,
                typed,
                link.replace("{code}", code) if link else None,
            )
        )
    return ways


def texted_number(ctx: Context, country_code: str) -> str | None:
    """The number learners in the circle's country text to join (Platforms.texted_number)."""
    return ctx.platforms.texted_number(country_code, ctx.reach)


def invitation(
    tr: Translator,
    circle: Circle,
    meeting: Meeting,
    first: bool,
    ways: list[Way],
    apps: bool = True,
    join_word: str | None = None,
    number: str | None = None,
    texted: bool = True,
    facilitator: str | None = None,
) -> str:
    """What a newcomer needs in one message: what the circle does, when and where it meets
    next, and how to join from an app (`apps`: each of `ways`) or a basic phone (`texted`:
    texting `join_word` and the code, to `number` when known). It is forwarded, so it never
    says "the bot this comes from" (that is the facilitator): where the bot's name or number
    is unknown, the reader asks `facilitator`."""
    lines = [
        tr._(
            "Join us in %(circle)s, a learning circle: we take the online course %(course)s "
            "together.",
            circle=circle.name,
            course=circle.course_title,
        )
    ]
    if circle.course_url:
        lines.append(tr._("The course: %(url)s", url=circle.course_url))
    when = tr.when(meeting.starts_at, circle.timezone)
    place = meetings.place(tr, circle, meeting)
    lines.append(
        tr._("First meeting: %(when)s, %(place)s.", when=when, place=place)
        if first
        else tr._("Next meeting: %(when)s, %(place)s.", when=when, place=place)
    )
    call = dialin.number_for(circle, meeting)
    if call:  # whoever joins by SMS below can't open the link, but can call in
        lines.append(tr._("Or call %(number)s to join by phone.", number=call))
    code = circle.join_code
    if apps and not any(way.bot for way in ways):  # no app's name known (a console, a test)
        # In the invitation's language, not its forwarder's (D60: "/beitreten" in English).
        join = keywords.VERBATIM + "/" + keywords.slash_name(tr, "join")
        lines.append(_ask_where(tr, join + " " + code, facilitator))
    for way in ways:
        if way.bot and way.link:
            lines.append(
                tr._(
                    "On %(platform)s, one tap joins: %(link)s (or send %(command)s to %(bot)s)",
                    platform=way.platform,
                    link=way.link,
                    command=way.command,
                    bot=way.bot,
                )
            )
        elif way.bot:
            lines.append(
                tr._(
                    "On %(platform)s, send %(command)s to %(bot)s",
                    platform=way.platform,
                    command=way.command,
                    bot=way.bot,
                )
            )
        elif way.link:
            lines.append(
                tr._(
                    "On %(platform)s, one tap joins: %(link)s", platform=way.platform, link=way.link
                )
            )
    keyword = join_word or keywords.first_word(tr, keywords.JOIN)
    if number:
        lines.append(
            tr._(
                "By SMS, text %(keyword)s %(code)s to %(number)s",
                keyword=keyword,
                code=code,
                number=number,
            )
        )
    elif texted:
        lines.append(_text_where(tr, keyword, code, facilitator))
    return "\n".join(lines)


def _ask_where(tr: Translator, command: str, facilitator: str | None) -> str:
    """How to join from an app whose bot's name is unknown: from whom to learn it."""
    if facilitator:
        return tr._(
            "To join from a chat app, send %(command)s to the circle's bot: ask %(name)s for "
            "its name.",
            command=command,
            name=facilitator,
        )
    return tr._("To join from a chat app, send %(command)s to the circle's bot.", command=command)


def _text_where(tr: Translator, keyword: str, code: str, facilitator: str | None) -> str:
    """How to join by SMS when the number to text is unknown: from whom to learn it."""
    if facilitator:
        return tr._(
            "By SMS, text %(keyword)s %(code)s to the circle's number: ask %(name)s for it.",
            keyword=keyword,
            code=code,
            name=facilitator,
        )
    return tr._("By SMS, text: %(keyword)s %(code)s", keyword=keyword, code=code)


# The parts the invitation INVITE texts may take: two, so that where and which course fit
# (sms 2: one text had room for neither); shown in a chat, the short one stays one text.
TEXTED_PARTS = 2


def texted_invitation(
    tr: Translator,
    circle: Circle,
    meeting: Meeting,
    first: bool,
    join_word: str,
    number: str | None,
    facilitator: str | None,
    most_parts: int = 1,
) -> str:
    """The invitation for a basic phone, in one SMS where it fits: the circle and its course,
    its next meeting's day, time and place, and what to text to which number (sms 4: the
    whole one was 5-6 parts). The course goes first when it does not fit, then the place;
    with `most_parts` over one, the place and the course are kept within that many parts."""
    when = calendars.short_when(tr, meeting.starts_at, circle.timezone)
    if meetings.is_link(circle.venue):  # anyone anywhere may join: whose 18:00 (lang 28)
        when = tr._(
            "%(time)s (%(zone)s)", time=when, zone=tr.zone_name(meeting.starts_at, circle.timezone)
        )
    join = f"{join_word} {circle.join_code}"
    if number:
        how = tr._("To join, text %(words)s to %(number)s", words=join, number=number)
    elif facilitator:
        how = tr._(
            "To join, text %(words)s to the circle's number (ask %(name)s).",
            words=join,
            name=facilitator,
        )
    else:
        how = tr._("To join, text %(words)s to the circle's number.", words=join)
    venue = meetings.venue_of(circle, meeting)
    places = [venue]
    if meetings.is_link(venue):
        # Online: said so, with the number a basic phone can call in to, before the link it
        # can't open (fac 14: "First meeting Wednesday ..." said neither).
        call = dialin.number_for(circle, meeting)
        link = tr._("online at %(link)s", link=venue)
        places = (
            [
                tr._("online at %(link)s, or call %(number)s", link=venue, number=call),
                tr._("online, or call %(number)s", number=call),
            ]
            if call
            else [link, tr._(N_("online"))]
        )
    labels = [circle.name]
    named_by_course = keywords.plain(circle.course_title) in keywords.plain(circle.name)
    if not named_by_course:  # "Excel basico" says its course "Excel" already
        course = circle.course_title
        labels.insert(0, tr._("%(circle)s (course: %(course)s)", circle=circle.name, course=course))
    # (text, whether it says the place and the course), the most telling first.
    starts: list[tuple[str, bool]] = [
        (start, named_by_course or label != circle.name)
        for label in labels
        for start in _invitation_starts(tr, label, when, first, places)
    ]
    if not meetings.is_link(venue):
        named = {"circle": circle.name, "when": when}
        starts.append(
            (
                tr._("%(circle)s. First meeting %(when)s.", **named)
                if first
                else tr._("%(circle)s. Next meeting %(when)s.", **named),
                False,
            )
        )
    # Each written as a feature phone writes it (fold_to_gsm7): one "á" in the circle's name
    # made the "one text" two UCS-2 parts, and cost it its venue (C16).
    forms = [(fold_to_gsm7(gsm_safe(start + " " + how)), whole) for start, whole in starts]
    told = [text for text, whole in forms if whole]
    for parts in range(1, most_parts + 1):
        # Two parts that say where and which course, before one that leaves either out.
        found = next((text for text in told if sms_segments(text) <= parts), None)
        if found is not None:
            return found
    return next((text for text, _ in forms if sms_segments(text) == 1), forms[-1][0])


def _invitation_starts(
    tr: Translator, circle: str, when: str, first: bool, places: list[str]
) -> list[str]:
    """The invitation's first sentences for each of `places`, the whole one ("..., a learning
    circle.") and a briefer one, in turn."""
    starts = []
    for place in places:
        named = {"circle": circle, "when": when, "venue": place}
        whole = (
            tr._("%(circle)s, a learning circle. First meeting %(when)s, %(venue)s.", **named)
            if first
            else tr._("%(circle)s, a learning circle. Next meeting %(when)s, %(venue)s.", **named)
        )
        # Briefer forms, tried in turn until one fits a text: without "a learning circle",
        # then with less of the place, then without it.
        briefer = (
            tr._("%(circle)s. First meeting %(when)s, %(venue)s.", **named)
            if first
            else tr._("%(circle)s. Next meeting %(when)s, %(venue)s.", **named)
        )
        starts += [whole, briefer]
    return starts


async def roster(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    entries = await members.roster(ctx.session, circle.id)
    lines = [
        tr.ngettext(
            "%(circle)s has %(n)d member:",
            "%(circle)s has %(n)d members:",
            len(entries),
            circle=await circles.name_for(
                ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
            ),
        )
    ]
    # Who sent STOP is named as such: the facilitator would otherwise wait for answers.
    stopped = set(await members.stopped(ctx.session, [e.person.id or 0 for e in entries]))
    # So are those whose app refuses the bot's messages (blocked it): reach them another way.
    unreached = set(await members.unreached(ctx.session, [e.person.id or 0 for e in entries]))
    unnamed = erasure.unnamed_names(ctx.catalogs)
    # After the retention date nobody but the reader is named (fac 31).
    withheld = await retention.member_labels(ctx.session, tr, circle, ctx.person_id)
    for number, entry in enumerate(entries, start=1):
        assert entry.person.id is not None
        platforms = await people.platforms_of(ctx.session, entry.person.id)
        # A texter who gave no name is named so, in the reader's words: facilitators never
        # see a learner's number, not even its end (README, two-way messages). Someone who
        # deleted their data (no account) is said to have, never "Circle member, learner ()"
        # in English (D20).
        name = entry.person.display_name
        if name in unnamed:
            name = tr._(erasure.NO_NAME_YET if platforms else erasure.FORGOTTEN)
        name = withheld.get(entry.person.id, name)
        if platforms:
            line = tr._(
                "%(number)d. %(name)s, %(role)s (%(platforms)s)",
                number=number,
                name=name,
                role=circles.role_name(tr, entry.membership.role),
                platforms=", ".join(ctx.platforms.display_name(tr, p) for p in platforms),
            )
        else:
            line = tr._(
                "%(number)d. %(name)s, %(role)s",
                number=number,
                name=name,
                role=circles.role_name(tr, entry.membership.role),
            )
        if entry.person.id in stopped:
            line = tr._("%(line)s: sent STOP, so my messages don't reach them", line=line)
        elif entry.person.id in unreached:
            line = tr._(
                "%(line)s: my messages don't reach them any more (they may have blocked the "
                "bot), so please reach them another way",
                line=line,
            )
        lines.append(line)
    if stopped:
        # In the words they were told, in their own language (ALTO / EMPEZAR), so the
        # facilitator can tell them (walk: smses 7).
        told = {
            ctx.catalogs.translator(e.person.locale, circle.language)
            for e in entries
            if e.person.id in stopped
        }
        lines.append(
            tr._(
                "Anyone who sent %(stop)s can text %(start)s to get messages again.",
                stop=" / ".join(sorted({keywords.first_word(t, keywords.OPT_OUT) for t in told})),
                start=" / ".join(sorted({keywords.first_word(t, keywords.OPT_IN) for t in told})),
            )
        )
    ctx.reply("\n".join(lines))


async def tell_stopped(ctx: Context) -> None:
    """After STOP: the facilitators of each circle still going that the person learns in hear
    at once that no message reaches them now (fac 19: told only in the next digest, days
    later), so they can have a word at the next meeting. Not while another account of theirs
    is still reached."""
    await ctx.session.flush()
    if not await members.stopped(ctx.session, [ctx.person_id]):
        return
    name = ctx.person.display_name
    for _, circle in await circles.active_memberships(ctx.session, ctx.person_id, (Role.LEARNER,)):
        assert circle.id is not None
        if await meetings.is_over(ctx.session, circle.id, ctx.now):
            continue
        await ctx.notify_members(
            circle,
            FACILITATING,
            MessageKind.MEMBER_LEFT,
            f"stopped:{ctx.occurrence}",
            functools.partial(_stopped_notice, name=name, about=circle.name, catalogs=ctx.catalogs),
        )


async def tell_started(ctx: Context) -> None:
    """After START, from someone whose STOP the facilitators were told of (tell_stopped): they
    hear she gets messages again, so nobody chases a problem already solved (C11, B31)."""
    name = ctx.person.display_name
    for _, circle in await circles.active_memberships(ctx.session, ctx.person_id, (Role.LEARNER,)):
        assert circle.id is not None
        if await meetings.is_over(ctx.session, circle.id, ctx.now):
            continue
        await ctx.notify_members(
            circle,
            FACILITATING,
            MessageKind.MEMBER_LEFT,
            f"started:{ctx.occurrence}",
            functools.partial(_started_notice, name=name, about=circle.name, catalogs=ctx.catalogs),
        )


def _started_notice(tr: Translator, name: str, about: str, catalogs: Catalogs) -> str:
    return tr._(
        "%(name)s in %(circle)s texted START again: my reminders and check-ins reach them again.",
        name=erasure.shown_name(tr, name, catalogs),  # a texter with no name yet (D23)
        circle=about,
    )


def _stopped_notice(tr: Translator, name: str, about: str, catalogs: Catalogs) -> str:
    return tr._(
        "%(name)s in %(circle)s texted STOP, so my reminders and check-ins won't reach them. "
        "Maybe have a word at the next meeting?",
        name=erasure.shown_name(tr, name, catalogs),  # a texter with no name yet (D23)
        circle=about,
    )


def _moved_notice(
    tr: Translator,
    circle: Circle,
    meeting: Meeting,
    old_start: datetime,
    clock: schedule_notices.Clock,
    yes_cleared: bool = False,
) -> str:
    """What members are told of a move, in one SMS where it can be: the reader's `clock`'s
    time (the circle's own, without year or zone; her own, its zone named once), and the day
    said once when only the time changed. Where a long place name or the old day would make it
    two SMS (walks A5, B9, C8), neither the place nor the old time: it is the same place, and
    the reader knows it (the notice reaches every member in one wording). Never the place cut
    short (B20). A meeting at a link is at the same link, not "place" (fac 16).
    `yes_cleared`: the reader's yes was for the old day, so it was cleared: said (fac 17)."""
    zone = clock.zone
    venue = meetings.venue_of(circle, meeting)
    online = meetings.is_link(venue)
    if _same_day(meeting.starts_at, old_start, zone):
        words = {
            "circle": circle.name,
            "number": meeting.number,
            "time": clock.time(tr, meeting.starts_at),
            "old": tr.time(old_start, zone),
            "day": calendars.day_of(tr, meeting.starts_at, zone),
        }
        whole = (
            N_(
                "%(circle)s: meeting %(number)d is now at %(time)s instead of %(old)s, "
                "%(day)s. Same link: %(venue)s."
            )
            if online
            else N_(
                "%(circle)s: meeting %(number)d is now at %(time)s instead of %(old)s, "
                "%(day)s. Same place: %(venue)s."
            )
        )
        short = (
            N_("%(circle)s: meeting %(number)d is now at %(time)s, %(day)s. Same link.")
            if online
            else N_("%(circle)s: meeting %(number)d is now at %(time)s, %(day)s. Same place.")
        )
    else:
        # Answers about coming were for the old day: cleared, so the reminder asks again (a
        # question here would make this two SMS).
        words = {
            "circle": circle.name,
            "number": meeting.number,
            "when": clock.short_when(tr, meeting.starts_at),
            "old": clock.short_when(tr, old_start, named=False),  # named once, just before
        }
        whole = (
            N_(
                "%(circle)s: meeting %(number)d has moved to %(when)s (it was %(old)s). "
                "Same link: %(venue)s."
            )
            if online
            else N_(
                "%(circle)s: meeting %(number)d has moved to %(when)s (it was %(old)s). "
                "Same place: %(venue)s."
            )
        )
        short = (
            N_("%(circle)s: meeting %(number)d has moved to %(when)s. Same link.")
            if online
            else N_("%(circle)s: meeting %(number)d has moved to %(when)s. Same place.")
        )
    # Where the whole place does not fit, no place rather than its first piece: "Same place:
    # Centre communautaire de la Médina" without "salle 3" reads as another room (B20).
    forms = (tr._(whole, venue=venue, **words), tr._(short, **words))
    if yes_cleared:  # kept even where it makes two SMS: else the reminder's question surprises
        forms = (forms[0] + " " + tr._(YES_CLEARED), forms[1] + " " + tr._(YES_CLEARED))
    return rendering.first_fitting(forms, tr)


YES_CLEARED = N_("Your yes was for the old day: the reminder will ask again.")
# A move among other changes told together ("Changes to ...: meeting 3 is now ...; ...").
MOVED = N_("meeting %(number)d is now %(when)s")
MOVED_YES_CLEARED = N_("meeting %(number)d is now %(when)s (your yes was for the old day)")


def _same_day(first: datetime, second: datetime, zone: str) -> bool:
    return first.astimezone(ZoneInfo(zone)).date() == second.astimezone(ZoneInfo(zone)).date()


async def reschedule(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    await meetings.finished(ctx.session, circle, ctx.now)
    number = int(args["meeting"])  # type: ignore[call-overload]
    day, at = args.get("date"), args.get("time")
    command = ctx.registry.get("reschedule")
    if day is None and at is None and command is not None:
        raise usage_of(command, ctx.tr)
    # A new day at the meeting's own time, or a new time on its own day: the usual changes.
    own = await meetings.meeting_by_number(ctx.session, circle, number)
    local = own.starts_at.astimezone(ZoneInfo(circle.timezone))
    day = local.date() if day is None else day
    at = local.time().replace(tzinfo=None) if at is None else at
    assert isinstance(day, date) and isinstance(at, time)
    try:
        meeting, old_start = await meetings.reschedule(
            ctx.session, circle, number, day, at, ctx.now
        )
    except UserError as refused:
        # What was understood, said with the refusal: "already then" or "has to come after
        # meeting 3" is a riddle when "i morgen 19" was read as another day or hour (dede 43).
        # Not where the meeting itself can't move (cancelled, held), nor for a time the clocks
        # skip (its instant is another hour).
        understood = meetings.local_instant(
            meetings.moved_day(circle, own, day, ctx.now), at, circle.timezone
        )
        local_time = understood.astimezone(ZoneInfo(circle.timezone)).time()
        if (
            own.status == MeetingStatus.CANCELLED
            or own.ends_at <= ctx.now
            or local_time.replace(tzinfo=None) != at
        ):
            raise
        raise UserError(
            N_("I read that as %(when)s. %(problem)s"),
            when=ctx.tr.when(understood, circle.timezone),
            problem=ctx.tr._(refused.message, **refused.params),
        ) from None
    zone = circle.timezone
    cleared = 0
    said_yes: set[int] = set()
    if not _same_day(meeting.starts_at, old_start, zone):
        assert meeting.id is not None
        given = await rsvps.answers(ctx.session, meeting.id)
        said_yes = {person for person, said in given.items() if said == RsvpAnswer.YES}
        cleared = await meetings.clear_rsvps(ctx.session, meeting)

    def moved(yes_cleared: bool) -> schedule_notices.Change:
        return schedule_notices.Change(
            f"meeting:{meeting.id}",
            lambda tr, clock: _moved_notice(tr, circle, meeting, old_start, clock, yes_cleared),
            lambda tr, clock: tr._(
                MOVED_YES_CLEARED if yes_cleared else MOVED,
                number=number,
                when=clock.short_when(tr, meeting.starts_at),
            ),
            (old_start, meeting.starts_at),
            net=notifications.Net(
                schedule_notices.meeting_state(old_start),
                schedule_notices.meeting_state(meeting.starts_at),
                number,
            ),
        )

    # Gathered with the other changes made meanwhile; whoever's yes it cleared hears so.
    told = await schedule_notices.tell(
        ctx, circle, moved(False), instead={person: moved(True) for person in said_yes}
    )
    reached = told.reached
    ctx.reply(
        (
            ctx.tr.ngettext(
                "Meeting %(number)d is now %(when)s. I'm letting %(n)d member know.",
                "Meeting %(number)d is now %(when)s. I'm letting %(n)d members know.",
                reached,
                number=number,
                when=ctx.tr.when(meeting.starts_at, zone),
            )
            if reached
            else ctx.tr._(
                "Meeting %(number)d is now %(when)s.",
                number=number,
                when=ctx.tr.when(meeting.starts_at, zone),
            )
        )
        + schedule_notices.when_told(ctx.tr, told, ctx.now)
        + _answers_cleared(ctx.tr, cleared)
    )


def _answers_cleared(tr: Translator, cleared: int) -> str:
    """For the facilitator's reply, with its leading space: the answers about coming that were
    for the old day, and are asked again."""
    if not cleared:
        return ""
    return " " + tr.ngettext(
        "%(n)d answer about coming was for the old day, so it's cleared: the reminder will "
        "ask again.",
        "%(n)d answers about coming were for the old day, so they're cleared: the reminder "
        "will ask again.",
        cleared,
    )


# -- confirming what tells everyone ---------------------------------------------------------------

CANCEL_FLOW = "cancel-meeting"
SKIPWEEK_FLOW = "skip-week"
ADD_FLOW = "add-meeting"
CLOSE_FLOW = "close-circle"
DELETE_FLOW = "delete-circle"
_CONFIRMING = (CANCEL_FLOW, CLOSE_FLOW, DELETE_FLOW, SKIPWEEK_FLOW, ADD_FLOW)


def _ask(ctx: Context, flow: str, circle: Circle, question: str, **data: object) -> None:
    """A yes/no question before a step that tells the whole circle (a registry Flow about
    `circle`). A guided conversation going on (half a /newcircle) is put aside meanwhile and
    picked up again after the answer."""
    conversation = ctx.conversation
    if conversation.flow in _CONFIRMING:  # a second question replaces the first
        aside = conversation.data.get("aside")
    elif conversation.flow:
        aside = {"flow": conversation.flow, "data": conversation.data}
    else:
        aside = None
    confirmations.ask(ctx, flow, {"circle": circle.id, "aside": aside, **data}, question)


@dataclass(frozen=True)
class _Answer:
    yes: bool
    circle: Circle
    data: dict[str, Any]


async def _answer(ctx: Context, text: str) -> _Answer | None:
    """The answer to _ask's question; None (and asked again) when it is neither yes nor no.
    The conversation put aside, if any, goes on from here."""
    said = confirmations.read(ctx.tr, text)
    if said is None:
        ctx.reply(ctx.tr._("Please answer yes or no."), choices=confirmations.choices(ctx.tr))
        return None
    data = dict(ctx.conversation.data)
    aside = data.get("aside")
    if aside:
        conversations.begin(ctx.conversation, aside["flow"], aside["data"], ctx.now)
    else:
        conversations.finish(ctx.conversation, ctx.now)
    # The router let the answer through: the person still has the flow's access there.
    found = [(m, c) for m, c in ctx.memberships if c.id == data["circle"]]
    if not found:
        raise UserError(N_("That circle isn't one of yours any more. Send the command again."))
    ctx.membership, ctx.circle = found[0]
    return _Answer(said, found[0][1], data)


# -- /cancel, /uncancel, /addmeeting, /skipweek ---------------------------------------------


async def cancel(ctx: Context, args: Args) -> None:
    """Asks first: everyone in the circle is told."""
    circle, _ = ctx.require_circle()
    number = int(args["meeting"])  # type: ignore[call-overload]
    meeting = await meetings.cancellable(ctx.session, circle, number, ctx.now)
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    assert circle.id is not None
    others = [
        m for m in await meetings.still_to_come(ctx.session, circle.id, ctx.now) if m != meeting
    ]
    met = any(m.number != number for m in await meetings.held(ctx.session, circle.id, ctx.now))
    when = ctx.tr.when(meeting.starts_at, circle.timezone)
    # The last meeting still to come: cancelling it ends the circle, for good (is_over).
    if not others and met:
        question = N_(
            "Cancel meeting %(number)d of %(circle)s (%(when)s)? It's the last one still to "
            "come, so the circle ends with the meeting before it: everyone gets its closing "
            "message, and no meeting can be added or brought back after that."
        )
    elif not others:
        question = N_(
            "Cancel meeting %(number)d of %(circle)s (%(when)s)? It's the only one left, so "
            "the circle closes without meeting: everyone in it is told, and no meeting can be "
            "added or brought back after that."
        )
    else:
        question = N_(
            "Cancel meeting %(number)d of %(circle)s (%(when)s)? Everyone in the circle will "
            "be told."
        )
    _ask(
        ctx,
        CANCEL_FLOW,
        circle,
        ctx.tr._(question, number=number, circle=name, when=when),
        meeting=number,
        starts=meeting.starts_at.isoformat(),  # the time asked about (see cancel_answer)
        reason=str(args.get("reason") or "").strip()[:MAX_REASON_CHARS],
    )


# The longest reason /cancel N REASON carries to the learners (a line, not a letter).
MAX_REASON_CHARS = 200


async def cancel_answer(ctx: Context, text: str) -> None:
    answer = await _answer(ctx, text)
    if answer is None:
        return
    number = int(answer.data["meeting"])
    if not answer.yes:
        ctx.reply(ctx.tr._("OK, meeting %(number)d stays as it is.", number=number))
        return
    circle = answer.circle
    assert circle.id is not None
    # "oui, à cause du Magal de Touba": the words with the yes are the reason (B11).
    with_the_yes = "" if answer.data.get("reason") else _words_with_the_yes(ctx)
    reason = str(answer.data.get("reason") or "") or with_the_yes
    asked = answer.data.get("starts")
    meeting = await meetings.meeting_by_number(ctx.session, circle, number)
    if asked is not None and meeting.starts_at != datetime.fromisoformat(asked):
        # Moved since the question (/reschedule in between): a yes to the old date is no
        # yes to the new one. Asked again, with the date it has now.
        before = len(ctx.replies)
        await cancel(ctx, {"meeting": number, "reason": reason})
        moved = ctx.tr._(
            "Meeting %(number)d has moved since I asked, so it isn't cancelled.", number=number
        )
        ctx.replies[before] = replace(
            ctx.replies[before], text=moved + "\n" + ctx.replies[before].text
        )
        return
    meeting = await meetings.cancel(ctx.session, circle, number, ctx.now)
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    # If that was the last meeting still to come, the circle is over: close it out now. Its
    # closing message is then the one word members get (it says the circle has had its last
    # meeting); a cancellation notice pointing to /next, where nothing is left, would only
    # add a second message that contradicts it.
    if await closeout.close_if_over(
        ctx.session,
        ctx.catalogs,
        ctx.now,
        circle,
        ctx.platforms,
        ctx.retention_days,
    ):
        ctx.reply(
            ctx.tr._(
                "Meeting %(number)d is cancelled, so %(circle)s has had its last meeting. "
                "Everyone is getting its closing message now, you too.",
                number=number,
                circle=name,
            )
        )
        return
    going_on = await meetings.upcoming(ctx.session, circle.id, ctx.now)
    if going_on is None:  # it never met, and now never will: closed, as by /close
        reached = await _closed_before_meeting(ctx, circle)
        ctx.reply(
            ctx.tr.ngettext(
                "Meeting %(number)d is cancelled, so %(circle)s is closed. I'm letting %(n)d "
                "member know.",
                "Meeting %(number)d is cancelled, so %(circle)s is closed. I'm letting %(n)d "
                "members know.",
                reached,
                number=number,
                circle=name,
            )
            if reached
            else ctx.tr._(
                "Meeting %(number)d is cancelled, so %(circle)s is closed.",
                number=number,
                circle=name,
            )
        )
        return
    to_come = await meetings.still_to_come(ctx.session, circle.id, ctx.now)
    # The one members meet at next, when it has not started (the one going on is today's).
    then = to_come[0].starts_at if to_come else going_on.starts_at
    if going_on.starts_at <= ctx.now and not to_come:
        # the meeting going on is the last: its close-out comes as it ends
        told = N_(
            "%(circle)s: meeting %(number)d on %(when)s won't take place, so today's "
            "meeting is the last."
        )
    elif then < meeting.starts_at:
        # A later meeting is off: the next one is unchanged, said so that it does not read as
        # the cancelled one's new date.
        told = N_(
            "%(circle)s: meeting %(number)d on %(when)s won't take place. "
            "Your next meeting is still %(next)s."
        )
    else:
        # The next meeting itself, not "/next shows when": that would cost a second SMS.
        told = N_(
            "%(circle)s: meeting %(number)d on %(when)s won't take place. "
            "You meet next on %(next)s."
        )
    sender = ctx.person.display_name

    def with_reason(tr: Translator, clock: schedule_notices.Clock) -> str:
        text = tr._(
            told,
            circle=circle.name,
            number=number,
            when=clock.short_when(tr, meeting.starts_at),
            next=clock.short_when(tr, then),
        )
        if reason:  # the facilitator's own words, as typed (A36)
            text += "\n" + tr._("%(name)s says: %(reason)s", name=sender, reason=reason)
        return text

    gathered = await schedule_notices.tell(  # with the other changes made meanwhile
        ctx,
        circle,
        schedule_notices.Change(
            f"meeting:{meeting.id}",
            with_reason,
            lambda tr, clock: tr._(
                "meeting %(number)d (%(when)s) is cancelled",
                number=number,
                when=clock.short_when(tr, meeting.starts_at),
            ),
            (meeting.starts_at,),
            net=notifications.Net(
                schedule_notices.meeting_state(meeting.starts_at),
                schedule_notices.meeting_state(meeting.starts_at, on=False),
                number,
            ),
        ),
    )
    reached = gathered.reached
    ctx.reply(
        (
            ctx.tr.ngettext(
                "Meeting %(number)d is cancelled. I'm letting %(n)d member know.",
                "Meeting %(number)d is cancelled. I'm letting %(n)d members know.",
                reached,
                number=number,
            )
            if reached
            else ctx.tr._("Meeting %(number)d is cancelled.", number=number)
        )
        + schedule_notices.when_told(ctx.tr, gathered, ctx.now)
        + (
            " " + ctx.tr._("They'll read your reason too: %(reason)s", reason=with_the_yes)
            if with_the_yes and reached
            else ""
        )
    )


# Fewer words after a yes are no reason ("yes thanks", "oui merci").
REASON_WORDS = 2


def _words_with_the_yes(ctx: Context) -> str:
    """The words typed after a yes to "Cancel meeting 2?" ("oui, à cause du Magal de Touba"):
    the reason, as /cancel 2 REASON gives it (B11); "" for a yes alone, tapped, or with a word
    or so ("yes thanks")."""
    typed = ctx.inbound.text.strip()
    if ctx.inbound.payload is not None or not typed or typed.startswith("/"):
        return ""
    tr = ctx.reader
    if answers.says_little_more_than_yes(tr, typed):  # "yes please do it", "oui merci"
        return ""
    agreed = keywords.words(tr, keywords.YES) | keywords.words(tr, keywords.AGREE)
    agreed |= {confirmations.YES, "1", keywords.plain(tr._(confirmations.YES_LABEL))}
    rest, found = typed, False
    while (first := re.match(r"[\W_]*(\w+)(.*)", rest, re.S)) and keywords.plain(
        first[1]
    ) in agreed:
        rest, found = first[2], True
    rest = rest.strip(" \t\n,;:.!-\u2013\u2014")
    if not found or len(re.findall(r"\w+", rest)) < REASON_WORDS:
        return ""
    return rest[:MAX_REASON_CHARS]


async def uncancel(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    await meetings.finished(ctx.session, circle, ctx.now)
    number = int(args["meeting"])  # type: ignore[call-overload]
    meeting = await meetings.uncancel(ctx.session, circle, number, ctx.now)
    zone = circle.timezone
    told = await schedule_notices.tell(  # gathered with the other changes made meanwhile
        ctx,
        circle,
        schedule_notices.Change(
            f"meeting:{meeting.id}",
            lambda tr, clock: tr._(
                "%(circle)s: meeting %(number)d on %(when)s will take place after all.",
                circle=circle.name,
                number=number,
                when=clock.when(tr, meeting.starts_at),
            ),
            lambda tr, clock: tr._(
                "meeting %(number)d (%(when)s) is back on",
                number=number,
                when=clock.short_when(tr, meeting.starts_at),
            ),
            (meeting.starts_at,),
            net=notifications.Net(
                schedule_notices.meeting_state(meeting.starts_at, on=False),
                schedule_notices.meeting_state(meeting.starts_at),
                number,
            ),
        ),
    )
    reached = told.reached
    ctx.reply(
        (
            ctx.tr.ngettext(
                "Meeting %(number)d is back on: %(when)s. I'm letting %(n)d member know.",
                "Meeting %(number)d is back on: %(when)s. I'm letting %(n)d members know.",
                reached,
                number=number,
                when=ctx.tr.when(meeting.starts_at, zone),
            )
            if reached
            else ctx.tr._(
                "Meeting %(number)d is back on: %(when)s.",
                number=number,
                when=ctx.tr.when(meeting.starts_at, zone),
            )
        )
        + schedule_notices.when_told(ctx.tr, told, ctx.now)
    )


async def _closed_before_meeting(ctx: Context, circle: Circle, reason: str = "") -> int:
    """Members hear that a circle that never met won't meet (no close-out without a meeting
    held), and why if its facilitator said; how many were reached."""
    return await ctx.notify_members(
        circle,
        tuple(Role),
        MessageKind.CIRCLE_CLOSED,
        "",
        lambda tr: (
            tr._(
                "%(circle)s has closed before its first meeting, so it won't meet. Thank you "
                "for joining!",
                circle=circle.name,
            )
            + closeout.why_closed(tr, reason)
        ),
    )


# A new meeting further than this after the last one is asked about first: a year typed wrong
# ("12/31/2099") would keep the circle going, with no close-out, until then.
FAR_AFTER_THE_LAST = timedelta(weeks=12)


async def addmeeting(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    await meetings.finished(ctx.session, circle, ctx.now)
    # No time given: the circle's usual one, which the reply shows.
    day, at = args["date"], args.get("time") or circle.start_time
    assert isinstance(day, date) and isinstance(at, time)
    zone = circle.timezone
    day = settle(day, ctx.now.astimezone(ZoneInfo(zone)).date())
    assert circle.id is not None
    planned = await meetings.schedule(ctx.session, circle.id)
    last = max((m.starts_at for m in planned), default=None)
    starts_at = meetings.local_instant(day, at, zone)
    if last is None or starts_at - last <= FAR_AFTER_THE_LAST:
        await _add_meeting(ctx, circle, day, at)
        return
    tr = ctx.tr
    question = tr._(
        "A meeting on %(when)s comes %(gap)s after the last one (%(last)s), and %(circle)s "
        "would keep going until then. Add it?",
        when=tr.when(starts_at, zone),
        gap=format_timedelta(starts_at - last, threshold=1.1, locale=tr.locale),
        last=calendars.short_when(tr, last, zone),
        circle=circle.name,
    )
    meant = _same_day_soon(day, last.astimezone(ZoneInfo(zone)).date())
    if meant is not None:
        question += " " + tr._(
            "Or did you mean %(date)s?", date=format_day(meant, "full", tr.locale)
        )
    _ask(ctx, ADD_FLOW, circle, question, date=day.isoformat(), time=at.isoformat())


def _same_day_soon(day: date, last: date) -> date | None:
    """The first `day` of the month after `last` in a nearer year: what a wrong year meant."""
    for year in (last.year, last.year + 1):
        try:
            meant = day.replace(year=year)
        except ValueError:  # February 29
            continue
        if last < meant < day:
            return meant
    return None


async def addmeeting_answer(ctx: Context, text: str) -> None:
    answer = await _answer(ctx, text)
    if answer is None:
        return
    if not answer.yes:
        ctx.reply(ctx.tr._("OK, no meeting is added."))
        return
    await meetings.finished(ctx.session, answer.circle, ctx.now)
    day = date.fromisoformat(answer.data["date"])
    await _add_meeting(ctx, answer.circle, day, time.fromisoformat(answer.data["time"]))


async def _add_meeting(ctx: Context, circle: Circle, day: date, at: time) -> None:
    try:
        meeting = await editing.add_meeting(ctx.session, circle, day, at, ctx.now)
    except meetings.BeforeTheLast as refused:
        raise UserError(
            N_(
                "Nothing was added: a new meeting can only come after the last one, meeting "
                "%(number)d on %(when)s. To move a meeting to that day instead, use "
                "/reschedule NUMBER DATE TIME."
            ),
            number=refused.last.number,
            when=ctx.tr.when(refused.last.starts_at, circle.timezone),
        ) from None
    zone = circle.timezone
    told = await schedule_notices.tell(  # gathered with the other changes made meanwhile
        ctx,
        circle,
        schedule_notices.Change(
            f"meeting:{meeting.id}",
            lambda tr, clock: tr._(
                "%(circle)s has one more meeting: meeting %(number)d, %(when)s, %(place)s.",
                circle=circle.name,
                number=meeting.number,
                when=clock.when(tr, meeting.starts_at),
                place=meetings.place(tr, circle, meeting),
            ),
            lambda tr, clock: tr._(
                "new meeting %(number)d on %(when)s",
                number=meeting.number,
                when=clock.short_when(tr, meeting.starts_at),
            ),
            (meeting.starts_at,),
            net=notifications.Net(
                notifications.NEW, schedule_notices.meeting_state(meeting.starts_at), meeting.number
            ),
        ),
    )
    reached = told.reached
    ctx.reply(
        (
            ctx.tr.ngettext(
                "Meeting %(number)d is added: %(when)s. I'm letting %(n)d member know.",
                "Meeting %(number)d is added: %(when)s. I'm letting %(n)d members know.",
                reached,
                number=meeting.number,
                when=ctx.tr.when(meeting.starts_at, zone),
            )
            if reached
            else ctx.tr._(
                "Meeting %(number)d is added: %(when)s.",
                number=meeting.number,
                when=ctx.tr.when(meeting.starts_at, zone),
            )
        )
        + schedule_notices.when_told(ctx.tr, told, ctx.now)
    )


def _weeks_skipped(ctx: Context, args: Args) -> int:
    """How many weeks "/skipweek 3 2" moves meetings on: the number after the meeting (a word
    such as "weeks" may follow it), else one."""
    typed = str(args.get("weeks") or "").split()
    if not typed:
        return 1
    command = ctx.registry.get("skipweek")
    if (not typed[0].isdecimal() or len(typed) > 2) and command is not None:
        raise usage_of(command, ctx.tr)
    weeks = int(typed[0])
    meetings.check_weeks_skipped(weeks)
    return weeks


async def skipweek(ctx: Context, args: Args) -> None:
    """Asks first: every meeting from N on moves a week (or "/skipweek 3 2": two), and everyone
    in the circle is told once."""
    circle, _ = ctx.require_circle()
    await meetings.finished(ctx.session, circle, ctx.now)
    number = int(args["meeting"])  # type: ignore[call-overload]
    weeks = _weeks_skipped(ctx, args)
    later = await meetings.skipping(ctx.session, circle, number, ctx.now)
    assert circle.id is not None
    roster = await members.roster(ctx.session, circle.id)
    closed = _closed_day_warning(ctx.tr, circle, number, later, weeks)
    if all(entry.person.id == ctx.person_id for entry in roster):  # no one to tell: done
        landing = _closed_landing(circle, later, weeks)
        await _skip_week(ctx, circle, number, weeks)
        if landing is not None:  # said after, as nothing was asked
            ctx.reply(
                ctx.tr._(
                    "Careful: meeting %(number)d is now on %(date)s, when many libraries are "
                    "closed. /%(skip)s %(first)d %(weeks)d moves it past that.",
                    number=landing[0],
                    date=format_day(
                        landing[1].astimezone(ZoneInfo(circle.timezone)), "MMMMd", ctx.tr.locale
                    ),
                    skip=keywords.slash_name(ctx.tr, "skipweek"),
                    first=number,
                    weeks=max(1, landing[2] - weeks),  # more weeks, from where it is now
                )
            )
        return
    zone, tr = circle.timezone, ctx.tr
    name = await circles.name_for(
        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    when = tr.when(meetings.week_later(later[0].starts_at, zone, weeks), zone)
    if weeks > 1:
        question = tr.ngettext(
            "Skip %(weeks)d week in %(circle)s? Meeting %(number)d moves to %(when)s, and "
            "each meeting after it as many weeks later. Everyone in the circle will be told.",
            "Skip %(weeks)d weeks in %(circle)s? Meeting %(number)d moves to %(when)s, and "
            "each meeting after it as many weeks later. Everyone in the circle will be told.",
            weeks,
            weeks=weeks,
            circle=name,
            number=number,
            when=when,
        )
    elif len(later) > 1:
        question = tr._(
            "Skip a week in %(circle)s? Meeting %(number)d moves to %(when)s, and each meeting "
            "after it a week later. Everyone in the circle will be told.",
            circle=name,
            number=number,
            when=when,
        )
    else:
        question = tr._(
            "Skip a week in %(circle)s? Meeting %(number)d moves to %(when)s. Everyone in the "
            "circle will be told.",
            circle=name,
            number=number,
            when=when,
        )
    question += closed
    for kept in meetings.kept_places(circle, later, weeks):
        question += "\n" + tr._(
            "%(venue)s stays booked for %(date)s, which is meeting %(number)d from now on. "
            "To change that, answer no and use /edit venue.",
            venue=kept.venue,
            date=calendars.short_when(tr, kept.starts_at, zone),
            number=kept.number,
        )
    _ask(
        ctx,
        SKIPWEEK_FLOW,
        circle,
        question,
        meeting=number,
        weeks=weeks,
        starts=later[0].starts_at.isoformat(),  # the time asked about
    )


def _closed_day_warning(
    tr: Translator, circle: Circle, number: int, moving: list[Meeting], weeks: int
) -> str:
    """With its leading line break: the first meeting a skip would put on a day many libraries
    close (24 December skipped a week is the 31st: C1, D1), and how many weeks clear them all;
    "" if none would fall on one."""
    landing = _closed_landing(circle, moving, weeks)
    if landing is None:
        return ""
    first_landing, at, enough = landing
    zone = circle.timezone
    return "\n" + tr._(
        "Careful: meeting %(number)d would then be on %(date)s, when many libraries are "
        "closed. To skip past it, answer no and send /%(skip)s %(first)d %(weeks)d.",
        number=first_landing,
        date=format_day(at.astimezone(ZoneInfo(zone)), "MMMMd", tr.locale),
        skip=keywords.slash_name(tr, "skipweek"),
        first=number,
        weeks=enough,
    )


def _closed_landing(
    circle: Circle, moving: list[Meeting], weeks: int
) -> tuple[int, datetime, int] | None:
    """The first meeting skipping `weeks` would put on a day many libraries close, its new
    start, and how many weeks in all clear every closing day; None if none would fall on one."""
    zone = circle.timezone
    moved = [(one.number, meetings.week_later(one.starts_at, zone, weeks)) for one in moving]
    landing = [(numbered, at) for numbered, at in moved if meetings.on_closed_day(at, zone)]
    if not landing:
        return None
    enough = min(
        meetings.MOST_WEEKS_SKIPPED,
        weeks + meetings.weeks_past_closed_days([start for _, start in moved], zone),
    )
    return landing[0][0], landing[0][1], enough


async def skipweek_answer(ctx: Context, text: str) -> None:
    answer = await _answer(ctx, text)
    if answer is None:
        return
    number = int(answer.data["meeting"])
    if not answer.yes:
        ctx.reply(ctx.tr._("OK, the meetings stay as they are."))
        return
    circle = answer.circle
    meeting = await meetings.meeting_by_number(ctx.session, circle, number)
    if meeting.starts_at != datetime.fromisoformat(answer.data["starts"]):
        # Moved since the question: a yes to the old dates is no yes to the new ones.
        raise UserError(
            N_(
                "Meeting %(number)d has moved since I asked, so nothing has changed. Send "
                "/skipweek %(number)d again to see the new dates."
            ),
            number=number,
        )
    await meetings.finished(ctx.session, circle, ctx.now)
    await _skip_week(ctx, circle, number, int(answer.data.get("weeks", 1)))


async def _skip_week(ctx: Context, circle: Circle, number: int, weeks: int = 1) -> None:
    """Meeting N and every later one move a week (or `weeks`) later; members are told once."""
    assert circle.id is not None
    skipped = await meetings.skipping(ctx.session, circle, number, ctx.now)
    kept = meetings.kept_places(circle, skipped, weeks)
    was = skipped[0].starts_at
    moved = await meetings.skip_week(ctx.session, circle, number, ctx.now, weeks)
    meeting = moved[0]
    later = len(moved) > 1
    # Every moved meeting is on another day now: a "no" for 21 December says nothing about
    # 4 January, so the answers are cleared and the reminder asks again (as /reschedule does).
    cleared = 0
    for one in moved:
        cleared += await meetings.clear_rsvps(ctx.session, one)

    def places(tr: Translator, clock: schedule_notices.Clock, sentence: bool) -> list[str]:
        """Where the dates with a place of their own now meet (fac 17: told of the date)."""
        said = (
            N_("Meeting %(number)d (%(when)s) is at %(venue)s.")
            if sentence
            else N_("meeting %(number)d (%(when)s) is at %(venue)s")
        )
        return [
            tr._(
                said,
                number=place.number,
                when=clock.short_when(tr, place.starts_at),
                venue=place.venue,
            )
            for place in kept
        ]

    def told(tr: Translator, clock: schedule_notices.Clock) -> str:
        when = clock.when(tr, meeting.starts_at)
        if weeks > 1 and later:
            said = tr.ngettext(
                "%(circle)s skips %(weeks)d week: meeting %(number)d is now %(when)s, and each "
                "meeting after it is as many weeks later too.",
                "%(circle)s skips %(weeks)d weeks: meeting %(number)d is now %(when)s, and each "
                "meeting after it is as many weeks later too.",
                weeks,
                weeks=weeks,
                circle=circle.name,
                number=number,
                when=when,
            )
        elif weeks > 1:
            said = tr.ngettext(
                "%(circle)s skips %(weeks)d week: meeting %(number)d is now %(when)s.",
                "%(circle)s skips %(weeks)d weeks: meeting %(number)d is now %(when)s.",
                weeks,
                weeks=weeks,
                circle=circle.name,
                number=number,
                when=when,
            )
        elif later:
            said = tr._(
                "%(circle)s skips a week: meeting %(number)d is now %(when)s, and each "
                "meeting after it is a week later too.",
                circle=circle.name,
                number=number,
                when=when,
            )
        else:
            said = tr._(
                "%(circle)s skips a week: meeting %(number)d is now %(when)s.",
                circle=circle.name,
                number=number,
                when=when,
            )
        return " ".join([said, *places(tr, clock, sentence=True)])

    def part(tr: Translator, clock: schedule_notices.Clock) -> str:
        said = (
            tr.ngettext(
                "meeting %(number)d is now %(when)s, and each one after it %(weeks)d week later",
                "meeting %(number)d is now %(when)s, and each one after it %(weeks)d weeks later",
                weeks,
                weeks=weeks,
                number=number,
                when=clock.short_when(tr, meeting.starts_at),
            )
            if weeks > 1
            else tr._(
                "meeting %(number)d is now %(when)s, and each one after it a week later",
                number=number,
                when=clock.short_when(tr, meeting.starts_at),
            )
        )
        return "; ".join([said, *places(tr, clock, sentence=False)])

    gathered = await schedule_notices.tell(  # with the other changes made meanwhile
        ctx,
        circle,
        schedule_notices.Change(
            f"skip:{meeting.id}",
            told,
            part,
            (was,),
            net=notifications.Net(
                schedule_notices.meeting_state(was),
                schedule_notices.meeting_state(meeting.starts_at),
                number,
                covers=(f"meeting:{meeting.id}",),  # back on, then a week later: the move
            ),
        ),
    )
    ctx.reply(
        told(ctx.tr, schedule_notices.Clock.of(circle))  # the facilitator's: the circle's time
        + editing.letting(ctx.tr, gathered.reached)
        + schedule_notices.when_told(ctx.tr, gathered, ctx.now)
        + _answers_cleared(ctx.tr, cleared)
    )


# -- /close, /delete ------------------------------------------------------------------------------


# A reason given with /close is passed on to learners up to this long.
MAX_CLOSE_REASON_CHARS = 300


def _close_reason(ctx: Context, text: str) -> str:
    """Why the circle closes, in the facilitator's words after /close: none when they only
    name the circle ("/close Python"), what follows its name and a comma ("/close Python,
    too few signed up"), else all of them."""
    circle, membership = ctx.require_circle()
    words = " ".join(text.split())
    if not words or defaults.named([(membership, circle)], words, numbered=False):
        return ""
    head, comma, tail = words.partition(",")
    if comma and defaults.named([(membership, circle)], head, numbered=False):
        words = tail.strip()
    if len(words) > MAX_CLOSE_REASON_CHARS:
        raise UserError(
            N_("Please keep this under %(limit)d characters."), limit=MAX_CLOSE_REASON_CHARS
        )
    return words


async def close(ctx: Context, args: Args) -> None:
    """Ends the circle now, after asking: the meetings still to come are cancelled, and the
    close-out goes as for a circle whose last meeting has ended. Words after /close that
    don't name the circle say why, and learners read them (A16)."""
    circle, _ = ctx.require_circle()
    reason = _close_reason(ctx, str(args.get("reason") or ""))
    assert circle.id is not None
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    if await meetings.is_over(ctx.session, circle.id, ctx.now):
        raise UserError(N_("%(circle)s has already finished."), circle=name)
    rest = await meetings.still_to_come(ctx.session, circle.id, ctx.now)
    if not rest:
        raise UserError(
            N_("%(circle)s has no meetings still to come: it closes by itself after its last one."),
            circle=name,
        )
    question = ctx.tr.ngettext(
        "Close %(circle)s now? Its %(n)d meeting still to come won't take place, and "
        "everyone in the circle will be told.",
        "Close %(circle)s now? Its %(n)d meetings still to come won't take place, and "
        "everyone in the circle will be told.",
        len(rest),
        circle=name,
    )
    if reason:  # what learners will read, seen before she says yes
        question += "\n" + ctx.tr._("Learners will read why: “%(reason)s”", reason=reason)
    _ask(ctx, CLOSE_FLOW, circle, question, reason=reason)


async def close_answer(ctx: Context, text: str) -> None:
    answer = await _answer(ctx, text)
    if answer is None:
        return
    circle = answer.circle
    assert circle.id is not None
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    if not answer.yes:
        ctx.reply(ctx.tr._("OK, %(circle)s carries on.", circle=name))
        return
    reason = str(answer.data.get("reason") or "")
    await meetings.cancel_the_rest(ctx.session, circle, ctx.now)
    if not await meetings.held(ctx.session, circle.id, ctx.now):
        # No close-out without a meeting held: members hear that it won't meet.
        reached = await _closed_before_meeting(ctx, circle, reason)
        ctx.reply(
            ctx.tr.ngettext(
                "%(circle)s is closed. I'm letting %(n)d member know.",
                "%(circle)s is closed. I'm letting %(n)d members know.",
                reached,
                circle=name,
            )
            if reached
            else ctx.tr._("%(circle)s is closed.", circle=name)
        )
        return
    if await closeout.close_if_over(
        ctx.session,
        ctx.catalogs,
        ctx.now,
        circle,
        ctx.platforms,
        ctx.retention_days,
        reason=reason,
    ):
        ctx.reply(
            ctx.tr._(
                "%(circle)s is closed. Everyone is getting its closing message now, you too.",
                circle=name,
            )
        )
        return
    # A meeting is going on: it is the last, and the close-out comes as it ends. Why is told
    # now, the only time it is known (the close-out is the tick's).
    if reason:
        await ctx.notify_members(
            circle,
            (Role.LEARNER,),
            MessageKind.CIRCLE_CLOSED,
            "",
            lambda tr: (
                tr._("%(circle)s closes after the meeting going on now.", circle=circle.name)
                + closeout.why_closed(tr, reason)
            ),
        )
    ctx.reply(
        ctx.tr._(
            "%(circle)s is closed: the meeting going on now is its last. Everyone gets its "
            "closing message when it ends.",
            circle=name,
        )
    )


async def delete(ctx: Context, args: Args) -> None:
    """Deletes a circle that hasn't met, after asking (/close ends one that has)."""
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    await editing.check_deletable(ctx.session, circle, ctx.now)
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    others = len(await members.roster(ctx.session, circle.id)) - 1
    question = (
        ctx.tr.ngettext(
            "Delete %(circle)s? Its %(n)d member will be told, and this can't be undone.",
            "Delete %(circle)s? Its %(n)d members will be told, and this can't be undone.",
            others,
            circle=name,
        )
        if others
        else ctx.tr._("Delete %(circle)s? This can't be undone.", circle=name)
    )
    _ask(ctx, DELETE_FLOW, circle, question)


async def delete_answer(ctx: Context, text: str) -> None:
    answer = await _answer(ctx, text)
    if answer is None:
        return
    circle = answer.circle
    assert circle.id is not None
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    if not answer.yes:
        ctx.reply(ctx.tr._("OK, %(circle)s stays.", circle=name))
        return
    await editing.check_deletable(ctx.session, circle, ctx.now)
    told = [
        entry.person.id
        for entry in await members.roster(ctx.session, circle.id)
        if entry.person.id is not None and entry.person.id != ctx.person_id
    ]
    circle_id, circle_name, language = circle.id, circle.name, circle.language
    await editing.delete_circle(ctx.session, circle)
    ctx.circle = ctx.membership = None  # gone
    reached = 0
    for person_id in told:  # after the deletion, which takes the circle's messages with it
        reached += await notifications.notify(
            ctx.session,
            ctx.catalogs,
            ctx.now,
            person_id,
            OutboxKey(MessageKind.CIRCLE_DELETED, f"circle:{circle_id}", f"person:{person_id}"),
            lambda tr: tr._(
                "%(circle)s won't go ahead: its facilitator deleted it before its first "
                "meeting. Thank you for joining!",
                circle=circle_name,
            ),
            language,
        )
    ctx.reply(
        ctx.tr.ngettext(
            "%(circle)s is deleted. I'm letting %(n)d member know.",
            "%(circle)s is deleted. I'm letting %(n)d members know.",
            reached,
            circle=name,
        )
        if reached
        else ctx.tr._("%(circle)s is deleted.", circle=name)
    )


# -- /attendance ------------------------------------------------------------------------------

ATTENDANCE_FLOW = "attendance"


async def _attendance_sheet(ctx: Context, circle: Circle, meeting: Meeting) -> None:
    """The learners, numbered and ticked, with choices to tick more (a number again unticks)."""
    assert circle.id is not None and meeting.id is not None
    roster = [
        e for e in await members.roster(ctx.session, circle.id) if e.membership.role == Role.LEARNER
    ]
    if not roster:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("No learners have joined yet, so there's no attendance to take."))
    # Only those who had joined by the meeting's end: a later learner wasn't there to come.
    # Nor one who had left then and came back after it (issue 16): she was away for it.
    spells = await away.spells_of(ctx.session, [e.membership.id or 0 for e in roster])
    learners = [
        e
        for e in roster
        if e.membership.joined_at < meeting.ends_at
        and not away.away_for(
            spells.get(e.membership.id or 0, ()), meeting.starts_at, meeting.ends_at
        )
    ]
    if not learners:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(
            N_("No learners had joined by meeting %(number)d, so there's no attendance to take."),
            number=meeting.number,
        )
    came = await attendance_records.present(ctx.session, meeting.id)
    tr = ctx.tr
    heading = tr._(
        "Who came to meeting %(number)d (%(when)s)?",
        number=meeting.number,
        when=tr.date(meeting.starts_at, circle.timezone),
    )
    if len(ctx.memberships) > 1:
        # Someone in several circles (running them, or learning in another) has several
        # meetings numbered 1: say whose.
        name = await circles.name_for(ctx.session, tr, ctx.person_id, circle)
        heading = tr._("%(circle)s: %(reply)s", circle=name, reply=heading)
    lines = [heading]
    for number, entry in enumerate(learners, start=1):
        mark = "[x]" if entry.person.id in came else "[ ]"
        lines.append(f"{mark} {number}. {entry.person.display_name}")
    lines.append(
        tr._(
            "Reply with the numbers of who came (for example: 1 3 4). To untick someone, "
            "put a minus before their number (-2). Send done when you're finished."
        )
    )
    conversations.begin(
        ctx.conversation,
        ATTENDANCE_FLOW,
        {"circle": circle.id, "meeting": meeting.id, "people": [e.person.id for e in learners]},
        ctx.now,
    )
    ctx.reply("\n".join(lines), choices=_attendance_buttons(ctx, learners))


def _attendance_buttons(ctx: Context, learners: list[members.RosterEntry]) -> list[Choice]:
    """A button per learner and one for done, where the platform shows buttons. Without them
    the choices would be spelled out under the sheet ("Reply 3 for Done"): a second
    instruction beside the sheet's own ("Send done"), where numbers should only mean learners."""
    platform = ctx.platforms.get(ctx.inbound.platform)
    if platform is None or not platform.capabilities.buttons:
        return []
    ticks = [Choice(e.person.display_name, str(n)) for n, e in enumerate(learners, start=1)]
    return [*ticks, Choice(ctx.tr._("Done"), "done")]


async def _not_long_ended(ctx: Context, circle: Circle) -> None:
    """Refuse to change who came to a circle that ended longer ago than /attendance is offered
    for (its Command.after_end): its records and reports were settled then (fac 29: a pick
    among circles silently saved meeting 1 of one ended in January again)."""
    command = ctx.registry.get("attendance")
    assert circle.id is not None
    held = [
        m
        for m in await meetings.schedule(ctx.session, circle.id)
        if m.status != MeetingStatus.CANCELLED
    ]
    if command is None or command.after_end is None or not held:
        return
    last = max(m.ends_at for m in held)
    if last + command.after_end <= ctx.now:
        raise UserError(
            N_(
                "%(circle)s ended on %(date)s, more than a week ago, so its attendance can't "
                "be changed any more. /report shows who came."
            ),
            circle=circle.name,
            date=ctx.tr.date(last, circle.timezone),
        )


async def attendance(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    number = args.get("meeting")
    if isinstance(number, int):
        meeting = await meetings.meeting_by_number(ctx.session, circle, number)
        if meeting.status == MeetingStatus.CANCELLED:
            raise UserError(N_("Meeting %(number)d was cancelled."), number=number)
        if meeting.starts_at > ctx.now + attendance_records.EARLY_ARRIVAL:
            raise UserError(
                N_("Meeting %(number)d hasn't happened yet: it's %(when)s."),
                number=number,
                when=ctx.tr.when(meeting.starts_at, circle.timezone),
            )
    else:
        meeting = await attendance_records.latest_started(ctx.session, circle.id, ctx.now)
    await _not_long_ended(ctx, circle)
    sheet_at = len(ctx.replies)
    await _attendance_sheet(ctx, circle, meeting)
    who = str(args.get("who") or "").strip()
    if who:
        # "/attendance 2 Tom Rosa Aaliyah" (walkthrough 8, fac 6): the names as if sent to the
        # sheet, and the sheet closed; its answer says what was ticked.
        del ctx.replies[sheet_at:]
        assert meeting.id is not None
        if await attendance_records.taken_by_facilitator(ctx.session, [meeting.id]):
            await _ask_to_change(ctx, meeting, who)  # saved: changed only after a yes (fac 30)
            return
        await attendance_answer(ctx, f"{who} {ctx.tr._('done')}")


async def _ask_to_change(ctx: Context, meeting: Meeting, who: str) -> None:
    """Asks before `who` replaces the attendance already saved for `meeting`; the sheet's flow
    waits for the yes (attendance_answer)."""
    assert meeting.id is not None
    data = ctx.conversation.data
    people_ids: list[int] = data["people"]
    here = await attendance_records.present(ctx.session, meeting.id) & set(people_ids)
    conversations.begin(ctx.conversation, ATTENDANCE_FLOW, {**data, "change": who}, ctx.now)
    ctx.reply(
        ctx.tr._(
            "Attendance for meeting %(number)d is already saved: %(n)d of %(total)d came. "
            "Send yes to change it, or no to keep it.",
            number=meeting.number,
            n=len(here),
            total=len(people_ids),
        )
    )


# Translators: words a facilitator may send for "everyone came", comma-separated.
EVERYONE = N_("all, everyone, everybody")
# Translators: words a facilitator may send for "both came" on a sheet of two people,
# comma-separated ("beide", "les deux", "los dos").
BOTH = N_("both")
# Translators: words between names in "carlos and dee", comma-separated.
JOINING = N_("and")
# Translators: what a facilitator may send to close the attendance sheet, besides "done" as
# the sheet says it: your language's everyday ways to say "that's it" ("c'est bon", "ya
# está"), comma-separated. Keep the English ones.
DONE_WORDS = N_("done, finished, that's all, that's it, ok, okay")
# Translators: what a facilitator may send to close the attendance sheet once everyone who
# came is ticked ("c'est tout le monde", "das sind alle"), comma-separated. Keep the English
# ones.
DONE_EVERYONE = N_("that's everyone, that's everybody, that's all of them")
# Translators: what a facilitator may send on the attendance sheet to say nobody came,
# comma-separated ("no one", "nadie", "hakuna mtu"); a whole answer, so never "no" alone.
NOBODY = N_("nobody, no one, none")
# Translators: words said with names on the attendance sheet to mean they came and nobody else
# did ("only Mariam", "seulement Mariam", "Mariam peke yake"); comma-separated, a phrase of a
# few words where your language says it so. Never a word that also means "just now" ("Koffi
# just arrived"). Keep the English ones.
ONLY = N_("only, alone")


def _only_phrases(reader: Translator) -> list[tuple[str, ...]]:
    """ONLY's words and phrases, in English and the reader's languages, as plain() words."""
    listed = f"{ONLY},{reader._(ONLY)}".split(",")
    found = {tuple(keywords.plain(word) for word in phrase.split()) for phrase in listed}
    return [phrase for phrase in found if phrase and all(phrase)]


def _only_words(reader: Translator) -> set[str]:
    """ONLY's words one by one: said around names, they are no names ("peke", "yake")."""
    return {word for phrase in _only_phrases(reader) for word in phrase}


def _says_only(reader: Translator, text: str) -> bool:
    """Whether the answer on the sheet says its names came and nobody else (ONLY)."""
    said = [keywords.plain(token) for token in re.split(r"[^\w'’-]+", text)]
    said = [word for word in said if word]
    return any(
        tuple(said[at : at + len(phrase)]) == phrase
        for phrase in _only_phrases(reader)
        for at in range(len(said) - len(phrase) + 1)
    )


def _sheet_words(
    reader: Translator, count: int, catalogs: Catalogs
) -> attendance_records.SheetWords:
    """The words a sentence on a sheet of `count` names is read with, in the reader's
    languages; those that say someone didn't come in every language too ("X war nicht da"
    from an English reader: sms 30)."""
    return attendance_records.SheetWords(
        fillers=frozenset(
            keywords.words(reader, attendance_records.FILLERS)
            | keywords.words(reader, attendance_records.SENTENCE_WORDS)
            | keywords.words(reader, JOINING)
            | _only_words(reader)
            # "apart", "from" of "apart from": never names.
            | {
                keywords.plain(word)
                for part in keywords.words(reader, attendance_records.EXCEPT)
                for word in part.split()
            }
        ),
        absent=frozenset(
            keywords.words(reader, attendance_records.ABSENT_WORDS)
            | keywords.words(reader, attendance_records.AWAY_WORDS)
            | keywords.phrases(
                catalogs, attendance_records.ABSENT_WORDS, attendance_records.AWAY_WORDS
            )
        ),
        everyone=frozenset(keywords.words(reader, EVERYONE)),
        both=frozenset(keywords.words(reader, BOTH)),
        nobody=frozenset(keywords.words(reader, NOBODY)),
        done=frozenset(_done_words(reader)),
        but=frozenset(keywords.words(reader, attendance_records.EXCEPT)),
        all_of=frozenset(values.count_words(count)) if count > 1 else frozenset(),
        elsewhere=keywords.phrases(catalogs, attendance_records.ELSEWHERE),
        no_place=keywords.phrases(
            catalogs, attendance_records.FILLERS, attendance_records.SENTENCE_WORDS
        ),
    )


def _done_words(reader: Translator) -> set[str]:
    """What closes the sheet: "done", its translation, DONE_WORDS and DONE_EVERYONE."""
    return (
        {"done", keywords.plain(reader._("done"))}
        | keywords.words(reader, DONE_WORDS)
        | keywords.words(reader, DONE_EVERYONE)
    )


def _says_nobody(tr: Translator, text: str) -> bool:
    """Whether the answer says nobody came: a NOBODY word, alone or with the words said
    around names ("nobody came", "nadie vino", "hakuna mtu alikuja")."""
    nobody = keywords.words(tr, NOBODY)
    fillers = keywords.words(tr, attendance_records.FILLERS)
    said = [word for word in text.split() if keywords.plain(word) not in fillers]
    return bool(nobody & {keywords.plain(text), keywords.plain("".join(said))} - {""})


async def _sheet_names(ctx: Context, people_ids: list[int]) -> list[str]:
    """The names on the attendance sheet, in its order ("" for someone no longer there)."""
    rows = await ctx.session.exec(
        select(Person.id, Person.display_name).where(col(Person.id).in_(people_ids))
    )
    found = dict(rows.all())
    return [found.get(person_id, "") for person_id in people_ids]


def _numbered(tr: Translator, text: str, names: list[str]) -> str:
    """The answer with names and "all" written as the sheet's numbers: "carlos and dee" ->
    "1 3", "all" -> "1 2 3" (everyone ticked, and the sheet waits for done like numbers do:
    "all" is often followed by an untick, "-3", for the one who didn't come). A full name or a
    first name only one person on the sheet has, any case and accents. What it does not read
    stays as typed, for read_ticks to refuse."""
    everyone = keywords.words(tr, EVERYONE) | (
        keywords.words(tr, BOTH) if len(names) == 2 else set()
    )
    # "vinieron Lucía y Arturo", "nur Jonas": the words around the names say nothing more.
    joining = keywords.words(tr, JOINING) | keywords.words(tr, attendance_records.FILLERS)
    joining |= _only_words(tr)  # "Mariam peke yake"
    done_words = _done_words(tr)
    full = {keywords.plain(name): n for n, name in reversed(list(enumerate(names, 1))) if name}
    first: dict[str, list[int]] = {}
    for n, name in enumerate(names, 1):
        if name:
            first.setdefault(keywords.plain(name.split()[0]), []).append(n)
    tokens = text.replace(",", " ").split()
    out: list[str] = []
    done = False
    at = 0
    while at < len(tokens):
        sign = "-" if tokens[at].startswith("-") else ""
        word = keywords.plain(tokens[at])
        # A name or a way to say done of two or three words ("Ana María", "c'est bon").
        span = next(
            (
                k
                for k in (3, 2)
                if keywords.plain("".join(tokens[at : at + k]))
                in full.keys() | done_words | everyone
            ),
            1,
        )
        typed = keywords.plain("".join(tokens[at : at + span]))
        at += span
        if typed in done_words:
            done = True
        elif typed in everyone:
            out.extend(str(n) for n in range(1, len(names) + 1))
        elif word in joining:
            continue
        elif typed in full:
            out.append(f"{sign}{full[typed]}")
        elif len(first.get(word, [])) == 1:
            out.append(f"{sign}{first[word][0]}")
        else:
            out.append(tokens[at - span])  # a number, or a word nobody on the sheet has
    return " ".join([*out, "done"] if done else out)


def _correction(tr: Translator, numbered: str) -> str | None:
    """To "Nobody came?", a no corrects us ("no wait, Otieno came", read as "no wait 1 came"):
    the numbers it gives, and done, since she had said done. "" for a bare no, None when the
    answer doesn't start with no."""
    words = numbered.split()
    if not words or keywords.plain(words[0]) not in keywords.words(tr, keywords.NO):
        return None
    ticks = [word for word in words[1:] if word.removeprefix("-").isdecimal()]
    return " ".join([*ticks, "done"]) if ticks else ""


async def attendance_answer(ctx: Context, text: str) -> None:
    data = ctx.conversation.data
    meeting = await ctx.session.get(Meeting, data["meeting"])
    circle = await ctx.session.get(Circle, meeting.circle_id) if meeting else None
    if meeting is None or circle is None or meeting.id is None:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("That meeting no longer exists."))
    people_ids: list[int] = data["people"]
    tr = ctx.tr
    said_yes = keywords.plain(text) in {"yes", keywords.plain(tr._("Yes"))} | (
        keywords.words(tr, keywords.YES)
    )
    change = data.get("change")
    if isinstance(change, str):
        # "Change it?" after /attendance N NAMES on a meeting already saved.
        if said_yes:
            kept = {key: value for key, value in data.items() if key != "change"}
            conversations.begin(ctx.conversation, ATTENDANCE_FLOW, kept, ctx.now)
            await attendance_answer(ctx, f"{change} {tr._('done')}")
            return
        conversations.finish(ctx.conversation, ctx.now)
        ctx.reply(
            tr._(
                "I've closed the attendance sheet for meeting %(number)d; what you ticked is "
                "kept. Send /attendance %(number)d to open it again.",
                number=meeting.number,
            )
        )
        # Anything but a no is read again as if no sheet waited.
        ctx.not_an_answer = keywords.plain(text) not in keywords.words(ctx.reader, keywords.NO)
        return
    guessed = data.get("guessed")
    if isinstance(guessed, list) and guessed and said_yes:
        # "Kiesha isn't on the list. Did you mean Keisha?" - "yes" (fac 14): Keisha came.
        done = ["done"] if data.get("guessed_done") else []
        text = " ".join([*(str(n) for n in guessed), *done])
    if (data.get("nobody") and said_yes) or _says_nobody(ctx.reader, text):
        conversations.finish(ctx.conversation, ctx.now)
        # "nobody" said outright overrides the ticks on the sheet (the facilitator saw them).
        await attendance_records.record(ctx.session, meeting.id, (), people_ids, ctx.now)
        await attendance_records.nobody_came(ctx.session, meeting.id, ctx.now)
        ctx.reply(tr._("Noted: nobody came to meeting %(number)d.", number=meeting.number))
        return
    # Numbers, done, or both at once ("1 done"): bot/rhythm/attendance.py read_ticks; names
    # and "all" are read as the sheet's numbers first.
    names = await _sheet_names(ctx, people_ids)
    # In the reader's words and their circles' ("fertig" from a German circle's facilitator
    # who reads English: D53).
    numbered = _numbered(ctx.reader, text, names)
    if data.get("nobody"):
        corrected = _correction(ctx.reader, numbered)
        if corrected == "":
            await _attendance_sheet(ctx, circle, meeting)  # a bare "no": back to the list
            return
        numbered = corrected or numbered
    ticks = attendance_records.read_ticks(ctx.reader, numbered, len(people_ids))
    unknown: list[tuple[str, str]] = []
    sentence_done = False
    # "how is everyone doing?": a question, never "everyone came" (fac 30).
    asks = answers.asks_a_question(ctx, text)
    if ticks is None and not data.get("nobody") and not asks:
        # Names inside a sentence ("carlos came too, late", "zawadi alikuja, otis hakuja"),
        # a name the sheet hasn't ("Carmen", "eddy"): read, never the sheet closed on them.
        said = _sheet_words(ctx.reader, len(names), ctx.catalogs)
        sentence = attendance_records.read_sentence(text, names, said)
        if sentence.nobody:
            conversations.finish(ctx.conversation, ctx.now)
            await attendance_records.record(ctx.session, meeting.id, (), people_ids, ctx.now)
            await attendance_records.nobody_came(ctx.session, meeting.id, ctx.now)
            ctx.reply(tr._("Noted: nobody came to meeting %(number)d.", number=meeting.number))
            return
        if sentence.understood:
            unknown, sentence_done = sentence.unknown, sentence.done
            ticks = attendance_records.Ticks(
                came=sentence.came, unticked=sentence.unticked, done=sentence.done and not unknown
            )
    if ticks is not None and ticks.came and not ticks.unticked and _says_only(ctx.reader, text):
        # "seulement Mariam", "Mariam peke yake": she came, and nobody else did (B18), though
        # someone said /here or was ticked before.
        others = set(range(1, len(people_ids) + 1)) - ticks.came
        ticks = attendance_records.Ticks(came=ticks.came, unticked=others, done=ticks.done)
    for typed, like in unknown:
        if like:
            ctx.reply(
                tr._("%(name)s isn't on the list. Did you mean %(like)s?", name=typed, like=like)
            )
        else:
            ctx.reply(
                tr._("%(name)s isn't on the list for %(circle)s.", name=typed, circle=circle.name)
            )
    if ticks is None and (questions.a_sentence(text) or "?" in text or asks):
        # A sentence, not names ("Julien, can you help me with the attendance?"): the sheet
        # closes, what was ticked is kept, and the words go where words go.
        conversations.finish(ctx.conversation, ctx.now)
        ctx.reply(
            tr._(
                "I've closed the attendance sheet for meeting %(number)d; what you ticked is "
                "kept. Send /attendance %(number)d to open it again.",
                number=meeting.number,
            )
        )
        ctx.not_an_answer = True
        return
    if ticks is None:
        if len(people_ids) == 1 and names[0]:
            # "from 1 to 1" reads like a form: with one learner, say who.
            ctx.reply(tr._("Please reply with 1 or %(name)s, or done.", name=names[0]))
            return
        ctx.reply(
            tr._(
                "Please reply with numbers from 1 to %(count)d, first names, all, or done.",
                count=len(people_ids),
            )
        )
        return
    if ticks.came or ticks.unticked:
        here = await attendance_records.record(
            ctx.session,
            meeting.id,
            {people_ids[n - 1] for n in ticks.came},
            {people_ids[n - 1] for n in ticks.unticked},
            ctx.now,
        )
    else:
        here = await attendance_records.present(ctx.session, meeting.id)
    if not ticks.done:
        await _attendance_sheet(ctx, circle, meeting)
        guesses = sorted({names.index(like) + 1 for _, like in unknown if like in names})
        if guesses:
            # A yes next says the one meant came, and closes the sheet if done was said.
            ctx.conversation.data = {
                **ctx.conversation.data,
                "guessed": guesses,
                "guessed_done": sentence_done,
            }
        return
    came = here & set(people_ids)
    if not came:
        # "done" with nobody ticked is more often a slip than an empty room: ask, record no one.
        conversations.begin(ctx.conversation, ATTENDANCE_FLOW, {**data, "nobody": True}, ctx.now)
        platform = ctx.platforms.get(ctx.inbound.platform)
        buttons = platform is not None and platform.capabilities.buttons
        ctx.reply(
            tr._(
                "Nobody came to meeting %(number)d? Send yes if so, or the numbers of who came "
                "(for example: 1 3 done).",
                number=meeting.number,
            ),
            choices=[Choice(tr._("Nobody came"), "yes")] if buttons else [],
        )
        return
    conversations.finish(ctx.conversation, ctx.now)
    await attendance_records.confirm(ctx.session, meeting.id, came, ctx.now)
    if len(people_ids) == 1 and names[0]:
        # "1 of 1 learners came" can't agree in every language: with one learner, the name.
        ctx.reply(
            tr._(
                "Saved: %(name)s came to meeting %(number)d.", name=names[0], number=meeting.number
            )
        )
        return
    # The number agrees with "came" (issue 16: plurals chosen on the total).
    ctx.reply(
        tr.ngettext(
            "Saved: %(n)d of %(total)d learners came to meeting %(number)d.",
            "Saved: %(n)d of %(total)d learners came to meeting %(number)d.",
            len(came),
            total=len(people_ids),
            number=meeting.number,
        )
    )


# -- /digest, /reminders ------------------------------------------------------------------------


async def digest(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
    digest = await digests.build(ctx.session, circle, upcoming, ctx.now)
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    ctx.reply(digests.render(ctx.tr, circle, digest, name, reader=ctx.person_id))


MAX_REMINDERS = 4
_UNITS = {"m": 1, "min": 1, "h": 60, "d": 24 * 60}
_MOST_MINUTES_BEFORE = MAX_REMINDER_OFFSET // timedelta(minutes=1)


def parse_span(word: str) -> int:
    """'24h' -> 1440, '90m' -> 90, '2d': a length of time, in minutes. A bare number is
    refused: 2 could be hours or minutes, and a wrong guess sends a reminder at the wrong time."""
    read = read_spans(word)
    if read is not None and len(read) == 1:
        return read[0]
    word = word.casefold()
    number = word.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = word[len(number) :]
    if number.isdecimal() and not unit and len(number) <= 4:
        raise UserError(
            N_(
                "Is %(number)s hours or minutes? Write it with a unit, like %(number)sh or "
                "%(number)sm."
            ),
            number=number,
        )
    if not number.isdecimal() or unit not in _UNITS or len(number) > 4:
        raise UserError(
            N_("I couldn't read %(word)s. Write times like 24h, 90m or 2d, or off."), word=word
        )
    return int(number) * _UNITS[unit]


def parse_offsets(text: str) -> list[int]:
    """'24h 1h' or '2 days and 1 hour' -> [2880, 60] (minutes, furthest first); 'off' -> []."""
    words = text.replace(",", " ").casefold().split()
    if words in (["off"], ["none"], ["0"]):
        return []
    read = read_spans(text)
    # Not read as a whole: the first word that isn't a length says why.
    offsets = set(read) if read is not None else {parse_span(word) for word in words}
    if not all(0 < minutes <= _MOST_MINUTES_BEFORE for minutes in offsets):
        raise UserError(N_("Reminders can go from 1 minute to 7 days before a meeting."))
    if len(offsets) > MAX_REMINDERS:
        raise UserError(N_("Up to %(count)d reminders per meeting, please."), count=MAX_REMINDERS)
    return sorted(offsets, reverse=True)


def usual_reminders() -> list[int]:
    """The reminders a new circle starts with (the model's default), for /reminders on."""
    default = Circle.model_fields["reminder_offsets"].get_default(call_default_factory=True)
    return list(default)


def reminder_times(tr: Translator, circle: Circle) -> str:
    """'24 hours and 1 hour': when a circle's reminders go, in the reader's words."""
    return spans.spans(tr, circle.reminder_offsets)


async def reminders(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    typed = args.get("times")
    if isinstance(typed, str):
        if typed.strip().casefold() in {"on", tr._("on").casefold()}:
            # Back on after /reminders off; reminders already on keep their chosen times.
            circle.reminder_offsets = circle.reminder_offsets or usual_reminders()
        elif keywords.plain(typed) == keywords.plain(tr._("off")):
            circle.reminder_offsets = []  # the reader's word for off ("désactiver")
        else:
            circle.reminder_offsets = parse_offsets(typed)
        ctx.session.add(circle)
    name = await circles.name_for(
        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    if not circle.reminder_offsets:
        ctx.reply(tr._("%(circle)s sends no meeting reminders.", circle=name))
        return
    ctx.reply(spans.reminders_sentence(tr, name, circle.reminder_offsets))


MAX_CHECKIN_DAYS = 6
MAX_LETTERS = 10  # a check-in must go out before the next weekly meeting


async def rhythm(ctx: Context, args: Args) -> None:
    """/rhythm alone: the circle's weekly rhythm (its sub-commands, declared in the command
    table, change one part of it each: rhythm_checkin, rhythm_digest, rhythm_letters)."""
    if args.get("setting"):
        raise UserError(
            N_(
                "Usage: /rhythm, /rhythm checkin DAYS TIME (e.g. 1 10:00), /rhythm digest "
                "24h, /rhythm letters COUNT TIME (e.g. 3 30m)"
            )
        )
    await _show_rhythm(ctx)


async def rhythm_checkin(ctx: Context, args: Args) -> None:
    """/rhythm checkin DAYS TIME: the check-in, DAYS after each meeting at TIME."""
    circle, _ = ctx.require_circle()
    days = int(str(args["days"]))
    typed = str(args["time"]).split()
    if len(typed) > 1 and read_spans(f"1 {typed[0]}") == [24 * 60]:
        typed = typed[1:]  # "/rhythm checkin 2 days 7pm": the days' unit
    at = parse_time(" ".join(typed))
    if days > MAX_CHECKIN_DAYS:
        raise UserError(
            N_("The check-in goes out 0 to %(days)d days after a meeting."),
            days=MAX_CHECKIN_DAYS,
        )
    circle.checkin_days_after = days
    circle.checkin_time = at
    ctx.session.add(circle)
    await _show_rhythm(ctx)


async def rhythm_digest(ctx: Context, args: Args) -> None:
    """/rhythm digest SPAN: the facilitator's digest, SPAN before each meeting."""
    circle, _ = ctx.require_circle()
    minutes = parse_span(str(args["before"]))
    if not 0 < minutes <= _MOST_MINUTES_BEFORE:
        raise UserError(N_("Your digest can go out from 1 minute to 7 days before a meeting."))
    circle.digest_minutes_before = minutes
    ctx.session.add(circle)
    await _show_rhythm(ctx)
    if circle.reminder_offsets and minutes > max(circle.reminder_offsets):
        # The question "Will you come?" goes with the first reminder: a digest before it has
        # no headcount, the reason most read it.
        ctx.reply(
            ctx.tr._(
                "Note: your digest will now come before I ask who's coming (%(asked)s before "
                "each meeting), so it won't say who is coming. To ask earlier: /reminders "
                "%(times)s",
                asked=spans.span(ctx.tr, max(circle.reminder_offsets)),
                times=" ".join(
                    spans.span(ctx.tr, m)
                    for m in sorted({minutes, min(circle.reminder_offsets)}, reverse=True)
                ),
            )
        )


async def rhythm_letters(ctx: Context, args: Args) -> None:
    """/rhythm letters COUNT SPAN: letters wanted for the first meeting, and the invitation to
    write SPAN into the last one."""
    circle, _ = ctx.require_circle()
    count = int(str(args["count"]))
    minutes = parse_span(str(args["into"]))
    if count > MAX_LETTERS:
        raise UserError(
            N_(
                "Write it as /rhythm letters COUNT TIME, e.g. /rhythm letters 3 30m: "
                "up to %(max)d letters for your first meeting, and the invitation to "
                "write that long into your last one."
            ),
            max=MAX_LETTERS,
        )
    if not 0 < minutes < circle.duration_minutes:
        raise UserError(
            N_("The invitation has to come during the meeting (it lasts %(minutes)d min)."),
            minutes=circle.duration_minutes,
        )
    circle.letters_wanted = count
    circle.letter_invite_minutes = minutes
    ctx.session.add(circle)
    await _show_rhythm(ctx)


def _local_time(tr: Translator, circle: Circle, now: datetime) -> str:
    """The check-in's time of day as the reader writes times ("7:00 PM", "19:00")."""
    zone = circle.timezone
    local = datetime.combine(now.date(), circle.checkin_time, tzinfo=ZoneInfo(zone))
    return tr.time(local, zone)


def _zoned(tr: Translator, circle: Circle, own: str | None, now: datetime) -> str:
    """The check-in's time of day in the circle's zone, named when the reader lives in another
    (a check-in "at 10:00 AM" is Berlin's, not her Istanbul's)."""
    said = _local_time(tr, circle, now)
    if not own or own == circle.timezone:
        return said
    zone = tr.zone_name(now, circle.timezone)
    return tr._(N_("%(time)s (%(zone)s)"), time=said, zone=zone)


async def _show_rhythm(ctx: Context) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    reminders_line = (
        tr._(
            "Reminders: %(times)s before each meeting (/reminders).",
            times=reminder_times(tr, circle),
        )
        if circle.reminder_offsets
        else tr._("Reminders: none (/reminders).")
    )
    ctx.reply(
        "\n".join(
            [
                tr._(
                    "The weekly rhythm of %(circle)s:",
                    circle=await circles.name_for(
                        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
                    ),
                ),
                reminders_line,
                tr.ngettext(
                    "Check-in: %(n)d day after each meeting, at %(time)s.",
                    "Check-in: %(n)d days after each meeting, at %(time)s.",
                    circle.checkin_days_after,
                    time=_zoned(tr, circle, ctx.person.timezone, ctx.now),
                ),
                tr._(
                    "Your digest: %(time)s before each meeting.",
                    time=tr.duration(timedelta(minutes=circle.digest_minutes_before)),
                ),
                # Plain words (walkthrough 8, fac 26: "3" what? received? written?).
                tr.ngettext(
                    "Letters: at your first meeting I'll share up to %(n)d letter from a circle "
                    "elsewhere. %(time)s into your last meeting, I'll invite your learners to "
                    "write their own.",
                    "Letters: at your first meeting I'll share up to %(n)d letters from circles "
                    "elsewhere. %(time)s into your last meeting, I'll invite your learners to "
                    "write their own.",
                    circle.letters_wanted,
                    time=tr.duration(timedelta(minutes=circle.letter_invite_minutes)),
                ),
            ]
        )
    )
