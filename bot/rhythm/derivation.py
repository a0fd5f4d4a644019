"""The weekly rhythm's scheduled job: reminders, digests, check-ins, their nudges and the goal
review, derived from the meetings for what fell due in the tick's window.

It derives, it does not remember (see bot/scheduling/tick.py): a repeat over the same window
queues nothing new, since outbox keys are unique. Reminders and digests for a meeting that has
already started are not sent late; check-ins are, until the next meeting starts.

It works on sets, not rows. Only circles whose next due time has come are looked at
(Circle.rhythm_due_at, worked out from bot/rhythm/timetable.py), so a tick with nothing due is
one index lookup. Those circles are taken a chunk at a time, so memory stays flat however many
there are. The check-ins, a message to every learner each week, never come into Python: who is
asked, and their outbox rows, questions and offered choices, are a few INSERT ... SELECT
statements per chunk, with words made once per language and filled in by the database (see
_Derivation._checkins). For the other kinds each chunk is read in a few statements (members,
who is waiting, goals, accounts), and their rows are written in a few bulk statements. Words are
made once per language where they are the same for many: the choices, a circle's calendar.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal, NamedTuple, assert_never, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ARRAY, ColumnElement, Integer, Text, and_, any_, bindparam, text
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from bot.chat import rendering, segments
from bot.chat.i18n import Translator
from bot.chat.messages import Address, Attachment, Choice
from bot.circles import chats, circles, own_zones
from bot.circles.dialin import venue_or_call
from bot.circles.erasure import unnamed_names
from bot.delivery import outbox
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import PRIORITY, MessageKind, Priority
from bot.dialogue import conversations
from bot.rhythm import calendars, checkins, digests, pauses, questions, rsvps, timetable
from bot.rhythm.timetable import MeetingTimes, Occasions, goal_review_at
from bot.storage import bulk
from bot.storage.models import (
    Account,
    AttendanceSource,
    CheckIn,
    Circle,
    CircleStatus,
    Conversation,
    Meeting,
    MeetingStatus,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    Question,
    QuestionKind,
    Reflection,
    RemovedMeeting,
    Role,
    Rsvp,
    RsvpAnswer,
)
from bot.storage.types import UTCDateTime
from prompts import checkin as checkin_prompts
from prompts import goal as goal_prompts

__all__ = ["MAX_REMINDER_OFFSET", "RhythmKind", "WeeklyRhythm", "goal_review_at"]

MAX_REMINDER_OFFSET = timedelta(days=7)
# Circles per chunk: bounds the tick's memory (about ten learners each).
CIRCLES_PER_CHUNK = 2_000
PEOPLE_PER_QUERY = 1_000

# The kinds of message the weekly rhythm derives: each is worded by its branch in
# _Derivation._word and counted in its TickReport field by _count; mypy fails on one left out.
RhythmKind = Literal[
    MessageKind.REMINDER,
    MessageKind.DIGEST,
    MessageKind.CHECKIN,
    MessageKind.CHECKIN_NUDGE,
    MessageKind.GOAL_REVIEW,
    MessageKind.QUIET_CHECK,
]


@dataclass(slots=True)
class DueMessage:
    """One message to derive: who, about what, and how to word it in their language."""

    kind: RhythmKind
    circle: Circle
    meeting: MeetingTimes
    person_id: int
    occurrence: str = ""
    question: QuestionKind | None = None
    prompt_key: str = ""
    expires_at: datetime | None = None  # of the question it asks (None: the message's default)
    lapses_at: datetime | None = None  # when the question it asks lapses
    offset: int = 0  # a reminder's, in minutes before the meeting
    goal: str = ""  # a goal review's
    chat: Address | None = None  # a linked group chat rather than the person
    # Once worded: its outbox key, the account it goes to, the choices it offers.
    key: str = ""
    reach: _Reach | None = None
    choices: tuple[Choice, ...] = ()


def _reachable(joined: ColumnElement[bool]) -> ColumnElement[bool]:
    """An account joined on `joined` that proactive messages may go to."""
    return and_(joined, col(Account.reachable).is_(True), col(Account.opted_out).is_(False))


# A person's accounts in ascending preference: the one they chose, else the one used last.
_PREFERENCE = (col(Account.preferred), col(Account.last_seen_at), col(Account.id))


# A member: person id, role, when they joined. A plain tuple, not a named one: a tick holds
# one per learner, and the garbage collector stops tracking tuples of plain values.
_Member = tuple[int, str, datetime]


class _Reach(NamedTuple):
    """A person's preferred account, as the columns a message to them needs."""

    platform: str
    address: str  # their private chat
    external_id: str
    locale_hint: str | None


def rsvp_choices(tr: Translator, circle: Circle, meeting: MeetingTimes | Meeting) -> list[Choice]:
    """Yes / No for a meeting. The payload names the circle, so it never asks "which circle?"."""
    prefix = f"#{circle.id} /rsvp"
    return [
        # Translators: short: on SMS these read "Reply 1 for Yes or 2 for No".
        Choice(tr._("Yes"), f"{prefix} yes {meeting.number}"),
        Choice(tr._("No"), f"{prefix} no {meeting.number}"),
    ]


def reminder_text(
    tr: Translator,
    circle: Circle,
    meeting: MeetingTimes,
    left: timedelta,
    answer: RsvpAnswer | None,
    own_zone: str | None = None,
    short: bool = False,
    brief_place: Callable[[str], str] | None = None,
) -> str:
    """`short`: without "in 24 hours", which the day and time already say: for an SMS that
    would otherwise take two parts (lang 24: every Swahili reminder did). `brief_place`: how
    the place is cut (rendering.without_street, rendering.short_venue), when even that is two
    (walk A5: "..., 8733 W Vernor Hwy, Detroit - community room" every week)."""
    venue = venue_or_call(tr, circle, meeting)
    words = {
        "circle": circle.name,
        # The weekday and time, no date or zone: a reminder comes within the week, in the
        # circle's own town, and on SMS the full date would cost a second segment. An online
        # circle's, in the reader's own zone where she set one, names it (own_zones).
        "when": own_zones.weekday_at(tr, meeting.starts_at, circle, own_zone),
        # Its own (/edit venue 3 ...), else the circle's; online, its dial-in number too.
        "venue": brief_place(venue) if brief_place else venue,
    }
    zone = ZoneInfo(circle.timezone)
    sent = meeting.starts_at - left
    if own_zones.own_zone(circle, own_zone) is None and (
        sent.astimezone(zone).date() == meeting.starts_at.astimezone(zone).date()
    ):
        # On the day, "Wednesday" reads like next week (walk C 8): the reminder that gets
        # people out of the door says "today", which also says how soon.
        time = tr.time(meeting.starts_at, circle.timezone)
        if own_zones.meets_online(circle):  # her evening may be its noon (lang 21)
            zone_name = tr.zone_name(meeting.starts_at, circle.timezone)
            time = tr._("%(time)s (%(zone)s)", time=time, zone=zone_name)
        text = tr._(
            "%(circle)s meets today at %(time)s, at %(venue)s.",
            circle=circle.name,
            time=time,
            venue=words["venue"],
        )
    elif short:
        text = tr._("%(circle)s meets %(when)s, at %(venue)s.", **words)
    else:
        text = tr._(
            "%(circle)s meets in %(delta)s: %(when)s, at %(venue)s.",
            delta=tr.duration(left),
            **words,
        )
    if answer is RsvpAnswer.YES:
        return text + " " + tr._("See you there!")
    if answer is RsvpAnswer.NO:
        return text + " " + tr._("You said you can't come. Changed your mind? Send /rsvp yes")
    return text + " " + tr._("Will you come?")


