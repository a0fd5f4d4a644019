"""Texts to one phone combined: the weekly rhythm's messages to one SMS number for several
circles (two check-ins, a reminder and a digest), due together (the same tick, or waiting
through an outage), go as one text where that costs no more parts than sending them one by one,
and fewer where their parts were part-filled (walk D48: a learner in three circles got up to six
texts a day). Each keeps its own words, which name its circle.

Only where parts are counted (a platform whose capabilities fold text to GSM-7: SMS), only
messages not yet begun, with no files, and only the last of them may offer choices ("Reply 1
for Yes or 2 for No." comes last, under its own message, as the chat's offer is the newest).
The dispatcher sends the combined text for its first row (the carrier) and records the others
with it (bot.delivery.dispatcher), so each row still goes exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Capabilities, Outbound
from bot.chat.rendering import fit
from bot.chat.segments import sms_segments
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.storage.models import OutboxMessage

# The rhythm's messages, each naming its circle in its own words: combined with each other.
KINDS = frozenset(
    {
        MessageKind.REMINDER,
        MessageKind.CHECKIN,
        MessageKind.CHECKIN_NUDGE,
        MessageKind.GOAL_REVIEW,
        MessageKind.QUIET_CHECK,
        MessageKind.DIGEST,
        MessageKind.ATTENDANCE_REMINDER,
    }
)
# Between two messages in one text.
BETWEEN = "\n\n"
# Kept in a carrier's payload once part of the combined text has gone: the rows it carries.
CARRIED = "carried"


def counted(capabilities: Capabilities) -> bool:
    """Whether every part sent on a platform of these capabilities counts (SMS)."""
    return capabilities.gsm_safe


def combinable(row: OutboxMessage) -> bool:
    return (
        row.kind in KINDS
        and row.parts_sent == 0
        and not row.payload.get("attachments")
        and CARRIED not in row.payload
    )


def message(rows: Sequence[OutboxMessage]) -> Outbound:
    """The rows' words as one message, the last one's choices under it, sent as the first."""
    first = outbox.to_outbound(rows[0])
    texts = [row.payload["text"] for row in rows]
    return replace(first, text=BETWEEN.join(texts), choices=outbox.to_outbound(rows[-1]).choices)


def payload(rows: Sequence[OutboxMessage]) -> dict[str, Any]:
    """The first row's payload carrying the others' words (a combined text half sent: the
    rest goes as that same text)."""
    combined = message(rows)
    return {
        **rows[0].payload,
        "text": combined.text,
        "choices": [[choice.label, choice.payload] for choice in combined.choices],
        CARRIED: [row.id for row in rows[1:]],
    }


def groups(
    rows: Sequence[OutboxMessage], capabilities: Capabilities, catalogs: Catalogs
) -> list[list[OutboxMessage]]:
    """One chat's rows, in the order they were written, as the texts to send: next rows that
    can go together, together when that costs no more parts (one text on the phone, not
    several; fewer parts where theirs were part-filled)."""
    grouped: list[list[OutboxMessage]] = []
    for row in rows:
        if grouped and _joins(grouped[-1], row, capabilities, catalogs):
            grouped[-1].append(row)
        else:
            grouped.append([row])
    return grouped


def _joins(
    group: list[OutboxMessage], row: OutboxMessage, capabilities: Capabilities, catalogs: Catalogs
) -> bool:
    if not counted(capabilities) or not all(combinable(r) for r in (*group, row)):
        return False
    if group[-1].payload.get("choices"):
        return False  # its "Reply 1 for ..." would no longer be the choices offered last
    locale = group[0].payload.get("locale")
    if row.payload.get("locale") != locale:
        return False
    tr = catalogs.translator(locale)
    together = _parts(message([*group, row]), capabilities, tr)
    apart = _parts(message(group), capabilities, tr) + _parts(message([row]), capabilities, tr)
    return together <= apart


def _parts(sent: Outbound, capabilities: Capabilities, tr: Translator) -> int:
    return sum(sms_segments(part.text) for part in fit(sent, capabilities, tr))
