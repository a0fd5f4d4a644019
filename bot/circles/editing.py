"""Changing a circle after it is made: its name, course, where it meets (a venue, or a link for
a circle that meets online), one meeting's venue, its city, country and time zone, how many
meetings it has; and deleting a circle that has not met yet.

A circle meets online when its venue is a web address (meetings.is_link): the link is where
its members go, so everything that says where a meeting is shows it without a second field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from sqlalchemy import or_, update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.circles import circles, dialin, meetings, timezones
from bot.circles.circles import Field
from bot.storage.models import (
    Attendance,
    CheckIn,
    Circle,
    Letter,
    LetterDelivery,
    LinkedChat,
    Meeting,
    MeetingStatus,
    Membership,
    OutboxMessage,
    Question,
    Reflection,
    RemovedMeeting,
    Role,
    Rsvp,
    TeamCircle,
)

# A meeting link is kept where a venue is (Circle.venue), so it fits the same column.
MAX_LINK = 200


def letting(tr: Translator, reached: int) -> str:
    """The "I'm letting 3 members know." after a change members hear of, with its leading
    space; nothing when no one else is in the circle yet (or can be reached)."""
    if not reached:
        return ""
    return " " + tr.ngettext(
        "I'm letting %(n)d member know.", "I'm letting %(n)d members know.", reached
    )


def parse_link(text: str) -> str:
    """A meeting link: a web address, short enough to keep as a venue."""
    link = text.strip()
    if not meetings.is_link(link):
        raise UserError(N_("Please give the meeting link as a web address starting with https://."))
    if len(link) > MAX_LINK:
        raise UserError(N_("Please keep the link under %(limit)d characters."), limit=MAX_LINK)
    return link


def rename(circle: Circle, text: str) -> None:
    circle.name = str(circles.parse_field(Field.NAME, text))


# Endings that make a dotted word a web address even without https:// or a path; a title's
# "Node.js" or "ASP.NET" stays a title.
_WEB_ENDINGS = (".com", ".org", ".net", ".edu", ".io", ".gov", ".info")


def _course_link(word: str) -> bool:
    """Whether the last word of /edit course is the course's link: with https://, or typed
    without it as /newcircle takes it ("edu.gcfglobal.org/en/excel", "www.py4e.com")."""
    if meetings.is_link(word):
        return True
    if circles.link_in(word) is None:
        return False
    lowered = word.casefold()
    return "/" in lowered or lowered.startswith("www.") or lowered.endswith(_WEB_ENDINGS)


def set_course(circle: Circle, text: str) -> None:
    """`TITLE`, `TITLE LINK` or `LINK`: a title alone keeps the course's link, a link alone
    keeps its title."""
    words = text.split()
    link = words[-1] if words and _course_link(words[-1]) else None
    title = " ".join(words[:-1] if link else words)
    if link is not None:
        circle.course_url = circles.parse_url(link)
    if title or link is None:
        circle.course_title = str(circles.parse_field(Field.COURSE, title))


async def set_venue(
    session: AsyncSession, circle: Circle, text: str, now: datetime
) -> list[Meeting]:
    """The circle meets at `text` (a venue, or a link: online) from now on: every meeting still
    to come, except one given a venue of its own (/edit venue 3 ...), which keeps it: that was
    a choice for that meeting, and a later move of the others says nothing about it (`kept`
    lists them). Meetings held keep where they were held. A new link takes the old link's
    number to call in away (dialin.kept_with). Returns the meetings to come whose place changed
    (not cancelled ones), in order."""
    venue, changed = await planned_venue(session, circle, text, now)
    assert circle.id is not None
    for meeting in await meetings.schedule(session, circle.id):
        if meeting.starts_at <= now:
            meeting.venue = meetings.venue_of(circle, meeting)  # where it was held
        elif meeting.venue == venue:
            meeting.venue = None  # its own venue is now every meeting's: nothing to keep apart
        elif meeting.venue is None and circle.venue != venue:  # it goes where the circle goes
            meeting.sequence += 1  # calendar apps take the new place
        session.add(meeting)
    circle.dialin = dialin.kept_with(circle, venue)
    circle.venue = venue
    session.add(circle)
    return changed


async def planned_venue(
    session: AsyncSession, circle: Circle, text: str, now: datetime
) -> tuple[str, list[Meeting]]:
    """What set_venue would do, changing nothing: the venue as kept, and the meetings to come
    whose place would change (so members can be shown the notice before it goes)."""
    venue = str(circles.parse_field(Field.VENUE, text))
    if meetings.is_link(venue):
        venue = parse_link(venue)
    assert circle.id is not None
    changed = [
        meeting
        for meeting in await meetings.schedule(session, circle.id)
        if meeting.starts_at > now
        and meeting.venue is None
        and circle.venue != venue
        and meeting.status != MeetingStatus.CANCELLED
    ]
    if venue == circle.venue and not changed:
        raise UserError(N_("%(circle)s already meets there."), circle=circle.name)
    return venue, changed


async def kept(session: AsyncSession, circle: Circle, now: datetime) -> list[Meeting]:
    """The meetings to come that keep a venue of their own (see set_venue), not cancelled ones."""
    assert circle.id is not None
    return [
        meeting
        for meeting in await meetings.schedule(session, circle.id)
        if meeting.starts_at > now
        and meeting.venue is not None
        and meeting.status != MeetingStatus.CANCELLED
    ]


def set_city(circle: Circle, text: str) -> None:
    city = circles.parse_city(text)
    if city == circle.city:
        raise UserError(N_("%(circle)s is already in %(city)s."), circle=circle.name, city=city)
    circle.city = city


def set_country(circle: Circle, text: str) -> None:
    country = circles.parse_country(text)
    if country == circle.country_code:
        raise UserError(
            N_("%(circle)s is already in %(country)s."), circle=circle.name, country=country
        )
    circle.country_code = country


def zone_fits_country(circle: Circle) -> bool:
    """Whether the circle's time zone is one its country uses (a zone set before the country
    was corrected may not be)."""
    return circle.timezone in timezones.zones_for_country(circle.country_code)


async def set_zone(
    session: AsyncSession, circle: Circle, text: str, now: datetime
) -> list[Meeting]:
    """The circle's clocks are those of zone `text` from now on. Meetings to come keep their
    local time (a librarian who typed 18:00 meant 18:00 where the library is), so their
    instants move; meetings held stay when they were held. Returns the meetings that moved."""
    zone = timezones.resolve(text, country=circle.country_code, city=circle.city)
    if zone == circle.timezone:
        raise UserError(
            N_("%(circle)s is already on %(zone)s time."), circle=circle.name, zone=zone
        )
    assert circle.id is not None
    moved = []
    for meeting in await meetings.schedule(session, circle.id):
        if meeting.starts_at <= now:
            continue
        meeting.starts_at = _same_wall_time(meeting.starts_at, circle.timezone, zone)
        meeting.ends_at = _same_wall_time(meeting.ends_at, circle.timezone, zone)
        if meeting.planned_at is not None:
            meeting.planned_at = _same_wall_time(meeting.planned_at, circle.timezone, zone)
        meeting.sequence += 1  # calendar apps take the new instant
        session.add(meeting)
        moved.append(meeting)
    circle.timezone = zone
    session.add(circle)
    return moved


def _same_wall_time(instant: datetime, old_zone: str, new_zone: str) -> datetime:
    local = instant.astimezone(ZoneInfo(old_zone))
    return meetings.local_instant(local.date(), local.time().replace(tzinfo=None), new_zone)


async def set_meeting_venue(
    session: AsyncSession, circle: Circle, number: int, text: str, now: datetime
) -> Meeting:
    """One meeting is held at `text` (a venue or a link); the circle's venue again, if that."""
    meeting, venue = await planned_meeting_venue(session, circle, number, text, now)
    meeting.venue = None if venue == circle.venue else venue
    meeting.sequence += 1
    session.add(meeting)
    return meeting


