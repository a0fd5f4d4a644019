"""The circle's calendar: meetings as UTC instants derived from local wall time in its zone.

A weekly 18:00 meeting stays at 18:00 local across a DST change because each meeting's instant is
computed from its own local date, never by adding 7 x 24 hours to the previous instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, update
from sqlalchemy.orm.util import identity_key
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator, format_day
from bot.chat.keywords import plain
from bot.dialogue.values import settle, weekday_only
from bot.storage.database import new_row
from bot.storage.models import (
    Attendance,
    CheckIn,
    Circle,
    LetterDelivery,
    Meeting,
    MeetingStatus,
    Membership,
    Question,
    Reflection,
    RemovedMeeting,
    Role,
    Rsvp,
)

WEEK = timedelta(weeks=1)


def local_instant(day: date, at: time, zone: str) -> datetime:
    """The UTC instant of a local wall time. In a spring-forward gap it lands just after the gap."""
    local = datetime.combine(day, at, tzinfo=ZoneInfo(zone))
    # Round-trip through UTC so a time that does not exist locally becomes one that does.
    return local.astimezone(UTC)


def first_meeting_date(start: date, weekday: int) -> date:
    """The first `weekday` on or after `start`."""
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def planned_start(circle: Circle, number: int) -> datetime:
    """When meeting `number` was planned to start: its week's day at the circle's usual time."""
    day = circle.start_date + timedelta(weeks=number - 1)
    return local_instant(day, circle.start_time, circle.timezone)


def planned(circle: Circle, meeting: Meeting) -> datetime:
    """The slot `meeting` is planned for: its own (moved on by /skipweek, or added later), else
    its week's day at the circle's usual time. A meeting elsewhere is "moved"."""
    return meeting.planned_at or planned_start(circle, meeting.number)


def week_later(instant: datetime, zone: str, weeks: int = 1) -> datetime:
    """The same local wall time a week (or `weeks`) later: 18:00 stays 18:00 across a DST
    change."""
    local = instant.astimezone(ZoneInfo(zone))
    return local_instant(local.date() + WEEK * weeks, local.time().replace(tzinfo=None), zone)


# -- where a meeting is held ----------------------------------------------------------------------


def is_link(place: str) -> bool:
    """Whether a venue is a web address: the circle (or that meeting) meets online there."""
    parsed = urlparse(place.strip())
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in place.strip()


class Placed(Protocol):
    """A meeting as far as where it is held goes: a Meeting row, or the columns of one."""

    @property
    def venue(self) -> str | None: ...


def venue_of(circle: Circle, meeting: Placed | None = None) -> str:
    """Where a meeting is held, as typed: its own venue, else the circle's. A web address means
    online; templates that say "at %(venue)s" read well with either ("at https://...")."""
    if meeting is not None and meeting.venue:
        return meeting.venue
    return circle.venue


def before_city(venue: str, city: str) -> str:
    """`venue` to be followed by ", city": without the city it already ends with, so an
    address typed whole ("..., 5606 San Pablo Ave, Oakland") and then the city asked for
    ("Oakland, CA") don't name the town twice (walk: fac 1, dede 1)."""
    head, comma, last = venue.rpartition(",")
    town = city.split(",", 1)[0]
    if comma and head.strip() and plain(last) and plain(last) == plain(town):
        return head.rstrip()
    return venue


def place(tr: Translator, circle: Circle, meeting: Placed | None = None) -> str:
    """Where a meeting is held, to stand on its own after a colon: the venue and city, or
    "online at https://..."."""
    venue = venue_of(circle, meeting)
    if is_link(venue):
        return tr._("online at %(link)s", link=venue)
    return tr._("%(venue)s, %(city)s", venue=before_city(venue, circle.city), city=circle.city)


def plan(circle: Circle) -> list[Meeting]:
    assert circle.id is not None
    duration = timedelta(minutes=circle.duration_minutes)
    meetings = []
    for index in range(circle.meeting_count):
        starts_at = planned_start(circle, index + 1)
        meetings.append(
            Meeting(
                circle_id=circle.id,
                number=index + 1,
                starts_at=starts_at,
                ends_at=starts_at + duration,
            )
        )
    return meetings


