"""The numbers behind /report, the close-out summary and the team view.

Per meeting: who came, who said yes or no, how many answered the check-in and how they rated the
week. Per circle: learners, retention from the first meeting to the latest, the check-in response
rate, letters written and received, SMS segments sent, and who may be drifting away.

Drop-out risk, one definition everywhere (and said in every message that shows it): a current
learner who had joined before the second-to-last meeting held with attendance taken, came to
neither of the last two meetings with attendance taken, and did not answer the latest check-in
that has gone out. A meeting nobody recorded attendance for is "not taken", never 0: it says
nothing about who came.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_decimal, format_percent
from sqlalchemy import func, or_
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import segments
from bot.chat.i18n import N_, Catalogs, Translator
from bot.chat.messages import Capabilities
from bot.chat.platforms import Platforms
from bot.chat.rendering import fit
from bot.circles import meetings
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.rhythm import attendance, checkins, drifting
from bot.storage.models import (
    Attendance,
    AttendanceSource,
    CheckIn,
    Circle,
    Letter,
    LetterDelivery,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    Role,
    Rsvp,
    RsvpAnswer,
)

# An emptied outbox row keeps the SMS segments it took under this payload key.
SEGMENTS = "segments"

RISK_DEFINITION = drifting.RISK_DEFINITION


@dataclass(frozen=True)
class MeetingFigures:
    meeting: Meeting
    held: bool  # it has ended (cancelled meetings are left out of a report altogether)
    came: int
    # Whether anyone recorded attendance for it (ticked, or a learner's /here): without, `came`
    # is 0 but means "not taken", and the meeting says nothing about who came.
    taken: bool
    said_yes: int
    said_no: int
    # Learners asked to check in: all of them once the check-in has gone out; before that,
    # only those who answered with /checkin (open from the meeting's end), as the digest counts.
    asked: int
    answered: int
    average_rating: float | None


@dataclass(frozen=True)
class Learner:
    person_id: int
    name: str
    membership: Membership


@dataclass(frozen=True)
class CircleReport:
    circle: Circle
    meetings: list[MeetingFigures]  # not cancelled, in the order they take place
    learners: int  # current learners
    left: int  # learners who left the circle
    # Retention runs between the first and the latest meetings with attendance taken (their
    # numbers, 0 when none was): a meeting nobody recorded says nothing about who came.
    first_came: int  # learners at the first meeting with attendance taken
    retained: int  # of those, how many came to the latest meeting with attendance taken
    letters_written: int
    letters_received: int
    sms_segments: int
    at_risk: list[str]  # names, see RISK_DEFINITION
    next_meeting: Meeting | None
    # Messages a platform billed by themselves (templates outside a free window, Receipt.billed).
    paid_messages: int = 0
    first_taken: int = 0
    last_taken: int = 0
    # Whether a check-in has gone out at all, whoever it went to (they may have gone since).
    checkins_out: bool = False

    @property
    def held(self) -> list[MeetingFigures]:
        return [figures for figures in self.meetings if figures.held]

    @property
    def checkins_asked(self) -> int:
        return sum(figures.asked for figures in self.meetings)

    @property
    def checkins_answered(self) -> int:
        return sum(figures.answered for figures in self.meetings)

    @property
    def finished(self) -> bool:
        return self.next_meeting is None and bool(self.held)


async def learners_of(session: AsyncSession, circle_id: int) -> list[Learner]:
    """Every learner the circle has had, those who left too: their weeks still count. So do
    those of a learner who became a co-facilitator or took the circle over (/handover): a
    check-in of theirs here, or a facilitator's tick on the attendance sheet (which lists
    learners only), shows they were one."""
    rows = await session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.circle_id == circle_id)
        .order_by(col(Membership.joined_at), col(Membership.id))
    )
    found = rows.all()
    # The facilitator who made the circle (its first membership) was never one of its
    # learners: their own /checkin is no learner's answer.
    founder = min((m.id or 0 for m, _ in found), default=0)
    promoted = {m.person_id for m, _ in found if m.role != Role.LEARNER and m.id != founder}
    if promoted:
        checked_in = await session.exec(
            select(CheckIn.person_id).where(
                CheckIn.circle_id == circle_id, col(CheckIn.person_id).in_(promoted)
            )
        )
        ticked = await session.exec(
            select(Attendance.person_id)
            .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
            .where(
                Meeting.circle_id == circle_id,
                col(Attendance.person_id).in_(promoted),
                Attendance.source == AttendanceSource.FACILITATOR,
            )
        )
        promoted &= set(checked_in.all()) | set(ticked.all())
    return [
        Learner(person.id or 0, person.display_name, m)
        for m, person in found
        if m.role == Role.LEARNER or m.person_id in promoted
    ]


def learner_now(learner: Learner) -> bool:
    """Still in the circle as a learner (not gone, not facilitating it now)."""
    return learner.membership.left_at is None and learner.membership.role == Role.LEARNER


def member_at(learner: Learner, meeting: Meeting) -> bool:
    """Whether the learner belonged to the circle when the meeting took place."""
    left = learner.membership.left_at
    return learner.membership.joined_at < meeting.ends_at and (
        left is None or left > meeting.starts_at
    )


async def rsvps_by_meeting(
    session: AsyncSession, meeting_ids: list[int]
) -> dict[int, dict[int, str]]:
    found: dict[int, dict[int, str]] = defaultdict(dict)
    if meeting_ids:
        rows = await session.exec(select(Rsvp).where(col(Rsvp.meeting_id).in_(meeting_ids)))
        for rsvp in rows.all():
            found[rsvp.meeting_id][rsvp.person_id] = rsvp.answer
    return found


async def presence(session: AsyncSession, meeting_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {meeting_id: set() for meeting_id in meeting_ids}
    if meeting_ids:
        rows = await session.exec(
            select(Attendance.meeting_id, Attendance.person_id).where(
                col(Attendance.meeting_id).in_(meeting_ids)
            )
        )
        for meeting_id, person_id in rows.all():
            found[meeting_id].add(person_id)
    return found


def at_risk(
    circle: Circle,
    learners: list[Learner],
    held: list[Meeting],
    came: dict[int, set[int]],
    answered: dict[int, set[int]],
    now: datetime,
    taken: set[int],
) -> list[Learner]:
    """Current learners who may be drifting away (see RISK_DEFINITION), as the digest names
    them too (bot/rhythm/drifting.py)."""
    current = {x.person_id: x.membership.joined_at for x in learners if learner_now(x)}
    found = set(drifting.drifting(circle, current, held, came, answered, now, taken))
    return [learner for learner in learners if learner_now(learner) and learner.person_id in found]


async def build(
    session: AsyncSession,
    circle: Circle,
    now: datetime,
    catalogs: Catalogs | None = None,
    platforms: Platforms | None = None,
) -> CircleReport:
    """The circle's figures at `now`. SMS segments are counted only when `catalogs` is given
    (they are rendered as the dispatcher sent them, which needs the reader's language), on the
    `platforms` whose messages are billed per segment."""
    assert circle.id is not None
    schedule = sorted(
        (
            m
            for m in await meetings.schedule(session, circle.id)
            if m.status != MeetingStatus.CANCELLED
        ),
        key=lambda m: m.starts_at,
    )
    ids = [m.id for m in schedule if m.id is not None]
    learners = await learners_of(session, circle.id)
    # Learners only: a facilitator's own /here is not a learner who came.
    counted = {learner.person_id for learner in learners}
    came = {m: people & counted for m, people in (await presence(session, ids)).items()}
    recorded = await attendance.taken(session, ids)
    said = await rsvps_by_meeting(session, ids)
    answers = await checkins.for_meetings(session, ids)
    figures = []
    for meeting in schedule:
        assert meeting.id is not None
        # Under way with attendance taken: who came is known, as after its end.
        ended = attendance.held(meeting, now)
        there = [learner.person_id for learner in learners if member_at(learner, meeting)]
        stats = checkins.stats(answers[meeting.id], there)
        # A check-in not sent yet (the last one, at the close-out) asks nobody who has not
        # answered it already: it is not yet one unanswered.
        sent = checkins.gone_out(circle, meeting, now)
        figures.append(
            MeetingFigures(
                meeting=meeting,
                held=ended,
                came=len(came[meeting.id]) if ended else 0,
                taken=ended and meeting.id in recorded,
                said_yes=sum(1 for a in said[meeting.id].values() if a == RsvpAnswer.YES),
                said_no=sum(1 for a in said[meeting.id].values() if a == RsvpAnswer.NO),
                asked=(stats.asked if sent else stats.answered) if ended else 0,
                answered=stats.answered if ended else 0,
                average_rating=stats.average,
            )
        )
    held = [f.meeting for f in figures if f.held]
    # Retention runs from the first meeting with attendance taken to the latest one.
    taken = [f.meeting for f in figures if f.taken]
    first_came = came[taken[0].id or 0] if taken else set()
    last_came = came[taken[-1].id or 0] if taken else set()
    answered = {m: {c.person_id for c in rows} for m, rows in answers.items()}
    return CircleReport(
        circle=circle,
        meetings=figures,
        learners=sum(1 for learner in learners if learner_now(learner)),
        left=sum(1 for learner in learners if learner.membership.left_at is not None),
        first_came=len(first_came),
        # One of them now running the circle with the facilitator is kept, not lost: off the
        # learners' sheet, not gone.
        retained=len(first_came & (last_came | _facilitating_now(learners))),
        letters_written=await _count(
            session,
            select(func.count())
            .select_from(Letter)
            .where(
                Letter.circle_id == circle.id,
                # Written means on its way: one taken back or turned down is not.
                col(Letter.status).not_in([LetterStatus.WITHDRAWN, LetterStatus.REJECTED]),
                # By its learners: not a facilitator's own. A forgotten author's letter is
                # signed "a learner", and counts as one.
                or_(col(Letter.author_id).in_(sorted(counted)), col(Letter.author_id).is_(None)),
            ),
        ),
        letters_received=await _count(
            session,
            select(func.count())
            .select_from(LetterDelivery)
            .where(LetterDelivery.circle_id == circle.id),
        ),
        sms_segments=(
            await sms_segments_used(session, catalogs, circle.id, ids, platforms or Platforms())
            if catalogs
            else 0
        ),
        at_risk=[
            learner.name
            for learner in at_risk(circle, learners, held, came, answered, now, recorded)
        ],
        next_meeting=await meetings.upcoming(session, circle.id, now),
        paid_messages=await paid_messages_sent(session, circle.id, ids),
        checkins_out=any(checkins.gone_out(circle, m, now) for m in held),
        first_taken=taken[0].number if taken else 0,
        last_taken=taken[-1].number if taken else 0,
    )


def _facilitating_now(learners: list[Learner]) -> set[int]:
    """The learners who became co-facilitators (or took the circle over) and are still in it."""
    return {
        learner.person_id
        for learner in learners
        if learner.membership.left_at is None and learner.membership.role != Role.LEARNER
    }


async def _count(session: AsyncSession, query: object) -> int:
    return int((await session.exec(query)).one())  # type: ignore[call-overload]


async def sms_segments_used(
    session: AsyncSession,
    catalogs: Catalogs,
    circle_id: int,
    meeting_ids: list[int],
    platforms: Platforms,
) -> int:
    """SMS segments the circle's proactive messages took (reminders, check-ins, digests,
    announcements, letters...), counted part by part as the dispatcher fitted and sent them,
    on the platforms billed per segment (each with its own capabilities).

    A row belongs to the circle by its idempotency key (see circle_messages).
    """
    billed = {platform.name: platform.capabilities for platform in platforms.billed_per_segment()}
    if not billed:
        return 0
    rows = await session.exec(
        select(OutboxMessage).where(
            col(OutboxMessage.platform).in_(billed),
            OutboxMessage.status == OutboxStatus.SENT,
            circle_messages(circle_id, meeting_ids),
        )
    )
    return sum(segments_of(row, billed[row.platform], catalogs) for row in rows.all())


async def paid_messages_sent(session: AsyncSession, circle_id: int, meeting_ids: list[int]) -> int:
    """Messages of the circle a platform billed by themselves (outbox.BILLED on the row)."""
    payloads = await session.exec(
        select(OutboxMessage.payload).where(
            OutboxMessage.status == OutboxStatus.SENT,
            circle_messages(circle_id, meeting_ids),
        )
    )
    return sum(int(payload.get(outbox.BILLED, 0)) for payload in payloads.all())


def circle_messages(circle_id: int, meeting_ids: list[int]) -> ColumnElement[bool]:
    """The outbox rows of a circle, by their idempotency key: its subject is the circle or one
    of its meetings, or it is a letter delivered to the circle."""
    key = col(OutboxMessage.idempotency_key)
    return or_(
        key.like(f"%|circle:{circle_id}|%"),
        (col(OutboxMessage.kind) == MessageKind.LETTER) & key.like(f"%|circle:{circle_id}"),
        *(key.like(f"%|meeting:{meeting_id}|%") for meeting_id in meeting_ids),
    )


def segments_of(row: OutboxMessage, capabilities: Capabilities, catalogs: Catalogs) -> int:
    """The SMS segments a sent row took, part by part as the dispatcher fitted it; for a row
    emptied by retention (bot/reports/retention.py), as counted before it was."""
    if SEGMENTS in row.payload:
        return int(row.payload[SEGMENTS])
    tr = catalogs.translator(row.payload.get("locale"))
    parts = fit(outbox.to_outbound(row), capabilities, tr)
    return sum(segments.sms_segments(part.text) for part in parts)


def _percent(tr: Translator, part: int, whole: int) -> str:
    return format_percent(part / whole, locale=tr.locale) if whole else "-"


def came_trend(tr: Translator, figures: list[MeetingFigures]) -> str:
    """'2, 1, not taken, 1': who came to each meeting, where attendance was taken."""
    return ", ".join(str(f.came) if f.taken else tr._("not taken") for f in figures)


# Translators: two numbers with decimals side by side ("4.0, 3.5"). Where the comma is the
# decimal mark, separate them with something else ("4,0 ; 3,5").
DECIMALS_LISTED = N_("%(earlier)s, %(later)s")


def listed(tr: Translator, decimals: list[str]) -> str:
    """Numbers with decimals, one after the other, so they can't be read as one ("3,0, 2,0")."""
    return functools.reduce(
        lambda earlier, later: tr._(DECIMALS_LISTED, earlier=earlier, later=later), decimals
    )