async def planned_meeting_venue(
    session: AsyncSession, circle: Circle, number: int, text: str, now: datetime
) -> tuple[Meeting, str]:
    """What set_meeting_venue would do, changing nothing: the meeting and its venue as kept."""
    meeting = await meetings.meeting_by_number(session, circle, number)
    if meeting.status == MeetingStatus.CANCELLED:
        raise UserError(N_("Meeting %(number)d is cancelled."), number=number)
    if meeting.starts_at <= now:
        raise UserError(N_("Meeting %(number)d has already happened."), number=number)
    venue = str(circles.parse_field(Field.VENUE, text))
    if meetings.is_link(venue):
        venue = parse_link(venue)
    if venue == meetings.venue_of(circle, meeting):
        raise UserError(N_("Meeting %(number)d is already there."), number=number)
    return meeting, venue


# -- every meeting still to come at a new time, or on a new weekday (walkthrough fac 41) ---------


# A change of every meeting's slot: its local day and time from the old ones.
SlotChange = Callable[[date, time], tuple[date, time]]


def new_time(at: time) -> SlotChange:
    """A change for planned_times: each meeting at `at` on its own day."""
    return lambda day, _: (day, at)


def new_weekday(weekday: int) -> SlotChange:
    """A change for planned_times: each meeting on `weekday` of its own week (Monday to
    Sunday), at its own time."""
    return lambda day, at: (day + timedelta(days=weekday - day.weekday()), at)