# The reads of a circle's meetings that nearly every message makes: built once, a message
# binds only the circle and the time (issue 18: building one costs more than SQLite takes).
_SCHEDULE = (
    select(Meeting).where(Meeting.circle_id == bindparam("circle_id")).order_by(col(Meeting.number))
)
_MEETINGS = Meeting.__table__  # type: ignore[attr-defined]
_SCHEDULE_ROWS = (
    select(*_MEETINGS.c)
    .where(_MEETINGS.c.circle_id == bindparam("circle_id"))
    .order_by(_MEETINGS.c.number)
)
_UPCOMING = (
    select(Meeting)
    .where(
        Meeting.circle_id == bindparam("circle_id"),
        Meeting.status != MeetingStatus.CANCELLED,
        col(Meeting.ends_at) > bindparam("now"),
    )
    .order_by(col(Meeting.starts_at))
    .limit(1)
)


async def schedule(session: AsyncSession, circle_id: int) -> list[Meeting]:
    return list((await session.exec(_SCHEDULE, params={"circle_id": circle_id})).all())


async def schedule_to_read(session: AsyncSession, circle_id: int) -> list[Meeting]:
    """The circle's meetings as schedule() gives them, to read and never to change: those the
    session holds are its own, the others copies built from their rows outside it, without
    the ORM's loading (issue 18: half of what /next's read costs). A change to a copy is
    never saved, and a meeting added in this transaction but not yet flushed is not among
    them: schedule() for those."""
    rows = (await session.exec(_SCHEDULE_ROWS, params={"circle_id": circle_id})).all()
    held = session.sync_session.identity_map
    return [
        held.get(identity_key(Meeting, row.id)) or new_row(Meeting, **row._asdict()) for row in rows
    ]


async def meeting_by_number(session: AsyncSession, circle: Circle, number: int) -> Meeting:
    meeting = (
        await session.exec(
            select(Meeting).where(Meeting.circle_id == circle.id, Meeting.number == number)
        )
    ).first()
    if meeting is None:
        raise UserError(
            N_("There is no meeting %(number)d. This circle has meetings 1 to %(count)d."),
            number=number,
            count=circle.meeting_count,
        )
    return meeting


async def numbers_for_dates(
    session: AsyncSession,
    tr: Translator,
    circle: Circle,
    values: dict[str, object],
    keys: list[str],
    now: datetime,
) -> None:
    """A meeting given by its date ("/skipweek 26 dec"), as registry.ArgKind.MEETING reads one:
    replaced in `values` by the number of the circle's meeting that day, in its zone."""
    zone = ZoneInfo(circle.timezone)
    for key in keys:
        day = values.get(key)
        if not isinstance(day, date):
            continue
        day = settle(day, now.astimezone(zone).date())
        assert circle.id is not None
        on_the_day = [
            meeting
            for meeting in await schedule(session, circle.id)
            if meeting.starts_at.astimezone(zone).date() == day
        ]
        if not on_the_day:
            raise UserError(
                N_("No meeting of %(circle)s is on %(date)s. /schedule shows when they are."),
                circle=circle.name,
                date=format_day(day, "full", tr.locale),
            )
        values[key] = on_the_day[0].number


async def upcoming(session: AsyncSession, circle_id: int, now: datetime) -> Meeting | None:
    """The meeting happening now or next; never one that has ended, never a cancelled one."""
    return (await session.exec(_UPCOMING, params={"circle_id": circle_id, "now": now})).first()


def upcoming_of(planned: list[Meeting], now: datetime) -> Meeting | None:
    """upcoming() from the circle's schedule already read: the same meeting, no statement."""
    coming = [m for m in planned if m.status != MeetingStatus.CANCELLED and m.ends_at > now]
    return min(coming, key=lambda meeting: meeting.starts_at, default=None)


async def is_over(session: AsyncSession, circle_id: int, now: datetime) -> bool:
    """Whether the circle has ended: no meeting is going on or still to come. Its last meeting
    has ended (its close-out has gone), it was closed with /close, or its last meeting still
    to come was cancelled (the facilitator is told so before saying yes). An ended circle
    stays ended: its calendar no longer changes and no one joins it; meeting again is a new
    circle, with its own close-out. One rule, from the calendar alone, with no state of its
    own to keep in step."""
    return await upcoming(session, circle_id, now) is None


async def finished(session: AsyncSession, circle: Circle, now: datetime) -> None:
    """UserError if the circle has ended (is_over): for whatever would change its calendar."""
    assert circle.id is not None
    if await is_over(session, circle.id, now):
        raise UserError(
            N_(
                "%(circle)s has finished, so its meetings can't change any more. To meet "
                "again, start a new circle with /newcircle."
            ),
            circle=circle.name,
        )


