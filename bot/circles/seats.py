"""Seats in a circle: how many learners it takes, the waiting list of a full circle, and a
freed seat offered to the first learner waiting.

A circle's capacity counts learners only (facilitators bring their own chair). When a seat
frees (someone leaves, the capacity grows or goes), the first learner waiting is told and the
seat is held for them for OFFER_HOLD: nobody arriving through /find or a join code takes it
meanwhile. After that it is anyone's again; they keep their place in the line but are not
told twice.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime, timedelta

from babel.lists import format_list
from sqlalchemy import ColumnElement, and_, bindparam, func, or_
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Catalogs, Translator
from bot.chat.messages import Choice
from bot.circles import erasure, joincodes, meetings, own_zones
from bot.delivery.jobs import TickReport, TickWindow
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import notifications
from bot.dialogue.values import MAX_NUMBER
from bot.storage.database import created_here, forget_deleted
from bot.storage.models import (
    FACILITATING,
    Circle,
    CircleStatus,
    Membership,
    Person,
    Role,
    WaitingPlace,
)

OFFER_HOLD = timedelta(hours=48)
MAX_CAPACITY = 500  # more than any room; a typo beyond it is refused, never stored


def check_capacity(seats: int) -> int:
    if not 1 <= seats <= MAX_CAPACITY:
        raise UserError(
            N_("A circle takes from 1 to %(max)d learners."),
            max=MAX_CAPACITY,
        )
    return seats


def parse_capacity(text: str) -> int:
    text = text.strip()
    if not text.isdecimal() or len(text) > len(str(MAX_NUMBER)):
        return check_capacity(0)  # the refusal, for "twelve", "-3" or a hundred digits
    return check_capacity(int(text))


def take_payload(circle_id: int) -> str:
    """The answer that takes a seat in (or a place in line for) one circle: a button, or a
    number by SMS. It names the circle by its number, never its join code."""
    return f"#{circle_id} /find"


async def lock(session: AsyncSession, circle_id: int) -> None:
    """Count seats one join at a time: two people taking the last seat at once must not both
    get it (PostgreSQL; SQLite has one writer at a time already)."""
    if session.get_bind().dialect.name != "sqlite":
        await session.exec(select(Circle.id).where(Circle.id == circle_id).with_for_update())


async def learners(session: AsyncSession, circle_id: int) -> int:
    return (
        await session.exec(
            select(func.count()).where(
                Membership.circle_id == circle_id,
                Membership.role == Role.LEARNER,
                col(Membership.left_at).is_(None),
            )
        )
    ).one()


def held(now: datetime) -> ColumnElement[bool]:
    """A waiting place that keeps a seat from newcomers: offered one lately, or not offered
    one yet (a seat freed where nobody was told, by /forget say, is the line's first)."""
    return or_(
        col(WaitingPlace.offered_at).is_(None), col(WaitingPlace.offered_at) > now - OFFER_HOLD
    )


async def _held(
    session: AsyncSession,
    circle_id: int,
    now: datetime,
    person_id: int | None,
    *,
    offered_only: bool = False,
) -> int:
    """Seats held from `person_id`: offered to others lately, and (unless `offered_only`)
    owed to those ahead of them in line who haven't been offered one yet."""
    mine = None if person_id is None else await place_of(session, circle_id, person_id)
    live = col(WaitingPlace.offered_at) > now - OFFER_HOLD
    owed: ColumnElement[bool] = col(WaitingPlace.offered_at).is_(None)
    if mine is not None:
        owed = and_(owed, col(WaitingPlace.id) < mine.id)
    statement = select(func.count()).where(
        WaitingPlace.circle_id == circle_id, live if offered_only else or_(live, owed)
    )
    if mine is not None:
        statement = statement.where(WaitingPlace.id != mine.id)
    return (await session.exec(statement)).one()


async def seats_left(
    session: AsyncSession, circle: Circle, now: datetime, person_id: int | None = None
) -> int | None:
    """Seats `person_id` (or anyone new) may take now (None: no limit): none held for
    someone else, nor owed to those ahead in line. A seat held for them is theirs."""
    if circle.capacity is None:
        return None
    assert circle.id is not None
    taken = await learners(session, circle.id) + await _held(session, circle.id, now, person_id)
    return max(0, circle.capacity - taken)


async def _free_for_the_line(session: AsyncSession, circle: Circle, now: datetime) -> int | None:
    if circle.capacity is None:
        return None
    assert circle.id is not None
    taken = await learners(session, circle.id) + await _held(
        session, circle.id, now, None, offered_only=True
    )
    return max(0, circle.capacity - taken)


async def is_full_for(session: AsyncSession, now: datetime, circle: Circle, person_id: int) -> bool:
    """Whether `person_id` would have to wait for a seat (never when already a member)."""
    assert circle.id is not None
    if circle.capacity is None:
        return False
    member = (
        await session.exec(
            select(Membership.id).where(
                Membership.circle_id == circle.id,
                Membership.person_id == person_id,
                col(Membership.left_at).is_(None),
            )
        )
    ).first()
    if member is not None:
        return False
    await lock(session, circle.id)
    return await seats_left(session, circle, now, person_id) == 0


async def circle_for_code(session: AsyncSession, typed: str) -> Circle | None:
    """The circle a join code names, looked up without counting a wrong code (the join that
    follows counts it)."""
    return await joincodes.circle_by_code(session, typed)


async def must_wait(session: AsyncSession, now: datetime, circle: Circle, person_id: int) -> bool:
    """Whether joining `circle` now means waiting for a seat: it is taking members (open, with
    a meeting to come), the person isn't in it, and every seat is taken or held for another."""
    assert circle.id is not None
    if circle.status != CircleStatus.ACTIVE or circle.capacity is None:
        return False
    if await meetings.upcoming(session, circle.id, now) is None:
        return False
    return await is_full_for(session, now, circle, person_id)


async def place_of(session: AsyncSession, circle_id: int, person_id: int) -> WaitingPlace | None:
    return (
        await session.exec(
            select(WaitingPlace).where(
                WaitingPlace.circle_id == circle_id, WaitingPlace.person_id == person_id
            )
        )
    ).first()


async def position(session: AsyncSession, place: WaitingPlace) -> int:
    """Where `place` stands in its circle's line, from 1."""
    ahead = (
        await session.exec(
            select(func.count()).where(
                WaitingPlace.circle_id == place.circle_id,
                col(WaitingPlace.id) < place.id,
            )
        )
    ).one()
    return ahead + 1


async def wait(
    session: AsyncSession, now: datetime, circle_id: int, person_id: int
) -> tuple[int, bool]:
    """Put the person in the circle's line (once): their position, and whether it is new."""
    place = await place_of(session, circle_id, person_id)
    new = place is None
    if place is None:
        place = WaitingPlace(circle_id=circle_id, person_id=person_id, created_at=now)
        session.add(place)
        await session.flush()
    return await position(session, place), new


async def tell_facilitators(
    session: AsyncSession,
    catalogs: Catalogs,
    now: datetime,
    circle: Circle,
    person_id: int,
    occurrence: str,
) -> None:
    """The circle's facilitators hear who is waiting for a seat (only /listing showed it),
    several close together gathered into one notice, as joins are."""
    assert circle.id is not None
    in_line = await waiting(session, circle.id)
    facilitators = await session.exec(
        select(Membership.person_id).where(
            Membership.circle_id == circle.id,
            col(Membership.role).in_(FACILITATING),
            col(Membership.left_at).is_(None),
        )
    )
    for facilitator in facilitators.all():
        key = OutboxKey(
            MessageKind.MEMBER_JOINED,  # a join notice's kind: /forget finds the name the same way
            f"circle:{circle.id}:waiting",
            f"person:{facilitator}",
            occurrence,
        )
        await notifications.gather(
            session,
            catalogs,
            now,
            facilitator,
            key,
            person_id,
            # A texter with no name yet is "someone new" in the reader's words (D23).
            lambda tr, names: _waiting_notice(
                tr, circle, [erasure.shown_name(tr, name, catalogs) for name in names], in_line
            ),
            circle.language,
        )


async def left_the_line(
    session: AsyncSession, catalogs: Catalogs, circle: Circle, person_id: int
) -> None:
    """Person `person_id` waits for a seat no more (took one, left the line, or was a member's
    new phone, moved to her own record): the notices of tell_facilitators still waiting that
    name them go without them, the line counted as it is now, and unsent where they named
    only them (sms 10: "2 learners are waiting" went out when none was)."""
    assert circle.id is not None
    in_line = await waiting(session, circle.id)
    await notifications.regather(
        session,
        catalogs,
        MessageKind.MEMBER_JOINED,
        f"circle:{circle.id}:waiting",
        person_id,
        lambda tr, names: _waiting_notice(
            tr, circle, [erasure.shown_name(tr, name, catalogs) for name in names], in_line
        ),
        leave_out=True,
    )


def _waiting_notice(tr: Translator, circle: Circle, names: Sequence[str], in_line: int) -> str:
    return tr.ngettext(
        "%(names)s would like to join %(circle)s, which is full: %(n)d learner is waiting "
        "for a seat now.",
        "%(names)s would like to join %(circle)s, which is full: %(n)d learners are waiting "
        "for a seat now.",
        in_line,
        names=format_list(list(names), locale=tr.locale),
        circle=circle.name,
    )


async def waiting(session: AsyncSession, circle_id: int) -> int:
    return (
        await session.exec(select(func.count()).where(WaitingPlace.circle_id == circle_id))
    ).one()


async def names_in_line(session: AsyncSession, circle_id: int) -> list[str]:
    """Who waits for a seat in the circle, first in line first: their names as stored (a
    texter with none yet has the placeholder erasure.shown_name words for the reader)."""
    rows = await session.exec(
        select(Person.display_name)
        .join(WaitingPlace, col(WaitingPlace.person_id) == Person.id)
        .where(WaitingPlace.circle_id == circle_id)
        .order_by(col(WaitingPlace.id))
    )
    return list(rows.all())


async def places_of(session: AsyncSession, person_id: int) -> list[tuple[WaitingPlace, Circle]]:
    """The waiting lists the person is on, of circles still going, in the order they joined
    them."""
    rows = await session.exec(
        select(WaitingPlace, Circle)
        .join(Circle, col(Circle.id) == WaitingPlace.circle_id)
        .where(WaitingPlace.person_id == person_id, Circle.status == CircleStatus.ACTIVE)
        .order_by(col(WaitingPlace.id))
    )
    return [(place, circle) for place, circle in rows.all()]


async def stop_waiting(
    session: AsyncSession, catalogs: Catalogs, now: datetime, place: WaitingPlace, circle: Circle
) -> None:
    """The person leaves the circle's waiting list: a seat held for them, or owed to them as
    first in line, goes to the next learner waiting."""
    await session.delete(place)
    await session.flush()
    await left_the_line(session, catalogs, circle, place.person_id)
    await offer_free_seats(session, catalogs, now, circle)


def has_live_offer(place: WaitingPlace | None, now: datetime) -> bool:
    return (
        place is not None and place.offered_at is not None and place.offered_at > now - OFFER_HOLD
    )


async def joined(
    session: AsyncSession, catalogs: Catalogs, circle: Circle, person_id: int
) -> None:
    """In the circle now: no longer waiting for it (nor named as waiting: left_the_line)."""
    if created_here(session, Person, person_id):
        return  # someone new this message is on no waiting list
    assert circle.id is not None
    done = await session.exec(
        _WAITING_NO_MORE, params={"circle_id": circle.id, "person_id": person_id}
    )
    forget_deleted(session, WaitingPlace, circle_id=circle.id, person_id=person_id)
    if done.rowcount:
        await left_the_line(session, catalogs, circle, person_id)


# Built once: every join sends it (issue 18); the session's rows as questions.ask's.
_WAITING_NO_MORE = (
    delete(WaitingPlace)
    .where(
        col(WaitingPlace.circle_id) == bindparam("circle_id"),
        col(WaitingPlace.person_id) == bindparam("person_id"),
    )
    .execution_options(synchronize_session=False)
)


def offer_text(tr: Translator, circle: Circle, until: datetime, own_zone: str | None) -> str:
    # One SMS in English: the hold is two days, so the weekday and time say when. An online
    # circle's on the reader's own clock where she set one, else with the circle's zone named:
    # "until Thursday at 15:58" was Toronto's time read in Nairobi (lang 21).
    return tr._(
        "Good news: a seat has opened in %(circle)s (%(city)s), kept for you until %(until)s. "
        "Would you like it?",
        circle=circle.name,
        city=circle.city,
        until=own_zones.weekday_at(tr, until, circle, own_zone),
    )


def offer_choices(tr: Translator, circle_id: int) -> Sequence[Choice]:
    return (Choice(tr._("Join"), take_payload(circle_id)),)


async def offer_free_seats(
    session: AsyncSession, catalogs: Catalogs, now: datetime, circle: Circle
) -> int:
    """Offer the seats free now to the first learners waiting who have not been offered one:
    each is told (SEAT_OFFERED, through the outbox) and the seat is held for them."""
    assert circle.id is not None
    await lock(session, circle.id)
    free = await _free_for_the_line(session, circle, now)
    if free == 0:
        return 0
    candidates = (
        await session.exec(
            select(WaitingPlace)
            .where(WaitingPlace.circle_id == circle.id, col(WaitingPlace.offered_at).is_(None))
            .order_by(col(WaitingPlace.id))
            .limit(free if free is not None else None)
        )
    ).all()
    until = now + OFFER_HOLD
    for place in candidates:
        place.offered_at = now
        session.add(place)
        zone = (await session.get_one(Person, place.person_id)).timezone
        key = OutboxKey(
            MessageKind.SEAT_OFFERED,
            f"circle:{circle.id}",
            f"person:{place.person_id}",
            f"place:{place.id}",
        )
        await notifications.notify(
            session,
            catalogs,
            now,
            place.person_id,
            key,
            functools.partial(offer_text, circle=circle, until=until, own_zone=zone),
            circle.language,
            lambda tr: offer_choices(tr, circle.id or 0),
        )
    await session.flush()
    return len(candidates)


class SeatOffers:
    """The tick's job: a seat offered and not taken within OFFER_HOLD goes on down the line,
    to the next learner waiting, in the tick after the hold ran out."""

    async def run(self, window: TickWindow) -> TickReport:
        session = window.session
        ran_out = (
            await session.exec(
                select(WaitingPlace.circle_id)
                .where(
                    col(WaitingPlace.offered_at) > window.since - OFFER_HOLD,
                    col(WaitingPlace.offered_at) <= window.now - OFFER_HOLD,
                )
                .distinct()
            )
        ).all()
        for circle_id in ran_out:
            circle = await session.get(Circle, circle_id)
            if circle is not None and circle.status == CircleStatus.ACTIVE:
                await offer_free_seats(session, window.catalogs, window.now, circle)
        return TickReport()  # the offers are a circle's news, not the rhythm's counts
