"""The check-in nudge keeps its local time when the clocks change between the check-in and it
(walkthrough 8, fac 22): Sunday 10:00 AM in New York, not 11:00 AM after spring forward."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.rhythm import timetable
from bot.storage.models import Circle

NEW_YORK = ZoneInfo("America/New_York")


def test_the_nudge_after_a_clock_change_comes_at_the_usual_local_time() -> None:
    circle = Circle(
        id=1,
        name="Spreadsheets Spring",
        course_title="Spreadsheets",
        venue="Cleveland Public Library",
        city="Cleveland",
        country_code="US",
        language="en",
        weekday=3,
        start_time=time(18, 0),
        duration_minutes=90,
        meeting_count=2,
        start_date=date(2027, 3, 4),
        join_code="SPRING27",
        created_at=datetime(2027, 2, 1, tzinfo=UTC),
        timezone="America/New_York",
        checkin_days_after=1,
        checkin_time=time(10, 0),
        reminder_offsets=[1440, 60],
        digest_minutes_before=60,
    )
    # Thursday 6 PM meetings; the clocks go forward early on Sunday March 14, 2027.
    starts = [datetime(2027, 3, day, 18, 0, tzinfo=NEW_YORK).astimezone(UTC) for day in (4, 11)]
    held = [
        timetable.MeetingTimes(n, 1, n, start, start + timedelta(minutes=90))
        for n, start in enumerate(starts, start=1)
    ]
    found = timetable.around(circle, held, starts[0] - timedelta(days=1), starts[1])
    nudges = [o.nudge.astimezone(NEW_YORK) for o in found.occasions]
    assert [(n.date().isoformat(), n.hour, n.minute) for n in nudges] == [
        ("2027-03-07", 10, 0),  # before the change
        ("2027-03-14", 10, 0),  # after it: still 10:00 AM, now EDT
    ]
