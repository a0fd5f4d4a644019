"""The numbers behind /report, the close-out summary and the team view.

Per meeting: who came, who said yes or no, how many answered the check-in and how they rated the
week. Per circle: learners, retention from the first meeting to the latest, the check-in response
rate, letters written and received, SMS segments sent, and who may be drifting away.

Drop-out risk, one definition everywhere (and said in every message that shows it): a current
learner who had joined before the second-to-last meeting held with attendance taken and came to
neither of the last two meetings with attendance taken (bot/rhythm/drifting.py). A meeting
nobody recorded attendance for is "not taken", never 0: it says nothing about who came.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from babel.lists import format_list
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
from bot.dialogue import members
from bot.rhythm import attendance, checkins, digests, drifting
from bot.rhythm.learners import LEFT_NOTE, Learner, asked, learner_now, learners_of
from bot.rhythm.learners import at as learners_at
from bot.storage.models import (
    Account,
    Attendance,
    Circle,
    Letter,
    LetterDelivery,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Membership,
    OutboxMessage,
    OutboxStatus,
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
    # Learners asked to check in, as the digest counts them (bot/rhythm/learners.asked): those
    # at the meeting still in the circle when it went out, and whoever answered it; before it
    # goes out, only those who answered with /checkin (open from the meeting's end).
    asked: int
    answered: int
    average_rating: float | None


@dataclass(frozen=True)
class CircleReport:
    circle: Circle
    meetings: list[MeetingFigures]  # not cancelled, in the order they take place
    learners: int  # current learners
    left: int  # learners who left the circle (not those a facilitator took off)
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
    # Current learners no message reaches (sent STOP, blocked the bot): never asked (fac 27).
    unreachable: int = 0
    # Learners at the first meeting counted as retained because they help run the circle now:
    # on no learners' attendance count since (mix 18).
    kept_running: list[str] = field(default_factory=list)
    # Learners at the first meeting who were away for the latest (left, and came back after
    # it): their time away is kept, so not a drop-out (fac 40). Counted as retained, named.
    back_after_away: list[str] = field(default_factory=list)

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
    said: dict[int, dict[int, str]] | None = None,
) -> list[Learner]:
    """Current learners who may be drifting away (see RISK_DEFINITION), as the digest names
    them too (bot/rhythm/drifting.py). `said`: the answers to "Will you come?" by meeting."""
    # Since she last came back (issue 16): meetings held while she was away aren't missed.
    current = {x.person_id: x.member_since() for x in learners if learner_now(x)}
    said_yes = {
        m: {p for p, a in given.items() if a == RsvpAnswer.YES} for m, given in (said or {}).items()
    }
    found = set(drifting.drifting(circle, current, held, came, answered, now, taken, said_yes))
    return [learner for learner in learners if learner_now(learner) and learner.person_id in found]


async def build(
    session: AsyncSession,
    circle: Circle,
    now: datetime,
    catalogs: Catalogs | None = None,
    platforms: Platforms | None = None,
    closed_at: datetime | None = None,
    labels: dict[int, str] | None = None,
) -> CircleReport:
    """The circle's figures at `now`. SMS segments are counted only when `catalogs` is given
    (they are rendered as the dispatcher sent them, which needs the reader's language), on the
    `platforms` whose messages are billed per segment. `closed_at`: when a facilitator closed
    it early (/close), its end rather than the last meeting held. `labels`: who is named
    otherwise, by person id (an anonymised circle's "Member 2", retention.member_labels)."""
    shown = labels or {}
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
    # Learners at each meeting only: a facilitator's own /here is not a learner who came, nor
    # a co-facilitator's at a meeting she ran (bot/rhythm/learners.py).
    by_id = {m.id: m for m in schedule}
    came = {
        m: people & learners_at(learners, by_id[m])
        for m, people in (await presence(session, ids)).items()
    }
    recorded = await attendance.taken(session, ids)
    said = await rsvps_by_meeting(session, ids)
    answers = await checkins.for_meetings(session, ids)
    answered = {m: {c.person_id for c in rows} for m, rows in answers.items()}
    unreachable = await _unreachable(session, learners)
    figures = []
    for meeting in schedule:
        assert meeting.id is not None
        # Under way with attendance taken: who came is known, as after its end.
        ended = attendance.held(meeting, now)
        # A check-in not sent yet (the last one, at the close-out) asks nobody who has not
        # answered it already: it is not yet one unanswered.
        stats = checkins.stats(
            answers[meeting.id],
            asked(circle, meeting, learners, answered[meeting.id], now, unreachable),
        )
        figures.append(
            MeetingFigures(
                meeting=meeting,
                held=ended,
                came=len(came[meeting.id]) if ended else 0,
                taken=ended and meeting.id in recorded,
                said_yes=sum(1 for a in said[meeting.id].values() if a == RsvpAnswer.YES),
                said_no=sum(1 for a in said[meeting.id].values() if a == RsvpAnswer.NO),
                asked=stats.asked if ended else 0,
                answered=stats.answered if ended else 0,
                average_rating=stats.average,
            )
        )
    held = [f.meeting for f in figures if f.held]
    # Retention runs from the first meeting with attendance taken to the latest one.
    taken = [f.meeting for f in figures if f.taken]
    first_came = came[taken[0].id or 0] if taken else set()
    last_came = came[taken[-1].id or 0] if taken else set()
    running = _facilitating_now(learners)
    # Not a learner at the latest meeting, and in the circle now: she was away for it.
    back = (
        {x.person_id for x in learners if learner_now(x)} - learners_at(learners, taken[-1])
        if taken
        else set()
    )
    # Leaving a circle that has ended is tidying up one's list, not dropping out (walkthrough
    # 8, fac 32): such a learner stayed to the end, and counts as one.
    ended_at = schedule[-1].ends_at if schedule and schedule[-1].ends_at <= now else None
    if ended_at is not None and closed_at is not None:
        # Closed early: who left before /close left a circle still planned to meet (dede 36).
        ended_at = max(ended_at, closed_at)
    stayed = [
        learner
        for learner in learners
        if learner_now(learner)
        or (
            ended_at is not None
            and learner.membership.role == Role.LEARNER
            and learner.membership.left_at is not None
            and learner.membership.left_at >= ended_at
        )
    ]
    return CircleReport(
        circle=circle,
        meetings=figures,
        learners=len(stayed),
        # Taken off by a facilitator (/remove: a spammer before the first meeting) is not a
        # learner who left (fac 24b).
        left=sum(
            1
            for learner in learners
            if learner.membership.left_at is not None
            and learner.membership.removed_at is None
            and learner not in stayed
        ),
        first_came=len(first_came),
        # One of them now running the circle with the facilitator is kept, not lost: off the
        # learners' sheet, not gone. Named (kept_running), so the figure and the attendance
        # line don't seem to disagree ("2 of 3 came to meeting 2" beside "3, 1", mix 18).
        retained=len(first_came & (last_came | running | back)),
        kept_running=[
            shown.get(x.person_id, x.name)
            for x in learners
            if x.person_id in (first_came & running) - last_came
        ],
        back_after_away=[
            shown.get(x.person_id, x.name) for x in learners if x.person_id in first_came & back
        ],
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
                or_(
                    col(Letter.author_id).in_(sorted(x.person_id for x in learners)),
                    col(Letter.author_id).is_(None),
                ),
            ),
        ),
        letters_received=await _count(
            session,
            select(func.count())
            .select_from(LetterDelivery)
            .where(LetterDelivery.circle_id == circle.id),
        ),
        # The circle's own messages and the answers to its members' texts: one figure, the
        # same in the closing summary and in /report, that only grows.
        sms_segments=(
            await sms_segments_used(session, catalogs, circle.id, ids, platforms or Platforms())
            + await reply_segments(
                session,
                catalogs,
                platforms or Platforms(),
                circle.id,
                schedule[-1].ends_at + REPLIES_AFTER_THE_END if schedule else None,
            )
            if catalogs
            else 0
        ),
        at_risk=[
            shown.get(learner.person_id, learner.name)
            for learner in at_risk(circle, learners, held, came, answered, now, recorded, said)
        ],
        next_meeting=await meetings.upcoming(session, circle.id, now),
        paid_messages=await paid_messages_sent(session, circle.id, ids),
        checkins_out=any(checkins.gone_out(circle, m, now) for m in held),
        first_taken=taken[0].number if taken else 0,
        last_taken=taken[-1].number if taken else 0,
        unreachable=len(unreachable),
    )


