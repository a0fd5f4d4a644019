"""Who runs a circle: handing it over to a co-facilitator, a co-facilitator stepping back
to learner, and one who stepped out for now stepping back in. (Making a learner a
co-facilitator is circles.make_cofacilitator.)"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.circles import meetings
from bot.dialogue.members import RosterEntry
from bot.storage.models import Circle, CircleStatus, Membership, Role


def check_handover(lead: Membership, entry: RosterEntry) -> None:
    """UserError unless `lead` may hand the circle to `entry`: only to a co-facilitator,
    someone who already agreed to help run the circle."""
    name = entry.person.display_name
    if entry.membership.id == lead.id:
        raise UserError(N_("You already facilitate this circle."))
    if entry.membership.role != Role.COFACILITATOR:
        raise UserError(
            N_(
                "%(name)s isn't a co-facilitator. Make them one first with /cofacilitator "
                "%(name)s, then hand the circle over."
            ),
            name=name,
        )


async def hand_over(session: AsyncSession, lead: Membership, entry: RosterEntry) -> None:
    """`entry`, a co-facilitator, becomes the circle's facilitator; `lead` co-facilitates."""
    check_handover(lead, entry)
    entry.membership.role = Role.FACILITATOR
    lead.role = Role.COFACILITATOR
    session.add(entry.membership)
    session.add(lead)


async def remove_cofacilitator(session: AsyncSession, entry: RosterEntry) -> None:
    """A co-facilitator is a learner, still in the circle."""
    check_cofacilitator(entry)
    entry.membership.role = Role.LEARNER
    session.add(entry.membership)


def check_cofacilitator(entry: RosterEntry) -> None:
    """UserError unless `entry` co-facilitates, so can stop doing so."""
    name = entry.person.display_name
    if entry.membership.role == Role.FACILITATOR:
        raise UserError(
            N_("%(name)s facilitates this circle. To step back yourself, use /handover first."),
            name=name,
        )
    if entry.membership.role != Role.COFACILITATOR:
        raise UserError(N_("%(name)s isn't a co-facilitator."), name=name)


async def stepped_out(
    session: AsyncSession, person_id: int, now: datetime
) -> list[tuple[Membership, Circle]]:
    """The circles the person helped run and is off for now (/handover, "step out for now"),
    still going and not taken off by their facilitator: most recently left first."""
    found = []
    for membership, circle in await _stepped_out_of_any(session, person_id):
        assert circle.id is not None
        if circle.status == CircleStatus.ACTIVE and not await meetings.is_over(
            session, circle.id, now
        ):
            found.append((membership, circle))
    return found


async def stepped_out_of_finished(
    session: AsyncSession, person_id: int, now: datetime
) -> Circle | None:
    """The circle the person most recently stepped out of for now, if it has finished since
    (closed, or its meetings over): /stepin says so rather than that she never stepped out."""
    for _, circle in await _stepped_out_of_any(session, person_id):
        assert circle.id is not None
        if circle.status != CircleStatus.ACTIVE or await meetings.is_over(session, circle.id, now):
            return circle
    return None


async def _stepped_out_of_any(
    session: AsyncSession, person_id: int
) -> list[tuple[Membership, Circle]]:
    rows = await session.exec(
        select(Membership, Circle)
        .join(Circle, col(Circle.id) == col(Membership.circle_id))
        .where(
            col(Membership.person_id) == person_id,
            col(Membership.left_at).is_not(None),
            col(Membership.removed_at).is_(None),
            col(Membership.role) == Role.COFACILITATOR,
        )
        .order_by(col(Membership.left_at).desc())
    )
    return [(membership, circle) for membership, circle in rows.all()]


def step_in(session: AsyncSession, membership: Membership) -> None:
    """Back in the circle she stepped out of, as its co-facilitator again."""
    membership.left_at = None
    session.add(membership)
