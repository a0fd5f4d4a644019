"""Learner commands: /join, /next, /schedule, /leave."""

from __future__ import annotations

from collections.abc import Sequence

from babel.lists import format_list

from bot.chat.i18n import Translator
from bot.circles import circles, joincodes, meetings
from bot.circles.circles import JoinOutcome
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import members, notifications
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.rhythm.commands import answers
from bot.storage.models import Circle, Meeting, MeetingStatus, Role
from prompts import onboarding

# Joins told by name in one gathered notice; past this many, the first few and a count.
NAMED_JOINS = 4
NAMED_BEFORE_COUNT = 3


def describe_meeting(tr: Translator, circle: Circle, meeting: Meeting) -> str:
    return tr._(
        "Meeting %(number)d of %(count)d: %(when)s, at %(venue)s.",
        number=meeting.number,
        count=circle.meeting_count,
        when=tr.when(meeting.starts_at, circle.timezone),
        venue=circle.venue,
    )


async def join(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    typed = str(args["CODE"])
    result = await circles.join(ctx.session, ctx.now, ctx.person, ctx.account, typed)
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
    if result.outcome is JoinOutcome.NO_MEETINGS_LEFT:
        ctx.reply(
            tr._(
                "%(circle)s has no meetings left, so it isn't taking new members. "
                "Your facilitator can tell you about the next one.",
                circle=circle.name,
            )
        )
        return
    if result.outcome is JoinOutcome.ALREADY_MEMBER:
        ctx.reply(
            tr._("You're already in %(circle)s. /next shows when you meet.", circle=circle.name)
        )
        return

    # Now a member: the circle's language applies unless the person chose one or their
    # platform hinted one (SMS gives no hint), as for every message from here on.
    ctx.tr = tr = ctx.catalogs.translator(
        ctx.person.locale, ctx.account.locale_hint, circle.language
    )
    lines = [
        tr._(
            onboarding.LEARNER_WELCOME,
            circle=circle.name,
            name=ctx.person.display_name,
            course=circle.course_title,
            venue=circle.venue,
        )
    ]
    upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
    if upcoming is not None:
        lines.append(describe_meeting(tr, circle, upcoming))
    if ctx.inbound.display_name is None:  # SMS: the platform gives us no name
        lines.append(tr._("What should the group call you? Send /name and your first name."))
    goal_question = await answers.ask_goal(ctx, circle)
    if goal_question:
        lines.append(goal_question)
    ctx.reply("\n\n".join(lines))

    await _tell_facilitators(ctx, circle)


def joined_notice(tr: Translator, circle: Circle, names: Sequence[str], learners: int) -> str:
    """The facilitator's notice of the joins gathered (notifications.gather)."""
    if len(names) == 1:
        return tr.ngettext(
            "%(name)s joined %(circle)s. That's %(n)d learner now.",
            "%(name)s joined %(circle)s. That's %(n)d learners now.",
            learners,
            name=names[0],
            circle=circle.name,
        )
    listed = list(names)
    if len(names) > NAMED_JOINS:
        rest = len(names) - NAMED_BEFORE_COUNT
        listed = [*names[:NAMED_BEFORE_COUNT], tr.ngettext("%(n)d other", "%(n)d others", rest)]
    joined = tr.ngettext(
        "%(n)d person joined %(circle)s: %(names)s.",
        "%(n)d people joined %(circle)s: %(names)s.",
        len(names),
        circle=circle.name,
        names=format_list(listed, locale=tr.locale),
    )
    count = tr.ngettext("That's %(n)d learner now.", "That's %(n)d learners now.", learners)
    return joined + " " + count


async def _tell_facilitators(ctx: Context, circle: Circle) -> None:
    """Each facilitator hears of the join, gathered with the others of the last few minutes."""
    assert circle.id is not None
    roster = await members.roster(ctx.session, circle.id)
    learners = sum(1 for entry in roster if entry.membership.role == Role.LEARNER)
    for entry in roster:
        person_id = entry.person.id
        assert person_id is not None
        if person_id == ctx.person_id or entry.membership.role not in circles.FACILITATING:
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
            lambda tr, names: joined_notice(tr, circle, names, learners),
            circle.language,
        )


async def next_(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    lines = []
    theirs = [circle for _, circle in await circles.active_memberships(ctx.session, ctx.person_id)]
    for circle, name in zip(
        theirs, circles.distinct_names(tr, theirs, group=ctx.inbound.is_group), strict=True
    ):
        assert circle.id is not None
        meeting = await meetings.upcoming(ctx.session, circle.id, ctx.now)
        if meeting is None:
            lines.append(tr._("%(circle)s has no more meetings planned.", circle=name))
            continue
        text = name + "\n" + describe_meeting(tr, circle, meeting)
        if meeting.starts_at <= ctx.now:
            text += "\n" + tr._("It's happening now!")
        else:
            text += "\n" + tr._(
                "That's in %(delta)s.", delta=tr.duration(meeting.starts_at - ctx.now)
            )
        if meeting.status == MeetingStatus.MOVED:
            text += "\n" + tr._("Note: this meeting was moved from its usual time.")
        lines.append(text)
    ctx.reply("\n\n".join(lines))


async def schedule(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    lines = [
        tr._(
            "%(circle)s meets at %(venue)s, %(city)s:",
            circle=await circles.name_for(
                ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
            ),
            venue=circle.venue,
            city=circle.city,
        )
    ]
    for meeting in await meetings.schedule(ctx.session, circle.id):
        when = tr.when(meeting.starts_at, circle.timezone)
        if meeting.status == MeetingStatus.CANCELLED:
            line = tr._("%(number)d. %(when)s (cancelled)", number=meeting.number, when=when)
        elif meeting.status == MeetingStatus.MOVED:
            line = tr._("%(number)d. %(when)s (moved)", number=meeting.number, when=when)
        else:
            line = tr._("%(number)d. %(when)s", number=meeting.number, when=when)
        lines.append(line)
    ctx.reply("\n".join(lines))


async def leave(ctx: Context, args: Args) -> None:
    circle, membership = ctx.require_circle()
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    await circles.leave(ctx.session, ctx.now, membership)
    ctx.reply(
        ctx.tr._(
            "You've left %(circle)s. You're welcome back any time with the same code.",
            circle=name,
        )
    )
    await ctx.notify_members(
        circle,
        circles.FACILITATING,
        MessageKind.MEMBER_LEFT,
        ctx.occurrence,
        lambda tr: tr._(
            "%(name)s has left %(circle)s. A friendly word might help, if you know them.",
            name=ctx.person.display_name,
            circle=circle.name,
        ),
    )