async def anyone_joined(session: AsyncSession, circle: Circle) -> bool:
    """Whether a learner ever joined the circle (one who left too). Until one has, the circle
    has not met, whatever its calendar says: a first meeting whose time went by with nobody
    there can still be moved (walkthrough fac 38)."""
    joined = await session.exec(
        select(Membership.id)
        .where(Membership.circle_id == circle.id, Membership.role == Role.LEARNER)
        .limit(1)
    )
    return joined.first() is not None


async def outlook(
    session: AsyncSession, circle_id: int, meeting: Meeting, planned: list[Meeting] | None = None
) -> tuple[int, int]:
    """(how many of the circle's meetings are cancelled, how many take place after `meeting`).
    `planned`: the circle's schedule, if already read."""
    if planned is None:
        planned = await schedule(session, circle_id)
    rest = [m for m in planned if m.number != meeting.number]
    cancelled = [m for m in rest if m.status == MeetingStatus.CANCELLED]
    after = [m for m in rest if m not in cancelled and m.starts_at > meeting.starts_at]
    return len(cancelled) + (meeting.status == MeetingStatus.CANCELLED), len(after)


def moved_day(circle: Circle, meeting: Meeting, day: date, now: datetime) -> date:
    """The local day a move of `meeting` to `day` means: a weekday alone is the one in the
    meeting's own week ("el martes" for a Monday meeting is the day after), if still to come;
    any other date as its reader meant it today."""
    today = now.astimezone(ZoneInfo(circle.timezone)).date()
    weekday = weekday_only(day)
    own = meeting.starts_at.astimezone(ZoneInfo(circle.timezone)).date()
    nearest = None
    if weekday is not None:
        nearest = own + timedelta(days=(weekday - own.weekday() + 3) % 7 - 3)
    return nearest if nearest is not None and nearest >= today else settle(day, today)


async def reschedule(
    session: AsyncSession, circle: Circle, number: int, day: date, at: time, now: datetime
) -> tuple[Meeting, datetime]:
    """Move one meeting to a new local date and time ("Wednesday": the coming one where the
    circle meets; a weekday alone, the one in the meeting's own week: "el martes" for a
    Monday meeting is the day after). Returns the meeting and its old start."""
    meeting = await meeting_by_number(session, circle, number)
    day = moved_day(circle, meeting, day, now)
    if meeting.status == MeetingStatus.CANCELLED:
        raise UserError(N_("Meeting %(number)d is cancelled, so it can't be moved."), number=number)
    if meeting.ends_at <= now and await anyone_joined(session, circle):
        raise UserError(N_("Meeting %(number)d has already happened."), number=number)
    starts_at = local_instant(day, at, circle.timezone)
    if starts_at <= now:
        raise UserError(N_("That time has already passed. Pick a time in the future."))
    if starts_at.astimezone(ZoneInfo(circle.timezone)).time().replace(tzinfo=None) != at:
        # 2:30 AM on the night the clocks jump forward: never quietly made 3:30 AM.
        raise UserError(
            N_(
                "That time doesn't exist where your circle meets: the clocks go forward that "
                "night. Please pick another time."
            )
        )
    if starts_at == meeting.starts_at:  # nothing moves: nobody is told it did
        raise UserError(N_("Meeting %(number)d is already then."), number=number)
    ends_at = starts_at + timedelta(minutes=circle.duration_minutes)
    assert circle.id is not None
    _check_order(await schedule(session, circle.id), meeting, starts_at, ends_at)
    old_start = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    # Back at its planned time, a meeting is no longer "moved" for anyone reading /schedule.
    moved = starts_at != planned(circle, meeting)
    meeting.status = MeetingStatus.MOVED if moved else MeetingStatus.SCHEDULED
    meeting.sequence += 1  # calendar apps replace their copy of the event (.ics SEQUENCE)
    session.add(meeting)
    return meeting, old_start


async def clear_rsvps(session: AsyncSession, meeting: Meeting) -> int:
    """Forget the answers about coming to `meeting` (it moved to another day: a yes for
    Thursday says nothing about Friday); how many there were."""
    answers = (await session.exec(select(Rsvp).where(Rsvp.meeting_id == meeting.id))).all()
    for answer in answers:
        await session.delete(answer)
    return len(answers)