def _facilitating_now(learners: list[Learner]) -> set[int]:
    """The learners who became co-facilitators (or took the circle over) and are still in it."""
    return {
        learner.person_id
        for learner in learners
        if learner.membership.left_at is None and learner.membership.role != Role.LEARNER
    }


async def _unreachable(session: AsyncSession, learners: list[Learner]) -> set[int]:
    """The current learners no message reaches: their check-ins never went out to them."""
    current = [learner.person_id for learner in learners if learner_now(learner)]
    return {
        *await members.stopped(session, current),
        *await members.unreached(session, current),
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


# Answers to a member's texts count for a circle until this long after its last meeting (its
# survey, its letters); later ones are other circles' (C62: a finished circle's figure grew).
REPLIES_AFTER_THE_END = timedelta(days=7)


async def reply_segments(
    session: AsyncSession,
    catalogs: Catalogs,
    platforms: Platforms,
    circle_id: int,
    until: datetime | None = None,
    person_id: int | None = None,
) -> int:
    """SMS segments of the bot's answers to the circle's members' texts (their JOIN, YES,
    check-in ratings...), sent while they were members; one member's only with `person_id`.
    sms_segments_used counts the circle's own messages only: an answer is keyed on the text it
    answers, not on a circle. Someone in two circles at once has their answers counted in
    both."""
    billed = {platform.name: platform.capabilities for platform in platforms.billed_per_segment()}
    if not billed:
        return 0
    rows = await session.exec(
        select(OutboxMessage)
        .join(
            Account,
            (col(Account.platform) == OutboxMessage.platform)
            & (col(Account.address) == OutboxMessage.chat_id),
        )
        .join(Membership, col(Membership.person_id) == Account.person_id)
        .where(
            Membership.circle_id == circle_id,
            col(Account.platform).in_(billed),
            OutboxMessage.kind == MessageKind.REPLY,
            OutboxMessage.status == OutboxStatus.SENT,
            col(OutboxMessage.created_at) >= Membership.joined_at,
            # Not after they left, nor once the circle is long over (`until`).
            or_(
                col(Membership.left_at).is_(None),
                col(OutboxMessage.created_at) < Membership.left_at,
            ),
            *([col(OutboxMessage.created_at) <= until] if until is not None else []),
            *([col(Account.person_id) == person_id] if person_id is not None else []),
        )
    )
    return sum(segments_of(row, billed[row.platform], catalogs) for row in rows.all())


async def sent_to(
    session: AsyncSession, catalogs: Catalogs, platforms: Platforms, circle_id: int, person_id: int
) -> tuple[int, int]:
    """The SMS segments and paid messages that went to one member as the circle's figures count
    them: its own messages to them and the answers to their texts. /forget keeps them in the
    figures of a circle that is over, as retention does (bot/circles/erasure.py, dada 19)."""
    schedule = sorted(
        (
            m
            for m in await meetings.schedule(session, circle_id)
            if m.status != MeetingStatus.CANCELLED
        ),
        key=lambda m: m.starts_at,
    )
    ids = [m.id for m in schedule if m.id is not None]
    addresses = (
        await session.exec(
            select(Account.platform, Account.address).where(Account.person_id == person_id)
        )
    ).all()
    key = col(OutboxMessage.idempotency_key)
    theirs = or_(
        key.contains(f"|person:{person_id}|", autoescape=True),
        *(
            (col(OutboxMessage.platform) == platform) & (col(OutboxMessage.chat_id) == address)
            for platform, address in addresses
        ),
    )
    rows = (
        await session.exec(
            select(OutboxMessage).where(
                OutboxMessage.status == OutboxStatus.SENT,
                circle_messages(circle_id, ids),
                theirs,
            )
        )
    ).all()
    billed = {platform.name: platform.capabilities for platform in platforms.billed_per_segment()}
    own = sum(
        segments_of(row, billed[row.platform], catalogs) for row in rows if row.platform in billed
    )
    replies = await reply_segments(
        session,
        catalogs,
        platforms,
        circle_id,
        schedule[-1].ends_at + REPLIES_AFTER_THE_END if schedule else None,
        person_id,
    )
    paid = sum(int(row.payload.get(outbox.BILLED, 0)) for row in rows)
    return own + replies, paid


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
# One meeting's average rating in the report: "6: 3.0".
RATING_OF_MEETING = N_("%(number)d: %(rating)s")


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
            ),
            *_back_after_away(tr, report),
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
        ),
        *_running_now(tr, report),
        *_back_after_away(tr, report),
    ]


