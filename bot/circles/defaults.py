"""The circle a person's commands are about when they are in several and don't say which
(/default): chosen once instead of answering "Which circle is that for?" every time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.dialogue.members import starts_with
from bot.storage.models import Circle, Meeting, MeetingStatus, Membership, Person

Entry = tuple[Membership, Circle]


def default_circle(
    person: Person, memberships: list[tuple[Membership, Circle]]
) -> list[tuple[Membership, Circle]]:
    """The memberships a command could act on, narrowed to the person's default circle when it
    is one of them; all of them otherwise (a facilitator command from someone whose default is
    a circle they learn in still asks which of the circles they run)."""
    chosen = [entry for entry in memberships if entry[1].id == person.default_circle_id]
    return chosen or memberships


def choose(session: AsyncSession, person: Person, circle: Circle | None) -> None:
    """Make `circle` the person's default; None: ask again every time."""
    person.default_circle_id = circle.id if circle is not None else None
    session.add(person)


def left(session: AsyncSession, person: Person, circle: Circle) -> None:
    """The person left `circle`: it is no longer their default, even if they come back."""
    if person.default_circle_id == circle.id:
        choose(session, person, None)


def named(entries: list[Entry], typed: str, names: list[str] | None = None) -> list[Entry]:
    """The entries whose circle `typed` names: its name (or its name as `names` shows it, one
    per entry), case aside; else those whose name it is the start of ("Python Online" for
    "Python Online - Lunch Hour"), so one that matches alone is found."""
    shown = names if names is not None else [circle.name for _, circle in entries]
    typed = typed.strip()
    exact = [
        entry
        for entry, name in zip(entries, shown, strict=True)
        if typed.casefold() in {entry[1].name.casefold(), name.casefold()}
    ]
    if exact:
        return exact
    return [
        entry
        for entry, name in zip(entries, shown, strict=True)
        if starts_with(entry[1].name, typed) or starts_with(name, typed)
    ]


async def still_going(
    session: AsyncSession, entries: list[Entry], after_end: timedelta, now: datetime
) -> list[Entry]:
    """The entries whose circle a command about meetings applies to: one whose last meeting
    ended less than `after_end` ago, or that still meets (meetings.is_over, with a delay). A
    circle whose meetings were all cancelled has ended."""
    ids = [circle.id for _, circle in entries]
    rows = await session.exec(
        select(Meeting.circle_id, func.max(Meeting.ends_at))
        .where(col(Meeting.circle_id).in_(ids), Meeting.status != MeetingStatus.CANCELLED)
        .group_by(col(Meeting.circle_id))
    )
    last: dict[int | None, datetime] = dict(rows.all())
    return [
        entry
        for entry in entries
        if (ended := last.get(entry[1].id)) is not None and ended + after_end > now
    ]
