"""When each message of a circle's weekly rhythm falls due: its reminders, the facilitator
digest, the check-in and its nudge, and the final week's goal review.

Every instant comes from a meeting's stored UTC start and the circle's settings, local times
through the circle's zone, so daylight saving time never shifts one. The tick derives what fell
due in its window from these, and stores the next of them on the circle (Circle.rhythm_due_at):
until then it does not look at the circle at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.circles.meetings import local_instant
from bot.rhythm import checkins, questions
from bot.rhythm.checkins import Timed
from bot.storage.models import Circle

GOAL_REVIEW_DAYS_BEFORE = 2  # the final week's goal review, before the last meeting


class MeetingTimes(NamedTuple):
    """A meeting as the timetable reads it: its times, not the whole row (the tick reads those
    of every circle it looks at, so it reads no more than it needs)."""

    id: int
    circle_id: int
    number: int
    starts_at: datetime
    ends_at: datetime
    venue: str | None = None  # its own, when not the circle's (bot/circles/meetings.venue_of)


def goal_review_at(circle: Circle, final: Timed) -> datetime:
    """The final week's look back at the goal: two days before the last meeting, at the
    check-in time."""
    day = final.starts_at.astimezone(ZoneInfo(circle.timezone)).date()
    return local_instant(
        day - timedelta(days=GOAL_REVIEW_DAYS_BEFORE), circle.checkin_time, circle.timezone
    )


def look_back_at(circle: Circle, final: Timed, before: Timed | None) -> datetime:
    """When the look back at the goal goes for the circle's last meeting as it stands now
    (after /edit meetings, the real last one): goal_review_at, once the meeting `before` it
    has ended; else as the last meeting ends, so a circle of one meeting (or of meetings
    closer together) never has one in its middle."""
    ahead = goal_review_at(circle, final)
    if before is not None and before.ends_at <= ahead:
        return ahead
    return final.ends_at


@dataclass(frozen=True)
class Occasions:
    """What falls due about one meeting, and when."""

    meeting: MeetingTimes
    following: MeetingTimes | None  # the next meeting held, if any: questions lapse then
    reminders: tuple[tuple[datetime, int], ...]  # (when, minutes before the meeting)
    digest: datetime
    checkin: datetime
    nudge: datetime
    goal_review: datetime | None  # the last meeting's only (look_back_at)
    # The last meeting's end, after a look back before it: whoever that missed gets it then
    # (a circle shortened after its time had passed).
    goal_review_late: datetime | None = None

    @property
    def lapses_at(self) -> datetime:
        """When a question asked about the meeting lapses (as questions.lapse_time says)."""
        if self.following is not None:
            return self.following.starts_at
        return self.meeting.ends_at + questions.LAST_QUESTION_LIFETIME

    def instants(self) -> Iterator[datetime]:
        yield self.digest
        yield self.checkin
        yield self.nudge
        if self.goal_review is not None:
            yield self.goal_review
        if self.goal_review_late is not None:
            yield self.goal_review_late
        for at, _ in self.reminders:
            yield at


@dataclass(frozen=True)
class Timetable:
    """A circle's occasions around one tick: those of every meeting that can have something
    due up to then, and of the one after; `later`, the earliest a meeting left out can."""

    occasions: list[Occasions]
    later: datetime | None

    def next_after(self, instant: datetime) -> datetime | None:
        """When something may next fall due after `instant`; None: nothing ever will."""
        found = min(
            (at for o in self.occasions for at in o.instants() if at > instant), default=None
        )
        if found is None or (self.later is not None and self.later < found):
            return self.later
        return found


def around(circle: Circle, held: list[MeetingTimes], since: datetime, until: datetime) -> Timetable:
    """The circle's occasions for a tick over (since, until]: a meeting is worked out only if
    something about it can fall due after `since` and, past `until`, only the first one, so a
    tick works out two or three meetings a circle rather than all of them."""
    held = sorted(held, key=lambda m: m.starts_at)
    final = max((m.number for m in held), default=None)
    # How far before a meeting's start and after its end anything about it can fall due
    # (generous: a day either side of the local times, for zones and daylight saving).
    before = max(
        timedelta(minutes=max([*circle.reminder_offsets, circle.digest_minutes_before])),
        timedelta(days=GOAL_REVIEW_DAYS_BEFORE + 2),
    )
    after = timedelta(days=circle.checkin_days_after + 2) + checkins.NUDGE_AFTER
    found: list[Occasions] = []
    for index, meeting in enumerate(held):
        if meeting.ends_at + after <= since:
            continue  # all of it fell due before this tick
        if (
            meeting.starts_at - before > until
            and found
            and found[-1].meeting.starts_at - before > until
        ):
            return Timetable(found, meeting.starts_at - before)
        checkin = checkins.due_at(circle, meeting)
        review = late = None
        if meeting.number == final:
            review = look_back_at(circle, meeting, held[index - 1] if index else None)
            late = meeting.ends_at if review < meeting.ends_at else None
        found.append(
            Occasions(
                meeting,
                held[index + 1] if index + 1 < len(held) else None,
                tuple(
                    (meeting.starts_at - timedelta(minutes=offset), offset)
                    for offset in circle.reminder_offsets
                ),
                meeting.starts_at - timedelta(minutes=circle.digest_minutes_before),
                checkin,
                checkins.nudge_at(circle, checkin),
                review,
                late,
            )
        )
    return Timetable(found, None)