def _running_now(tr: Translator, report: CircleReport) -> list[str]:
    """Why retention counts someone the attendance line doesn't: she runs the circle now."""
    if not report.kept_running:
        return []
    return [
        tr.ngettext(
            "(%(names)s helps run the circle now, so counts as still coming.)",
            "(%(names)s help run the circle now, so count as still coming.)",
            len(report.kept_running),
            names=format_list(report.kept_running, locale=tr.locale),
        )
    ]


def _back_after_away(tr: Translator, report: CircleReport) -> list[str]:
    """Why retention counts someone who wasn't at the latest meeting: she was away then."""
    if not report.back_after_away:
        return []
    return [
        tr.ngettext(
            "(%(names)s was away for meeting %(last)d and came back, so counts as still coming.)",
            "(%(names)s were away for meeting %(last)d and came back, so count as still coming.)",
            len(report.back_after_away),
            names=format_list(report.back_after_away, locale=tr.locale),
            last=report.last_taken,
        )
    ]


def key_figures(tr: Translator, report: CircleReport) -> list[str]:
    """The report's two key numbers, each a sentence: the meetings held, and the check-ins
    answered where any were asked. For a facilitator on a feature phone, where the whole
    report is five SMS (walk D27: "meeting 2 not recorded, ..." filled one alone)."""
    figures = [
        tr.ngettext(
            "%(n)d meeting held of %(total)d.",
            "%(n)d meetings held of %(total)d.",
            len(report.held),
            total=len(report.meetings),
        )
    ]
    if report.checkins_asked:
        figures.append(
            tr.ngettext(
                "Check-ins: %(n)d of %(asked)d answered (%(percent)s).",
                "Check-ins: %(n)d of %(asked)d answered (%(percent)s).",
                report.checkins_answered,
                asked=report.checkins_asked,
                percent=_percent(tr, report.checkins_answered, report.checkins_asked),
            )
        )
    return figures


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
    # Each count with its meeting: "3, 3, 2" read as three people at every meeting (lang 19).
    counts = [(f.meeting.number, f.came if f.taken else None) for f in held]
    lines.append(tr._("Attendance: %(trend)s", trend=digests.by_meeting(tr, counts)))
    lines.extend(_retention(tr, report))
    if report.checkins_asked:
        line = tr.ngettext(
            "Check-ins: %(n)d of %(asked)d answered (%(percent)s).",
            "Check-ins: %(n)d of %(asked)d answered (%(percent)s).",
            report.checkins_answered,
            asked=report.checkins_asked,
            percent=_percent(tr, report.checkins_answered, report.checkins_asked),
        )
        # Each average with its meeting: weeks without answers leave gaps that a bare list
        # hides ("3.0, 3.5, 5.0, 3.0" for an 8-meeting circle, the last one meeting 6).
        ratings = [
            tr._(
                RATING_OF_MEETING,
                number=f.meeting.number,
                rating=format_decimal(f.average_rating, format="0.0", locale=tr.locale),
            )
            for f in held
            if f.average_rating is not None
        ]
        if ratings:
            line += " " + tr._(
                "Average rating by meeting (of 5): %(ratings)s.", ratings=listed(tr, ratings)
            )
        if report.left:
            line += " " + tr._(LEFT_NOTE)  # as the digest says it
        if report.unreachable:
            line += " " + tr.ngettext(
                "%(n)d learner stopped all messages, so wasn't asked.",
                "%(n)d learners stopped all messages, so weren't asked.",
                report.unreachable,
            )
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
        lines.append(drifting.line(tr, RISK_DEFINITION, report.at_risk, report.finished))
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