def _declined(message: DueMessage, answers: dict[tuple[int, int], RsvpAnswer]) -> bool:
    """A later reminder to a learner who said they can't come (rsvps.reminds)."""
    answer = answers.get((message.meeting.id, message.person_id))
    if message.kind is not MessageKind.REMINDER:
        return False
    return not rsvps.reminds(answer, message.offset, message.circle.reminder_offsets)


class WeeklyRhythm:
    """The weekly rhythm's job in the tick (a bot.delivery.jobs.ScheduledJob): the reminders,
    digests, check-ins, nudges and goal reviews that fell due in the window."""

    async def run(self, window: TickWindow) -> TickReport:
        return await _Derivation(window).run()


class _Derivation:
    def __init__(self, window: TickWindow) -> None:
        self.window = window
        self.session = window.session
        self.catalogs = window.catalogs
        self.unnamed = frozenset(unnamed_names(window.catalogs))  # greeted without a name
        self.since = window.since
        self.now = window.now
        self.report = TickReport()
        self._translators: dict[tuple[str | None, str | None, str], Translator] = {}
        self._ratings: dict[str, tuple[Choice, ...]] = {}  # the check-in's choices, by locale
        # One chunk's: its messages, the meetings (cancelled ones too) of circles that send
        # reminders, each circle's .ics by language, each meeting's digest, worked out once.
        self.messages: list[DueMessage] = []
        self._people: dict[int, tuple[str | None, str]] = {}  # language chosen, if any; name
        self._zones: dict[int, str] = {}  # the own zones people set (/timezone), by person
        self._reachable: dict[int, _Reach] = {}  # see _reach
        self._schedules: dict[int, list[Meeting]] | None = None
        self._removed: dict[int, list[RemovedMeeting]] = defaultdict(list)
        self._calendars: dict[tuple[int, str, str], Attachment] = {}
        self._digests: dict[int, digests.Digest] = {}
        self._postgres = False  # see _among

    def _among(self, column: Any, ids: Sequence[int | None]) -> ColumnElement[bool]:
        """`column IN ids`; on PostgreSQL `column = ANY(one array)`: SQLAlchemy renders, and the
        server parses, one parameter where IN takes one per id (2,000 a chunk, 0.3 s of
        rendering in a tick of 100,000 check-ins)."""
        if self._postgres:
            return column == any_(bindparam(None, list(ids), type_=ARRAY(Integer)))
        return column.in_(ids)

    def due(self, instant: datetime) -> bool:
        return self.window.due(instant)

    async def run(self) -> TickReport:
        self._postgres = (await self.session.connection()).dialect.name == "postgresql"
        # The one statement of a tick with nothing due (an index range on rhythm_due_at).
        due_circles = (
            await self.session.exec(
                select(Circle.id)
                .where(col(Circle.rhythm_due_at) <= self.now)
                .order_by(col(Circle.id))
            )
        ).all()
        ids = [circle_id for circle_id in due_circles if circle_id is not None]
        for start in range(0, len(ids), CIRCLES_PER_CHUNK):
            with _no_collection_meanwhile():
                await self._chunk(ids[start : start + CIRCLES_PER_CHUNK])
            self.messages, self._people, self._reachable = [], {}, {}
            self._zones = {}
            self._schedules, self._calendars, self._digests = None, {}, {}
            self._removed = defaultdict(list)
        written = self.report.total  # one outbox row each, most with a question and choices
        await bulk.refresh_statistics(
            self.session,
            {
                "outboxmessage": written,
                "question": written,
                "conversation": written,
                "circle": len(ids),  # each one's next due time stored
            },
        )
        return self.report

    async def _chunk(self, ids: list[int]) -> None:
        """Derive for these circles what fell due, and when each next has something due."""
        chunk = (
            await self.session.exec(
                select(Circle).where(self._among(col(Circle.id), ids)).order_by(col(Circle.id))
            )
        ).all()
        held: dict[int, list[MeetingTimes]] = defaultdict(list)
        connection = await self.session.connection()
        rows = await connection.execute(
            select_columns(
                col(Meeting.id),
                col(Meeting.circle_id),
                col(Meeting.number),
                col(Meeting.starts_at),
                col(Meeting.ends_at),
                col(Meeting.venue),
            )
            .where(
                self._among(col(Meeting.circle_id), ids),
                col(Meeting.status) != MeetingStatus.CANCELLED,
            )
            .order_by(col(Meeting.circle_id), col(Meeting.starts_at))
        )
        for meeting_id, circle_id, number, starts_at, ends_at, venue in rows:
            assert meeting_id is not None  # a stored row's
            held[circle_id].append(
                MeetingTimes(meeting_id, circle_id, number, starts_at, ends_at, venue)
            )
        busy: list[tuple[Circle, list[Occasions]]] = []
        stamps: list[tuple[int, int, datetime | None]] = []
        for circle in chunk:
            assert circle.id is not None
            plan = timetable.Timetable([], None)
            if circle.status == CircleStatus.ACTIVE:
                plan = timetable.around(circle, held[circle.id], self.since, self.now)
            if any(self.due(at) for o in plan.occasions for at in o.instants()):
                busy.append((circle, plan.occasions))
            stamps.append((circle.id, circle.rhythm_revision, plan.next_after(self.now)))
        if busy:
            await self._derive(busy)
        await self._stamp(stamps)

    async def _stamp(self, stamps: list[tuple[int, int, datetime | None]]) -> None:
        """Store when each circle (id, revision read, next due time) next has something due,
        in one statement. A circle changed since it was read (its revision moved on) keeps the
        "look again" its change set."""
        await bulk.update_rows(
            self.session,
            Circle.__table__,  # type: ignore[attr-defined]
            ("id", "rhythm_revision"),
            ("rhythm_due_at",),
            stamps,
        )

    async def _derive(self, busy: list[tuple[Circle, list[Occasions]]]) -> None:
        due = [o for _, found in busy for o in found]
        # The ratings waiting as they were before this tick asks anew (they replace them).
        waiting = await self._waiting([o.meeting.id for o in due if self.due(o.nudge)])
        # Check-ins next, in SQL (see _checkins): their choices offered before the other
        # kinds', so a reminder's Yes/No from the same tick stays the one offered, as before.
        await self._checkins([(c, o) for c, found in busy for o in found if self._asks(o)])
        ids = [circle.id for circle, _ in busy if circle.id is not None]
        # Members are read only for what the SQL does not word: reminders, digests, reviews.
        members = await self._members(
            [circle.id for circle, found in busy if circle.id is not None and self._tells(found)]
        )
        linked = await chats.of_circles(self.session, ids)
        goals = await self._goals(
            [circle.id for circle, found in busy if any(self._reviews(o) for o in found)]
        )
        for circle, found in busy:
            assert circle.id is not None
            present = members[circle.id]
            for occasion in found:
                self._reminders(circle, occasion, present, linked[circle.id])
                self._digest(circle, occasion, present)
                self._goal_review(circle, occasion, present, goals[circle.id])
            self._nudges(circle, found, waiting[circle.id])
        await self._quiet_by_text()
        await self._send()

    async def _members(self, circle_ids: list[int]) -> dict[int, list[_Member]]:
        """Who is in each circle now, in roster order. Their languages, names and preferred
        accounts (see _reach) are kept for wording and sending: one statement for them all."""
        found: dict[int, list[_Member]] = defaultdict(list)
        if not circle_ids:
            return found
        connection = await self.session.connection()
        rows = await connection.execute(
            select_columns(
                col(Membership.circle_id),
                col(Membership.person_id),
                col(Membership.role),
                col(Membership.joined_at),
                col(Person.locale),
                col(Person.display_name),
                col(Person.timezone),
                col(Account.platform),
                col(Account.address),
                col(Account.external_id),
                col(Account.locale_hint),
            )
            .join(Person, col(Person.id) == Membership.person_id)
            .outerjoin(Account, _reachable(col(Account.person_id) == Membership.person_id))
            .where(
                self._among(col(Membership.circle_id), circle_ids),
                col(Membership.left_at).is_(None),
            )
            .order_by(col(Membership.id), *_PREFERENCE)
        )
        last = None
        for circle_id, person_id, role, joined_at, locale, name, zone, *account in rows:
            if (circle_id, person_id) != last:
                found[circle_id].append((person_id, role, joined_at))
                self._people[person_id] = (locale, name)
                if zone:
                    self._zones[person_id] = zone
                last = (circle_id, person_id)
            if account[0] is not None:  # the last one wins
                self._reachable[person_id] = _Reach(*account)
        return found

    async def _waiting(self, meeting_ids: list[int | None]) -> dict[int, list[tuple[int, int]]]:
        """By circle, (meeting, person) of the ratings still waiting for an answer, as asked."""
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if not meeting_ids:
            return found
        rows = await self.session.exec(
            select(Question.circle_id, Question.meeting_id, Question.person_id)
            .where(
                self._among(col(Question.meeting_id), meeting_ids),
                Question.kind == QuestionKind.RATING,
                (col(Question.expires_at).is_(None)) | (col(Question.expires_at) > self.now),
                # Answered already: rated (/checkin asks again, to change it) (D18), or said
                # in words with no number, kept as the check-in's answer while the rating
                # stays open. Either way she checked in, as the digest counts her: no nudge.
                ~select(CheckIn.id)
                .where(
                    CheckIn.meeting_id == Question.meeting_id,
                    CheckIn.person_id == Question.person_id,
                )
                .exists(),
                # Asked as a learner, running the circle since (/handover, /cofacilitator):
                # the learners' nudge is no longer hers (D19).
                select(Membership.id)
                .where(
                    Membership.circle_id == Question.circle_id,
                    Membership.person_id == Question.person_id,
                    Membership.role == Role.LEARNER,
                )
                .exists(),
            )
            .order_by(col(Question.id))
        )
        for circle_id, meeting_id, person_id in rows.all():
            if meeting_id is not None:
                found[circle_id].append((meeting_id, person_id))
        return found

    async def _goals(self, circle_ids: list[int | None]) -> dict[int, list[tuple[int, str]]]:
        """By circle, (person, goal) of every goal written there, in order."""
        found: dict[int, list[tuple[int, str]]] = defaultdict(list)
        if not circle_ids:
            return found
        rows = await self.session.exec(
            select(Reflection.circle_id, Reflection.person_id, Reflection.text)
            .where(
                self._among(col(Reflection.circle_id), circle_ids),
                Reflection.kind == QuestionKind.GOAL,
                # Check-ins paused there (/checkin off): no more questions, the look back at
                # the goal neither (D18).
                ~select(Membership.id)
                .where(
                    Membership.circle_id == Reflection.circle_id,
                    Membership.person_id == Reflection.person_id,
                    col(Membership.checkins_paused),
                )
                .exists(),
            )
            .order_by(col(Reflection.id))
        )
        for circle_id, person_id, goal in rows.all():
            found[circle_id].append((person_id, goal))
        return found

    def _reminders(
        self, circle: Circle, occasion: Occasions, members: list[_Member], linked: list[Address]
    ) -> None:
        meeting = occasion.meeting
        if meeting.starts_at <= self.now:
            return
        due = [(at, offset) for at, offset in occasion.reminders if self.due(at)]
        if not due:
            return
        # After a stop, only the reminder closest to the meeting goes: one, not a burst.
        at, offset = max(due)
        occurrence = f"{offset}m@{meeting.starts_at:%Y%m%dT%H%MZ}"  # a moved meeting: fresh ones
        for chat in linked:  # the circle's group chats get it too, with buttons to answer
            self.messages.append(
                DueMessage(
                    MessageKind.REMINDER,
                    circle,
                    meeting,
                    0,
                    occurrence,
                    offset=offset,
                    chat=chat,
                )
            )
        for person_id, role, joined_at in members:
            if role == Role.LEARNER and joined_at <= at:
                self.messages.append(
                    DueMessage(
                        MessageKind.REMINDER,
                        circle,
                        meeting,
                        person_id,
                        occurrence,
                        offset=offset,
                    )
                )

    def _digest(self, circle: Circle, occasion: Occasions, members: list[_Member]) -> None:
        meeting = occasion.meeting
        if meeting.starts_at <= self.now or not self.due(occasion.digest):
            return
        for person_id, role, _ in members:
            if role in circles.FACILITATING:
                self.messages.append(
                    DueMessage(
                        MessageKind.DIGEST,
                        circle,
                        meeting,
                        person_id,
                        f"{meeting.starts_at:%Y%m%dT%H%MZ}",
                    )
                )

    def _asks(self, occasion: Occasions) -> bool:
        """Whether the meeting's check-in falls due now (and its week is not over: then the
        next meeting's check-in asks)."""
        following = occasion.following
        return self.due(occasion.checkin) and (following is None or following.starts_at > self.now)

    def _tells(self, found: list[Occasions]) -> bool:
        """Whether a circle has a reminder, digest or goal review due: worded per member."""
        return any(
            any(self.due(at) for at, _ in o.reminders) or self.due(o.digest) or self._reviews(o)
            for o in found
        )

    def _reviews(self, occasion: Occasions) -> bool:
        """Whether a look back at the goal falls due about the meeting (see _goal_review)."""
        return any(
            at is not None and self.due(at)
            for at in (occasion.goal_review, occasion.goal_review_late)
        )

    async def _checkins(self, asking: list[tuple[Circle, Occasions]]) -> None:
        """The check-ins of these meetings, set-based: who is asked (learners who joined before
        the meeting ended, had not checked in, and can be reached: their preferred account) is
        one INSERT ... SELECT joining the meetings to their members; their outbox rows,
        questions (each replacing the learner's older rating question in the circle) and the
        1-5 offered in their chats one INSERT ... SELECT each, from it. Keys already queued are
        left out, so a repeat queues nothing. The words are made in Python once per language,
        wording and tick, with markers for the learner's name, the circle's and the meeting's
        number, which the SQL fills in, already escaped as JSON: the rows keep what
        outbox.enqueue_rows would have stored, byte for byte."""
        if not asking:
            return
        await bulk.temporary_table(
            self.session,
            "checkin_due",
            (
                ("meeting_id", Integer()),
                ("circle_id", Integer()),
                ("number", Integer()),
                ("starts_at", UTCDateTime()),
                ("ends_at", UTCDateTime()),
                ("language", Text()),
                ("circle_json", Text()),
                ("useful_until", UTCDateTime()),
                ("lapses_at", UTCDateTime()),
                # 1 for the circle's last meeting: who missed it is asked looking back (A13).
                ("last", Integer()),
            ),
            [
                (
                    o.meeting.id,
                    o.meeting.circle_id,
                    o.meeting.number,
                    o.meeting.starts_at,
                    o.meeting.ends_at,
                    circle.language,
                    _escaped(circle.name),
                    # Answers can change until the next meeting.
                    o.following.starts_at if o.following else self.now + outbox.DEFAULT_USEFUL_FOR,
                    o.lapses_at,
                    0 if o.following else 1,
                )
                for circle, o in asking
            ],
        )
        connection = await self.session.connection()
        account = _ACCOUNT[connection.dialect.name]
        # Texts each billed (SMS): the short wording, its 1-5 in one line (checkin_prompts.BY_TEXT).
        billed = self.window.platforms.billed_per_segment()
        by_text = ", ".join("'" + p.name.replace("'", "''") + "'" for p in billed) or "''"
        await bulk.temporary_table_as(
            self.session, "checkin_learner", _ASKED.format(account=account, by_text=by_text)
        )
        voices: list[tuple[str, str, str]] = []
        names = [(name, _escaped(name), 1) for name in sorted(self.unnamed)]
        found = await connection.exec_driver_sql(
            _VOICES_AND_NAMES.format(unusual=_UNUSUAL[connection.dialect.name])
        )
        for what, first, hint, language in cast(list[tuple[str, str, str, str]], found.all()):
            if what == "voice":
                voices.append((first, hint, language))
            elif first not in self.unnamed:
                names.append((first, _escaped(first), 0))
        await bulk.temporary_table(
            self.session,
            "checkin_name",
            (("name", Text()), ("escaped", Text()), ("unnamed", Integer())),
            names,
        )
        await bulk.temporary_table(
            self.session,
            "checkin_wording",
            (
                ("locale", Text()),
                ("hint", Text()),
                ("language", Text()),
                ("missed", Integer()),
                ("unnamed", Integer()),
                ("by_text", Integer()),
                ("text", Text()),
                ("payload_end", Text()),
                ("offered", Text()),
            ),
            [row for voice in voices for row in self._wordings(*voice)],
        )
        postgres = connection.dialect.name == "postgresql"
        as_json = "CAST({} AS json)" if postgres else "{}"
        marker = "chr" if postgres else "char"  # the markers' characters, 1 to 3
        now = bindparam("now", self.now, type_=UTCDateTime())
        queued = await connection.execute(
            text(_QUEUE.format(payload=as_json.format(_PAYLOAD.format(marker=marker)))).bindparams(
                now,
                kind=str(MessageKind.CHECKIN),
                priority=int(PRIORITY.get(MessageKind.CHECKIN, Priority.NORMAL)),
                pending=str(OutboxStatus.PENDING),
            )
        )
        self.report.checkins += max(queued.rowcount, 0)
        rating = str(QuestionKind.RATING)
        await connection.execute(text(_UNASK).bindparams(rating=rating))
        await connection.execute(text(_ASK).bindparams(now, rating=rating, prompt_key="rating"))
        await connection.execute(
            text(
                _OFFER.format(data=as_json.format("'{}'"), choices=as_json.format("o.offered"))
            ).bindparams(now)
        )
        await bulk.drop_temporary(
            self.session, "checkin_wording", "checkin_name", "checkin_learner", "checkin_due"
        )

    def _wordings(self, locale: str, hint: str, language: str) -> list[tuple[Any, ...]]:
        """The check-in's words for readers of these preferences (the translator is chosen as
        for everyone else), each way it is worded: they missed the meeting or not, named or
        not. Rows of checkin_wording."""
        tr = self._translator(locale or None, hint or None, language)
        if tr.locale not in self._ratings:
            self._ratings[tr.locale] = tuple(checkins.rating_choices(tr))
        choices = self._ratings[tr.locale]
        # As outbox.enqueue_rows and conversations.remembered store them.
        payload_end = (
            f'", "locale": {json.dumps(tr.locale)}, '
            f'"choices": {json.dumps([[c.label, c.payload] for c in choices])}, '
            '"attachments": []}'
        )
        offered = json.dumps(conversations.remembered(choices))
        # By SMS the 1-5 are one short line of the text, not "Reply 1 for ..., 2 for ...": no
        # choices in the payload (the chat still offers them: offered), one part (B28).
        texted_end = f'", "locale": {json.dumps(tr.locale)}, "choices": [], "attachments": []}}'
        reply_line = _escaped(
            "\n"
            + tr._(
                checkin_prompts.RATING_REPLY_SMS,
                worst=choices[0].label,
                best=choices[-1].label,
            )
        )
        rows = []
        for missed, asked in (
            (0, checkin_prompts.RATING_QUESTION),
            (1, checkin_prompts.RATING_QUESTION_MISSED),
            # The last meeting missed: the circle is over, a look back (A13).
            (2, checkin_prompts.RATING_QUESTION_MISSED_LAST),
        ):
            for unnamed in (0, 1):
                message = checkin_prompts.addressed(asked, "", {""} if unnamed else ())
                template = checkin_template(tr, message)
                rows.append(
                    (locale, hint, language, missed, unnamed, 0, template, payload_end, offered)
                )
                texted = checkin_prompts.BY_TEXT[asked]
                message = checkin_prompts.addressed(texted, "", {""} if unnamed else ())
                template = checkin_template(tr, message) + reply_line
                rows.append(
                    (locale, hint, language, missed, unnamed, 1, template, texted_end, offered)
                )
        return rows

    def _nudges(
        self, circle: Circle, found: list[Occasions], waiting: list[tuple[int, int]]
    ) -> None:
        # None after the last meeting held: the circle is over by then, and nudges nobody.
        due = {
            o.meeting.id: o.meeting for o in found if o.following is not None and self.due(o.nudge)
        }
        for meeting_id, person_id in waiting:
            if meeting_id in due:
                self.messages.append(
                    DueMessage(MessageKind.CHECKIN_NUDGE, circle, due[meeting_id], person_id)
                )

    async def _quiet_by_text(self) -> None:
        """The nudges due to learners who left the check-in before this one unanswered too,
        both texted to them (on a platform billed per segment: SMS), become the question
        whether to keep getting them (QUIET_CHECK), once a circle. Only the nudges are looked
        at, in a few statements a chunk: the meetings of their circles, the outbox rows of
        those check-ins and of a question asked before (by their unique keys), the check-ins
        answered."""
        nudges = [m for m in self.messages if m.kind is MessageKind.CHECKIN_NUDGE]
        if not nudges:
            return
        held: dict[int, list[int]] = defaultdict(list)  # each circle's meetings held, in order
        rows = await self.session.exec(
            select(Meeting.id, Meeting.circle_id)
            .where(
                self._among(col(Meeting.circle_id), sorted({m.meeting.circle_id for m in nudges})),
                col(Meeting.status) != MeetingStatus.CANCELLED,
            )
            .order_by(col(Meeting.circle_id), col(Meeting.starts_at))
        )
        for meeting_id, circle_id in rows.all():
            held[circle_id].append(meeting_id or 0)
        before: dict[tuple[int, int], int] = {}  # (meeting nudged, person): the meeting before
        asked_about: dict[str, tuple[int, int]] = {}  # a question asked before: its circle, person
        keys: list[str] = []
        for message in nudges:
            order = held[message.meeting.circle_id]
            at = order.index(message.meeting.id) if message.meeting.id in order else 0
            if at == 0:
                continue
            who = f"person:{message.person_id}"
            before[message.meeting.id, message.person_id] = order[at - 1]
            keys += [_checkin_key(order[at - 1], who), _checkin_key(message.meeting.id, who)]
            for meeting_id in order:
                key = outbox.key_text(MessageKind.QUIET_CHECK, f"meeting:{meeting_id}", who)
                asked_about[key] = (message.meeting.circle_id, message.person_id)
        if not before:  # every nudge is about a circle's first meeting
            return
        keys += list(asked_about)
        # Texts each billed (SMS): where every check-in may cost the learner, silence is asked.
        by_text = {platform.name for platform in self.window.platforms.billed_per_segment()}
        texted: set[str] = set()  # the check-ins that reached them by text
        asked: set[tuple[int, int]] = set()  # (circle, person) asked already
        for start in range(0, len(keys), PEOPLE_PER_QUERY):
            found = await self.session.exec(
                select(
                    OutboxMessage.idempotency_key, OutboxMessage.platform, OutboxMessage.status
                ).where(
                    col(OutboxMessage.idempotency_key).in_(keys[start : start + PEOPLE_PER_QUERY])
                )
            )
            for key, platform, status in found.all():
                if key in asked_about:
                    asked.add(asked_about[key])
                elif status == OutboxStatus.SENT and platform in by_text:
                    texted.add(key)
        answered = set(
            (
                await self.session.exec(
                    select(CheckIn.meeting_id, CheckIn.person_id).where(
                        self._among(col(CheckIn.meeting_id), sorted(set(before.values()))),
                        self._among(col(CheckIn.person_id), sorted({p for _, p in before})),
                    )
                )
            ).all()
        )
        for message in nudges:
            previous = before.get((message.meeting.id, message.person_id))
            who = f"person:{message.person_id}"
            if (
                previous is not None
                and (previous, message.person_id) not in answered
                and _checkin_key(previous, who) in texted
                and _checkin_key(message.meeting.id, who) in texted
                and (message.meeting.circle_id, message.person_id) not in asked
            ):
                message.kind = MessageKind.QUIET_CHECK

    def _goal_review(
        self,
        circle: Circle,
        occasion: Occasions,
        members: list[_Member],
        goals: list[tuple[int, str]],
    ) -> None:
        """The look back at the goal, to the learners who set one, for the circle's last
        meeting as it stands (timetable.look_back_at). At that meeting's end, after a look back
        before it, those it missed get it: a circle shortened once its time had passed (who
        joined after that time is not asked, as before). Never once the meeting's check-in is
        due: its rating comes first, and the survey after it asks about the goal."""
        final, review = occasion.meeting, occasion.goal_review
        if review is None or self.now >= occasion.checkin:
            return
        if review < final.starts_at:
            # Not once the meeting has begun, nor at its end when this tick was stopped over
            # both (its window holds the time before): as ever, a look back that late is none.
            on_time = self.due(review) and self.now < final.starts_at
            late = occasion.goal_review_late is not None and self.due(occasion.goal_review_late)
            late = late and not self.due(review)
        else:
            on_time, late = self.due(review), False
        if not on_time and not late:
            return
        learners = {person: joined for person, role, joined in members if role == Role.LEARNER}
        for person_id, goal in goals:
            joined = learners.get(person_id)
            if joined is None or (not on_time and joined >= review):
                continue
            lapses_at = final.ends_at + questions.LAST_QUESTION_LIFETIME
            self.messages.append(
                DueMessage(
                    MessageKind.GOAL_REVIEW,
                    circle,
                    final,
                    person_id,
                    question=QuestionKind.GOAL_REVIEW,
                    prompt_key=goal_prompts.GOAL_REVIEW_KEY,
                    expires_at=lapses_at,
                    lapses_at=lapses_at,
                    goal=goal,
                )
            )

    async def _send(self) -> None:
        if not self.messages:
            return
        person_ids = sorted({m.person_id for m in self.messages if m.chat is None})
        reach = await self._reach(person_ids)
        answers = await self._rsvps(
            [m.meeting.id for m in self.messages if m.kind is MessageKind.REMINDER]
        )
        queued: list[outbox.Queued] = []
        sent: list[DueMessage] = []  # to people: what goes with them is recorded once new
        for message in self.messages:
            if message.chat is not None:
                queued.append(await self._to_chat(message))
                continue
            account = reach.get(message.person_id)
            if account is None or _declined(message, answers):
                continue  # no way to reach them, or they said no: nothing to queue
            locale, name = self._people[message.person_id]
            tr = self._translator(locale, account.locale_hint, message.circle.language)
            by_text = self._billed(account.platform)
            text, choices = await self._word(message, tr, name, answers, by_text)
            message.key = outbox.key_text(
                message.kind,
                f"meeting:{message.meeting.id}",
                f"person:{message.person_id}",
                message.occurrence,
            )
            message.reach, message.choices = account, choices
            queued.append(
                outbox.Queued(
                    message.key,
                    message.kind,
                    account.platform,
                    account.address,
                    text,
                    tr.locale,
                    choices,
                    await self._files(message, account.platform, tr),
                    _useful_until(message),
                )
            )
            sent.append(message)
        new = await outbox.enqueue_rows(self.session, queued, self.now)
        asked: list[questions.Asked] = []
        offers: dict[str, tuple[Choice, ...]] = {}
        for message in sent:  # in derivation order, so runs are repeatable
            if message.key not in new:
                continue
            _count(self.report, message.kind)
            if message.choices:
                # The key conversations.key_for_account gives, from the same three columns.
                chat = conversations.key_for_account(message.reach)  # type: ignore[arg-type]
                # A nudge's choices never displace a reminder's Yes/No from the same tick.
                if message.kind not in _NUDGING or chat not in offers:
                    offers[chat] = message.choices
            if message.question is not None:
                asked.append(
                    questions.Asked(
                        message.person_id,
                        message.meeting.circle_id,
                        message.meeting.id,
                        message.question,
                        message.prompt_key,
                        self.now,
                        message.lapses_at,
                    )
                )
        await questions.ask_many(self.session, asked)
        await self._offer(offers)

    async def _offer(self, offers: dict[str, tuple[Choice, ...]]) -> None:
        """conversations.offer_privately in one bulk statement: the choices sent, by private
        conversation, so that replying "1" by SMS picks the first (an existing conversation
        keeps its flow, data and time)."""
        # Most rows offer the same few tuples of choices (a check-in's, by language): their
        # JSON is made once a tuple, found by identity (hashing each tuple's choices was 0.3 s
        # of a tick of 100,000 check-ins). The tuples live on in `offers` meanwhile.
        shared: dict[int, str] = {}
        rows = []
        for key, choices in offers.items():
            if id(choices) not in shared:
                shared[id(choices)] = json.dumps(conversations.remembered(choices))
            rows.append((key, None, "{}", shared[id(choices)], self.now))
        await bulk.insert_rows(
            self.session,
            Conversation.__table__,  # type: ignore[attr-defined]
            ("key", "flow", "data", "choices", "updated_at"),
            rows,
            unique="key",
            update=("choices",),
            as_stored=("data", "choices"),
        )

    def _translator(self, locale: str | None, hint: str | None, language: str) -> Translator:
        """The reader's language: the one they chose, else their app's, else the circle's."""
        wanted = (locale, hint, language)
        if wanted not in self._translators:
            self._translators[wanted] = self.catalogs.translator(*wanted)
        return self._translators[wanted]

    async def _to_chat(self, message: DueMessage) -> outbox.Queued:
        """A reminder in a linked group chat: in the circle's language, buttons for everyone."""
        assert message.chat is not None
        circle, meeting, chat = message.circle, message.meeting, message.chat
        tr = self._translator(None, None, circle.language)
        left = min(timedelta(minutes=message.offset), meeting.starts_at - self.now)
        return outbox.Queued(
            outbox.key_text(
                message.kind,
                f"meeting:{meeting.id}",
                f"chat:{chat.platform}:{chat.chat_id}",
                message.occurrence,
            ),
            message.kind,
            chat.platform,
            chat.chat_id,
            reminder_text(tr, circle, meeting, left, None),
            tr.locale,
            tuple(rsvp_choices(tr, circle, meeting)),
            await self._files(message, chat.platform, tr),
            meeting.starts_at,  # a reminder is useful until its meeting starts
        )

    async def _files(
        self, message: DueMessage, platform: str, tr: Translator
    ) -> tuple[Attachment, ...]:
        """A reminder carries the circle's calendar (.ics) where the platform shows files, so
        one tap puts every meeting, moves included, into the reader's calendar app."""
        if message.kind is not MessageKind.REMINDER:
            return ()
        if not self.window.platforms.calendar_on_reminders(platform):
            return ()
        circle = message.circle
        # A person's own zone for an online circle (own_zones); a group chat's is the circle's.
        zone = None if message.chat else self._zones.get(message.person_id)
        own = own_zones.own_zone(circle, zone)
        key = (circle.id or 0, tr.locale, own or "")
        if key not in self._calendars:
            schedule = (await self._schedules_of_reminded())[circle.id or 0]
            self._calendars[key] = calendars.attachment(
                tr, circle, schedule, self.now, own, self._removed[circle.id or 0]
            )
        return (self._calendars[key],)

    async def _place_before(
        self, tr: Translator, circle: Circle, meeting: MeetingTimes
    ) -> str | None:
        """Where the meeting before `meeting` was (or is) held; None for the first."""
        before = await self._meeting_before(circle, meeting)
        return venue_or_call(tr, circle, before) if before else None

    async def _meeting_before(self, circle: Circle, meeting: MeetingTimes) -> Meeting | None:
        """The meeting held (or to be held) before `meeting`; None for the first."""
        earlier = [
            m
            for m in (await self._schedules_of_reminded())[circle.id or 0]
            if m.number < meeting.number and m.status != MeetingStatus.CANCELLED
        ]
        return earlier[-1] if earlier else None

    async def _schedules_of_reminded(self) -> dict[int, list[Meeting]]:
        """Every meeting, cancelled ones too, of each circle sending reminders in this chunk,
        for its calendar: read once a chunk, when a reminder first needs one."""
        if self._schedules is None:
            ids = sorted(
                {m.meeting.circle_id for m in self.messages if m.kind is MessageKind.REMINDER}
            )
            self._schedules = defaultdict(list)
            rows = await self.session.exec(
                select(Meeting)
                .where(self._among(col(Meeting.circle_id), ids))
                .order_by(col(Meeting.circle_id), col(Meeting.number))
            )
            for meeting in rows.all():
                self._schedules[meeting.circle_id].append(meeting)
            # Meetings /edit meetings took off the end: cancelled in the file (fac 35); rare.
            gone = await self.session.exec(
                select(RemovedMeeting).where(self._among(col(RemovedMeeting.circle_id), ids))
            )
            for removed in gone.all():
                self._removed[removed.circle_id].append(removed)
        return self._schedules

    def _billed(self, platform: str) -> bool:
        """Whether every SMS segment sent on `platform` is paid for."""
        described = self.window.platforms.get(platform)
        return described is not None and described.billed_per_segment

    async def _word(
        self,
        message: DueMessage,
        tr: Translator,
        name: str,
        answers: dict[tuple[int, int], RsvpAnswer],
        by_text: bool = False,
    ) -> tuple[str, tuple[Choice, ...]]:
        """The text and buttons of `message`, one branch per kind (see RhythmKind); `by_text`:
        for a platform where every SMS segment is paid for."""
        circle, meeting = message.circle, message.meeting
        match message.kind:
            case MessageKind.REMINDER:
                answer = answers.get((meeting.id, message.person_id))
                # A maybe is asked again, as one who hasn't answered.
                asked = answer in (None, RsvpAnswer.MAYBE)
                choices = rsvp_choices(tr, circle, meeting) if asked else []
                # After a stop the reminder may go out late: say how long is really left.
                left = min(timedelta(minutes=message.offset), meeting.starts_at - self.now)
                own = self._zones.get(message.person_id)
                text = reminder_text(tr, circle, meeting, left, answer, own)
                if by_text and rendering.sms_parts(text, choices, tr) > 1:
                    # The street goes first; then all but the first piece, except what is new
                    # since the meeting before (a room just added: fac 5).
                    before = await self._place_before(tr, circle, meeting)
                    cuts = (
                        None,
                        rendering.without_street,
                        partial(rendering.short_venue, before=before),
                    )
                    text = rendering.first_fitting(
                        [
                            reminder_text(
                                tr, circle, meeting, left, answer, own, short=True, brief_place=cut
                            )
                            for cut in cuts
                        ],
                        tr,
                        choices,
                    )
                if own_zones.own_zone(circle, own) is not None:
                    # Her clock or the circle's changed since last week (lang 18): said, even
                    # where it costs a second SMS, twice a year.
                    last = await self._meeting_before(circle, meeting)
                    moved = own_zones.clocks_changed(
                        tr, circle, last.starts_at if last else None, meeting.starts_at, own
                    )
                    text += "\n" + moved if moved else ""
                return text, tuple(choices)
            case MessageKind.DIGEST:
                if meeting.id not in self._digests:
                    whole = await self.session.get_one(Meeting, meeting.id)
                    self._digests[meeting.id] = await digests.build(
                        self.session, circle, whole, self.now
                    )
                digest = self._digests[meeting.id]
                return digests.render(tr, circle, digest, reader=message.person_id), ()
            case MessageKind.CHECKIN:
                raise AssertionError("check-ins are worded in SQL (_checkins)")
            case MessageKind.CHECKIN_NUDGE:
                # The rating still waits: its 1-5 choices again, so the nudge says what to send.
                if tr.locale not in self._ratings:
                    self._ratings[tr.locale] = tuple(checkins.rating_choices(tr))
                ratings = self._ratings[tr.locale]
                if by_text:
                    # The 1-5 in the question's own line (as the check-in by SMS), and the
                    # first name only where the whole one makes it two parts (walk C2).
                    nudge = checkin_prompts.addressed(checkin_prompts.NUDGE_SMS, name, self.unnamed)
                    worded = {
                        "circle": circle.name,
                        "worst": ratings[0].label,
                        "best": ratings[-1].label,
                    }
                    forms = [tr._(nudge, name=name, **worded)]
                    first = name.split()[0] if name.split() else name
                    if first != name:
                        forms.append(tr._(nudge, name=first, **worded))
                    return rendering.first_fitting(forms, tr), ()
                nudge = checkin_prompts.addressed(checkin_prompts.NUDGE, name, self.unnamed)
                text = tr._(nudge, name=name, circle=circle.name)
                return text, ratings
            case MessageKind.GOAL_REVIEW:
                # Her whole goal where the look back still fits one text (sms 40: "...on
                # facebook" cut to "on..."); by SMS only its beginning when it would not.
                goal = rendering.quoted(message.goal)
                text = tr._(goal_prompts.GOAL_REVIEW, goal=goal, circle=circle.name)
                if by_text and segments.sms_segments(segments.gsm_safe(text)) > 1:
                    goal = rendering.quoted(message.goal, by_text)
                    text = tr._(goal_prompts.GOAL_REVIEW, goal=goal, circle=circle.name)
                return text, ()
            case MessageKind.QUIET_CHECK:
                # No numbered choices: a digit is still the waiting check-in's rating.
                return pauses.quiet_check_text(tr, circle), ()
            case _:
                assert_never(message.kind)

    async def _reach(self, person_ids: list[int]) -> dict[int, _Reach]:
        """Each person's preferred account, as people.preferred_account picks it (the one they
        chose with /prefer, else the one they used last; never one that can't be reached or
        that opted out), as columns: no Account object per learner. The members' came with
        them (_members); anyone else (rare: a question outliving a membership) is looked up."""
        others = [p for p in person_ids if p not in self._people]
        for start in range(0, len(others), PEOPLE_PER_QUERY):
            some = others[start : start + PEOPLE_PER_QUERY]
            connection = await self.session.connection()
            rows = await connection.execute(
                select_columns(
                    col(Person.id),
                    col(Person.locale),
                    col(Person.display_name),
                    col(Person.timezone),
                    col(Account.platform),
                    col(Account.address),
                    col(Account.external_id),
                    col(Account.locale_hint),
                )
                .outerjoin(Account, _reachable(col(Account.person_id) == Person.id))
                .where(self._among(col(Person.id), some))
                .order_by(col(Person.id), *_PREFERENCE)
            )
            for person_id, locale, name, zone, platform, address, external_id, hint in rows.all():
                assert person_id is not None  # a stored row's
                self._people[person_id] = (locale, name)
                if zone:
                    self._zones[person_id] = zone
                if platform is not None:  # the last one wins
                    self._reachable[person_id] = _Reach(platform, address, external_id, hint)
        return self._reachable

    async def _rsvps(self, meeting_ids: Iterable[int | None]) -> dict[tuple[int, int], RsvpAnswer]:
        ids = sorted({m for m in meeting_ids if m is not None})
        if not ids:
            return {}
        rows = await self.session.exec(
            select(Rsvp.meeting_id, Rsvp.person_id, Rsvp.answer).where(
                self._among(col(Rsvp.meeting_id), ids)
            )
        )
        return {(meeting, person): RsvpAnswer(answer) for meeting, person, answer in rows.all()}