def _moved(instant: datetime, zone: str, change: SlotChange) -> datetime:
    local = instant.astimezone(ZoneInfo(zone))
    day, at = change(local.date(), local.time().replace(tzinfo=None))
    return meetings.local_instant(day, at, zone)


async def planned_times(
    session: AsyncSession,
    circle: Circle,
    change: SlotChange,
    now: datetime,
) -> list[tuple[Meeting, datetime]]:
    """What set_times would do, changing nothing: each meeting not yet started (cancelled ones
    too, so one brought back comes at the new time) and its new start. Refused when nothing
    would move, a meeting would start in the past, or two meetings would overlap."""
    assert circle.id is not None
    planned_so_far = await meetings.schedule(session, circle.id)
    moving = [
        (m, _moved(m.starts_at, circle.timezone, change))
        for m in planned_so_far
        if m.starts_at > now
    ]
    if not any(m.status != MeetingStatus.CANCELLED for m, _ in moving):
        raise UserError(N_("%(circle)s has no meeting still to come."), circle=circle.name)
    if all(m.starts_at == starts for m, starts in moving):
        raise UserError(N_("Every meeting still to come is already then."))
    for meeting, starts in moving:
        if starts <= now and meeting.status != MeetingStatus.CANCELLED:
            raise UserError(
                N_(
                    "Meeting %(number)d would then be in the past. Move it on its own with "
                    "/reschedule first, or cancel it."
                ),
                number=meeting.number,
            )
    new_starts = {m.id: starts for m, starts in moving}
    duration = timedelta(minutes=circle.duration_minutes)
    taking_place = sorted(
        (
            (new_starts.get(m.id, m.starts_at), m)
            for m in planned_so_far
            if m.status != MeetingStatus.CANCELLED
        ),
        key=lambda pair: pair[0],
    )
    for (start, first), (later, second) in pairwise(taking_place):
        ends = start + duration if first.id in new_starts else first.ends_at
        if later < ends or second.number < first.number:
            raise UserError(
                N_(
                    "Meetings %(first)d and %(second)d would then overlap or swap places. Move "
                    "one of them with /reschedule first."
                ),
                first=min(first.number, second.number),
                second=max(first.number, second.number),
            )
    return moving


async def set_times(
    session: AsyncSession,
    circle: Circle,
    change: SlotChange,
    now: datetime,
    at: time | None = None,
    weekday: int | None = None,
) -> list[Meeting]:
    """Every meeting not yet started moves by `change` (new_time, new_weekday), its planned
    slot with it: one moved on its own stays "moved", the others are where planned. The circle
    keeps the new time or weekday for meetings added later. Returns those taking place."""
    moving = await planned_times(session, circle, change, now)
    for meeting, starts in moving:
        slot = _moved(meetings.planned(circle, meeting), circle.timezone, change)
        meeting.planned_at = slot
        meeting.starts_at = starts
        meeting.ends_at = starts + timedelta(minutes=circle.duration_minutes)
        if meeting.status != MeetingStatus.CANCELLED:
            moved = starts != slot
            meeting.status = MeetingStatus.MOVED if moved else MeetingStatus.SCHEDULED
        meeting.sequence += 1  # calendar apps take the new time
        session.add(meeting)
    if at is not None:
        circle.start_time = at
    if weekday is not None:
        circle.weekday = weekday
    session.add(circle)
    return [m for m, _ in moving if m.status != MeetingStatus.CANCELLED]


