"""The facilitator digest: how the circle is doing, before each meeting, in one message."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from babel.lists import format_list
from babel.numbers import format_decimal
from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Translator
from bot.dialogue import members
from bot.rhythm import attendance, checkins, drifting, rsvps
from bot.storage.models import (
    Attendance,
    CheckIn,
    Circle,
    Meeting,
    MeetingStatus,
    Membership,
    Role,
    RsvpAnswer,
)

QUOTES = 5  # blockers quoted at most
QUOTE_CHARS = 200


# How long learners have to answer "Will you come?" before their silence says something: the
# digest that goes out with the first reminder does not count them as "not answered".
ANSWER_TIME = timedelta(hours=2)


@dataclass(frozen=True)
class Digest:
    meeting: Meeting | None  # the meeting it prepares; None when none is left
    rsvp: rsvps.RsvpCounts | None
    last_week: checkins.WeekStats | None
    # People present at each meeting held so far; None where nobody took attendance.
    attendance_trend: list[int | None]
    silent: list[str]  # learners who may be drifting away (bot/rhythm/drifting.py)
    quotes: list[tuple[str, str]]  # (name, answer) from learners who agreed to share
    said_no: list[str] = field(default_factory=list)  # names, for the facilitator to call
    not_answered: list[str] = field(default_factory=list)
    # False while "Will you come?" has only just gone out: nobody has had time to answer.
    answers_due: bool = True
    stopped: list[str] = field(default_factory=list)  # learners who sent STOP: no messages reach
    # No learner has ever joined: no figures to show, an invitation to send instead.
    nobody_joined: bool = False
    held: bool = False  # a meeting has taken place


async def build(
    session: AsyncSession, circle: Circle, meeting: Meeting | None, now: datetime
) -> Digest:
    assert circle.id is not None
    roster = await members.roster(session, circle.id)
    learners = {entry.person.id: entry for entry in roster if entry.membership.role == Role.LEARNER}
    learner_ids = [person_id for person_id in learners if person_id is not None]
    held = list(
        (
            await session.exec(
                select(Meeting)
                .where(
                    Meeting.circle_id == circle.id,
                    Meeting.status != MeetingStatus.CANCELLED,
                    # Under way with attendance taken counts too (attendance.held).
                    or_(
                        col(Meeting.ends_at) <= now,
                        (col(Meeting.starts_at) <= now)
                        & col(Meeting.attendance_taken_at).is_not(None),
                    ),
                )
                .order_by(col(Meeting.starts_at))
            )
        ).all()
    )
    held_ids = [m.id for m in held if m.id is not None]
    came = await attendance.counts_by_meeting(session, held_ids)
    taken = await attendance.taken(session, held_ids)
    answers = await checkins.for_meetings(session, held_ids)
    rsvp = None
    said_no: list[str] = []
    not_answered: list[str] = []
    stopped_ids = await members.stopped(session, learner_ids)
    if meeting is not None and meeting.id is not None:
        rsvp = await rsvps.counts(session, meeting.id, learner_ids)
        given = await rsvps.answers(session, meeting.id)
        names = {p: learners[p].person.display_name for p in learner_ids}
        said_no = [names[p] for p in learner_ids if given.get(p) == RsvpAnswer.NO]
        # Who sent STOP can't be asked: named on their own line, not as "not answered yet".
        unasked = [p for p in stopped_ids if p not in given]
        not_answered = [names[p] for p in learner_ids if p not in given and p not in unasked]
        rsvp = replace(rsvp, unknown=rsvp.unknown - len(unasked))
    last_week = None
    quotes: list[tuple[str, str]] = []
    latest = _latest_checkin(circle, held, learners, answers, now)
    if latest is not None:
        last = latest.id or 0
        eligible = [p for p in learner_ids if learners[p].membership.joined_at < latest.ends_at]
        last_week = checkins.stats(answers[last], eligible)
        if not checkins.gone_out(circle, latest, now):
            # Answered with /checkin before it went out: nobody else has been asked yet.
            last_week = replace(last_week, asked=last_week.answered)
        for answer in answers[last]:
            entry = learners.get(answer.person_id)
            if entry and entry.membership.shares_answers and answer.answer:
                text = answer.answer
                if len(text) > QUOTE_CHARS:
                    text = text[: QUOTE_CHARS - 1].rstrip() + "…"
                quotes.append((entry.person.display_name, text))
    # A meeting nobody was in the circle for says nothing: left out of the trend.
    joined_by = await _learners_joined(session, circle.id)
    counted = [
        m
        for m in held
        if any(start < m.ends_at and (end is None or end > m.starts_at) for start, end in joined_by)
    ]
    # Learners only, as /report counts them: a facilitator's own /here is not a learner who came.
    facilitating = {e.person.id for e in roster if e.membership.role != Role.LEARNER}
    came_by = await _present(session, held_ids, facilitating)
    joined = {p: learners[p].membership.joined_at for p in learner_ids}
    answered = {m: {c.person_id for c in rows} for m, rows in answers.items()}
    silent = [
        learners[p].person.display_name
        for p in drifting.drifting(circle, joined, held, came_by, answered, now, taken)
    ]
    stopped = [learners[p].person.display_name for p in stopped_ids]
    return Digest(
        meeting=meeting,
        rsvp=rsvp,
        last_week=last_week,
        attendance_trend=[came[m.id or 0] if m.id in taken else None for m in counted],
        silent=silent,
        quotes=quotes[:QUOTES],
        said_no=said_no,
        not_answered=not_answered,
        answers_due=_answers_due(circle, meeting, now),
        stopped=stopped,
        nobody_joined=not joined_by,
        held=bool(held),
    )


def _latest_checkin(
    circle: Circle,
    held: list[Meeting],
    learners: dict[int | None, members.RosterEntry],
    answers: dict[int, list[CheckIn]],
    now: datetime,
) -> Meeting | None:
    """The meeting of the latest check-in to show: the last that has gone out to a learner,
    or a later one some learners answered already (/checkin, open from the meeting's end). A
    check-in still to go out (the next morning) is not one nobody answered."""
    for meeting in reversed(held):
        asked = [e for p, e in learners.items() if p and e.membership.joined_at < meeting.ends_at]
        if not asked:
            continue
        if checkins.gone_out(circle, meeting, now) or answers.get(meeting.id or 0):
            return meeting
    return None


async def _learners_joined(
    session: AsyncSession, circle_id: int
) -> list[tuple[datetime, datetime | None]]:
    """When each of the circle's learners joined and left (None: still there), those gone too."""
    rows = await session.exec(
        select(Membership.joined_at, Membership.left_at).where(
            Membership.circle_id == circle_id, Membership.role == Role.LEARNER
        )
    )
    return list(rows.all())


def _answers_due(circle: Circle, meeting: Meeting | None, now: datetime) -> bool:
    """False while "Will you come?" (asked with the first reminder) has only just gone out.
    Before it, an answer is one a learner gave unasked (/rsvp); without reminders nobody is
    asked at all."""
    if meeting is None or not circle.reminder_offsets:
        return True
    asked_at = meeting.starts_at - timedelta(minutes=max(circle.reminder_offsets))
    return not asked_at <= now < asked_at + ANSWER_TIME


async def _present(
    session: AsyncSession, meeting_ids: list[int], leaving_out: set[int | None]
) -> dict[int, set[int]]:
    """Who came to each meeting, but those `leaving_out`, in one query."""
    found: dict[int, set[int]] = {m: set() for m in meeting_ids}
    rows = await session.exec(
        select(Attendance.meeting_id, Attendance.person_id).where(
            col(Attendance.meeting_id).in_(meeting_ids)
        )
    )
    for meeting_id, person_id in rows.all():
        if person_id not in leaving_out:
            found[meeting_id].add(person_id)
    return found


def render(tr: Translator, circle: Circle, digest: Digest, name: str | None = None) -> str:
    """The digest as its reader sees it; `name` tells the circle apart from another of the
    same name (circles.distinct_names), where the reader has one."""
    lines = [tr._("How %(circle)s is doing", circle=name or circle.name)]
    if digest.meeting is not None:
        lines.append(
            tr._(
                "Next: meeting %(number)d, %(when)s.",
                number=digest.meeting.number,
                when=tr.when(digest.meeting.starts_at, circle.timezone),
            )
        )
    else:
        lines.append(tr._("No meetings left."))
    if digest.nobody_joined:
        # Figures of nobody ("0 yes, 0 no", "0 of 0 answered") would read as a failure.
        lines.append(tr._("Nobody has joined yet; /invite gives an invitation to forward."))
        return "\n".join(lines)
    if digest.rsvp is not None:
        lines.extend(_coming(tr, digest, digest.rsvp))
    if digest.last_week is None:
        lines.append(
            tr._("No check-ins have gone out yet.")
            if digest.held
            else tr._("No meeting has taken place yet, so there are no check-ins.")
        )
    else:
        week = digest.last_week
        # The number agrees with "answered" (issue 16: plurals chosen on the total).
        line = tr.ngettext(
            "Last check-in: %(n)d of %(asked)d answered.",
            "Last check-in: %(n)d of %(asked)d answered.",
            week.answered,
            asked=week.asked,
        )
        if week.average is not None:
            line += " " + tr._(
                "Average rating %(average)s of 5.",
                average=format_decimal(week.average, format="0.0", locale=tr.locale),
            )
        lines.append(line)
    if digest.attendance_trend:
        trend = ", ".join(
            tr._("not taken") if count is None else str(count) for count in digest.attendance_trend
        )
        lines.append(tr._("Came to each meeting so far: %(trend)s", trend=trend))
    if digest.silent:
        lines.append(
            tr._(
                "May be drifting away (%(definition)s): %(names)s. A friendly word might help.",
                definition=tr._(drifting.RISK_DEFINITION),
                names=", ".join(digest.silent),
            )
        )
    if digest.stopped:
        lines.append(
            tr.ngettext(
                "%(names)s has stopped messages (sent STOP), so I can't reach them.",
                "%(names)s have stopped messages (sent STOP), so I can't reach them.",
                len(digest.stopped),
                names=format_list(digest.stopped, locale=tr.locale),
            )
        )
    if digest.quotes:
        lines.append(tr._("In their words (shared with you):"))
        lines.extend(
            tr._('"%(text)s" (%(name)s)', text=text, name=name) for name, text in digest.quotes
        )
    return "\n".join(lines)


def _coming(tr: Translator, digest: Digest, rsvp: rsvps.RsvpCounts) -> list[str]:
    """Who is coming, and by name who can't and who hasn't said (to call them); while the
    question has only just gone out, only what is known so far."""
    waiting = not digest.answers_due and rsvp.unknown > 0
    if waiting:
        if not rsvp.yes and not rsvp.no:
            return [tr._("Coming: I'm asking everyone now. Send /digest later to see the answers.")]
        lines = [
            tr._(
                "Coming so far: %(yes)d yes, %(no)d no. I'm asking the others now.",
                yes=rsvp.yes,
                no=rsvp.no,
            )
        ]
    else:
        lines = [
            tr._(
                "Coming: %(yes)d yes, %(no)d no, %(unknown)d not answered yet.",
                yes=rsvp.yes,
                no=rsvp.no,
                unknown=rsvp.unknown,
            )
        ]
    if digest.said_no:
        lines.append(tr._("Can't come: %(names)s.", names=", ".join(digest.said_no)))
    if not waiting and digest.not_answered:
        lines.append(tr._("Not answered yet: %(names)s.", names=", ".join(digest.not_answered)))
    return lines