def _check_order(
    planned: list[Meeting], meeting: Meeting, starts_at: datetime, ends_at: datetime
) -> None:
    """Refuse a move that would overlap or pass the meeting before or after it, so meetings
    never share a start and their numbers keep following the calendar. Cancelled meetings
    don't take place, so their time is free."""
    taking_place = [m for m in planned if m.status != MeetingStatus.CANCELLED or m.id == meeting.id]
    at = [m.id for m in taking_place].index(meeting.id)
    before = taking_place[at - 1] if at > 0 else None
    after = taking_place[at + 1] if at + 1 < len(taking_place) else None
    if (before is None or before.ends_at <= starts_at) and (
        after is None or ends_at <= after.starts_at
    ):
        return
    if before is not None and after is not None:
        raise UserError(
            N_(
                "Meeting %(number)d has to come after meeting %(before)d and before meeting "
                "%(after)d. /schedule shows when they are."
            ),
            number=meeting.number,
            before=before.number,
            after=after.number,
        )
    if after is not None:
        raise UserError(
            N_(
                "Meeting %(number)d has to come before meeting %(after)d. "
                "/schedule shows when they are."
            ),
            number=meeting.number,
            after=after.number,
        )
    assert before is not None
    raise UserError(
        N_(
            "Meeting %(number)d has to come after meeting %(before)d. "
            "/schedule shows when they are."
        ),
        number=meeting.number,
        before=before.number,
    )


async def cancellable(session: AsyncSession, circle: Circle, number: int, now: datetime) -> Meeting:
    """Meeting `number`, if it can still be cancelled (asked before /cancel does it)."""
    meeting = await meeting_by_number(session, circle, number)
    if meeting.status == MeetingStatus.CANCELLED:
        raise UserError(N_("Meeting %(number)d is already cancelled."), number=number)
    if meeting.ends_at <= now:
        raise UserError(N_("Meeting %(number)d has already happened."), number=number)
    if meeting.starts_at <= now and await _attendance_recorded(session, meeting):
        # Under way, with who came recorded: cancelling would wipe a meeting that took place.
        raise UserError(
            N_(
                "Meeting %(number)d is under way and its attendance is taken, so it can't be "
                "cancelled. To call off another meeting, send /cancel with its number "
                "(/schedule shows them)."
            ),
            number=number,
        )
    return meeting


async def _attendance_recorded(session: AsyncSession, meeting: Meeting) -> bool:
    if meeting.attendance_taken_at is not None:
        return True
    found = await session.exec(select(Attendance.id).where(Attendance.meeting_id == meeting.id))
    return found.first() is not None


async def cancel(session: AsyncSession, circle: Circle, number: int, now: datetime) -> Meeting:
    """Cancel one meeting; the others keep their numbers."""
    meeting = await cancellable(session, circle, number, now)
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    session.add(meeting)
    return meeting