def _retention(tr: Translator, report: CircleReport) -> list[str]:
    """Who kept coming, between the first and the latest meetings with attendance taken, named
    (a meeting nobody recorded is never taken for one nobody came to); nothing before two were
    taken, or when nobody was at the first."""
    if report.first_taken == report.last_taken or not report.first_came:
        return []
    if report.first_came == 1:
        # "1 of the 1 learners" reads wrong in every language: one person, said as one.
        one = (
            N_(
                "The one learner at meeting %(first)d came to meeting %(last)d (%(percent)s): "
                "the first and latest meetings with attendance taken."
            )
            if report.retained
            else N_(
                "The one learner at meeting %(first)d didn't come to meeting %(last)d "
                "(%(percent)s): the first and latest meetings with attendance taken."
            )
        )
        return [
            tr._(
                one,
                first=report.first_taken,
                last=report.last_taken,
                percent=_percent(tr, report.retained, 1),
            )
        ]
    return [
        # The number agrees with "came" (issue 16: plurals chosen on the total).
        tr.ngettext(
            "%(n)d of the %(total)d learners at meeting %(first)d came to meeting %(last)d "
            "(%(percent)s): the first and latest meetings with attendance taken.",
            "%(n)d of the %(total)d learners at meeting %(first)d came to meeting %(last)d "
            "(%(percent)s): the first and latest meetings with attendance taken.",
            report.retained,
            total=report.first_came,
            first=report.first_taken,
            last=report.last_taken,
            percent=_percent(tr, report.retained, report.first_came),
        )
    ]