# The check-ins' SQL (see _Derivation._checkins). Who is asked, from the meetings due
# (checkin_due): learners in the circle, who joined before the meeting started (or during it,
# and were there) and were not away
# for it (left, and came back only after it: bot/circles/away.py), have not paused
# check-ins there (/checkin off: a column of the row read anyway) and had not checked in, each
# with their name, language and preferred account (as people.preferred_account picks
# it: the one chosen with /prefer, else the one used last; never one that can't be reached or
# opted out), whether they missed it (as absences.Absences.missed says), and the outbox key
# (outbox.key_text); keys already queued are left out. Languages as '' where unset: the
# translator skips both. Every lookup is one index probe per learner: PostgreSQL would rather
# hash a whole table (every account, every outbox row) for each chunk, so the account and the
# person come from a LATERAL subquery with LIMIT (not flattened into a join), and the tests
# for a check-in or an outbox row sit inside CASE (not pulled up into anti-joins). The members
# are bounded to the chunk's range of circles: PostgreSQL merges them in along their index,
# which otherwise it reads from the first circle on (each chunk all the members before it).
_ASKED = f"""
SELECT d.meeting_id, d.circle_id, d.number, ms.id AS seq, ms.person_id,
    a.display_name AS name, COALESCE(a.locale, '') AS locale,
    COALESCE(a.locale_hint, '') AS hint, d.language, d.circle_json, d.useful_until,
    d.lapses_at, a.platform, a.address, a.external_id,
    CASE
        WHEN EXISTS (SELECT 1 FROM attendance t
            WHERE t.meeting_id = d.meeting_id AND t.person_id = ms.person_id) THEN 0
        WHEN EXISTS (SELECT 1 FROM rsvp r WHERE r.meeting_id = d.meeting_id
            AND r.person_id = ms.person_id AND r.answer = '{RsvpAnswer.NO}') THEN 1 + d.last
        WHEN EXISTS (SELECT 1 FROM attendance t WHERE t.meeting_id = d.meeting_id
            AND t.source = '{AttendanceSource.FACILITATOR}') THEN 1 + d.last
        WHEN EXISTS (SELECT 1 FROM meeting mt WHERE mt.id = d.meeting_id
            AND mt.attendance_taken_at IS NOT NULL) THEN 1 + d.last
        ELSE 0
    END AS missed,
    CASE WHEN a.platform IN ({{by_text}}) THEN 1 ELSE 0 END AS by_text,
    '{MessageKind.CHECKIN}|meeting:' || d.meeting_id || '|person:' || ms.person_id || '|'
        AS outbox_key
FROM checkin_due d
JOIN membership ms ON ms.circle_id = d.circle_id
{{account}}
WHERE ms.left_at IS NULL AND ms.role = '{Role.LEARNER}' AND ms.joined_at < d.ends_at
    -- Joined once it had started (most often in the room, the code handed round): asked,
    -- unless its attendance was taken without her (never "we missed you", smses 29).
    AND (ms.joined_at <= d.starts_at OR EXISTS (SELECT 1 FROM attendance t
        WHERE t.meeting_id = d.meeting_id AND t.person_id = ms.person_id)
        OR NOT EXISTS (SELECT 1 FROM meeting mt WHERE mt.id = d.meeting_id
            AND mt.attendance_taken_at IS NOT NULL))
    AND NOT ms.checkins_paused
    AND NOT EXISTS (SELECT 1 FROM awayspell w WHERE w.membership_id = ms.id
        AND w.left_at <= d.starts_at AND w.came_back_at >= d.ends_at)
    AND ms.circle_id >= (SELECT min(circle_id) FROM checkin_due)
    AND ms.circle_id <= (SELECT max(circle_id) FROM checkin_due)
    AND CASE WHEN EXISTS (SELECT 1 FROM checkin k
            WHERE k.meeting_id = d.meeting_id AND k.person_id = ms.person_id) THEN 0
        WHEN EXISTS (SELECT 1 FROM outboxmessage o WHERE o.idempotency_key =
            '{MessageKind.CHECKIN}|meeting:' || d.meeting_id || '|person:' || ms.person_id || '|')
            THEN 0
        ELSE 1 END = 1
"""
_REACHABLE = """
    WHERE b.person_id = ms.person_id AND b.reachable AND NOT b.opted_out
    ORDER BY b.preferred DESC, b.last_seen_at DESC, b.id DESC
    LIMIT 1"""
