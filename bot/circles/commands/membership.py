"""Learner commands: /join, /next, /schedule, /leave, /default; and a facilitator's /letback,
which lets a learner they took off (/remove) join again."""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import keywords, rendering
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator, short_when
from bot.chat.messages import Choice
from bot.circles import (
    circles,
    defaults,
    dialin,
    discovery,
    join_notices,
    joincodes,
    meetings,
    own_zones,
    seats,
)
from bot.circles.circles import JoinOutcome, JoinResult
from bot.circles.commands import leaving, seating
from bot.circles.erasure import unnamed_names
from bot.circles.join_notices import joined_notice
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import confirmations, conversations, members, notifications
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.rhythm.commands import answers
from bot.storage.models import Circle, Meeting, MeetingStatus, Membership, Person, Role
from prompts import onboarding


async def describe_meeting(
    session: AsyncSession,
    tr: Translator,
    circle: Circle,
    meeting: Meeting,
    own_zone: str | None = None,
    planned: list[Meeting] | None = None,
    short: bool = False,
) -> str:
    """The meeting for a member: "Meeting 3 of 6: ...". With meetings cancelled, "of 8" would
    count meetings that won't take place; a learner wants to know how many are left, so it
    says that instead ("Meeting 6, then 1 more: ...", "Meeting 6, the last one: ..."). The
    number stays the meeting's own, the one /schedule, /rsvp and the reminders use. In the
    reader's `own_zone` where the circle meets online (own_zones). `planned`: the circle's
    schedule, if already read. `short`: by SMS, in the circle's own town, the day without its
    year or zone ("Tuesday, Dec 15, 6:00 PM"): the meeting is days away, where the learner
    lives, and the long date made the welcome a third SMS (walks A5, C8)."""
    assert circle.id is not None
    when = tr.when(meeting.starts_at, own_zones.zone_for(circle, own_zone))
    if short and own_zones.own_zone(circle, own_zone) is None:
        when = short_when(tr, meeting.starts_at, circle.timezone)
    venue = meetings.venue_of(circle, meeting)
    if planned is None:
        planned = await meetings.schedule(session, circle.id)
    cancelled, after = await meetings.outlook(session, circle.id, meeting, planned)
    before = [m for m in planned if m.starts_at < meeting.starts_at]
    if before and all(m.status == MeetingStatus.CANCELLED for m in before):
        # The ones before it were all cancelled: it is the first to take place, not "Meeting
        # 2", which a newcomer reads as one she missed (fac 43).
        if not after:
            return tr._("The only meeting: %(when)s, at %(venue)s.", when=when, venue=venue)
        return tr.ngettext(
            "First meeting: %(when)s, at %(venue)s (then %(n)d more).",
            "First meeting: %(when)s, at %(venue)s (then %(n)d more).",
            after,
            when=when,
            venue=venue,
        )
    if not cancelled:
        return tr._(
            "Meeting %(number)d of %(count)d: %(when)s, at %(venue)s.",
            number=meeting.number,
            count=circle.meeting_count,
            when=when,
            venue=venue,
        )
    if not after:
        return tr._(
            "Meeting %(number)d, the last one: %(when)s, at %(venue)s.",
            number=meeting.number,
            when=when,
            venue=venue,
        )
    return tr.ngettext(
        "Meeting %(number)d, then %(n)d more: %(when)s, at %(venue)s.",
        "Meeting %(number)d, then %(n)d more: %(when)s, at %(venue)s.",
        after,
        number=meeting.number,
        when=when,
        venue=venue,
    )


async def join(ctx: Context, args: Args) -> None:
    typed = str(args["code"])
    full = await seats.circle_for_code(ctx.session, typed)
    if (
        full is not None
        and await seats.must_wait(ctx.session, ctx.now, full, ctx.person_id)
        and not await _removed_from(ctx, full)  # no waiting list for them either (answer_join)
    ):
        await seating.wait_for_seat(ctx, full)  # a full circle: its waiting list (seats.py)
        return
    result = await circles.join(ctx.session, ctx.now, ctx.person, ctx.account, typed, full)
    await answer_join(ctx, result, typed)


def _join_words(ctx: Context, language: str) -> set[str]:
    """/join's name and the JOIN keyword in `language`, as plain()."""
    tr = ctx.catalogs.translator(language)
    return {keywords.plain(keywords.local_name(tr, "join"))} | keywords.words(tr, keywords.JOIN)


