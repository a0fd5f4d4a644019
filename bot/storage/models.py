"""The tables. One row type per domain concept; state here is the single source of truth."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from inspect import signature
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Double,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime

# Letters a circle receives before its first meeting, unless its facilitator says otherwise.
LETTERS_WANTED = 3
# Circle.rhythm_due_at of a circle the tick has to work out again (new, or changed).
RHYTHM_LOOK_AGAIN = datetime(1970, 1, 1, tzinfo=UTC)


def _empty_list() -> list[Any]:
    """A new empty list: a JSON list field's default_factory. Not `list` itself: pydantic reads
    a factory's signature for every row it builds, and a builtin's is parsed from its text
    (a quarter of a millisecond for each new conversation: issue 18)."""
    return []


def _empty_dict() -> dict[str, Any]:
    """A new empty dict: a JSON object field's default_factory (not `dict`: see _empty_list)."""
    return {}


def _reminders_before() -> list[int]:
    """A circle's reminders by default: a day and an hour before each meeting, in minutes."""
    return [24 * 60, 60]


# Each factory's signature, read once: pydantic reads it again for every row it builds, and
# works a function's out from its code each time unless the function carries it (issue 18).
for _factory in (_empty_list, _empty_dict, _reminders_before):
    _factory.__signature__ = signature(_factory)  # type: ignore[union-attr]


class Role(StrEnum):
    FACILITATOR = "facilitator"
    COFACILITATOR = "cofacilitator"
    LEARNER = "learner"


# The roles that run a circle.
FACILITATING = (Role.FACILITATOR, Role.COFACILITATOR)


class CircleStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    MOVED = "moved"
    CANCELLED = "cancelled"