_ACCOUNT = {
    "postgresql": f"""JOIN LATERAL (
    SELECT p.display_name, p.locale, b.locale_hint, b.platform, b.address, b.external_id
    FROM account b JOIN person p ON p.id = b.person_id
    {_REACHABLE}
) a ON TRUE""",
    # SQLite looks up by index anyway; it knows no LATERAL.
    "sqlite": f"""JOIN (
    SELECT b.id, p.display_name, p.locale, b.locale_hint, b.platform, b.address, b.external_id
    FROM account b JOIN person p ON p.id = b.person_id
) a ON a.id = (SELECT b.id FROM account b {_REACHABLE})""",
}
# The readers' preferences, and the names json.dumps would escape (anything but printable
# ASCII, a quote or a backslash): the rest are stored as they are.
_VOICES_AND_NAMES = """
SELECT 'voice', locale, hint, language FROM checkin_learner GROUP BY locale, hint, language
UNION ALL
SELECT DISTINCT 'name', name, '', '' FROM checkin_learner WHERE ({unusual})
"""
_UNUSUAL = {
    "postgresql": "name ~ '[^ -~]' OR strpos(name, chr(34)) > 0 OR strpos(name, chr(92)) > 0",
    "sqlite": "name GLOB '*[^ -~]*' OR instr(name, char(34)) > 0 OR instr(name, char(92)) > 0",
}
# Each learner's wording: their preferences, whether they missed it, and named or not.
_WORDED = """
FROM checkin_learner l
LEFT JOIN checkin_name n ON n.name = l.name
JOIN checkin_wording w ON w.locale = l.locale AND w.hint = l.hint
    AND w.language = l.language AND w.missed = l.missed
    AND w.unnamed = COALESCE(n.unnamed, 0) AND w.by_text = l.by_text
"""
# The payload as outbox.enqueue_rows makes it: the markers filled in, already JSON-escaped.
_PAYLOAD = (
    """'{{"text": "' || replace(replace(replace(w.text, {marker}(3), CAST(l.number AS TEXT)),"""
    """ {marker}(2), l.circle_json), {marker}(1), COALESCE(n.escaped, l.name))"""
    """ || w.payload_end"""
)
# In derivation order: by circle, meeting, then roster (SQLite needs the WHERE before ON).
_QUEUE = (
    """
INSERT INTO outboxmessage (idempotency_key, kind, priority, useful_until, platform, chat_id,
    payload, status, attempts, parts_sent, next_attempt_at, created_at)
SELECT l.outbox_key, :kind, :priority, l.useful_until, l.platform, l.address, {payload},
    :pending, 0, 0, :now, :now"""
    + _WORDED
    + """WHERE 1 = 1 ORDER BY l.circle_id, l.number, l.seq
ON CONFLICT (idempotency_key) DO NOTHING
"""
)
# The older rating question of each learner asked, in that circle, goes (questions.ask_many).
_UNASK = """
DELETE FROM question WHERE kind = :rating
    AND circle_id IN (SELECT circle_id FROM checkin_due)
    AND EXISTS (SELECT 1 FROM checkin_learner l
        WHERE l.circle_id = question.circle_id AND l.person_id = question.person_id)
"""
_ASK = """
INSERT INTO question (person_id, circle_id, meeting_id, kind, prompt_key, asked_at, expires_at)
SELECT person_id, circle_id, meeting_id, :rating, :prompt_key, :now, lapses_at
FROM checkin_learner ORDER BY circle_id, number, seq
"""
# The 1-5 offered in each private chat (conversations.offer_privately): the last asked there
# wins, as in derivation order; an existing conversation keeps its flow, data and time. A
# learner's chat is their one preferred account: by person, integers sort faster than text.
_OFFER = (
    """
INSERT INTO conversation (key, flow, data, choices, updated_at)
SELECT chat, NULL, {data}, {choices}, :now FROM (
    SELECT l.platform || ':' || l.address || ':' || l.external_id AS chat, w.offered,
        ROW_NUMBER() OVER (PARTITION BY l.person_id
            ORDER BY l.circle_id DESC, l.number DESC, l.seq DESC) AS place"""
    + _WORDED
    + """) o
WHERE place = 1
ON CONFLICT (key) DO UPDATE SET choices = excluded.choices
"""
)
# Markers in a check-in's words for what the SQL fills in: control characters, which JSON
# always escapes, so no escaped name or circle can hold one.
_MARKERS = {"name": "\x01", "circle": "\x02", "number": "\x03"}