def _join_word(ctx: Context) -> str:
    """The first word of the message that joined, as plain() ("join", "jiunge")."""
    typed = (ctx.inbound.text or "").split(maxsplit=1)
    return keywords.plain(typed[0].lstrip("/")) if typed else ""


def _joined_in(ctx: Context, language: str) -> bool:
    """Whether the message that joined named joining in `language` (its /join or its JOIN
    keyword), while the platform hinted another language."""
    hint = ctx.account.locale_hint
    if not hint or hint.split("_")[0] == language.split("_")[0]:
        return False
    word = _join_word(ctx)
    return bool(word) and word in _join_words(ctx, language) and word not in _join_words(ctx, hint)


# Told once, with the first reply to a new number whose words didn't say its language, and
# in a welcome joined with another language's word (_how_to_switch).
SWITCH_LANGUAGE_SMS = N_("Another language? Send /language.")


def _how_to_switch(ctx: Context, circle: Circle) -> list[str]:
    """By SMS, for a newcomer who chose no language and joined with another language's word
    ("join AB12CD" to a Swahili circle: sms 3): how to change it, in the circle's language
    and in the word's ("Lugha nyingine? Tuma LUGHA." / "Another language? Send LANGUAGE.")."""
    if ctx.person.locale or ctx.account.locale_hint or ctx.memberships:
        return []
    # English's JOIN is every language's too ("Keep the English ones"): it says English.
    word, english = _join_word(ctx), _join_words(ctx, "en")
    said = (
        ["en"]
        if word in english
        else [code for code in ctx.catalogs.locales if word in _join_words(ctx, code) - english]
    )
    if not word or not said or circle.language in said:
        return []
    theirs = ctx.catalogs.translator(said[0])
    # Written with its own word now: the welcome's language would name LUGHA in both lines.
    return [
        ctx.tr._(SWITCH_LANGUAGE_SMS),
        keywords.for_texting(theirs, theirs._(SWITCH_LANGUAGE_SMS)),
    ]