async def bounds(session: AsyncSession, circle_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(first, last) meeting number of each circle, cancelled meetings left out."""
    found: dict[int, tuple[int, int]] = {}
    for start in range(0, len(circle_ids), 1000):
        rows = await session.exec(
            select(Meeting.circle_id, func.min(Meeting.number), func.max(Meeting.number))
            .where(
                col(Meeting.circle_id).in_(circle_ids[start : start + 1000]),
                Meeting.status != MeetingStatus.CANCELLED,
            )
            .group_by(col(Meeting.circle_id))
        )
        found.update({circle_id: (first, last) for circle_id, first, last in rows.all()})
    return found


async def held(session: AsyncSession, circle_id: int, now: datetime) -> list[Meeting]:
    """The meetings that have started so far (not cancelled ones), in order."""
    return held_of(await schedule(session, circle_id), now)


def held_of(planned: list[Meeting], now: datetime) -> list[Meeting]:
    """held() from the circle's schedule already read."""
    return [m for m in planned if m.status != MeetingStatus.CANCELLED and m.starts_at <= now]


# -- changing the calendar: bring back, add, skip a week, fewer or more, call off the rest -------


async def uncancel(session: AsyncSession, circle: Circle, number: int, now: datetime) -> Meeting:
    """Bring a cancelled meeting back at its time, if that is still to come and free."""
    meeting = await meeting_by_number(session, circle, number)
    if meeting.status != MeetingStatus.CANCELLED:
        raise UserError(N_("Meeting %(number)d isn't cancelled."), number=number)
    # One under way can come back until it ends (cancelled by a slip of the number).
    if meeting.ends_at <= now:
        raise UserError(
            N_(
                "Meeting %(number)d's time has passed, so it can't come back. Add a new one "
                "with /addmeeting DATE TIME."
            ),
            number=number,
        )
    assert circle.id is not None
    # Another meeting may have moved into its slot meanwhile.
    _check_order(await schedule(session, circle.id), meeting, meeting.starts_at, meeting.ends_at)
    moved = meeting.starts_at != planned(circle, meeting)
    meeting.status = MeetingStatus.MOVED if moved else MeetingStatus.SCHEDULED
    meeting.sequence += 1
    session.add(meeting)
    return meeting


class BeforeTheLast(UserError):
    """A meeting added before the circle's last one: nothing is added. The command says when
    the last one is, in the reader's words (a walkthrough's facilitator read the old answer,
    "/schedule shows when it is", as her extra session being scheduled somewhere)."""

    def __init__(self, last: Meeting) -> None:
        super().__init__(
            N_(
                "Nothing was added: a new meeting can only come after the last one, meeting "
                "%(number)d. To move a meeting to that day, use /reschedule NUMBER DATE TIME."
            ),
            number=last.number,
        )
        self.last = last


async def add(session: AsyncSession, circle: Circle, day: date, at: time, now: datetime) -> Meeting:
    """A new last meeting at a local date and time after every other one: numbers keep
    following the calendar, and each meeting keeps its number (and its calendar entry)."""
    assert circle.id is not None
    starts_at = local_instant(day, at, circle.timezone)
    if starts_at <= now:
        raise UserError(N_("That time has already passed. Pick a time in the future."))
    planned_so_far = await schedule(session, circle.id)
    last = planned_so_far[-1] if planned_so_far else None
    if last is not None and starts_at < max(m.ends_at for m in planned_so_far):
        _point_to_cancelled(planned_so_far, starts_at)
        raise BeforeTheLast(last)
    meeting = Meeting(
        circle_id=circle.id,
        number=(last.number if last else 0) + 1,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=circle.duration_minutes),
        planned_at=starts_at,
    )
    await _after_removed(session, meeting)
    session.add(meeting)
    circle.meeting_count = meeting.number
    session.add(circle)
    await session.flush()
    return meeting


def _point_to_cancelled(planned_so_far: list[Meeting], starts_at: datetime) -> None:
    """Refuse a new meeting that only the cancelled meetings at the end stand in the way of,
    pointing to the first of them: bringing it back (and moving it) gives the same meeting."""
    taking_place = [m for m in planned_so_far if m.status != MeetingStatus.CANCELLED]
    if not taking_place or starts_at < taking_place[-1].ends_at:
        return  # it comes before a meeting that takes place: the usual refusal says so
    after = [m for m in planned_so_far if m.number > taking_place[-1].number]
    if not after:
        return
    raise UserError(
        N_(
            "Meetings after meeting %(last)d are cancelled, and a new meeting comes after "
            "every one of them. Bring meeting %(first)d back instead with /uncancel %(first)d, "
            "then move it with /reschedule %(first)d DATE TIME if you like."
        ),
        last=taking_place[-1].number,
        first=after[0].number,
    )


async def skipping(
    session: AsyncSession, circle: Circle, number: int, now: datetime
) -> list[Meeting]:
    """The meetings /skipweek `number` would move (that one and every later one), in order;
    UserError if it can't."""
    meeting = await meeting_by_number(session, circle, number)
    if meeting.starts_at <= now and await anyone_joined(session, circle):
        raise UserError(N_("Meeting %(number)d has already happened."), number=number)
    assert circle.id is not None
    return [m for m in await schedule(session, circle.id) if m.number >= number]


@dataclass(frozen=True)
class KeptPlace:
    """A place booked for one date ("/edit venue 4 ..."), kept on that date by /skipweek: the
    meeting there is now another one."""

    venue: str
    starts_at: datetime  # the date it is for (the meeting there now starts then)
    number: int  # the meeting there now


