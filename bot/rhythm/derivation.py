"""The weekly rhythm's scheduled job: reminders, digests, check-ins, their nudges and the goal
review, derived from the meetings for what fell due in the tick's window.

It derives, it does not remember (see bot/scheduling/tick.py): a repeat over the same window
queues nothing new, since outbox keys are unique. Reminders and digests for a meeting that has
already started are not sent late; check-ins are, until the next meeting starts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, assert_never
from zoneinfo import ZoneInfo

from sqlalchemy import delete as sa_delete
from sqlalchemy import tuple_
from sqlmodel import col, select

from bot.chat.i18n import Translator
from bot.chat.messages import Address, Attachment, Choice, Outbound
from bot.circles import chats, circles, meetings
from bot.circles.meetings import local_instant
from bot.delivery import outbox
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, people
from bot.rhythm import calendars, checkins, digests, questions
from bot.storage.database import insert_for
from bot.storage.models import (
    Account,
    CheckIn,
    Circle,
    CircleStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Person,
    Question,
    QuestionKind,
    Reflection,
    Role,
    Rsvp,
    RsvpAnswer,
)
from prompts import checkin as checkin_prompts
from prompts import goal as goal_prompts

MAX_REMINDER_OFFSET = timedelta(days=7)
# Meetings this far around now can have something due: reminders up to a week before, a
# check-in up to a week after, and its nudge two days later.
LOOK_AROUND = timedelta(days=10)
GOAL_REVIEW_DAYS_BEFORE = 2  # the final week's goal review, before the last meeting
CIRCLES_PER_SLICE = 500

# The kinds of message the weekly rhythm derives: each is worded by its branch in
# _Derivation._word and counted in its TickReport field by _count; mypy fails on one left out.
RhythmKind = Literal[
    MessageKind.REMINDER,
    MessageKind.DIGEST,
    MessageKind.CHECKIN,
    MessageKind.CHECKIN_NUDGE,
    MessageKind.GOAL_REVIEW,
]


@dataclass
class DueMessage:
    """One message to derive: who, about what, and how to word it in their language."""

    kind: RhythmKind
    circle: Circle
    meeting: Meeting
    person_id: int
    occurrence: str = ""
    question: QuestionKind | None = None
    prompt_key: str = ""
    expires_at: datetime | None = None  # of the question it asks
    extra: dict[str, object] = field(default_factory=dict)
    chat: Address | None = None  # a linked group chat rather than the person


def goal_review_at(circle: Circle, final: Meeting) -> datetime:
    """The final week's look back at the goal: two days before the last meeting, at the
    check-in time."""
    day = final.starts_at.astimezone(ZoneInfo(circle.timezone)).date()
    return local_instant(
        day - timedelta(days=GOAL_REVIEW_DAYS_BEFORE), circle.checkin_time, circle.timezone
    )


def rsvp_choices(tr: Translator, circle: Circle, meeting: Meeting) -> list[Choice]:
    """Yes / No for a meeting. The payload names the circle, so it never asks "which circle?"."""
    prefix = f"#{circle.id} /rsvp"
    return [
        # Translators: short: on SMS these read "Reply 1 for Yes or 2 for No".
        Choice(tr._("Yes"), f"{prefix} yes {meeting.number}"),
        Choice(tr._("No"), f"{prefix} no {meeting.number}"),
    ]


def reminder_text(
    tr: Translator, circle: Circle, meeting: Meeting, left: timedelta, answer: RsvpAnswer | None
) -> str:
    text = tr._(
        "%(circle)s meets in %(delta)s: %(when)s, at %(venue)s.",
        circle=circle.name,
        delta=tr.duration(left),
        # The weekday and time, no date or zone: a reminder comes within the week, in the
        # circle's own town, and on SMS the full date would cost a second segment.
        when=tr.weekday_at(meeting.starts_at, circle.timezone),
        venue=circle.venue,
    )
    if answer is RsvpAnswer.YES:
        return text + " " + tr._("See you there!")
    if answer is RsvpAnswer.NO:
        return text + " " + tr._("You said you can't come. Changed your mind? Send /rsvp yes")
    return text + " " + tr._("Will you come?")


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
        self.since = window.since
        self.now = window.now
        self.messages: list[DueMessage] = []
        self.report = TickReport()
        # Each circle's .ics for reminders, by circle and language, built once per slice; a
        # meeting's digest and when its questions lapse, worked out once for all its readers.
        self._calendars: dict[tuple[int, str], Attachment] = {}
        self._digests: dict[int, digests.Digest] = {}
        self._lapses: dict[int, datetime] = {}

    def due(self, instant: datetime) -> bool:
        return self.window.due(instant)

    async def run(self) -> TickReport:
        rows = (
            await self.session.exec(
                select(Meeting, Circle)
                .join(Circle, col(Circle.id) == Meeting.circle_id)
                .where(
                    Circle.status == CircleStatus.ACTIVE,
                    Meeting.status != MeetingStatus.CANCELLED,
                    col(Meeting.starts_at) > self.since - LOOK_AROUND,
                    col(Meeting.starts_at) <= self.now + LOOK_AROUND,
                )
                .order_by(col(Meeting.circle_id), col(Meeting.starts_at))
            )
        ).all()
        if not rows:
            return self.report
        by_circle: dict[int, list[Meeting]] = defaultdict(list)
        circle_of: dict[int, Circle] = {}
        for meeting, circle in rows:
            by_circle[meeting.circle_id].append(meeting)
            circle_of[meeting.circle_id] = circle
        # Most ticks find nothing due: look up members only for circles that have something.
        by_circle = {
            circle_id: scheduled
            for circle_id, scheduled in by_circle.items()
            if self._busy(circle_of[circle_id], scheduled)
        }
        if not by_circle:
            return self.report
        # In slices of circles, so memory stays flat however many circles there are.
        busy = list(by_circle)
        for start in range(0, len(busy), CIRCLES_PER_SLICE):
            ids = busy[start : start + CIRCLES_PER_SLICE]
            members = await self._members(ids)
            finals = {
                c: last for c, (_, last) in (await meetings.bounds(self.session, ids)).items()
            }
            linked = await chats.of_circles(self.session, ids)
            for circle_id in ids:
                circle, scheduled = circle_of[circle_id], by_circle[circle_id]
                for index, meeting in enumerate(scheduled):
                    following = scheduled[index + 1] if index + 1 < len(scheduled) else None
                    self._reminders(circle, meeting, members[circle_id], linked[circle_id])
                    self._digest(circle, meeting, members[circle_id])
                    await self._checkin(circle, meeting, following, members[circle_id])
                    if meeting.number == finals.get(circle_id):
                        await self._goal_review(circle, meeting, members[circle_id])
                await self._nudges(circle, scheduled)
            await self._send()
            self.messages = []
            self._calendars, self._digests, self._lapses = {}, {}, {}
        return self.report

    def _busy(self, circle: Circle, scheduled: list[Meeting]) -> bool:
        """Whether anything about this circle may fall due in this tick's window."""
        for meeting in scheduled:
            instants = [
                meeting.starts_at - timedelta(minutes=circle.digest_minutes_before),
                checkins.due_at(circle, meeting),
                checkins.due_at(circle, meeting) + checkins.NUDGE_AFTER,
                goal_review_at(circle, meeting),
                *(meeting.starts_at - timedelta(minutes=m) for m in circle.reminder_offsets),
            ]
            if any(self.due(instant) for instant in instants):
                return True
        return False

    async def _members(self, circle_ids: list[int]) -> dict[int, list[Membership]]:
        found: dict[int, list[Membership]] = defaultdict(list)
        for start in range(0, len(circle_ids), 1000):
            rows = await self.session.exec(
                select(Membership)
                .where(
                    col(Membership.circle_id).in_(circle_ids[start : start + 1000]),
                    col(Membership.left_at).is_(None),
                )
                .order_by(col(Membership.id))
            )
            for membership in rows.all():
                found[membership.circle_id].append(membership)
        return found

    def _reminders(
        self, circle: Circle, meeting: Meeting, members: list[Membership], linked: list[Address]
    ) -> None:
        if meeting.starts_at <= self.now:
            return
        due = [
            (meeting.starts_at - timedelta(minutes=offset), offset)
            for offset in circle.reminder_offsets
            if self.due(meeting.starts_at - timedelta(minutes=offset))
        ]
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
                    extra={"offset": offset},
                    chat=chat,
                )
            )
        for membership in members:
            if membership.role == Role.LEARNER and membership.joined_at <= at:
                self.messages.append(
                    DueMessage(
                        MessageKind.REMINDER,
                        circle,
                        meeting,
                        membership.person_id,
                        occurrence,
                        extra={"offset": offset},
                    )
                )

    def _digest(self, circle: Circle, meeting: Meeting, members: list[Membership]) -> None:
        at = meeting.starts_at - timedelta(minutes=circle.digest_minutes_before)
        if meeting.starts_at <= self.now or not self.due(at):
            return
        for membership in members:
            if membership.role in circles.FACILITATING:
                self.messages.append(
                    DueMessage(
                        MessageKind.DIGEST,
                        circle,
                        meeting,
                        membership.person_id,
                        f"{meeting.starts_at:%Y%m%dT%H%MZ}",
                    )
                )

    async def _checkin(
        self,
        circle: Circle,
        meeting: Meeting,
        following: Meeting | None,
        members: list[Membership],
    ) -> None:
        if not self.due(checkins.due_at(circle, meeting)):
            return
        if following is not None and following.starts_at <= self.now:
            return  # the week is over: the next meeting's check-in will ask
        done = set(
            (
                await self.session.exec(
                    select(CheckIn.person_id).where(CheckIn.meeting_id == meeting.id)
                )
            ).all()
        )  # those who already checked in with /checkin are not asked again
        for membership in members:
            if (
                membership.role == Role.LEARNER
                and membership.joined_at < meeting.ends_at
                and membership.person_id not in done
            ):
                self.messages.append(
                    DueMessage(
                        MessageKind.CHECKIN,
                        circle,
                        meeting,
                        membership.person_id,
                        question=QuestionKind.RATING,
                        prompt_key="rating",
                        # Answers can change until the next meeting (looked up later if it
                        # is beyond the meetings loaded here).
                        expires_at=following.starts_at if following else None,
                    )
                )

    async def _nudges(self, circle: Circle, scheduled: list[Meeting]) -> None:
        due = [m for m in scheduled if self.due(checkins.due_at(circle, m) + checkins.NUDGE_AFTER)]
        if not due:
            return
        waiting = await self.session.exec(
            select(Question)
            .where(
                col(Question.meeting_id).in_([m.id for m in due]),
                Question.kind == QuestionKind.RATING,
                (col(Question.expires_at).is_(None)) | (col(Question.expires_at) > self.now),
            )
            .order_by(col(Question.id))
        )
        meeting_of = {m.id: m for m in due}
        for question in waiting.all():
            self.messages.append(
                DueMessage(
                    MessageKind.CHECKIN_NUDGE,
                    circle,
                    meeting_of[question.meeting_id],
                    question.person_id,
                )
            )

    async def _goal_review(self, circle: Circle, final: Meeting, members: list[Membership]) -> None:
        at = goal_review_at(circle, final)
        if final.starts_at <= self.now or not self.due(at):
            return
        learners = [m.person_id for m in members if m.role == Role.LEARNER]
        goals = await self.session.exec(
            select(Reflection.person_id, Reflection.text)
            .where(
                Reflection.circle_id == circle.id,
                Reflection.kind == QuestionKind.GOAL,
                col(Reflection.person_id).in_(learners),
            )
            .order_by(col(Reflection.id))
        )
        for person_id, goal in goals.all():
            self.messages.append(
                DueMessage(
                    MessageKind.GOAL_REVIEW,
                    circle,
                    final,
                    person_id,
                    question=QuestionKind.GOAL_REVIEW,
                    prompt_key=goal_prompts.GOAL_REVIEW_KEY,
                    expires_at=final.ends_at + questions.LAST_QUESTION_LIFETIME,
                    extra={"goal": goal},
                )
            )

    async def _send(self) -> None:
        if not self.messages:
            return
        person_ids = sorted({message.person_id for message in self.messages})
        accounts = await people.preferred_accounts(self.session, person_ids)
        locales = await self._person_locales(person_ids)
        answers = await self._rsvps(
            [m.meeting.id for m in self.messages if m.kind is MessageKind.REMINDER]
        )
        names = {person_id: name for person_id, (_, name) in locales.items()}
        translators: dict[tuple[str | None, str | None, str], Translator] = {}
        outgoing: list[tuple[OutboxKey, Outbound, str]] = []
        sent_with: dict[str, tuple[DueMessage, Account, list[str]]] = {}
        useful_until: dict[str, datetime] = {}
        for message in self.messages:
            if message.chat is not None:
                await self._to_chat(message, outgoing)
                useful_until[str(outgoing[-1][0])] = message.meeting.starts_at  # a reminder
                continue
            account = accounts.get(message.person_id)
            if account is None:
                continue  # no way to reach them: nothing to queue
            wanted = (locales[message.person_id][0], account.locale_hint, message.circle.language)
            tr = translators.get(wanted)
            if tr is None:
                tr = translators[wanted] = self.catalogs.translator(*wanted)
            text, choices = await self._word(message, tr, names, answers)
            files = await self._files(message, account.platform, tr)
            key = OutboxKey(
                message.kind,
                f"meeting:{message.meeting.id}",
                f"person:{message.person_id}",
                message.occurrence,
            )
            outgoing.append(
                (
                    key,
                    Outbound(people.private_address(account), text, tuple(choices), files),
                    tr.locale,
                )
            )
            sent_with[str(key)] = (message, account, [c.payload for c in choices])
            if (useful := _useful_until(message)) is not None:
                useful_until[str(key)] = useful
        new = await outbox.enqueue_many(self.session, outgoing, self.now, useful_until)
        asked: list[dict[str, object]] = []
        offers: dict[str, list[str]] = {}
        for outgoing_key, _, _ in outgoing:  # in derivation order, so runs are repeatable
            stored = str(outgoing_key)
            if stored not in new or stored not in sent_with:
                continue
            message, account, payloads = sent_with[stored]
            _count(self.report, message.kind)
            if payloads:
                offers[conversations.key_for_account(account)] = payloads
            if message.question is not None:
                asked.append(
                    {
                        "person_id": message.person_id,
                        "circle_id": message.circle.id,
                        "meeting_id": message.meeting.id,
                        "kind": message.question,
                        "prompt_key": message.prompt_key,
                        "asked_at": self.now,
                        "expires_at": message.expires_at or await self._lapse(message.meeting),
                    }
                )
        await self._replace_questions(asked)
        await conversations.offer_privately(self.session, offers, self.now)

    async def _to_chat(
        self, message: DueMessage, outgoing: list[tuple[OutboxKey, Outbound, str]]
    ) -> None:
        """A reminder in a linked group chat: in the circle's language, buttons for everyone."""
        assert message.chat is not None
        circle, meeting = message.circle, message.meeting
        tr = self.catalogs.translator(circle.language)
        offset = int(message.extra["offset"])  # type: ignore[call-overload]
        left = min(timedelta(minutes=offset), meeting.starts_at - self.now)
        key = OutboxKey(
            message.kind,
            f"meeting:{meeting.id}",
            f"chat:{message.chat.platform}:{message.chat.chat_id}",
            message.occurrence,
        )
        text = reminder_text(tr, circle, meeting, left, None)
        choices = tuple(rsvp_choices(tr, circle, meeting))
        files = await self._files(message, message.chat.platform, tr)
        outgoing.append((key, Outbound(message.chat, text, choices, files), tr.locale))

    async def _files(
        self, message: DueMessage, platform: str, tr: Translator
    ) -> tuple[Attachment, ...]:
        """A reminder carries the circle's calendar (.ics) where the platform shows files, so
        one tap puts every meeting, moves included, into the reader's calendar app."""
        takes_calendar = self.window.platforms.calendar_on_reminders(platform)
        if message.kind is not MessageKind.REMINDER or not takes_calendar:
            return ()
        circle = message.circle
        key = (circle.id or 0, tr.locale)
        if key not in self._calendars:
            schedule = await meetings.schedule(self.session, circle.id or 0)
            self._calendars[key] = calendars.attachment(tr, circle, schedule, self.now)
        return (self._calendars[key],)

    async def _word(
        self,
        message: DueMessage,
        tr: Translator,
        names: dict[int, str],
        answers: dict[tuple[int, int], RsvpAnswer],
    ) -> tuple[str, list[Choice]]:
        """The text and buttons of `message`, one branch per kind (see RhythmKind)."""
        circle, meeting = message.circle, message.meeting
        name = names[message.person_id]
        match message.kind:
            case MessageKind.REMINDER:
                answer = answers.get((meeting.id or 0, message.person_id))
                offset = int(message.extra["offset"])  # type: ignore[call-overload]
                choices = rsvp_choices(tr, circle, meeting) if answer is None else []
                # After a stop the reminder may go out late: say how long is really left.
                left = min(timedelta(minutes=offset), meeting.starts_at - self.now)
                return reminder_text(tr, circle, meeting, left, answer), choices
            case MessageKind.DIGEST:
                if meeting.id not in self._digests:
                    self._digests[meeting.id or 0] = await digests.build(
                        self.session, circle, meeting, self.now
                    )
                return digests.render(tr, circle, self._digests[meeting.id or 0]), []
            case MessageKind.CHECKIN:
                text = tr._(
                    checkin_prompts.RATING_QUESTION,
                    name=name,
                    circle=circle.name,
                    number=meeting.number,
                )
                return text, checkins.rating_choices(tr)
            case MessageKind.CHECKIN_NUDGE:
                return tr._(checkin_prompts.NUDGE, name=name, circle=circle.name), []
            case MessageKind.GOAL_REVIEW:
                goal = message.extra["goal"]
                return tr._(goal_prompts.GOAL_REVIEW, goal=goal, circle=circle.name), []
            case _:
                assert_never(message.kind)

    async def _lapse(self, meeting: Meeting) -> datetime:
        """When questions about `meeting` lapse (questions.lapse_time), once per meeting."""
        if meeting.id not in self._lapses:
            self._lapses[meeting.id or 0] = await questions.lapse_time(
                self.session, meeting.circle_id, meeting.ends_at
            )
        return self._lapses[meeting.id or 0]

    async def _person_locales(self, person_ids: list[int]) -> dict[int, tuple[str | None, str]]:
        found: dict[int, tuple[str | None, str]] = {}
        for start in range(0, len(person_ids), 1000):
            rows = await self.session.exec(
                select(Person.id, Person.locale, Person.display_name).where(
                    col(Person.id).in_(person_ids[start : start + 1000])
                )
            )
            for person_id, locale, name in rows.all():
                assert person_id is not None  # a stored row's
                found[person_id] = (locale, name)
        return found

    async def _rsvps(self, meeting_ids: Iterable[int | None]) -> dict[tuple[int, int], RsvpAnswer]:
        ids = sorted({m for m in meeting_ids if m is not None})
        if not ids:
            return {}
        rows = await self.session.exec(select(Rsvp).where(col(Rsvp.meeting_id).in_(ids)))
        return {(r.meeting_id, r.person_id): RsvpAnswer(r.answer) for r in rows.all()}

    async def _replace_questions(self, rows: list[dict[str, object]]) -> None:
        """New questions replace the person's older ones of that kind in that circle."""
        if not rows:
            return
        table = Question.__table__  # type: ignore[attr-defined]
        by_kind: dict[object, list[tuple[object, object]]] = defaultdict(list)
        for row in rows:
            by_kind[row["kind"]].append((row["circle_id"], row["person_id"]))
        # Core statements: an ORM delete would scan every object in the session each time.
        for kind, pairs in by_kind.items():
            for start in range(0, len(pairs), 500):
                await self.session.exec(
                    sa_delete(table).where(
                        table.c.kind == kind,
                        tuple_(table.c.circle_id, table.c.person_id).in_(
                            pairs[start : start + 500]
                        ),
                    )
                )
        insert = insert_for(self.session)
        await self.session.exec(insert(table), params=rows)


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
        case _:
            assert_never(kind)


def _useful_until(message: DueMessage) -> datetime | None:
    """Until when a message is worth delivering through an outage: a reminder or a digest until
    its meeting starts, a question until it expires (the next meeting); None: the default."""
    if message.kind in (MessageKind.REMINDER, MessageKind.DIGEST):
        return message.meeting.starts_at
    return message.expires_at