async def answer_join(ctx: Context, result: JoinResult, typed: str) -> None:
    """What a join (by code, or a pick from /find) tells the person, and the welcome."""
    tr = ctx.tr
    circle = result.circle
    if result.outcome is JoinOutcome.SLOW_DOWN:
        assert result.wait is not None
        ctx.reply(joincodes.slow_down(tr, result.wait))
        return
    if result.outcome is JoinOutcome.UNKNOWN_CODE:
        ctx.reply(
            tr._(
                "I couldn't find a circle with the code %(code)s. Please check it with your "
                "facilitator and try again.",
                code=typed,
            )
        )
        return
    assert circle is not None and circle.id is not None
    if result.outcome is JoinOutcome.CLOSED:
        ctx.reply(
            tr._("%(circle)s has finished, so it isn't taking new members.", circle=circle.name)
        )
        return
    if result.outcome is JoinOutcome.REMOVED:
        await _refuse_removed(ctx, circle)
        return
    if result.outcome is JoinOutcome.ALREADY_MEMBER:
        if await meetings.is_over(ctx.session, circle.id, ctx.now):
            ctx.reply(
                tr._(
                    "You're in %(circle)s, and it has finished. To meet again, find another "
                    "circle with /find.",
                    circle=circle.name,
                )
            )
            return
        if ctx.platforms.phone_numbers(ctx.account.platform):
            await _one_learner_a_phone(ctx, circle)
            return
        ctx.reply(
            tr._("You're already in %(circle)s. /next shows when you meet.", circle=circle.name)
        )
        return

    if (
        not (ctx.person.locale or ctx.account.locale_hint)
        and any(other.id != circle.id for _, other in ctx.memberships)
        and ctx.tr.locale != circle.language
    ):
        # Reading the bot in their other circle's language: a second circle in another one
        # doesn't switch them (nor that circle's messages) over. /language still does.
        ctx.person.locale = ctx.tr.locale
        ctx.session.add(ctx.person)
    elif not ctx.person.locale and _joined_in(ctx, circle.language):
        # "UNIRME AB12CD", "/rejoindre AB12CD": joined with the circle's own word for it, so
        # they read its language, whatever their app or phone hinted (a console's --locale,
        # a phone set to English): the welcome and every message after it.
        ctx.person.locale = circle.language
        ctx.session.add(ctx.person)
    if ctx.platforms.phone_numbers(ctx.account.platform):
        # Joined an online circle from a phone: her time zone is known from her number, and
        # its meetings are said in her time (own_zones); /timezone changes it.
        zone = own_zones.zone_from_number(circle, ctx.person.timezone, ctx.account.external_id)
        if zone is not None:
            ctx.person.timezone = zone
            ctx.session.add(ctx.person)
    # Now a member: the circle's language applies unless the person chose one or their
    # platform hinted one (SMS gives no hint), as for every message from here on.
    ctx.tr = tr = ctx.catalogs.translator(
        ctx.person.locale, ctx.account.locale_hint, circle.language
    )
    unnamed = ctx.inbound.display_name is None and ctx.person.display_name in unnamed_names(
        ctx.catalogs
    )
    texted = ctx.platforms.keywords(ctx.inbound.platform) and not ctx.inbound.is_group
    if result.away_since is not None:  # she left and joined again: not someone new
        await _welcome_back(ctx, circle, result, result.away_since, bool(texted), unnamed)
        return
    lines = [
        tr._(
            # Never "Welcome, Circle member!": by SMS the name is asked just below. By SMS, in
            # one or two texts.
            onboarding.LEARNER_WELCOME_SMS
            if texted
            else onboarding.LEARNER_WELCOME_UNNAMED
            if unnamed
            else onboarding.LEARNER_WELCOME,
            circle=circle.name,
            name=ctx.person.display_name,
            course=circle.course_title,
            venue=circle.venue,
        )
    ]
    speaks = Locale.parse(tr.locale).language
    if (
        circle.language
        and Locale.parse(circle.language.replace("-", "_")).language != speaks
        and not texted
    ):
        # A group that speaks another language than the one they read (wave 2, B32): said
        # before the goal question, so nobody travels to a meeting they can't follow. Not by
        # SMS, where the welcome must stay within two texts (it would make a third).
        lines[0] += "\n" + tr._(
            "The group speaks %(language)s.",
            language=discovery.language_name(tr.locale, circle.language),
        )
    if circle.course_url and not texted:
        # The course itself, to open before the first meeting (wave 2, B10); by SMS a link
        # costs a text and a basic phone can't open it.
        lines[0] += "\n" + tr._(
            "Course: %(course)s, %(url)s", course=circle.course_title, url=circle.course_url
        )
    await seats.joined(ctx.session, ctx.catalogs, circle, ctx.person_id)
    # The circle's meetings as the join read them, and its learners now: each read once for
    # the welcome and the facilitators' notice (issue 18).
    planned = result.planned
    if planned is None:
        planned = await meetings.schedule(ctx.session, circle.id)
    upcoming = meetings.upcoming_of(planned, ctx.now)
    learners, first_joined, running = await members.joining(ctx.session, circle.id)
    if upcoming is not None:
        # Only meetings a learner had joined by: one held with nobody in it is no group met.
        held = sum(
            m.number < upcoming.number and first_joined is not None and first_joined < m.ends_at
            for m in meetings.held_of(planned, ctx.now)
        )
        if held and texted:  # by SMS, where each segment costs: both in one short line
            lines.append(_joining_mid_run_sms(tr, circle, upcoming, held))
        else:
            lines.append(
                await describe_meeting(
                    ctx.session, tr, circle, upcoming, ctx.person.timezone, planned, texted
                )
            )
            call = dialin.number_for(circle, upcoming)
            if call:  # a link a basic phone can't open: the number it can call
                lines.append(tr._("Or call %(number)s to join by phone.", number=call))
        if held and not texted:  # joining mid-run: the next meeting is theirs, not the first
            lines.append(
                tr.ngettext(
                    "The group has met once already; you'll meet them at meeting %(number)d.",
                    "The group has met %(n)d times already; you'll meet them at meeting "
                    "%(number)d.",
                    held,
                    number=upcoming.number,
                )
            )
    # Not by SMS: the welcome must stay within two texts, and her number set her zone above.
    hint = None if texted or upcoming is None else own_time_hint(ctx, [circle])
    if hint:  # lang 3: "um 12:00 (Ortszeit Toronto)", and no word of /timezone
        lines.append(hint)
    if (
        texted
        and upcoming is not None
        and meetings.is_link(meetings.venue_of(circle, upcoming))
        and not dialin.number_for(circle, upcoming)
    ):
        # A link a basic phone can't open, and no number to call (wave 2, D55): said now.
        lines.append(tr._(ONLINE_ONLY_SMS))
    if answers.name_unknown(ctx):  # SMS gives no name; one said before isn't asked again
        lines.append(
            tr._(onboarding.ASK_NAME_SMS)
            if texted
            else tr._("What should the group call you? Send /name and your first name.")
        )
    goal_question = await answers.ask_goal(ctx, circle, planned)
    if goal_question:
        lines.append(goal_question)
    if texted:
        # Two SMS at most before she has said anything (walks A5, C8: three): one line break
        # between its pieces, and without the course where a long place needs the room.
        shorter = tr._(onboarding.LEARNER_WELCOME_SHORT_SMS, circle=circle.name)
        forms = [lines, [shorter, *lines[1:]]]
        # How to change the language, where the welcome's SMS hold it: in both languages
        # (without the course if need be), else in the one her word said, else not.
        switch = _how_to_switch(ctx, circle)
        hinted = [form + hint for hint in (switch, switch[1:]) if hint for form in forms]
        ctx.reply(
            rendering.first_fitting(
                ["\n".join(form) for form in hinted + forms], tr, most=SMS_WELCOME_PARTS
            )
        )
    else:
        ctx.reply("\n\n".join(lines))

    await _tell_facilitators(ctx, circle, learners, running)


