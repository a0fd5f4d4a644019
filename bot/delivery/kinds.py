"""Every kind of outbox message, in one place.

A kind is the first part of a message's idempotency key and is stored with its outbox row, so
the values are data: never change one. Add a member for a new kind of message; the tick's jobs
say which of them they derive, and how each is worded and counted (bot/rhythm/derivation.py).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class MessageKind(StrEnum):
    # Replies to a command, made durable before they are sent (bot/delivery/statuses.py).
    REPLY = "reply"

    # The weekly rhythm, derived by the tick (bot/rhythm/derivation.py).
    REMINDER = "reminder"
    DIGEST = "digest"
    CHECKIN = "checkin"
    CHECKIN_NUDGE = "checkin-nudge"
    GOAL_REVIEW = "goal-review"
    # Instead of a nudge, once, to a learner who left two check-ins in a row unanswered by SMS:
    # keep getting them, or pause them (bot/rhythm/pauses.py)?
    QUIET_CHECK = "quiet-check"

    # A circle's life, told as it happens (bot/circles, bot/rhythm/commands).
    MEMBER_JOINED = "member-joined"
    MEMBER_LEFT = "member-left"
    COFACILITATOR = "cofacilitator"
    MEETING_MOVED = "meeting-moved"
    MEETING_CANCELLED = "meeting-cancelled"
    # A circle's calendar and details changed by its facilitators (bot/circles/editing.py).
    MEETING_RESTORED = "meeting-restored"
    MEETING_ADDED = "meeting-added"
    MEETINGS_SHIFTED = "meetings-shifted"
    MEETINGS_REMOVED = "meetings-removed"
    VENUE_CHANGED = "venue-changed"
    # Changes to when and where a circle meets, gathered into one message to each member
    # (bot/circles/schedule_notices.py).
    SCHEDULE_CHANGED = "schedule-changed"
    # To the facilitators of a circle nobody has joined, before its first meeting
    # (bot/circles/empty_circles.py).
    FIRST_MEETING_NUDGE = "first-meeting-nudge"
    CIRCLE_CLOSED = "circle-closed"
    CIRCLE_DELETED = "circle-deleted"
    # A seat freed in a full circle, offered to the first learner waiting (bot/circles/seats.py).
    SEAT_OFFERED = "seat-offered"
    HANDED_OVER = "handed-over"
    COFACILITATOR_REMOVED = "cofacilitator-removed"
    ANNOUNCEMENT = "announcement"
    ANNOUNCEMENT_REPLY = "announcement-reply"
    # Free text with no question waiting, passed on to the facilitators (bot/core/plain_text.py).
    FORWARDED_TEXT = "sms-forward"
    # A facilitator's answer to one learner's words (/reply, bot/rhythm/commands/announcements.py).
    FACILITATOR_REPLY = "facilitator-reply"
    # After a meeting with no attendance taken (bot/rhythm/attendance_reminders.py).
    ATTENDANCE_REMINDER = "attendance-reminder"
    # A learner's record moved to a new phone number (bot/circles/numbers.py): the code texted
    # to the new number to confirm it, and the word there that it has moved.
    NUMBER_CODE = "number-code"
    NUMBER_MOVED = "number-moved"

    # Letters between circles: the relay in the tick (bot/letters/relay.py) and /letters.
    LETTER_INVITE = "letter-invite"
    LETTERS_PREVIEW = "letters-preview"
    LETTER = "letter"
    LETTER_RELAY = "letter-relay"
    LETTER_READ = "letter-read"
    LETTERS_ROLLUP = "letters-rollup"
    LETTER_REVIEW = "letter-review"
    LETTER_DECISION = "letter-decision"
    LETTER_THANKS = "letter-thanks"

    # A circle's close-out, in the tick (bot/reports/closeout.py).
    CLOSING_SUMMARY = "closing-summary"
    CLOSING = "closing"
    RETENTION_NOTICE = "retention-notice"  # a week before a circle's names and words go

    # Teams (bot/reports/teams.py, bot/reports/commands/figures.py).
    TEAM_WEEKLY = "team-weekly"
    TEAM_CIRCLE = "team-circle"
    TEAM_CIRCLE_LEFT = "team-circle-left"

    # The network: the end-of-circle survey and the course commons (bot/network).
    COURSE_SURVEY = "course-survey"
    RESOURCE_REVIEW = "resource-review"
    RESOURCE_DECISION = "resource-decision"
    COURSE_COMMONS = "course-commons"
    COURSE_TIP = "course-tip"


class Priority(IntEnum):
    """Which messages go first when many are due: lower first (stored with each row)."""

    REPLY = 0  # someone is waiting for it: an answer, or a learner's words to a facilitator
    TIMELY = 1  # worthless late: a reminder, a check-in
    NORMAL = 2
    BULK = 3  # one message to very many: announcements, letters relayed, weekly roll-ups


# Every kind has one (tests/delivery/test_kinds.py keeps it so).
PRIORITY: dict[MessageKind, Priority] = {
    MessageKind.REPLY: Priority.REPLY,
    MessageKind.ANNOUNCEMENT_REPLY: Priority.REPLY,
    MessageKind.FORWARDED_TEXT: Priority.REPLY,
    MessageKind.FACILITATOR_REPLY: Priority.REPLY,
    MessageKind.NUMBER_CODE: Priority.REPLY,  # the person waits for it, phone in hand
    MessageKind.NUMBER_MOVED: Priority.REPLY,
    MessageKind.ATTENDANCE_REMINDER: Priority.TIMELY,
    MessageKind.REMINDER: Priority.TIMELY,
    MessageKind.DIGEST: Priority.TIMELY,
    MessageKind.CHECKIN: Priority.TIMELY,
    MessageKind.CHECKIN_NUDGE: Priority.TIMELY,
    MessageKind.GOAL_REVIEW: Priority.TIMELY,
    MessageKind.QUIET_CHECK: Priority.TIMELY,
    MessageKind.MEMBER_LEFT: Priority.NORMAL,
    MessageKind.COFACILITATOR: Priority.NORMAL,
    MessageKind.MEETING_MOVED: Priority.NORMAL,
    MessageKind.MEETING_CANCELLED: Priority.NORMAL,
    MessageKind.MEETING_RESTORED: Priority.NORMAL,
    MessageKind.MEETING_ADDED: Priority.NORMAL,
    MessageKind.MEETINGS_SHIFTED: Priority.NORMAL,
    MessageKind.MEETINGS_REMOVED: Priority.NORMAL,
    MessageKind.VENUE_CHANGED: Priority.NORMAL,
    MessageKind.SCHEDULE_CHANGED: Priority.NORMAL,
    MessageKind.FIRST_MEETING_NUDGE: Priority.NORMAL,
    MessageKind.CIRCLE_CLOSED: Priority.NORMAL,
    MessageKind.CIRCLE_DELETED: Priority.NORMAL,
    MessageKind.SEAT_OFFERED: Priority.NORMAL,
    MessageKind.HANDED_OVER: Priority.NORMAL,
    MessageKind.COFACILITATOR_REMOVED: Priority.NORMAL,
    MessageKind.LETTER_INVITE: Priority.NORMAL,
    MessageKind.LETTERS_PREVIEW: Priority.NORMAL,
    MessageKind.LETTER: Priority.NORMAL,
    MessageKind.LETTER_READ: Priority.NORMAL,
    MessageKind.LETTER_REVIEW: Priority.NORMAL,
    MessageKind.LETTER_DECISION: Priority.NORMAL,
    MessageKind.LETTER_THANKS: Priority.NORMAL,
    MessageKind.CLOSING_SUMMARY: Priority.NORMAL,
    MessageKind.CLOSING: Priority.NORMAL,
    MessageKind.RETENTION_NOTICE: Priority.NORMAL,
    MessageKind.TEAM_CIRCLE: Priority.NORMAL,
    MessageKind.TEAM_CIRCLE_LEFT: Priority.NORMAL,
    MessageKind.COURSE_SURVEY: Priority.NORMAL,
    MessageKind.RESOURCE_REVIEW: Priority.NORMAL,
    MessageKind.RESOURCE_DECISION: Priority.NORMAL,
    MessageKind.COURSE_COMMONS: Priority.NORMAL,
    MessageKind.COURSE_TIP: Priority.NORMAL,
    MessageKind.MEMBER_JOINED: Priority.BULK,  # a notice to the facilitator, one per joiner
    MessageKind.ANNOUNCEMENT: Priority.BULK,
    MessageKind.LETTER_RELAY: Priority.BULK,
    MessageKind.LETTERS_ROLLUP: Priority.BULK,
    MessageKind.TEAM_WEEKLY: Priority.BULK,
}
