"""The outbox: proactive messages written as rows in the same transaction as their cause.

The idempotency key (kind, subject, recipient, occurrence) is unique, so deriving the same message
twice (a retry, a second process, a restart) stores it once.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.messages import Address, Attachment, Choice, Inbound, Outbound
from bot.delivery.kinds import PRIORITY, MessageKind, Priority
from bot.storage import bulk
from bot.storage.database import insert_if_absent
from bot.storage.models import OutboxMessage, OutboxStatus

# A message with no time of its own after which it is pointless (a letter, an announcement)
# waits this long past its due time through an outage before it dies "expired".
DEFAULT_USEFUL_FOR = timedelta(days=3)


@dataclass(frozen=True)
class OutboxKey:
    kind: MessageKind  # e.g. MessageKind.MEETING_MOVED; stored as its value, "meeting-moved"
    subject: str  # what it is about, e.g. "meeting:12"
    recipient: str  # e.g. "person:7"
    occurrence: str = ""  # what makes a repeat distinct, e.g. the new start time

    def __str__(self) -> str:
        return key_text(self.kind, self.subject, self.recipient, self.occurrence)


def key_text(kind: MessageKind, subject: str, recipient: str, occurrence: str = "") -> str:
    """An OutboxKey as stored, without making one (the tick makes tens of thousands)."""
    return f"{kind}|{subject}|{recipient}|{occurrence}"


class Queued(NamedTuple):
    """A message ready for the outbox, in the terms its row keeps: what enqueue_rows takes
    from the tick, which queues tens of thousands at once (no key or message object each)."""

    key: str  # an OutboxKey as stored (key_text)
    kind: MessageKind
    platform: str
    chat_id: str
    text: str
    locale: str
    choices: tuple[Choice, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    useful_until: datetime | None = None  # None: DEFAULT_USEFUL_FOR after it is queued


def to_payload(message: Outbound, locale: str) -> dict[str, Any]:
    return {
        "text": message.text,
        "locale": locale,
        "choices": _choices(message.choices),
        "attachments": _attachments(message.attachments),
    }


def _choices(choices: tuple[Choice, ...]) -> list[list[str]]:
    return [[choice.label, choice.payload] for choice in choices]


def _attachments(attachments: tuple[Attachment, ...]) -> list[list[str]]:
    return [
        [a.filename, a.media_type, base64.b64encode(a.data).decode("ascii")] for a in attachments
    ]


# Under this payload key a sent row keeps how many of its parts the platform billed by
# themselves (Receipt.billed), for reports.
BILLED = "billed"


def to_outbound(row: OutboxMessage) -> Outbound:
    payload = row.payload
    return Outbound(
        address=Address(row.platform, row.chat_id),
        text=payload["text"],
        choices=tuple(Choice(label, value) for label, value in payload.get("choices", [])),
        attachments=tuple(
            Attachment(name, media_type, base64.b64decode(data))
            for name, media_type, data in payload.get("attachments", [])
        ),
        idempotency_key=row.idempotency_key,
        locale=payload.get("locale"),
    )


def _row(
    key: OutboxKey,
    message: Outbound,
    locale: str,
    now: datetime,
    due: datetime | None,
    useful_until: datetime | None = None,
) -> dict[str, Any]:
    return {
        "idempotency_key": str(key),
        "kind": str(key.kind),  # the column holds the plain value
        "priority": int(PRIORITY.get(key.kind, Priority.NORMAL)),
        "useful_until": useful_until or (due or now) + DEFAULT_USEFUL_FOR,
        "platform": message.address.platform,
        "chat_id": message.address.chat_id,
        "payload": to_payload(message, locale),
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "parts_sent": 0,
        "next_attempt_at": due or now,
        "created_at": now,
    }


async def enqueue(
    session: AsyncSession,
    key: OutboxKey,
    message: Outbound,
    locale: str,
    now: datetime,
    due: datetime | None = None,
    useful_until: datetime | None = None,
    kept: Mapping[str, object] | None = None,
) -> bool:
    """Store the message unless one with the same key exists. True when it was new.

    `useful_until`: when it stops being worth sending (default: DEFAULT_USEFUL_FOR after due).
    `kept`: more to keep in its payload beside the message (what a gathered notice is about),
    written with it rather than by an update after (issue 18)."""
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    row = _row(key, message, locale, now, due, useful_until)
    if kept:
        row["payload"] = {**row["payload"], **kept}
    return await insert_if_absent(session, table, row, ["idempotency_key"])


# The columns enqueue_many writes, in its rows' order (the others keep their defaults).
_COLUMNS = (
    "idempotency_key",
    "kind",
    "priority",
    "useful_until",
    "platform",
    "chat_id",
    "payload",
    "status",
    "attempts",
    "parts_sent",
    "next_attempt_at",
    "created_at",
)


async def enqueue_many(
    session: AsyncSession,
    messages: list[tuple[OutboxKey, Outbound, str]],
    now: datetime,
    useful_until: Mapping[str, datetime] | None = None,
) -> set[str]:
    """Store many (key, message, locale) at once, skipping keys already stored.

    Returns the keys that were new, so the caller records what goes with them exactly once.
    `useful_until` gives, by key, when a message stops being worth sending. One bulk insert
    (bot/storage/bulk.py): the tick writes tens of thousands of rows at a time.
    """
    until = useful_until or {}
    queued = []
    for key, message, locale in messages:
        stored = str(key)
        address = message.address
        queued.append(
            Queued(
                stored,
                key.kind,
                address.platform,
                address.chat_id,
                message.text,
                locale,
                message.choices,
                message.attachments,
                until.get(stored),
            )
        )
    return await enqueue_rows(session, queued, now)


async def enqueue_rows(session: AsyncSession, queued: list[Queued], now: datetime) -> set[str]:
    """enqueue_many() for messages already in the outbox's terms: one bulk insert
    (bot/storage/bulk.py) however many. Returns the keys that were new."""
    default_until = now + DEFAULT_USEFUL_FOR
    # JSON of the choices and files by object: many rows share them (a check-in's ratings).
    shared: dict[int, str] = {}
    rows = []
    for message in queued:
        choices, files = message.choices, message.attachments
        if id(choices) not in shared:
            shared[id(choices)] = json.dumps(_choices(choices))
        if id(files) not in shared:
            shared[id(files)] = json.dumps(_attachments(files))
        payload = (
            f'{{"text": {json.dumps(message.text)}, "locale": {json.dumps(message.locale)}, '
            f'"choices": {shared[id(choices)]}, "attachments": {shared[id(files)]}}}'
        )  # to_payload(), as the JSON column keeps it
        rows.append(
            (
                message.key,
                str(message.kind),  # the column holds the plain value
                int(PRIORITY.get(message.kind, Priority.NORMAL)),
                message.useful_until or default_until,
                message.platform,
                message.chat_id,
                payload,
                OutboxStatus.PENDING,
                0,
                0,
                now,
                now,
            )
        )
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    return await bulk.insert_rows(
        session, table, _COLUMNS, rows, unique="idempotency_key", as_stored={"payload"}
    )


async def keep_replies(
    session: AsyncSession,
    inbound: Inbound,
    replies: list[Outbound],
    locale: str,
    now: datetime,
    lease: timedelta,
) -> list[OutboxMessage]:
    """Store the replies to `inbound` as outbox rows in the handling's own transaction, already
    claimed by this process for `lease` to send them at once (see Dispatcher.send_now): if it
    dies first, the lease runs out and the dispatcher sends them. Keyed on the inbound message
    and each reply's place, so they are stored once however often the message comes."""
    rows = []
    for place, reply in enumerate(replies):
        subject = f"{inbound.platform}:{inbound.message_id}"
        key = OutboxKey(MessageKind.REPLY, subject, reply.address.chat_id, str(place))
        row = OutboxMessage(**_row(key, reply, locale, now, None))
        row.attempts = 1
        row.claimed_until = now + lease
        session.add(row)
        rows.append(row)
    await session.flush()  # their ids
    return rows