async def set_meeting_count(
    session: AsyncSession, circle: Circle, count: int, now: datetime
) -> tuple[list[Meeting], list[int]]:
    """Weekly meetings added at the end, or the last ones removed (none started), so the circle
    has `count` meetings that take place: a cancelled one is not one of them (fac 34), and
    those cancelled after the last one kept go with the meetings removed. Returns the meetings
    added and the numbers removed."""
    circles.check_meeting_count(count)
    assert circle.id is not None
    taking_place = [
        m
        for m in await meetings.schedule(session, circle.id)
        if m.status != MeetingStatus.CANCELLED
    ]
    if count == len(taking_place):
        raise UserError(
            N_("%(circle)s already has %(count)d meetings."), circle=circle.name, count=count
        )
    if count > len(taking_place):
        # Numbers run 1 to meeting_count, cancelled meetings among them.
        extended = circle.meeting_count + count - len(taking_place)
        return await meetings.extend(session, circle, extended, now), []
    return [], await meetings.trim(session, circle, taking_place[count - 1].number, now)


async def add_meeting(
    session: AsyncSession, circle: Circle, day: date, at: time, now: datetime
) -> Meeting:
    if circle.meeting_count >= circles.MAX_MEETINGS:
        raise UserError(
            N_("A circle has up to %(max)d meetings."),
            max=circles.MAX_MEETINGS,
        )
    return await meetings.add(session, circle, day, at, now)


async def check_deletable(session: AsyncSession, circle: Circle, now: datetime) -> None:
    """Only a circle that has not met can be deleted: once it has, its members' answers,
    attendance and letters are theirs and its figures count (/close ends it instead). A
    circle no learner ever joined never met, whatever its calendar says: it has no record to
    keep, and deleting it is how its facilitator starts again."""
    assert circle.id is not None
    wrote = (await session.exec(select(Letter.id).where(Letter.circle_id == circle.id))).first()
    joined = (
        await session.exec(
            select(Membership.id).where(
                Membership.circle_id == circle.id, Membership.role == Role.LEARNER
            )
        )
    ).first()  # those who left too: their answers are part of the record
    met = joined is not None and bool(await meetings.held(session, circle.id, now))
    if met and await meetings.is_over(session, circle.id, now):
        # Not "send /close": that only says it is finished already (walkthrough 8, mix 24).
        raise UserError(
            N_(
                "%(circle)s has finished, so it can't be deleted or closed. I keep its names "
                "and answers for a while, then only the numbers. For a copy, send /export."
            ),
            circle=circle.name,
        )
    if met or wrote is not None:
        raise UserError(
            N_("%(circle)s has already met, so I keep its record. To end it now, send /close."),
            circle=circle.name,
        )


async def delete_circle(session: AsyncSession, circle: Circle) -> None:
    """The circle and everything in it: meetings, memberships, RSVPs, goals and questions
    asked there, its links to group chats and teams, and the messages about it, sent or
    waiting. Letters from other circles matched to its first meeting go back to the pool."""
    circle_id = circle.id
    assert circle_id is not None
    meeting_ids = list(
        (await session.exec(select(Meeting.id).where(Meeting.circle_id == circle_id))).all()
    )
    for by_meeting in (Rsvp, Attendance):
        await session.exec(delete(by_meeting).where(col(by_meeting.meeting_id).in_(meeting_ids)))
    matched = (
        await session.exec(
            select(LetterDelivery.letter_id).where(LetterDelivery.circle_id == circle_id)
        )
    ).all()
    if matched:
        await session.exec(
            update(Letter)
            .where(col(Letter.id).in_(matched))
            .values(deliveries=col(Letter.deliveries) - 1)
        )
    for by_circle in (
        CheckIn,
        Question,
        Reflection,
        LetterDelivery,
        LinkedChat,
        TeamCircle,
        Membership,
        RemovedMeeting,
        Meeting,
    ):
        await session.exec(delete(by_circle).where(col(by_circle.circle_id) == circle_id))
    # Outbox keys name what a message is about ("kind|circle:12|person:3|..."); messages
    # about the circle or one of its meetings go with it.
    subjects = [f"circle:{circle_id}", *(f"meeting:{m}" for m in meeting_ids)]
    await session.exec(
        delete(OutboxMessage).where(
            or_(*(col(OutboxMessage.idempotency_key).like(f"%|{s}|%") for s in subjects))
        )
    )
    await session.delete(circle)
    await session.flush()
