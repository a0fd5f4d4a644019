"""The scheduler's tick: turns what fell due in the database into outbox rows.

It derives, it does not remember. A TickMark row holds how far the last tick got; each tick
covers (mark, now], so a bot that was stopped catches up on what fell due meanwhile, and a tick
that fails rolls back whole and is simply done again. Outbox idempotency keys make any repeat
harmless. Reminders and digests for a meeting that has already started are not sent late;
check-ins are, until the next meeting starts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete as sa_delete
from sqlalchemy import func, tuple_
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import Clock
from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Address, Attachment, Choice, Outbound
from bot.circles import chats, circles, meetings
from bot.circles.meetings import local_instant
from bot.delivery import outbox
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, people
from bot.letters.letters import LetterPolicy
from bot.letters.relay import Relay
from bot.reports.closeout import CloseOut
from bot.reports.teams import WeeklySummaries
from bot.rhythm import calendars, checkins, digests, questions
from bot.scheduling import housekeeping
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
    TickMark,
)
from prompts import checkin as checkin_prompts
from prompts import goal as goal_prompts

MARK = "rhythm"
MAX_REMINDER_OFFSET = timedelta(days=7)
# Meetings this far around now can have something due: reminders up to a week before, a
# check-in up to a week after, and its nudge two days later.
LOOK_AROUND = timedelta(days=10)
GOAL_REVIEW_DAYS_BEFORE = 2
CIRCLES_PER_SLICE = 500  # the final week's goal review, before the last meeting


@dataclass
class TickReport:
    reminders: int = 0
    digests: int = 0
    checkins: int = 0
    nudges: int = 0
    goal_reviews: int = 0
    letters: int = 0  # invitations, letters delivered and relayed, authors told
    closings: int = 0  # close-out messages when a circle's last meeting ends
    team_summaries: int = 0  # Monday summaries to organizers who opted in
    pruned: int = 0  # inbound message ids forgotten after a month (not messages)

    @property
    def total(self) -> int:
        return (
            self.reminders
            + self.digests
            + self.checkins
            + self.nudges
            + self.goal_reviews
            + self.letters
            + self.closings
            + self.team_summaries
        )


@dataclass
class _Letter:
    """One message to derive: who, about what, and how to word it in their language."""

    kind: str
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


class _Derivation:
    def __init__(self, session: AsyncSession, catalogs: Catalogs, since: datetime, now: datetime):
        self.session = session
        self.catalogs = catalogs
        self.since = since
        self.now = now
        self.letters: list[_Letter] = []
        self.report = TickReport()
        # Each circle's .ics for reminders, by circle and language, built once per slice; a
        # meeting's digest and when its questions lapse, worked out once for all its readers.
        self._calendars: dict[tuple[int, str], Attachment] = {}
        self._digests: dict[int, digests.Digest] = {}
        self._lapses: dict[int, datetime] = {}

    def due(self, instant: datetime) -> bool:
        return self.since < instant <= self.now

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
            self.letters = []
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
            self.letters.append(
                _Letter(
                    "reminder", circle, meeting, 0, occurrence, extra={"offset": offset}, chat=chat
                )
            )
        for membership in members:
            if membership.role == Role.LEARNER and membership.joined_at <= at:
                self.letters.append(
                    _Letter(
                        "reminder",
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
                self.letters.append(
                    _Letter(
                        "digest",
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
                self.letters.append(
                    _Letter(
                        "checkin",
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
            self.letters.append(
                _Letter(
                    "checkin-nudge", circle, meeting_of[question.meeting_id], question.person_id
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
            self.letters.append(
                _Letter(
                    "goal-review",
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
        if not self.letters:
            return
        person_ids = sorted({letter.person_id for letter in self.letters})
        accounts = await people.preferred_accounts(self.session, person_ids)
        locales = await self._person_locales(person_ids)
        answers = await self._rsvps(
            [letter.meeting.id for letter in self.letters if letter.kind == "reminder"]
        )
        names = {person_id: name for person_id, (_, name) in locales.items()}
        translators: dict[tuple[str | None, str | None, str], Translator] = {}
        outgoing: list[tuple[OutboxKey, Outbound, str]] = []
        sent_with: dict[str, tuple[_Letter, Account, list[str]]] = {}
        for letter in self.letters:
            if letter.chat is not None:
                await self._to_chat(letter, outgoing)
                continue
            account = accounts.get(letter.person_id)
            if account is None:
                continue  # no way to reach them: nothing to queue
            wanted = (locales[letter.person_id][0], account.locale_hint, letter.circle.language)
            tr = translators.get(wanted)
            if tr is None:
                tr = translators[wanted] = self.catalogs.translator(*wanted)
            text, choices = await self._word(letter, tr, names, answers)
            files = await self._files(letter, account.platform, tr)
            key = OutboxKey(
                letter.kind,
                f"meeting:{letter.meeting.id}",
                f"person:{letter.person_id}",
                letter.occurrence,
            )
            outgoing.append(
                (
                    key,
                    Outbound(people.private_address(account), text, tuple(choices), files),
                    tr.locale,
                )
            )
            sent_with[str(key)] = (letter, account, [c.payload for c in choices])
        new = await outbox.enqueue_many(self.session, outgoing, self.now)
        asked: list[dict[str, object]] = []
        offers: dict[str, list[str]] = {}
        for outgoing_key, _, _ in outgoing:  # in derivation order, so runs are repeatable
            key = str(outgoing_key)
            if key not in new or key not in sent_with:
                continue
            letter, account, payloads = sent_with[key]
            setattr(
                self.report,
                _COUNTERS[letter.kind],
                getattr(self.report, _COUNTERS[letter.kind]) + 1,
            )
            if payloads:
                offers[conversations.key_for_account(account)] = payloads
            if letter.question is not None:
                asked.append(
                    {
                        "person_id": letter.person_id,
                        "circle_id": letter.circle.id,
                        "meeting_id": letter.meeting.id,
                        "kind": letter.question,
                        "prompt_key": letter.prompt_key,
                        "asked_at": self.now,
                        "expires_at": letter.expires_at or await self._lapse(letter.meeting),
                    }
                )
        await self._replace_questions(asked)
        await conversations.offer_privately(self.session, offers, self.now)

    async def _to_chat(
        self, letter: _Letter, outgoing: list[tuple[OutboxKey, Outbound, str]]
    ) -> None:
        """A reminder in a linked group chat: in the circle's language, buttons for everyone."""
        assert letter.chat is not None
        circle, meeting = letter.circle, letter.meeting
        tr = self.catalogs.translator(circle.language)
        offset = int(letter.extra["offset"])  # type: ignore[call-overload]
        left = min(timedelta(minutes=offset), meeting.starts_at - self.now)
        key = OutboxKey(
            letter.kind,
            f"meeting:{meeting.id}",
            f"chat:{letter.chat.platform}:{letter.chat.chat_id}",
            letter.occurrence,
        )
        text = reminder_text(tr, circle, meeting, left, None)
        choices = tuple(rsvp_choices(tr, circle, meeting))
        files = await self._files(letter, letter.chat.platform, tr)
        outgoing.append((key, Outbound(letter.chat, text, choices, files), tr.locale))

    async def _files(
        self, letter: _Letter, platform: str, tr: Translator
    ) -> tuple[Attachment, ...]:
        """A reminder carries the circle's calendar (.ics) where the platform shows files, so
        one tap puts every meeting, moves included, into the reader's calendar app."""
        if letter.kind != "reminder" or platform not in calendars.REMINDER_PLATFORMS:
            return ()
        circle = letter.circle
        key = (circle.id or 0, tr.locale)
        if key not in self._calendars:
            schedule = await meetings.schedule(self.session, circle.id or 0)
            self._calendars[key] = calendars.attachment(tr, circle, schedule, self.now)
        return (self._calendars[key],)

    async def _word(
        self,
        letter: _Letter,
        tr: Translator,
        names: dict[int, str],
        answers: dict[tuple[int, int], RsvpAnswer],
    ) -> tuple[str, list[Choice]]:
        circle, meeting = letter.circle, letter.meeting
        name = names[letter.person_id]
        if letter.kind == "reminder":
            answer = answers.get((meeting.id or 0, letter.person_id))
            offset = int(letter.extra["offset"])  # type: ignore[call-overload]
            choices = rsvp_choices(tr, circle, meeting) if answer is None else []
            # After a stop the reminder may go out late: say how long is really left.
            left = min(timedelta(minutes=offset), meeting.starts_at - self.now)
            return reminder_text(tr, circle, meeting, left, answer), choices
        if letter.kind == "checkin":
            text = tr._(
                checkin_prompts.RATING_QUESTION,
                name=name,
                circle=circle.name,
                number=meeting.number,
            )
            return text, checkins.rating_choices(tr)
        if letter.kind == "checkin-nudge":
            return tr._(checkin_prompts.NUDGE, name=name, circle=circle.name), []
        if letter.kind == "goal-review":
            return tr._(goal_prompts.GOAL_REVIEW, goal=letter.extra["goal"], circle=circle.name), []
        if meeting.id not in self._digests:
            self._digests[meeting.id or 0] = await digests.build(
                self.session, circle, meeting, self.now
            )
        return digests.render(tr, circle, self._digests[meeting.id or 0]), []

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
                    sa_delete(table).where(  # type: ignore[call-overload]
                        table.c.kind == kind,
                        tuple_(table.c.circle_id, table.c.person_id).in_(
                            pairs[start : start + 500]
                        ),
                    )
                )
        insert = insert_for(self.session)
        await self.session.exec(insert(table), params=rows)  # type: ignore[call-overload]