def places_after_skip(
    circle: Circle, later: list[Meeting], weeks: int = 1
) -> dict[int, str | None]:
    """Each of `later`'s own place once they move a week (or `weeks`) on (by meeting id). A
    librarian books a room for a date, so a place stays on its date, with the meeting there
    after the skip; the first meetings', whose dates have no meeting any more, go with them if
    their new dates have none of their own."""
    zone = ZoneInfo(circle.timezone)
    after = {
        week_later(m.starts_at, circle.timezone, weeks).astimezone(zone).date(): m for m in later
    }
    places: dict[int, str | None] = {m.id: None for m in later if m.id is not None}
    unplaced = []
    for meeting in later:
        if not meeting.venue or meeting.id is None:
            continue
        holder = after.get(meeting.starts_at.astimezone(zone).date())
        if holder is None or holder.id is None:
            unplaced.append(meeting)
        else:
            places[holder.id] = meeting.venue
    for meeting in unplaced:
        assert meeting.id is not None
        if places[meeting.id] is None:
            places[meeting.id] = meeting.venue
    return places


def kept_places(circle: Circle, later: list[Meeting], weeks: int = 1) -> list[KeptPlace]:
    """The places that stay on their date while their meeting moves on (places_after_skip)."""
    places = places_after_skip(circle, later, weeks)
    kept = []
    for meeting in later:
        venue = places.get(meeting.id) if meeting.id is not None else None
        if venue and venue != meeting.venue:
            starts_at = week_later(meeting.starts_at, circle.timezone, weeks)
            kept.append(KeptPlace(venue, starts_at, meeting.number))
    return kept


# The most weeks /skipweek moves meetings on at once (a library closed for a season is a new
# circle, or /reschedule).
MOST_WEEKS_SKIPPED = 8

# Days many libraries and centres close: Christmas Eve and Day, New Year's Eve and Day.
CLOSED_DAYS = ((12, 24), (12, 25), (12, 31), (1, 1))


def on_closed_day(instant: datetime, zone: str) -> bool:
    """Whether `instant` falls, where the circle meets, on a day many libraries close."""
    local = instant.astimezone(ZoneInfo(zone))
    return (local.month, local.day) in CLOSED_DAYS


def weeks_past_closed_days(starts: Sequence[datetime], zone: str) -> int:
    """How many weeks the meetings `starts` (one and those after it) move on so that none falls
    on a day many libraries close: 2 for meetings on 24 and 31 December (one week lands the
    first on the 31st). At least 1, at most MOST_WEEKS_SKIPPED."""
    for weeks in range(1, MOST_WEEKS_SKIPPED + 1):
        if not any(on_closed_day(week_later(start, zone, weeks), zone) for start in starts):
            return weeks
    return 1


def check_weeks_skipped(weeks: int) -> None:
    """UserError unless `weeks` is a number of weeks /skipweek can move meetings on by."""
    if not 1 <= weeks <= MOST_WEEKS_SKIPPED:
        raise UserError(
            N_("You can skip from 1 to %(most)d weeks at once."), most=MOST_WEEKS_SKIPPED
        )


async def skip_week(
    session: AsyncSession, circle: Circle, number: int, now: datetime, weeks: int = 1
) -> list[Meeting]:
    """Meeting `number` and every later one move a week (or `weeks`) later, at the same local
    time; their numbers stay, and places booked for a date stay on it (places_after_skip).
    Returns the meetings moved, in order."""
    check_weeks_skipped(weeks)
    later = await skipping(session, circle, number, now)
    places = places_after_skip(circle, later, weeks)
    for moving in later:
        slot = planned(circle, moving)
        moving.starts_at = week_later(moving.starts_at, circle.timezone, weeks)
        moving.ends_at = moving.starts_at + timedelta(minutes=circle.duration_minutes)
        # The slot moves with it: a meeting that was where planned still is, not "moved".
        moving.planned_at = week_later(slot, circle.timezone, weeks)
        if moving.id is not None:
            moving.venue = places[moving.id]
        moving.sequence += 1
        session.add(moving)
    return later


def _next_slot(circle: Circle, planned_so_far: list[Meeting], now: datetime) -> datetime:
    """The weekly slot after the last meeting's (its planned one, so a last meeting moved to a
    Friday does not drag the new ones there), after every meeting ends and after now."""
    last = planned_so_far[-1]
    slot = week_later(planned(circle, last), circle.timezone)
    latest_end = max(m.ends_at for m in planned_so_far)
    while slot < latest_end or slot <= now:
        slot = week_later(slot, circle.timezone)
    return slot