async def _welcome_back(
    ctx: Context,
    circle: Circle,
    result: JoinResult,
    away_since: datetime,
    texted: bool,
    unnamed: bool,
) -> None:
    """A learner who left and joined again (issue 16): a short welcome back, how often the
    group met while she was away and its next meeting, instead of the first-timer's welcome
    (the course, the venue, the goal question she answered when she first joined)."""
    assert circle.id is not None
    tr = ctx.tr
    await seats.joined(ctx.session, ctx.catalogs, circle, ctx.person_id)
    planned = result.planned
    if planned is None:
        planned = await meetings.schedule(ctx.session, circle.id)
    greeting = (
        tr._("Welcome back to %(circle)s!", circle=circle.name)
        if unnamed
        else tr._(
            "Welcome back to %(circle)s, %(name)s!",
            circle=circle.name,
            name=ctx.person.display_name,
        )
    )
    missed = sum(
        m.starts_at >= away_since and m.ends_at <= ctx.now
        for m in meetings.held_of(planned, ctx.now)
    )
    if missed:
        greeting += " " + tr.ngettext(
            "The group met once while you were away.",
            "The group met %(n)d times while you were away.",
            missed,
        )
    lines = [greeting]
    upcoming = meetings.upcoming_of(planned, ctx.now)
    if upcoming is not None:
        lines.append(
            await describe_meeting(
                ctx.session, tr, circle, upcoming, ctx.person.timezone, planned, texted
            )
        )
        call = dialin.number_for(circle, upcoming)
        if call and not texted:  # as in the welcome: by SMS, the meeting line says enough
            lines.append(tr._("Or call %(number)s to join by phone.", number=call))
    if answers.name_unknown(ctx):
        lines.append(
            tr._(onboarding.ASK_NAME_SMS)
            if texted
            else tr._("What should the group call you? Send /name and your first name.")
        )
    ctx.reply(("\n" if texted else "\n\n").join(lines))
    learners, _, running = await members.joining(ctx.session, circle.id)
    await _tell_facilitators(ctx, circle, learners, running)


SMS_WELCOME_PARTS = 2  # the most SMS a welcome by SMS takes where it can

ONLINE_ONLY_SMS = N_(
    "This circle meets online, at a link: you'll need a smartphone or a computer to take part."
)


async def _one_learner_a_phone(ctx: Context, circle: Circle) -> None:
    """JOIN again from a phone already in the circle: perhaps the same learner, perhaps a
    second person sharing the phone (sms 24), who must not be taken for the first. Both are
    told whom the number belongs to here, and what the second person can do."""
    assert circle.id is not None
    running = await members.facilitators(ctx.session, circle.id)
    facilitator = await ctx.session.get(Person, running[0]) if running else None
    if facilitator is None or facilitator.id == ctx.person_id:
        ctx.reply(
            ctx.tr._("You're already in %(circle)s. /next shows when you meet.", circle=circle.name)
        )
        return
    ctx.reply(
        ctx.tr._(
            "You're already in %(circle)s as %(name)s. One phone number is one learner in a "
            "circle: someone else on this phone is welcome too, and can join from another "
            "phone or talk to %(facilitator)s.",
            circle=circle.name,
            name=ctx.person.display_name,
            facilitator=facilitator.display_name,
        )
    )


