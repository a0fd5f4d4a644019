"""Who is in a circle now, in roster order: what a notice to "every member" is sent to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import Membership, Person, Role


@dataclass(frozen=True)
class RosterEntry:
    membership: Membership
    person: Person


# Built once: a roster binds only the circle.
_ROSTER = (
    select(Membership, Person)
    .join(Person, col(Person.id) == Membership.person_id)
    .where(Membership.circle_id == bindparam("circle_id"), col(Membership.left_at).is_(None))
    .order_by(col(Membership.joined_at), col(Membership.id))
)


async def roster(session: AsyncSession, circle_id: int) -> list[RosterEntry]:
    """Current members: facilitators first, then learners in the order they joined."""
    rows = await session.exec(_ROSTER, params={"circle_id": circle_id})
    entries = [RosterEntry(membership, person) for membership, person in rows.all()]
    order = {Role.FACILITATOR: 0, Role.COFACILITATOR: 1, Role.LEARNER: 2}
    return sorted(entries, key=lambda entry: order[Role(entry.membership.role)])