_COUNTERS = {
    "reminder": "reminders",
    "digest": "digests",
    "checkin": "checkins",
    "checkin-nudge": "nudges",
    "goal-review": "goal_reviews",
}


async def tick(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    letter_policy: LetterPolicy | None = None,
) -> TickReport:
    """Enqueue everything that fell due since the last tick, in one transaction."""
    async with sessions() as session, session.begin():
        now = clock.now()
        mark = (
            await session.exec(select(TickMark).where(TickMark.name == MARK).with_for_update())
        ).first()
        if mark is None:
            # The first tick of a database starts where its first circle did, so nothing due
            # before the bot first ran is lost, and nothing older is replayed.
            first = (await session.exec(select(func.min(Circle.created_at)))).first()
            mark = TickMark(name=MARK, reached_at=first - timedelta(seconds=1) if first else now)
        if now <= mark.reached_at:
            session.add(mark)
            return TickReport()
        report = await _Derivation(session, catalogs, mark.reached_at, now).run()
        report.letters = await Relay(
            session, catalogs, letter_policy or LetterPolicy(), mark.reached_at, now
        ).run()
        # After the relay, so the close-out sees the letter invitations it has queued.
        report.closings = await CloseOut(session, catalogs, mark.reached_at, now).run()
        report.team_summaries = await WeeklySummaries(session, catalogs, mark.reached_at, now).run()
        if housekeeping.due(mark.reached_at, now):
            report.pruned = await housekeeping.prune(session, now)
        mark.reached_at = now
        session.add(mark)
        return report