def checkin_template(tr: Translator, message: str) -> str:
    """`message` (a check-in's question) as JSON text (json.dumps, without its quotes), with a
    marker for the learner's name, the circle's and the meeting's number: filled with them
    escaped the same way, it is what json.dumps makes of tr._(message, name=..., ...)."""
    # The number goes in as %(number)d does it for an int: its digits.
    worded = tr.translations.gettext(message).replace("%(number)d", "%(number)s")
    placed = {key: f"\\ue00{place}" for place, key in enumerate(_MARKERS)}
    text = _escaped(worded % {key: chr(0xE000 + place) for place, key in enumerate(_MARKERS)})
    for key, spelled in placed.items():
        text = text.replace(spelled, _MARKERS[key])
    return text


def _escaped(text: str) -> str:
    """`text` as json.dumps spells it inside a JSON string."""
    return json.dumps(text)[1:-1]


@contextmanager
def _no_collection_meanwhile() -> Iterator[None]:
    """The garbage collector held off while a chunk is derived. The chunk's objects (several
    per message, tens of thousands) would set off full collections of the whole heap again and
    again: a third of a big tick's time. They hold no cycles, so they are freed as the chunk
    ends all the same, and the collector then runs as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _count(report: TickReport, kind: RhythmKind) -> None:
    """One more message of `kind` queued, in its TickReport field."""
    match kind:
        case MessageKind.REMINDER:
            report.reminders += 1
        case MessageKind.DIGEST:
            report.digests += 1
        case MessageKind.CHECKIN:
            report.checkins += 1
        case MessageKind.CHECKIN_NUDGE:
            report.nudges += 1
        case MessageKind.GOAL_REVIEW:
            report.goal_reviews += 1
        case MessageKind.QUIET_CHECK:
            report.nudges += 1  # it goes instead of a nudge
        case _:
            assert_never(kind)


# The kinds that go instead of nothing asked anew: their choices never displace a reminder's.
_NUDGING = (MessageKind.CHECKIN_NUDGE, MessageKind.QUIET_CHECK)


def _checkin_key(meeting_id: int, person: str) -> str:
    """The outbox key of the check-in about a meeting to a person (as _ASKED makes it)."""
    return outbox.key_text(MessageKind.CHECKIN, f"meeting:{meeting_id}", person)


def _useful_until(message: DueMessage) -> datetime | None:
    """Until when a message is worth delivering through an outage: a reminder or a digest until
    its meeting starts, a question until it expires (the next meeting); None: the default."""
    if message.kind in (MessageKind.REMINDER, MessageKind.DIGEST):
        return message.meeting.starts_at
    return message.expires_at
