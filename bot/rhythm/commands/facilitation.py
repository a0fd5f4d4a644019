"""Facilitator commands: /invite, /roster, /reschedule, /cancel, /cofacilitator, /attendance,
/digest, /reminders."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.circles import circles, meetings
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, members, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args
from bot.reports import closeout
from bot.rhythm import attendance as attendance_records
from bot.rhythm import digests
from bot.rhythm.derivation import MAX_REMINDER_OFFSET
from bot.storage.models import Circle, Meeting, MeetingStatus, Role


async def invite(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    if await meetings.upcoming(ctx.session, circle.id, ctx.now) is None:
        # Every meeting cancelled (or over): an invitation would bring people to nothing.
        raise UserError(
            N_(
                "%(circle)s has no meetings left, so there is nothing to invite people to. "
                "To meet again, start a new circle with /newcircle."
            ),
            circle=name,
        )
    lines = [
        ctx.tr._(
            "Invite people to %(circle)s with the join code %(code)s.\n"
            "They send me: /join %(code)s",
            circle=name,
            code=circle.join_code,
        )
    ]
    for platform, link in sorted(ctx.join_links.items()):
        lines.append(
            ctx.tr._(
                "On %(platform)s, one tap joins: %(link)s",
                platform=ctx.platforms.display_name(ctx.tr, platform),
                link=link.replace("{code}", circle.join_code),
            )
        )
    ctx.reply("\n".join(lines))


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
    for number, entry in enumerate(entries, start=1):
        assert entry.person.id is not None
        platforms = await people.platforms_of(ctx.session, entry.person.id)
        lines.append(
            tr._(
                "%(number)d. %(name)s, %(role)s (%(platforms)s)",
                number=number,
                name=entry.person.display_name,
                role=circles.role_name(tr, entry.membership.role),
                platforms=", ".join(ctx.platforms.display_name(tr, p) for p in platforms),
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
        MessageKind.MEETING_MOVED,
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
        MessageKind.MEETING_CANCELLED,
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
    # If that was the last meeting still to come, the circle is over: close it out now.
    await closeout.close_if_over(ctx.session, ctx.catalogs, ctx.now, circle, ctx.platforms)


async def cofacilitator(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    entry = circles.find_member(await members.roster(ctx.session, circle.id), str(args["NAME"]))
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


# -- /attendance ------------------------------------------------------------------------------

ATTENDANCE_FLOW = "attendance"


async def _attendance_sheet(ctx: Context, circle: Circle, meeting: Meeting) -> None:
    """The learners, numbered and ticked, with choices to tick more (a number again unticks)."""
    assert circle.id is not None and meeting.id is not None
    learners = [
        e for e in await members.roster(ctx.session, circle.id) if e.membership.role == Role.LEARNER
    ]
    if not learners:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("No learners have joined yet, so there's no attendance to take."))
    came = await attendance_records.present(ctx.session, meeting.id)
    tr = ctx.tr
    lines = [
        tr._(
            "Who came to meeting %(number)d (%(when)s)?",
            number=meeting.number,
            when=tr.date(meeting.starts_at, circle.timezone),
        )
    ]
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


async def attendance(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    number = args.get("MEETING")
    if isinstance(number, int):
        meeting = await meetings.meeting_by_number(ctx.session, circle, number)
        if meeting.status == MeetingStatus.CANCELLED:
            raise UserError(N_("Meeting %(number)d was cancelled."), number=number)
        if meeting.starts_at > ctx.now + attendance_records.EARLY_ARRIVAL:
            raise UserError(N_("Meeting %(number)d hasn't happened yet."), number=number)
    else:
        meeting = await attendance_records.latest_started(ctx.session, circle.id, ctx.now)
    await _attendance_sheet(ctx, circle, meeting)


async def attendance_answer(ctx: Context, text: str) -> None:
    data = ctx.conversation.data
    meeting = await ctx.session.get(Meeting, data["meeting"])
    circle = await ctx.session.get(Circle, meeting.circle_id) if meeting else None
    if meeting is None or circle is None or meeting.id is None:
        conversations.finish(ctx.conversation, ctx.now)
        raise UserError(N_("That meeting no longer exists."))
    people_ids: list[int] = data["people"]
    if text.strip().casefold() in {"done", ctx.tr._("done").casefold()}:
        conversations.finish(ctx.conversation, ctx.now)
        came = await attendance_records.present(ctx.session, meeting.id)
        ctx.reply(
            ctx.tr._(
                "Saved: %(came)d of %(total)d learners came to meeting %(number)d.",
                came=len(came & set(people_ids)),
                total=len(people_ids),
                number=meeting.number,
            )
        )
        return
    words = text.replace(",", " ").split()
    if not words or not all(
        w.lstrip("-").isdecimal() and 1 <= int(w.lstrip("-")) <= len(people_ids) for w in words
    ):
        ctx.reply(
            ctx.tr._(
                "Please reply with numbers from 1 to %(count)d, or done.", count=len(people_ids)
            )
        )
        return
    came = {people_ids[int(w) - 1] for w in words if not w.startswith("-")}
    left = {people_ids[int(w[1:]) - 1] for w in words if w.startswith("-")}
    await attendance_records.record(ctx.session, meeting.id, came, left - came, ctx.now)
    await _attendance_sheet(ctx, circle, meeting)


# -- /digest, /reminders ------------------------------------------------------------------------


async def digest(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
    digest = await digests.build(ctx.session, circle, upcoming, ctx.now)
    name = await circles.name_for(
        ctx.session, ctx.tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    ctx.reply(digests.render(ctx.tr, circle, digest, name))


MAX_REMINDERS = 4
_UNITS = {"m": 1, "min": 1, "h": 60, "d": 24 * 60}
_MOST_MINUTES_BEFORE = MAX_REMINDER_OFFSET // timedelta(minutes=1)


def parse_span(word: str) -> int:
    """'24h' -> 1440, '90m' -> 90: a length of time, in minutes. A bare number is refused:
    2 could be hours or minutes, and a wrong guess sends a reminder at the wrong time."""
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
    """'24h 1h' -> [1440, 60] (minutes, furthest first); 'off' -> []."""
    words = text.replace(",", " ").casefold().split()
    if words in (["off"], ["none"], ["0"]):
        return []
    offsets = {parse_span(word) for word in words}
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
    """'24 hours, 60 minutes': when a circle's reminders go, in the reader's words."""
    return ", ".join(tr.duration(timedelta(minutes=m)) for m in circle.reminder_offsets)


async def reminders(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    typed = args.get("TIMES")
    if isinstance(typed, str):
        if typed.strip().casefold() in {"on", tr._("on").casefold()}:
            # Back on after /reminders off; reminders already on keep their chosen times.
            circle.reminder_offsets = circle.reminder_offsets or usual_reminders()
        else:
            circle.reminder_offsets = parse_offsets(typed)
        ctx.session.add(circle)
    name = await circles.name_for(
        ctx.session, tr, ctx.person_id, circle, group=ctx.inbound.is_group
    )
    if not circle.reminder_offsets:
        ctx.reply(tr._("%(circle)s sends no meeting reminders.", circle=name))
        return
    times = reminder_times(tr, circle)
    ctx.reply(
        tr._(
            "%(circle)s reminds learners %(times)s before each meeting.",
            circle=name,
            times=times,
        )
    )


MAX_CHECKIN_DAYS = 6
MAX_LETTERS = 10  # a check-in must go out before the next weekly meeting


async def rhythm(ctx: Context, args: Args) -> None:
    """See the circle's rhythm, or change when the check-in and the digest go out."""
    tr = ctx.tr
    circle, _ = ctx.require_circle()
    typed = str(args.get("SETTING") or "").split()
    if typed:
        what, values = typed[0].casefold(), typed[1:]
        if what in {"checkin", tr._("checkin").casefold()} and len(values) == 2:
            days, at = values
            if not days.isdecimal() or int(days) > MAX_CHECKIN_DAYS:
                raise UserError(
                    N_("The check-in goes out 0 to %(days)d days after a meeting."),
                    days=MAX_CHECKIN_DAYS,
                )
            circle.checkin_days_after = int(days)
            circle.checkin_time = circles.parse_time(at)
        elif what in {"digest", tr._("digest").casefold()} and len(values) == 1:
            minutes = parse_span(values[0])
            if not 0 < minutes <= _MOST_MINUTES_BEFORE:
                raise UserError(
                    N_("Your digest can go out from 1 minute to 7 days before a meeting.")
                )
            circle.digest_minutes_before = minutes
        elif what in {"letters", tr._("letters").casefold()} and len(values) == 2:
            count, into = values
            minutes = parse_span(into)
            if not count.isdecimal() or int(count) > MAX_LETTERS:
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
            circle.letters_wanted = int(count)
            circle.letter_invite_minutes = minutes
        else:
            raise UserError(
                N_(
                    "Usage: /rhythm, /rhythm checkin DAYS TIME (e.g. 1 10:00), /rhythm digest "
                    "24h, /rhythm letters COUNT TIME (e.g. 3 30m)"
                )
            )
        ctx.session.add(circle)
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
                    time=circle.checkin_time.strftime("%H:%M"),
                ),
                tr._(
                    "Your digest: %(time)s before each meeting.",
                    time=tr.duration(timedelta(minutes=circle.digest_minutes_before)),
                ),
                tr.ngettext(
                    "Letters: %(n)d for your first meeting; the invitation to write comes "
                    "%(time)s into your last one.",
                    "Letters: %(n)d for your first meeting; the invitation to write comes "
                    "%(time)s into your last one.",
                    circle.letters_wanted,
                    time=tr.duration(timedelta(minutes=circle.letter_invite_minutes)),
                ),
            ]
        )
    )
