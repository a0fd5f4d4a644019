"""The tables. One row type per domain concept; state here is the single source of truth."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime


class Role(StrEnum):
    FACILITATOR = "facilitator"
    COFACILITATOR = "cofacilitator"
    LEARNER = "learner"


class CircleStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    MOVED = "moved"
    CANCELLED = "cancelled"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(sa_type=String(64))
    locale: str | None = Field(default=None, sa_type=String(16))  # an explicit choice
    created_at: datetime = Field(sa_type=UTCDateTime)


class Account(SQLModel, table=True):
    """One way to reach a person: a Telegram user, a Discord user, a phone number, a console."""

    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    platform: str = Field(sa_type=String(32))
    external_id: str = Field(sa_type=String(128))
    address: str = Field(sa_type=String(128))  # the private chat to write to
    locale_hint: str | None = Field(default=None, sa_type=String(16))
    reachable: bool = True
    opted_out: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)


class Circle(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=String(120))
    course_title: str = Field(sa_type=String(200))
    course_url: str | None = Field(default=None, sa_type=String(500))
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


class Membership(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("circle_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: Role = Field(sa_type=String(16))
    joined_at: datetime = Field(sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Meeting(SQLModel, table=True):
    """One meeting, stored as UTC instants computed from the circle's local wall time."""

    __table_args__ = (UniqueConstraint("circle_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    circle_id: int = Field(foreign_key="circle.id", index=True)
    number: int
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    status: MeetingStatus = Field(default=MeetingStatus.SCHEDULED, sa_type=String(16))


class OutboxMessage(SQLModel, table=True):
    """A proactive message, written in the same transaction as the state change that caused it."""

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(sa_type=String(255), unique=True)
    kind: str = Field(sa_type=String(64))
    platform: str = Field(sa_type=String(32))
    chat_id: str = Field(sa_type=String(128))
    payload: dict[str, Any] = Field(sa_type=JSON)  # rendered text, choices, attachments
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=String(16))
    attempts: int = 0
    parts_sent: int = 0  # of a message split for its platform: a retry resumes after these
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=String(500))
    receipt: str | None = Field(default=None, sa_type=String(128))


class InboundReceipt(SQLModel, table=True):
    """Platform message ids already handled: gateways resend, we answer once."""

    __table_args__ = (UniqueConstraint("platform", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_type=String(32))
    message_id: str = Field(sa_type=String(128))
    received_at: datetime = Field(sa_type=UTCDateTime)


class Conversation(SQLModel, table=True):
    """Multi-turn state of one person in one chat (a guided command, the choices last offered)."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=String(255), unique=True)
    flow: str | None = Field(default=None, sa_type=String(32))
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    choices: list[str] = Field(default_factory=list, sa_type=JSON)  # payloads, by number
    updated_at: datetime = Field(sa_type=UTCDateTime)


class JoinAttempt(SQLModel, table=True):
    """A wrong join code, kept a while so guessing codes is slowed down per account."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    attempted_at: datetime = Field(sa_type=UTCDateTime)