async def _removed_from(ctx: Context, circle: Circle) -> bool:
    """Whether a facilitator took the person off `circle` (/remove), and hasn't let them back."""
    assert circle.id is not None
    membership = await circles.membership_of(ctx.session, circle.id, ctx.person_id)
    return membership is not None and membership.removed_at is not None


async def _refuse_removed(ctx: Context, circle: Circle) -> None:
    """A learner taken off `circle` tried its code: kindly told the way back is through its
    facilitator (no code, no blame), who hears of it once a day (/letback lets them in)."""
    assert circle.id is not None
    membership = await circles.membership_of(ctx.session, circle.id, ctx.person_id)
    running = await members.facilitators(ctx.session, circle.id)
    remover = membership.removed_by if membership is not None else None
    asked = remover if remover in running else running[0] if running else None
    facilitator = await ctx.session.get(Person, asked) if asked is not None else None
    if facilitator is None:
        ctx.reply(
            ctx.tr._(
                "You're no longer on the list for %(circle)s, so I can't add you with a code.",
                circle=circle.name,
            )
        )
        return
    ctx.reply(
        ctx.tr._(
            "You're no longer on the list for %(circle)s, so I can't add you with a code. If "
            "you'd like to come back, please talk to %(facilitator)s.",
            circle=circle.name,
            facilitator=facilitator.display_name,
        )
    )
    name = ctx.person.display_name
    await ctx.notify_members(
        circle,
        circles.FACILITATING,
        MessageKind.MEMBER_JOINED,
        f"rejoin:{ctx.person_id}:{ctx.now.date().isoformat()}",  # once a day, however often
        lambda tr: tr._(
            "%(name)s asked to join %(circle)s again. To let them back in, send /letback %(name)s.",
            name=name,
            circle=circle.name,
        ),
    )


def _joining_mid_run_sms(tr: Translator, circle: Circle, meeting: Meeting, held: int) -> str:
    """By SMS, someone joining after the circle started: how often the group has met and their
    first meeting, in one line. The day without its year or zone: the meeting is days away, in
    the circle's own town. With the welcome and the question after it, two segments at most in
    every language (three before, the meeting's number and a long date said twice)."""
    local = meeting.starts_at.astimezone(ZoneInfo(circle.timezone))
    # The locale's weekday-and-date pattern, with the weekday written out ("Thursday,
    # November 12", "jeudi 12 novembre"): CLDR gives only the abbreviated one.
    pattern = Locale.parse(tr.locale).datetime_skeletons["MMMMEd"].pattern
    day = format_date(local, re.sub("E+", "EEEE", pattern), locale=tr.locale)
    time = tr.time(meeting.starts_at, circle.timezone)
    return tr.ngettext(
        "The group has met once; join them at meeting %(number)d, %(when)s, at %(venue)s.",
        "The group has met %(n)d times; join them at meeting %(number)d, %(when)s, at %(venue)s.",
        held,
        number=meeting.number,
        when=tr._("%(weekday)s at %(time)s", weekday=day, time=time),
        venue=dialin.venue_or_call(tr, circle, meeting),
    )


async def _tell_facilitators(
    ctx: Context, circle: Circle, learners: int, running: list[int]
) -> None:
    """Each facilitator hears of the join, gathered with the others of the last few minutes.
    `learners`: how many the circle has now; `running`: its facilitators and co-facilitators
    (members.joining)."""
    assert circle.id is not None
    unnamed = frozenset(unnamed_names(ctx.catalogs))
    for person_id in running:
        if person_id == ctx.person_id:
            continue
        key = OutboxKey(
            MessageKind.MEMBER_JOINED, f"circle:{circle.id}", f"person:{person_id}", ctx.occurrence
        )
        await notifications.gather(
            ctx.session,
            ctx.catalogs,
            ctx.now,
            person_id,
            key,
            ctx.person_id,
            lambda tr, names: joined_notice(tr, circle, names, learners, unnamed),
            circle.language,
            # By SMS the name comes a moment after the join: wait for it (join_notices.renamed
            # writes it in), so the facilitator doesn't read "Circle member joined".
            hold=join_notices.NAME_WAIT if ctx.person.display_name in unnamed else timedelta(0),
            named_most=join_notices.NAMED_BEFORE_COUNT,
        )