async def extend(session: AsyncSession, circle: Circle, count: int, now: datetime) -> list[Meeting]:
    """Weekly meetings added at the end until the circle has `count`."""
    assert circle.id is not None
    planned_so_far = await schedule(session, circle.id)
    added = []
    while len(planned_so_far) < count:
        starts_at = _next_slot(circle, planned_so_far, now)
        meeting = Meeting(
            circle_id=circle.id,
            number=planned_so_far[-1].number + 1,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=circle.duration_minutes),
            planned_at=starts_at,
        )
        await _after_removed(session, meeting)
        session.add(meeting)
        planned_so_far.append(meeting)
        added.append(meeting)
    circle.meeting_count = count
    session.add(circle)
    await session.flush()
    return added


async def trim(session: AsyncSession, circle: Circle, count: int, now: datetime) -> list[int]:
    """The meetings after `count` removed, if none of them has started and a meeting is still
    to come after (ending a circle now is /close's, with its close-out). Returns their numbers.

    Their RSVPs go with them; a goal review answered ahead of a removed last meeting stays in
    the learner's portfolio, no longer tied to that meeting."""
    assert circle.id is not None
    planned_so_far = await schedule(session, circle.id)
    removed = [m for m in planned_so_far if m.number > count]
    kept = [m for m in planned_so_far if m.number <= count]
    started = [m for m in removed if m.starts_at <= now and m.status != MeetingStatus.CANCELLED]
    if started:
        raise UserError(
            N_("Meeting %(number)d has already started, so the circle can't end before it."),
            number=started[-1].number,
        )
    if not any(m.status != MeetingStatus.CANCELLED and m.ends_at > now for m in kept):
        raise UserError(
            N_(
                "That would leave no meeting still to come, which ends the circle. To end it "
                "now, send /close."
            )
        )
    ids = [m.id for m in removed]
    if ids:
        for table in (Rsvp, Attendance, CheckIn, LetterDelivery):
            await session.exec(delete(table).where(col(table.meeting_id).in_(ids)))
        for table in (Reflection, Question):  # type: ignore[assignment]
            await session.exec(
                update(table).where(col(table.meeting_id).in_(ids)).values(meeting_id=None)
            )
        for meeting in removed:
            await _remember_removed(session, meeting)
            await session.delete(meeting)
    circle.meeting_count = count
    session.add(circle)
    await session.flush()
    return [m.number for m in removed]


async def _remember_removed(session: AsyncSession, meeting: Meeting) -> None:
    """A meeting taken off the end stays in the circle's calendar files, cancelled (fac 35)."""
    kept = await session.exec(
        select(RemovedMeeting).where(
            RemovedMeeting.circle_id == meeting.circle_id, RemovedMeeting.number == meeting.number
        )
    )
    gone = kept.first() or RemovedMeeting(
        circle_id=meeting.circle_id,
        number=meeting.number,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    # Above what any file sent before carried, so a phone takes the cancellation.
    gone.sequence = max(gone.sequence, meeting.sequence) + 1
    gone.starts_at, gone.ends_at = meeting.starts_at, meeting.ends_at
    session.add(gone)


async def _after_removed(session: AsyncSession, meeting: Meeting) -> None:
    """A number given out again after /edit meetings took it away: its event comes back with
    a SEQUENCE above the cancellation's, so a phone shows it again (fac 35)."""
    gone = (
        await session.exec(
            select(RemovedMeeting).where(
                RemovedMeeting.circle_id == meeting.circle_id,
                RemovedMeeting.number == meeting.number,
            )
        )
    ).first()
    if gone is not None:
        meeting.sequence = gone.sequence + 1
        await session.delete(gone)


async def removed(session: AsyncSession, circle_id: int) -> list[RemovedMeeting]:
    """The meetings /edit meetings took off the circle's end, for its calendar files."""
    rows = await session.exec(
        select(RemovedMeeting)
        .where(RemovedMeeting.circle_id == circle_id)
        .order_by(col(RemovedMeeting.number))
    )
    return list(rows.all())


async def still_to_come(session: AsyncSession, circle_id: int, now: datetime) -> list[Meeting]:
    """The meetings that have not started and are not cancelled, in order."""
    return [
        m
        for m in await schedule(session, circle_id)
        if m.status != MeetingStatus.CANCELLED and m.starts_at > now
    ]


async def cancel_the_rest(session: AsyncSession, circle: Circle, now: datetime) -> list[Meeting]:
    """Every meeting still to come cancelled (a circle closed early); returns them."""
    assert circle.id is not None
    rest = await still_to_come(session, circle.id, now)
    for meeting in rest:
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence += 1
        session.add(meeting)
    return rest