class RsvpAnswer(StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"  # not sure yet: reminded and asked again, as one who hasn't answered


class AttendanceSource(StrEnum):
    FACILITATOR = "facilitator"  # ticked by a facilitator with /attendance
    SELF = "self"  # the learner said /here during the meeting


class QuestionKind(StrEnum):
    GOAL = "goal"  # asked at joining
    SHARE = "share"  # may the facilitator read your written answers?
    RATING = "rating"  # the weekly check-in's 1-5
    CHECKIN = "checkin"  # the weekly check-in's open question
    REFLECTION = "reflection"
    GOAL_REVIEW = "goal-review"  # in the final week: how close did you get?
    REPLY = "reply"  # a reply to an announcement goes to the facilitators


class LetterStatus(StrEnum):
    REVIEW = "review"  # waiting for the circle's facilitator
    MODERATION = "moderation"  # flagged by screening: waiting for a global moderator too
    POOLED = "pooled"  # approved: waiting in the global pool, or delivered
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    # Still unreviewed when its circle was anonymised (bot/reports/retention.py): its words are
    # gone and it never travels, but it was written, and /report still counts it.
    EXPIRED = "expired"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(sa_type=String(64))
    locale: str | None = Field(default=None, sa_type=String(16))  # an explicit choice
    created_at: datetime = Field(sa_type=UTCDateTime)
    # The circle their commands are about when they are in several and don't say (/default).
    # Not a foreign key: adding one rebuilds this table on SQLite, which every other refers to;
    # a circle deleted leaves an id no membership has, and that is ignored.
    default_circle_id: int | None = None
    # Their own IANA zone (/timezone): an online circle's meetings are shown to them in it.
    # None: every circle's in its own zone.
    timezone: str | None = Field(default=None, sa_type=String(64))


class Account(SQLModel, table=True):
    """One way to reach a person: a Telegram user, a Discord user, a phone number, a console."""

    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    platform: str = Field(sa_type=String(32))
    external_id: str = Field(sa_type=String(128))
    # The private chat to write to. Indexed: each dispatcher run looks up who among its rows'
    # chats opted out.
    address: str = Field(sa_type=String(128), index=True)
    locale_hint: str | None = Field(default=None, sa_type=String(16))
    reachable: bool = True
    opted_out: bool = False
    preferred: bool = False  # the person chose to get proactive messages here (/prefer)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)


class Circle(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120))
    course_title: str = Field(sa_type=String(200))
    course_url: str | None = Field(default=None, sa_type=String(500))
    # The course record it takes (bot/network/courses.py); course_title and course_url stay as
    # typed. A plain column, no foreign key: one would rebuild this table on SQLite.
    course_id: int | None = Field(default=None, index=True)
    venue: str = Field(sa_type=String(200))
    city: str = Field(sa_type=String(120))
    country_code: str = Field(sa_type=String(2))
    timezone: str = Field(sa_type=String(64))
    language: str = Field(sa_type=String(16))
    weekday: int  # 0 = Monday, as in datetime.weekday()
    start_time: time  # local wall time in `timezone`
    duration_minutes: int
    meeting_count: int
    start_date: date  # the first meeting's local date
    join_code: str = Field(sa_type=String(8), unique=True)
    status: CircleStatus = Field(default=CircleStatus.ACTIVE, sa_type=String(16))
    created_at: datetime = Field(sa_type=UTCDateTime)
    # The weekly rhythm, each a facilitator setting with a default.
    reminder_offsets: list[int] = Field(
        default_factory=_reminders_before, sa_type=JSON
    )  # minutes before each meeting; empty = no reminders
    checkin_days_after: int = 1  # the check-in goes out this many days after a meeting...
    checkin_time: time = time(10, 0)  # ...at this local time
    digest_minutes_before: int = 24 * 60  # the facilitator digest, before each meeting
    letters_wanted: int = LETTERS_WANTED  # received before the first meeting; 0 = /letters off
    letter_invite_minutes: int = 30  # the letter invitation, this long into the last meeting
    # When its names and words were taken out, its numbers kept (bot/reports/retention.py).
    # Indexed: the tick looks up the circles anonymised in its window (bot/network/commons.py).
    anonymised_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    # When the tick next has weekly-rhythm work for this circle (bot/rhythm/derivation.py works
    # it out): the tick looks at no other circle. RHYTHM_LOOK_AGAIN (the past): at the next
    # tick; None: nothing left. Any change to the circle or its meetings sets it back (below).
    rhythm_due_at: datetime | None = Field(
        default=RHYTHM_LOOK_AGAIN, sa_type=UTCDateTime, index=True
    )
    # Counts those changes, so a tick that read the circle before one leaves rhythm_due_at be.
    rhythm_revision: int = 0
    # The same for the letters relay (bot/letters/relay.py): its next invitation, preview or
    # arrival. Set back with rhythm_due_at, and guarded by the same revision.
    letters_due_at: datetime | None = Field(
        default=RHYTHM_LOOK_AGAIN, sa_type=UTCDateTime, index=True
    )
    # Finding a circle (bot/circles/discovery.py, /listing): a listed circle shows in /find and
    # the public directory; a private one (the default) is found only by its join code.
    listed: bool = Field(default=False, index=True)
    capacity: int | None = None  # seats for learners; None: no limit (bot/circles/seats.py)
    signup_deadline: date | None = None  # the last local day /find offers it
    # A phone number to join an online meeting by (and its PIN, as typed): learners on SMS
    # can't open a video link. None: none given (bot/circles/dialin.py).
    dialin: str | None = Field(default=None, sa_type=String(80))


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("circle_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: Role = Field(sa_type=String(16))
    joined_at: datetime = Field(sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    shares_answers: bool = False  # the facilitator may quote this learner's written answers
    # When sharing was last turned on: answers written before it, while private, stay private
    # ("from now on", as /sharing on says). None: since joining.
    shares_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The learner paused the weekly check-in questions here (/checkin off); reminders still
    # come. The tick's check-ins leave her out (bot/rhythm/derivation.py).
    checkins_paused: bool = False
    # Has run the circle (facilitator or co-facilitator) at some time: one who handed it over
    # and stepped down is still its former facilitator (the export's roster, her portfolio).
    facilitated: bool = False
    # Taken off the circle by a facilitator (/remove), and by whom (no foreign key: a person
    # erased leaves an id no one has): the join code doesn't bring them back until a
    # facilitator lets them (/letback). Leaving on one's own sets neither.
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    removed_by: int | None = None
    # When this member began running the circle (made co-facilitator); None: from joining.
    leads_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the learner last said who may read her answers: those running the circle then are
    # the ones she said yes to. None: when sharing was turned on, or joining.
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    def shares_answer(self, written_at: datetime) -> bool:
        """Whether the facilitator may read an answer written at `written_at`: sharing is on,
        and it was on then."""
        return self.shares_answers and (
            self.shares_since is None or written_at >= self.shares_since
        )

    def leads_from(self) -> datetime:
        """Since when this member runs the circle."""
        return self.leads_since or self.joined_at

    def shared_with(self, lead_from: datetime) -> bool:
        """Whether sharing is on for a facilitator who began running the circle at
        `lead_from`: the learner said yes while that one already ran it. A co-facilitator made
        later waits for her yes; the others keep it (A6)."""
        agreed = self.consent_at or self.shares_since or self.joined_at
        return self.shares_answers and lead_from <= agreed


class AwaySpell(SQLModel, table=True):
    """A time a learner was away from a circle: she left it (/leave, or taken off and let back)
    and later joined it again, and the same membership was reopened. The meetings held in
    between were not hers: not asked, not absent (bot/rhythm/learners.py). Written when she
    comes back (bot/circles/circles.join); while she is still away, Membership.left_at says it.
    Cascade: a membership deleted (/forget, a merge) takes its history with it."""

    id: int | None = Field(default=None, primary_key=True)
    membership_id: int = Field(foreign_key="membership.id", index=True, ondelete="CASCADE")
    left_at: datetime = Field(sa_type=UTCDateTime)
    came_back_at: datetime = Field(sa_type=UTCDateTime)


class Meeting(SQLModel, table=True):
    """One meeting, stored as UTC instants computed from the circle's local wall time."""

    __table_args__ = (
        UniqueConstraint("circle_id", "number"),
        # A circle's meetings in time order: its next meeting (/next) is the first entry.
        Index("ix_meeting_circle_starts", "circle_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    number: int
    # Indexed: the tick's jobs look up the meetings that start in a window (letters, invitations).
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    # Indexed: the tick looks up the meetings that ended in its window (attendance reminders,
    # the close-out).
    ends_at: datetime = Field(sa_type=UTCDateTime, index=True)
    status: MeetingStatus = Field(default=MeetingStatus.SCHEDULED, sa_type=String(16))
    # Bumped by every reschedule and cancellation, so calendar apps replace their copy (.ics).
    sequence: int = 0
    # Where this meeting is held when not at the circle's venue (/edit venue 3 ROOM B); a web
    # address is a meeting online. None: the circle's venue.
    venue: str | None = Field(default=None, sa_type=String(200))
    # The slot it was planned for, when that is not its week's day at the circle's usual time
    # (moved on by /skipweek, added by /addmeeting): a meeting there is not "moved".
    planned_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When a facilitator last took attendance (ticked, said done, or "nobody came"): a meeting
    # taken with nobody present is a 0, not "not taken". None: nobody has said.
    attendance_taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RemovedMeeting(SQLModel, table=True):
    """A meeting taken off the end of a circle by /edit meetings: kept so calendar files (.ics)
    still carry it, as CANCELLED with a higher SEQUENCE, and phones that imported it strike it
    out; a meeting given its number again later takes a SEQUENCE above it (walkthrough fac 35)."""

    __table_args__ = (UniqueConstraint("circle_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    number: int
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    sequence: int = 0  # the SEQUENCE its cancellation is sent with


class OutboxMessage(SQLModel, table=True):
    """A proactive message, written in the same transaction as the state change that caused it."""

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # Each chat's queue, in the order its rows were written (the dispatcher's window).
        Index("ix_outbox_chat_queue", "platform", "chat_id", "status", "id"),
        # The rows whose time has passed (the dispatcher's expiry, every half minute).
        Index("ix_outbox_useful", "status", "useful_until"),
        # The chats with a row due, by priority and platform, in the order they fell due (the
        # dispatcher's claim walks it a chat at a time).
        Index("ix_outbox_claim", "status", "priority", "platform", "next_attempt_at", "chat_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(sa_type=String(255), unique=True)
    kind: str = Field(sa_type=String(64))
    platform: str = Field(sa_type=String(32))
    chat_id: str = Field(sa_type=String(128))
    payload: dict[str, Any] = Field(sa_type=JSON)  # rendered text, choices, attachments
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=String(16))
    # Lower goes first: replies, then reminders and check-ins, then the rest, then bulk
    # (bot/delivery/kinds.py PRIORITY).
    priority: int = Field(default=2, sa_type=SmallInteger)
    # After this the message is no longer worth sending (a reminder once its meeting has
    # started): it waits out an outage until then, and dies "expired" after.
    useful_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Why a dead row died: "permanent" (refused), "expired", "unrenderable", or "transient"
    # (revivable with `circlebot outbox revive`).
    failure: str | None = Field(default=None, sa_type=String(16))
    # A process is sending it until then (a lease): nobody else takes it meanwhile, and if that
    # process dies the lease runs out and another sends it.
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attempts: int = 0
    parts_sent: int = 0  # of a message split for its platform: a retry resumes after these
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=String(500))
    # The platform's id for the last part it accepted (Twilio's MessageSid, Africa's Talking's
    # id); every part's is in OutboxReceipt, where status callbacks find the row.
    receipt: str | None = Field(default=None, sa_type=String(128), index=True)
    # What the platform reported for the message as a whole ("delivered" once every part is,
    # "failed" as soon as one part failed); see bot/delivery/statuses.py.
    delivery_status: str | None = Field(default=None, sa_type=String(32))
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxReceipt(SQLModel, table=True):
    """One part of an outbox message as the platform accepted it: a message split for SMS is
    several gateway messages, each with its own id and its own delivery report."""

    __table_args__ = (UniqueConstraint("outbox_id", "part"),)

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="outboxmessage.id", index=True, ondelete="CASCADE")
    part: int  # 0 for the first
    receipt: str = Field(sa_type=String(128), index=True)
    delivery_status: str | None = Field(default=None, sa_type=String(32))
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class EarlyDeliveryReport(SQLModel, table=True):
    """A delivery report that came before its message's receipt was committed (a gateway can
    call back while the dispatcher is still sending the next part): kept until the receipt is
    there, then applied (bot/delivery/statuses.py)."""

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_type=String(32))
    receipt: str = Field(sa_type=String(128), index=True)
    status: str = Field(sa_type=String(32))
    reason: str | None = Field(default=None, sa_type=String(128))
    received_at: datetime = Field(sa_type=UTCDateTime)


class InboundReceipt(SQLModel, table=True):
    """Platform message ids already handled: gateways resend, we answer once."""

    __table_args__ = (UniqueConstraint("platform", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_type=String(32))
    message_id: str = Field(sa_type=String(128))
    received_at: datetime = Field(sa_type=UTCDateTime)


class InboundKey(SQLModel, table=True):
    """A message id handled more than a month ago, on a platform whose ids are never given twice,
    kept for good as a 64-bit hash (bot/dialogue/receipts.py): a signed request replayed years
    later is still refused, for 8 bytes of key rather than a whole receipt."""

    # SQLite's INTEGER primary key is the row id itself: one B-tree, no second index.
    key: int = Field(
        primary_key=True,
        sa_type=BigInteger().with_variant(Integer(), "sqlite"),
        sa_column_kwargs={"autoincrement": False},
    )


class Conversation(SQLModel, table=True):
    """Multi-turn state of one person in one chat (a guided command, the choices last offered)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(255), unique=True)
    flow: str | None = Field(default=None, sa_type=String(32))
    data: dict[str, Any] = Field(default_factory=_empty_dict, sa_type=JSON)
    # By number: [payload, label] (a payload alone in rows from before labels were kept).
    choices: list[str | list[str]] = Field(default_factory=_empty_list, sa_type=JSON)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class JoinAttempt(SQLModel, table=True):
    """A wrong join code, kept a while so guessing codes is slowed down per account."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    attempted_at: datetime = Field(sa_type=UTCDateTime)


class Rsvp(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    answer: RsvpAnswer = Field(sa_type=String(8))
    answered_at: datetime = Field(sa_type=UTCDateTime)


class Attendance(SQLModel, table=True):
    """Who came to a meeting. No row: not there (or not recorded)."""

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    source: AttendanceSource = Field(sa_type=String(16))
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class CheckIn(SQLModel, table=True):
    """A learner's answer to the check-in after one meeting; changeable until the next one."""

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    rating: int | None = None  # 1-5
    prompt_key: str | None = Field(default=None, sa_type=String(64))
    answer: str | None = Field(default=None, sa_type=String(2000))
    answered_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Reflection(SQLModel, table=True):
    """A written answer kept in the learner's portfolio: a goal, a reflection, a goal review."""

    __table_args__ = (UniqueConstraint("person_id", "circle_id", "kind", "prompt_key"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    kind: QuestionKind = Field(sa_type=String(16))
    prompt_key: str = Field(sa_type=String(64))
    text: str = Field(sa_type=String(2000))
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class PassedOn(SQLModel, table=True):
    """A learner's message passed on to their circle's facilitators, numbered within the circle
    so that a facilitator can answer its author (/reply N). Who wrote it, never the words."""

    __table_args__ = (UniqueConstraint("circle_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", ondelete="CASCADE")
    number: int
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(sa_type=UTCDateTime)


class WaitingPlace(SQLModel, table=True):
    """A learner waiting for a seat in a full circle, first come first served; `offered_at`:
    when a freed seat was offered to them, held for them a while (bot/circles/seats.py)."""

    __table_args__ = (UniqueConstraint("circle_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", ondelete="CASCADE")
    # Cascade: /forget (and a merge of two people) deletes the person, and their place goes.
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(sa_type=UTCDateTime)
    offered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Question(SQLModel, table=True):
    """A question the bot asked and is waiting on: the person's next free text answers it.

    Deleted when answered or skipped; ignored after `expires_at` (the next meeting).
    """

    id: int | None = Field(default=None, primary_key=True)
    # No foreign keys: the tick writes a question per check-in, and their checks were a third
    # of that (migration 0022). Deleting a person, circle or meeting deletes theirs first.
    person_id: int = Field(index=True)
    circle_id: int = Field(index=True)
    meeting_id: int | None = Field(default=None)
    kind: QuestionKind = Field(sa_type=String(16))
    prompt_key: str = Field(sa_type=String(64))
    asked_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TickMark(SQLModel, table=True):
    """How far the scheduler's tick has derived due work: it resumes from here after a stop."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(32), unique=True)
    reached_at: datetime = Field(sa_type=UTCDateTime)


class LinkCode(SQLModel, table=True):
    """A one-time code that attaches another platform's account to a person (/link)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=String(8), unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A code that moves a phone number (/newnumber, bot/circles/numbers.py): it works only
    # from the new number (`move_to`, as the platform's account id), and the account it was
    # asked from (`move_from`) is retired once it is used. No foreign key: a retired or
    # erased account leaves an id no account has, and that is ignored.
    move_from: int | None = None
    move_to: str | None = Field(default=None, sa_type=String(128))
    # A move a facilitator asked for (/movenumber): who asked, about which circle; they are
    # told when the new phone says yes or no. No foreign keys, as above.
    asked_by: int | None = None
    circle_id: int | None = None


class LinkedChat(SQLModel, table=True):
    """A group chat (Telegram group, Discord channel) bound to a circle with /linkchat."""

    __table_args__ = (UniqueConstraint("circle_id", "platform", "chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    platform: str = Field(sa_type=String(32))
    chat_id: str = Field(sa_type=String(128))
    created_at: datetime = Field(sa_type=UTCDateTime)


class ChatPresence(SQLModel, table=True):
    """Someone seen writing in a group chat: they read it, so it can carry their messages."""

    __table_args__ = (UniqueConstraint("platform", "chat_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_type=String(32))
    chat_id: str = Field(sa_type=String(128))
    person_id: int = Field(foreign_key="person.id", index=True)
    seen_at: datetime = Field(sa_type=UTCDateTime)


class Letter(SQLModel, table=True):
    """An encouragement letter from a learner finishing a circle, to a circle just starting."""

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    author_id: int | None = Field(
        default=None, foreign_key="person.id", index=True
    )  # None: forgotten
    signature: str = Field(sa_type=String(64))  # the name the author signs with
    city: str = Field(sa_type=String(120))
    country_code: str = Field(sa_type=String(2))
    # Written in a circle that meets online: its learners are anywhere, so it comes "from an
    # online circle", never from its city (where its facilitator is) nor kept from that city.
    online: bool = False
    language: str = Field(sa_type=String(16))
    text: str = Field(sa_type=String(1000))
    status: LetterStatus = Field(default=LetterStatus.REVIEW, sa_type=String(16))
    flags: list[str] = Field(default_factory=_empty_list, sa_type=JSON)  # what screening found
    reject_reason: str | None = Field(default=None, sa_type=String(500))
    created_at: datetime = Field(sa_type=UTCDateTime)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # entered the pool
    deliveries: int = 0  # circles it has reached


class LetterDelivery(SQLModel, table=True):
    """A letter matched to a circle's first meeting: read aloud there."""

    __table_args__ = (UniqueConstraint("letter_id", "circle_id"),)

    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    matched_at: datetime = Field(sa_type=UTCDateTime)


class AdapterCursor(SQLModel, table=True):
    """Where an adapter has got to in a platform's stream (Telegram's polling offset), so a
    restart neither replays nor drops updates."""

    __table_args__ = (UniqueConstraint("platform", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_type=String(32))
    name: str = Field(sa_type=String(64))
    value: str = Field(sa_type=String(255))
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Team(SQLModel, table=True):
    """Organizers over several circles (a library service): each circle's facilitator joins it
    with the team's code, so nobody can pull a circle in."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120))
    code: str = Field(sa_type=String(8), unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class TeamOrganizer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("team_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    # Cascade: /forget deletes the person, and their organizer role goes with them.
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    weekly_summary: bool = False  # opted in to the Monday summary (/team weekly on)
    created_at: datetime = Field(sa_type=UTCDateTime)


class TeamCircle(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("team_id", "circle_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    added_at: datetime = Field(sa_type=UTCDateTime)


class SendBudget(SQLModel, table=True):
    """One rate budget shared by every process on the database (bot/delivery/budget.py): the
    moment (unix seconds) from which the next call under `key` may be made."""

    key: str = Field(sa_type=String(200), primary_key=True)
    free_at: float = Field(sa_type=Double)


class PlatformHealth(SQLModel, table=True):
    """What a process last saw of a platform: "up", "starting", "down" (its adapter could not
    start) or "paused" (sends failing, the circuit open), for `circlebot outbox` and /healthz."""

    platform: str = Field(sa_type=String(32), primary_key=True)
    state: str = Field(sa_type=String(16))
    detail: str | None = Field(default=None, sa_type=String(200))
    since: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Course(SQLModel, table=True):
    """A course circles take (bot/network/courses.py): shared by every circle on it, so what
    one circle learns reaches the next. Found again by its link, or by title where it has none
    (`key`)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(520), unique=True)
    title: str = Field(sa_type=String(200))
    url: str | None = Field(default=None, sa_type=String(500))
    language: str = Field(sa_type=String(16))
    topic: str | None = Field(default=None, sa_type=String(60))


class CourseSurvey(SQLModel, table=True):
    """One member's end-of-circle survey (bot/network/survey.py): the course's rating, whether
    the goal was met, whether they'd recommend it, and a tip for the next circle, shown to
    others only when `tip_shared`."""

    __table_args__ = (UniqueConstraint("circle_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True, ondelete="CASCADE")
    # Cascade: /forget deletes the person, and their answers go with them.
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    course_id: int | None = Field(default=None, index=True)
    role: Role = Field(sa_type=String(16))
    rating: int | None = Field(default=None, sa_type=SmallInteger)  # 1-5
    goal_met: str | None = Field(default=None, sa_type=String(8))  # yes, partly, no
    recommend: bool | None = None
    tip: str | None = Field(default=None, sa_type=String(500))
    tip_shared: bool = False  # the author agreed: other circles may read it, without a name
    tip_flags: list[str] = Field(default_factory=_empty_list, sa_type=JSON)  # what screening found
    answered_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ResourceStatus(StrEnum):
    REVIEW = "review"  # waits for the circle's facilitator
    HELD = "held"  # screening found contact details: never shown
    APPROVED = "approved"
    REJECTED = "rejected"


class CourseResource(SQLModel, table=True):
    """A link shared during a circle with /share, kept for the course once its facilitator
    approves it (bot/network/commons.py)."""

    id: int | None = Field(default=None, primary_key=True)
    course_id: int = Field(index=True)
    circle_id: int = Field(foreign_key="circle.id", index=True, ondelete="CASCADE")
    person_id: int | None = Field(
        default=None, foreign_key="person.id", index=True, ondelete="SET NULL"
    )  # None: forgotten
    url: str = Field(sa_type=String(500))
    note: str | None = Field(default=None, sa_type=String(200))
    status: ResourceStatus = Field(default=ResourceStatus.REVIEW, sa_type=String(16))
    flags: list[str] = Field(default_factory=_empty_list, sa_type=JSON)
    created_at: datetime = Field(sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Credential(SQLModel, table=True):
    """A signed Open Badges 3.0 credential a learner received for completing a circle
    (bot/reports/credentials.py): verifiable at /credentials/<public_id> and /c/<code>.
    Erased with the person (/forget)."""

    __table_args__ = (UniqueConstraint("person_id", "circle_id"),)

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(sa_type=String(36), unique=True)  # a UUID, in the credential's id
    code: str = Field(sa_type=String(8), unique=True)  # the short link an SMS reader types
    person_id: int = Field(foreign_key="person.id", index=True, ondelete="CASCADE")
    circle_id: int = Field(foreign_key="circle.id", index=True, ondelete="CASCADE")
    key_id: str = Field(sa_type=String(128))  # the kid of the key that signed it
    token: str = Field(sa_type=Text)  # the compact JWS, as handed to the learner
    issued_at: datetime = Field(sa_type=UTCDateTime)


def _look_again(connection: Connection, circle_id: int | None) -> None:
    """The next tick works the circle's weekly rhythm and letters out again (see
    Circle.rhythm_due_at)."""
    table = Circle.__table__  # type: ignore[attr-defined]
    connection.execute(
        update(table)
        .where(table.c.id == circle_id)
        .values(
            rhythm_due_at=RHYTHM_LOOK_AGAIN,
            letters_due_at=RHYTHM_LOOK_AGAIN,
            rhythm_revision=table.c.rhythm_revision + 1,
        )
    )


def _meeting_changed(_mapper: Mapper[Meeting], connection: Connection, meeting: Meeting) -> None:
    _look_again(connection, meeting.circle_id)


def _circle_changed(_mapper: Mapper[Circle], connection: Connection, circle: Circle) -> None:
    # Its settings, status or zone; not the tick's own bookkeeping (written without the ORM).
    state = inspect(circle)
    if any(
        attribute.history.has_changes()
        for attribute in state.attrs
        if attribute.key not in ("rhythm_due_at", "rhythm_revision", "letters_due_at")
    ):
        _look_again(connection, circle.id)


# Mapper events, so every way of changing a meeting or a circle's settings (/reschedule,
# /cancel, /rhythm, /reminders, ...) reaches the tick without each remembering to.
for _change in ("after_insert", "after_update", "after_delete"):
    event.listen(Meeting, _change, _meeting_changed)
event.listen(Circle, "after_update", _circle_changed)
