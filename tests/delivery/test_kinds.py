"""Message kinds are stored (outbox rows, idempotency keys): their values never change."""

from __future__ import annotations

from typing import get_args

from bot.delivery.jobs import TickReport
from bot.delivery.kinds import PRIORITY, MessageKind
from bot.delivery.outbox import OutboxKey
from bot.rhythm import derivation


def test_the_stored_values_are_those_already_in_databases() -> None:
    assert {kind.value for kind in MessageKind} == {
        "reply",
        "reminder",
        "digest",
        "checkin",
        "checkin-nudge",
        "goal-review",
        "member-joined",
        "member-left",
        "cofacilitator",
        "meeting-moved",
        "meeting-cancelled",
        "meeting-restored",
        "meeting-added",
        "meetings-shifted",
        "meetings-removed",
        "venue-changed",
        "schedule-changed",
        "first-meeting-nudge",
        "circle-closed",
        "circle-deleted",
        "seat-offered",
        "handed-over",
        "cofacilitator-removed",
        "announcement",
        "announcement-reply",
        "sms-forward",
        "facilitator-reply",
        "attendance-reminder",
        "number-code",
        "number-moved",
        "quiet-check",
        "letter-invite",
        "letters-preview",
        "letter",
        "letter-relay",
        "letter-read",
        "letters-rollup",
        "letter-review",
        "letter-decision",
        "letter-thanks",
        "closing-summary",
        "closing",
        "retention-notice",
        "team-weekly",
        "team-circle",
        "team-circle-left",
        "course-survey",
        "resource-review",
        "resource-decision",
        "course-commons",
        "course-tip",
    }


def test_a_key_spells_its_kind_as_the_plain_value() -> None:
    key = OutboxKey(MessageKind.CHECKIN_NUDGE, "meeting:3", "person:7")
    assert str(key) == "checkin-nudge|meeting:3|person:7|"


def test_each_rhythm_kind_is_counted_in_its_own_report_field() -> None:
    counted = set()
    for kind in get_args(derivation.RhythmKind):
        report = TickReport()
        derivation._count(report, kind)
        [field] = [name for name, value in vars(report).items() if value]
        counted.add(field)
    assert counted == {"reminders", "digests", "checkins", "nudges", "goal_reviews"}


def test_every_kind_has_a_priority_and_replies_come_first() -> None:
    assert set(PRIORITY) == set(MessageKind)
    assert PRIORITY[MessageKind.REPLY] < PRIORITY[MessageKind.REMINDER]
    assert PRIORITY[MessageKind.REMINDER] < PRIORITY[MessageKind.ANNOUNCEMENT]