def own_time_hint(ctx: Context, shown: list[Circle]) -> str | None:
    """How to see the times of the online circles among `shown` in her own zone, said once,
    to one who set none and reads them privately; None where nothing needs it."""
    online = [circle for circle in shown if own_zones.meets_online(circle)]
    if not online or ctx.person.timezone or ctx.inbound.is_group:
        return None
    phone = ctx.platforms.phone_numbers(ctx.account.platform)
    number = ctx.account.external_id if phone else None
    others = [circle for _, circle in ctx.memberships]
    likely = own_zones.likely_zone(others, number)
    return own_zones.how_to_see_own_time(ctx.tr, online[0], likely)


def meets_where(tr: Translator, name: str, circle: Circle) -> str:
    """A schedule's first line: where the circle meets. Online, its link alone: a link then
    the town ("https://meet..., Oakland") read like an address (fac 14)."""
    if meetings.is_link(circle.venue):
        return tr._("%(circle)s meets online at %(link)s:", circle=name, link=circle.venue)
    return tr._(
        "%(circle)s meets at %(venue)s, %(city)s:",
        circle=name,
        venue=meetings.before_city(circle.venue, circle.city),
        city=circle.city,
    )


async def schedule(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    name = await circles.name_for(
        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    lines = [meets_where(tr, name, circle)]
    call = dialin.number_for(circle)
    if call:  # a link a basic phone can't open: the number it can call
        lines.append(tr._("Or call %(number)s to join by phone.", number=call))
    # The asker's own time for an online circle; in a group, everyone's: the circle's.
    zone = own_zones.zone_for(circle, None if ctx.inbound.is_group else ctx.person.timezone)
    for meeting in await meetings.schedule(ctx.session, circle.id):
        when = tr.when(meeting.starts_at, zone)
        if meeting.status == MeetingStatus.CANCELLED:
            line = tr._("%(number)d. %(when)s (cancelled)", number=meeting.number, when=when)
        elif meeting.status == MeetingStatus.MOVED:
            line = tr._("%(number)d. %(when)s (moved)", number=meeting.number, when=when)
        else:
            line = tr._("%(number)d. %(when)s", number=meeting.number, when=when)
        if meeting.venue and meeting.venue != circle.venue:  # /edit venue 3 Room B
            line = tr._(
                "%(line)s, at %(venue)s",
                line=line,
                venue=dialin.venue_or_call(tr, circle, meeting),  # a snow day online
            )
        lines.append(line)
    ctx.reply("\n".join(lines))


LEAVE_FLOW = leaving.LEAVE_FLOW


async def leave(ctx: Context, args: Args) -> None:
    """/leave asks first: leaving ends the reminders and check-ins, and the facilitators are
    told (LEAVE_FLOW, answered by leave_answer). Someone also waiting for a seat elsewhere is
    asked which they mean, unless they chose this circle already."""
    circle, membership = ctx.require_circle()
    lines = await seats.places_of(ctx.session, ctx.person_id)
    if lines and ctx.chosen_circle_id is None:
        own = [] if membership.role == Role.FACILITATOR else [circle]
        if not own and len(lines) == 1:
            await seating.leave_line(ctx, args, LEAVE_FLOW)
            return
        names = circles.distinct_names(ctx.tr, own)
        ctx.reply(
            ctx.tr._("Which would you like to leave?"),
            choices=[Choice(name, f"#{c.id} /leave") for c, name in zip(own, names, strict=True)]
            + [seating.line_choice(ctx.tr, waited) for _, waited in lines],
        )
        return
    if membership.role == Role.FACILITATOR:
        raise UserError(
            N_(
                "You facilitate this circle, so you can't leave it. Hand it to a co-facilitator "
                "with /handover NAME, or end it with /close."
            )
        )
    reason = leaving.reason_of(str(args.get("reason") or ""))
    await leaving.ask(ctx, circle, reason)


async def leave_answer(ctx: Context, text: str) -> None:
    """The answer to "Leave ...?": yes leaves, no stays, anything else asks again."""
    if seating.WAITING in ctx.conversation.data:  # a place on a waiting list
        await seating.leave_line_answer(ctx, text)
        return
    circle_id = ctx.conversation.data.get("circle")
    reason = str(ctx.conversation.data.get("reason") or "")
    found = [(m, c) for m, c in ctx.memberships if c.id == circle_id]
    if not found:  # the router lets a flow about a circle go on only for its members
        conversations.finish(ctx.conversation, ctx.now)
        return
    membership, circle = found[0]
    said = confirmations.read(ctx.tr, text)
    if said is None:  # asked again in other words: the same text again reads as stuck
        ctx.reply(ctx.tr._(confirmations.NOT_CAUGHT), choices=confirmations.choices(ctx.tr))
        return
    conversations.finish(ctx.conversation, ctx.now)
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    if not said:
        ctx.reply(ctx.tr._("Good, you're still in %(circle)s.", circle=name))
        return
    ctx.circle, ctx.membership = circle, membership
    # Read before she leaves: words she shared at her last check-in go on with the news (dada 7).
    wrote = await leaving.last_checkin_words(ctx, membership)
    await circles.leave(ctx.session, ctx.now, membership)
    await seats.offer_free_seats(ctx.session, ctx.catalogs, ctx.now, circle)  # a seat freed
    # Her join, still waiting to be told with others: never "she joined" after "she left".
    await join_notices.rewrite(ctx.session, ctx.catalogs, circle, ctx.person_id, left=True)
    defaults.left(ctx.session, ctx.person, circle)
    ctx.reply(await _left(ctx, circle, name))
    assert circle.id is not None
    if await meetings.is_over(ctx.session, circle.id, ctx.now):
        return  # after the last meeting nobody is dropping out: no alarm for the facilitator
    await ctx.notify_members(
        circle,
        circles.FACILITATING,
        MessageKind.MEMBER_LEFT,
        ctx.occurrence,
        lambda tr: (
            tr._(
                # Walk smses 9, dede 35: "if you know them" read oddly to one who ran the
                # meetings she came to.
                "%(name)s has left %(circle)s. A friendly word from you might help.",
                name=ctx.person.display_name,
                circle=circle.name,
            )
            + (
                "\n" + tr._("They said why: “%(reason)s”", reason=reason)  # B38: their words
                if reason
                else ""
            )
            + (
                "\n" + tr._(leaving.LAST_CHECKIN_WORDS, words=wrote)
                if wrote and wrote != reason
                else ""
            )
        ),
    )


async def _left(ctx: Context, circle: Circle, name: str) -> str:
    """How to come back: its code, said privately (/leave is answered there; the learner may
    have found the circle with /find and never seen it). Not to a circle that has finished."""
    assert circle.id is not None
    if await meetings.is_over(ctx.session, circle.id, ctx.now):
        return ctx.tr._("You've left %(circle)s.", circle=name)
    if await seats.seats_left(ctx.session, circle, ctx.now) == 0:
        # Her seat went to the first waiting (or there is none to spare): /join puts her in
        # line, never straight back in (issue 16).
        return ctx.tr._(
            "You've left %(circle)s. It's full now: if you'd like to come back, send /join "
            "%(code)s and I'll put you on its waiting list.",
            circle=name,
            code=circle.join_code,
        )
    return ctx.tr._(
        "You've left %(circle)s. You're welcome back any time: send /join %(code)s.",
        circle=name,
        code=circle.join_code,
    )


async def tell_learner_gone(ctx: Context, theirs: list[tuple[Membership, Circle]]) -> None:
    """After /forget: the facilitators of each circle still going that the person learned in
    hear that a learner has left it, unnamed (their name is erased with the rest), as /leave
    tells them."""
    for membership, circle in theirs:
        assert circle.id is not None
        if membership.role != Role.LEARNER or await meetings.is_over(
            ctx.session, circle.id, ctx.now
        ):
            continue
        await ctx.notify_members(
            circle,
            circles.FACILITATING,
            MessageKind.MEMBER_LEFT,
            ctx.occurrence,
            functools.partial(_learner_left, about=circle.name),
        )


def _learner_left(tr: Translator, about: str) -> str:
    return tr._("A learner has left %(circle)s.", circle=about)


# -- /letback NAME ------------------------------------------------------------------------------


async def letback(ctx: Context, args: Args) -> None:
    """/letback NAME: a learner taken off the circle (/remove) may join it again with its code;
    they are told so privately, with the code."""
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    typed = str(args["name"]).strip()
    gone = [
        entry
        for entry in await members.former_learners(ctx.session, circle.id)
        if entry.membership.removed_at is not None
    ]
    matches = circles.members_called(gone, typed) or members.called(gone, typed)
    if not matches:
        raise UserError(
            N_("No one called %(name)s was taken off %(circle)s."), name=typed, circle=circle.name
        )
    if len(matches) > 1:
        raise UserError(
            N_("More than one person called %(name)s was taken off %(circle)s. Use a full name."),
            name=typed,
            circle=circle.name,
        )
    entry = gone[matches[0] - 1]
    assert entry.person.id is not None
    entry.membership.removed_at = entry.membership.removed_by = None
    ctx.session.add(entry.membership)
    facilitator = ctx.person.display_name
    await ctx.notify(
        entry.person.id,
        OutboxKey(
            MessageKind.MEMBER_JOINED,
            f"circle:{circle.id}",
            f"person:{entry.person.id}",
            "letback:" + ctx.occurrence,
        ),
        lambda tr: tr._(
            "%(facilitator)s would be glad to have you back in %(circle)s. To join again, "
            "send /join %(code)s.",
            facilitator=facilitator,
            circle=circle.name,
            code=circle.join_code,
        ),
    )
    ctx.reply(
        ctx.tr._(
            "Done: %(name)s can join %(circle)s again, and I've told them how.",
            name=entry.person.display_name,
            circle=circle.name,
        )
    )


# -- /default -----------------------------------------------------------------------------------

DEFAULT_OFF = N_("off")


async def default(ctx: Context, args: Args) -> None:
    """/default: which circle commands are about when the person is in several and doesn't
    say; /default NAME or a pick from the list chooses it, /default off asks each time again."""
    tr = ctx.tr
    typed = str(args.get("circle") or "").strip()
    theirs = [circle for _, circle in ctx.memberships]
    names = circles.distinct_names(tr, theirs)
    if typed and keywords.plain(typed) in {"off", keywords.plain(tr._(DEFAULT_OFF))}:
        defaults.choose(ctx.session, ctx.person, None)
        ctx.reply(
            tr._("OK: when a command could be about more than one of your circles, I'll ask which.")
        )
        return
    if typed:
        # Its name or a start only it has: "/default python online" for "Python Online - Lunch".
        chosen = [circle for _, circle in defaults.named(ctx.memberships, typed, names)]
        if len(chosen) != 1:
            raise UserError(
                N_("You're not in a circle called %(name)s. Send /default to pick from yours."),
                name=typed,
            )
        await _make_default(ctx, chosen[0])
        return
    if ctx.chosen_circle_id is not None:  # picked from the list ("#12 /default")
        circle, _ = ctx.require_circle()
        await _make_default(ctx, circle)
        return
    if len(theirs) == 1:
        ctx.reply(
            tr._(
                "You're only in %(circle)s, so your commands are about it already.", circle=names[0]
            )
        )
        return
    current = [
        name
        for circle, name in zip(theirs, names, strict=True)
        if circle.id == ctx.person.default_circle_id
    ]
    lines = []
    if current:
        lines.append(
            tr._(
                "Your commands are about %(circle)s when you don't say which circle. "
                "Send /default off to be asked each time.",
                circle=current[0],
            )
        )
    lines.append(tr._("Which circle should your commands be about when you don't say?"))
    ctx.reply(
        "\n".join(lines),
        choices=[
            Choice(name, f"#{circle.id} /default")
            for circle, name in zip(theirs, names, strict=True)
        ],
    )


# A circle that finished longer ago than this is no default: commands would skip it (D42).
DEFAULT_AFTER_END = timedelta(days=7)


async def _make_default(ctx: Context, circle: Circle) -> None:
    going = await defaults.still_going(ctx.session, ctx.memberships, DEFAULT_AFTER_END, ctx.now)
    if going and all(c.id != circle.id for _, c in going):  # all over: the default decides
        raise UserError(
            N_(
                "%(circle)s has finished, so I won't make it your default: your commands go "
                "to the circles still meeting."
            ),
            circle=circle.name,
        )
    defaults.choose(ctx.session, ctx.person, circle)
    ctx.reply(
        ctx.tr._(
            "Done: when you don't say which circle, your commands are about %(circle)s. "
            "Send /default off to be asked each time.",
            circle=await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle),
        )
    )
