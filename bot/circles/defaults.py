"""The circle a person's commands are about when they are in several and don't say which
(/default): chosen once instead of answering "Which circle is that for?" every time."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import Circle, Membership, Person


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