def render(tr: Translator, report: CircleReport) -> str:
    """The text summary: it stands alone where the chart can't be shown (SMS)."""
    circle = report.circle
    held = report.held
    lines = [
        tr._("Report for %(circle)s", circle=circle.name),
        tr.ngettext(
            "%(n)d learner in the circle now.", "%(n)d learners in the circle now.", report.learners
        ),
    ]
    if report.left:
        lines.append(tr.ngettext("%(n)d has left.", "%(n)d have left.", report.left))
    lines.append(
        tr.ngettext(
            "%(n)d meeting held of %(total)d.",
            "%(n)d meetings held of %(total)d.",
            len(held),
            total=len(report.meetings),
        )
    )
    lines.append(tr._("Came to each meeting: %(trend)s", trend=came_trend(tr, held)))
    lines.extend(_retention(tr, report))
    if report.checkins_asked:
        line = tr.ngettext(
            "Check-ins: %(n)d of %(asked)d answered (%(percent)s).",
            "Check-ins: %(n)d of %(asked)d answered (%(percent)s).",
            report.checkins_answered,
            asked=report.checkins_asked,
            percent=_percent(tr, report.checkins_answered, report.checkins_asked),
        )
        ratings = [f.average_rating for f in held if f.average_rating is not None]
        if ratings:
            weekly = listed(
                tr, [format_decimal(rating, format="0.0", locale=tr.locale) for rating in ratings]
            )
            line += " " + tr._("Average rating each week: %(ratings)s (of 5).", ratings=weekly)
        lines.append(line)
    elif not report.checkins_out:
        lines.append(tr._("No check-ins have gone out yet."))
    # else they went out to nobody still counted (a learner since erased): no "0 of 0"
    lines.append(
        tr._(
            "Letters: %(written)s, %(received)s.",
            written=tr.ngettext(
                "%(n)d written by your learners",
                "%(n)d written by your learners",
                report.letters_written,
            ),
            received=tr.ngettext("%(n)d received", "%(n)d received", report.letters_received),
        )
    )
    lines.append(
        tr.ngettext(
            "SMS: %(n)d segment sent to learners' phones.",
            "SMS: %(n)d segments sent to learners' phones.",
            report.sms_segments,
        )
    )
    if report.paid_messages:
        lines.append(
            tr.ngettext(
                "%(n)d message went as a paid template (outside the free reply window).",
                "%(n)d messages went as paid templates (outside the free reply window).",
                report.paid_messages,
            )
        )
    if report.at_risk:
        lines.append(
            tr._(
                "May be drifting away (%(definition)s): %(names)s. A friendly word might help.",
                definition=tr._(RISK_DEFINITION),
                names=", ".join(report.at_risk),
            )
        )
    return "\n".join(lines)


def nothing_yet(tr: Translator, report: CircleReport) -> str:
    """The answer before the first meeting has taken place: an explanation, not an empty chart."""
    if report.next_meeting is None:
        return tr._(
            "%(circle)s has no meetings to report on: none has taken place and none is planned.",
            circle=report.circle.name,
        )
    return tr._(
        "%(circle)s hasn't met yet, so there's nothing to report. Your first meeting is "
        "%(when)s; after it I'll have attendance and check-ins to show.",
        circle=report.circle.name,
        when=tr.when(report.next_meeting.starts_at, report.circle.timezone),
    )
