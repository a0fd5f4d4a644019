"""/next and /schedule: when a member's circles meet; and the dates alone, where a reader pays
for every SMS and no calendar file can reach them (/schedule and /calendar there)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta

from bot.chat import keywords
from bot.chat.i18n import N_, Translator
from bot.circles import circles, dialin, meetings, own_zones
from bot.circles.commands import membership
from bot.circles.commands.membership import describe_meeting
from bot.dialogue import command_names
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.rhythm import calendars
from bot.storage.models import Circle, Meeting, MeetingStatus


def without_files(ctx: Context) -> bool:
    """Whether the asker's platform takes no files (SMS): there every part is paid for, and a
    calendar file would arrive as a note about a file."""
    platform = ctx.platforms.get(ctx.inbound.platform)
    return platform is not None and not platform.capabilities.files


async def reply_with_dates(ctx: Context) -> None:
    """The meetings still to come, short: what a feature phone can show in one or two SMS.
    Past, moved-from and cancelled meetings are left out; /schedule elsewhere lists them."""
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    tr = ctx.tr
    name = await circles.name_for(
        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    to_come = [
        m
        for m in await meetings.schedule(ctx.session, circle.id)
        if m.status != MeetingStatus.CANCELLED and m.ends_at > ctx.now
    ]
    if not to_come:
        ctx.reply(tr._("%(circle)s has no more meetings planned.", circle=name))
        return
    header = membership.meets_where(tr, name, circle)
    call = dialin.number_for(circle)
    if call:  # a link a basic phone can't open: the number it can call
        header += "\n" + tr._("Or call %(number)s to join by phone.", number=call)
    # Named for an online circle, in the reader's own zone where she set one (own_zones).
    own = own_zones.named_zone(circle, None if ctx.inbound.is_group else ctx.person.timezone)
    ctx.reply(header + "\n" + calendars.dates_line(tr, circle, to_come, own))


async def schedule(ctx: Context, args: Args) -> None:
    if without_files(ctx):
        await reply_with_dates(ctx)
    else:
        await membership.schedule(ctx, args)


async def next_(ctx: Context, args: Args) -> None:
    """Every circle's next meeting. A finished circle is named only when none of the person's
    circles has a meeting to come: beside one that does, it is a paragraph (an SMS) of news
    they already have."""
    tr = ctx.tr
    theirs = [circle for _, circle in ctx.memberships]
    names = circles.distinct_names(tr, theirs, group=ctx.inbound.is_group)
    coming: list[tuple[datetime, str]] = []
    finished = []
    meeting_circles = []
    for circle, name in zip(theirs, names, strict=True):
        assert circle.id is not None
        # One read of the circle's meetings for the next one and what follows it (issue 18).
        planned = await meetings.schedule_to_read(ctx.session, circle.id)
        meeting = meetings.upcoming_of(planned, ctx.now)
        if meeting is None:
            finished.append(tr._("%(circle)s has no more meetings planned.", circle=name))
        else:
            text = await _next_meeting(ctx, circle, name, meeting, planned)
            coming.append((meeting.starts_at, text))
            meeting_circles.append(circle)
    # Soonest first, whichever circle was joined first: the next thing to go to is on top.
    coming.sort(key=lambda entry: entry[0])
    if not coming and finished:
        # Every circle over: one line, however many, and where to go next (wave 2, D68, B28).
        ctx.reply(_all_over(ctx, finished))
        return
    lines = [text for _, text in coming] or finished
    hint = membership.own_time_hint(ctx, meeting_circles)
    ctx.reply("\n\n".join([*lines, hint] if hint else lines))


def _all_over(ctx: Context, finished: list[str]) -> str:
    tr = ctx.tr
    texted = ctx.platforms.keywords(ctx.inbound.platform)

    def word(command: str) -> str:
        local = command_names.local_name(tr, command)
        return keywords.texted(local) if texted else "/" + local

    over = finished[0] if len(finished) == 1 else tr._(NONE_COMING)
    return over + " " + tr._(WHAT_NEXT, find=word("find"), portfolio=word("portfolio"))


NONE_COMING = N_("None of your circles has more meetings planned.")
WHAT_NEXT = N_(
    "To find another circle, send %(find)s and your town. What you wrote stays in %(portfolio)s."
)


async def _next_meeting(
    ctx: Context, circle: Circle, name: str, meeting: Meeting, planned: list[Meeting]
) -> str:
    tr = ctx.tr
    # The asker's own time for an online circle; in a group, everyone's: the circle's.
    zone = None if ctx.inbound.is_group else ctx.person.timezone
    text = name + "\n" + await describe_meeting(ctx.session, tr, circle, meeting, zone, planned)
    if circle.course_url and not ctx.platforms.keywords(ctx.inbound.platform):
        # The course to work on before it (wave 2, B10); not by SMS, where a link costs a text.
        text += "\n" + tr._(
            "Course: %(course)s, %(url)s", course=circle.course_title, url=circle.course_url
        )
    number = dialin.number_for(circle, meeting)
    if number:  # a link a basic phone can't open: the number it can call
        text += "\n" + tr._("Or call %(number)s to join by phone.", number=number)
    if meeting.starts_at <= ctx.now:
        text += "\n" + tr._("It's happening now!")
    else:
        where = ZoneInfo(zone or circle.timezone)
        when = _from_now(tr, ctx.now, meeting.starts_at, where)
        text += "\n" + tr._("That's %(when)s.", when=when)
    if meeting.status == MeetingStatus.MOVED:
        text += "\n" + tr._("Note: this meeting was moved from its usual time.")
    return text


def _from_now(tr: Translator, now: datetime, then: datetime, zone: ZoneInfo) -> str:
    """How far off, with its preposition as the language inflects it: German "in 5 Tagen"
    (never "in 5 Tage"), Swahili "baada ya siku 5". A meeting on another day is counted in
    calendar days where it meets: on a Monday night, Wednesday is "in 2 days" (rounding the
    hours said 3) and next Monday "in 7 days"; on its own day, and the next until it is a day
    away, in hours: "in 21 hours" the evening before, never a calendar day's "in 24 hours"."""
    days = (then.astimezone(zone).date() - now.astimezone(zone).date()).days
    in_hours = days < 1 or then - now < timedelta(days=1)
    delta = then - now if in_hours else timedelta(days=days)
    # A whole day is "in 1 day": Babel's 1.1 would make it "in 24 hours" (and 7 "in 1 week").
    threshold = 1 if not in_hours and days == 1 else 1.1
    said = format_timedelta(delta, threshold=threshold, add_direction=True, locale=tr.locale)
    return said.replace("\u202f", " ").replace("\u00a0", " ")
