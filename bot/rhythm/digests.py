"""The facilitator digest: how the circle is doing, before each meeting, in one message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_decimal
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Translator
from bot.dialogue import members
from bot.rhythm import attendance, checkins, rsvps
from bot.storage.models import Circle, Meeting, MeetingStatus, Role

QUOTES = 5  # blockers quoted at most
QUOTE_CHARS = 200


@dataclass(frozen=True)
class Digest:
    meeting: Meeting | None  # the meeting it prepares; None when none is left
    rsvp: rsvps.RsvpCounts | None
    last_week: checkins.WeekStats | None
    # People present at each meeting held so far; None where nobody took attendance.
    attendance_trend: list[int | None]
    silent: list[str]  # learners with no word for the last two meetings with attendance taken
    quotes: list[tuple[str, str]]  # (name, answer) from learners who agreed to share


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
                    col(Meeting.ends_at) <= now,
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
    if meeting is not None and meeting.id is not None:
        rsvp = await rsvps.counts(session, meeting.id, learner_ids)
    last_week = None
    quotes: list[tuple[str, str]] = []
    if held_ids:
        last = held_ids[-1]
        eligible = [p for p in learner_ids if learners[p].membership.joined_at < held[-1].ends_at]
        last_week = checkins.stats(answers[last], eligible)
        for answer in answers[last]:
            entry = learners.get(answer.person_id)
            if entry and entry.membership.shares_answers and answer.answer:
                text = answer.answer
                if len(text) > QUOTE_CHARS:
                    text = text[: QUOTE_CHARS - 1].rstrip() + "…"
                quotes.append((entry.person.display_name, text))
    silent = []
    # A meeting nobody took attendance for says nothing about who came: not counted.
    counted = [m for m in held if m.id in taken]
    if len(counted) >= 2:
        two = counted[-2:]
        present = [await attendance.present(session, m.id) for m in two if m.id is not None]
        for person_id in learner_ids:
            entry = learners[person_id]
            if entry.membership.joined_at >= two[0].starts_at:
                continue  # new: not silent, just arrived
            answered = any(c.person_id == person_id for m in two for c in answers[m.id or 0])
            came_once = any(person_id in group for group in present)
            if not answered and not came_once:
                silent.append(entry.person.display_name)
    return Digest(
        meeting=meeting,
        rsvp=rsvp,
        last_week=last_week,
        attendance_trend=[came[m] if m in taken else None for m in held_ids],
        silent=silent,
        quotes=quotes[:QUOTES],
    )


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
    if digest.rsvp is not None:
        lines.append(
            tr._(
                "Coming: %(yes)d yes, %(no)d no, %(unknown)d not answered yet.",
                yes=digest.rsvp.yes,
                no=digest.rsvp.no,
                unknown=digest.rsvp.unknown,
            )
        )
    if digest.last_week is None:
        lines.append(tr._("No meeting has taken place yet, so there are no check-ins."))
    else:
        week = digest.last_week
        line = tr._(
            "Last check-in: %(answered)d of %(asked)d answered.",
            answered=week.answered,
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
                "Quiet for two weeks: %(names)s. A friendly word might help.",
                names=", ".join(digest.silent),
            )
        )
    if digest.quotes:
        lines.append(tr._("In their words (shared with you):"))
        lines.extend(
            tr._('"%(text)s" (%(name)s)', text=text, name=name) for name, text in digest.quotes
        )
    return "\n".join(lines)
