"""A learner's times away from a circle she left and came back to (AwaySpell): the meetings
held while she was gone are not hers, in any figure or list of who was in the circle then."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import AwaySpell, Membership


def come_back(session: AsyncSession, membership: Membership, now: datetime) -> datetime | None:
    """Reopen a membership left (/leave), keeping the time away. Returns when she had left,
    None if she was in the circle already."""
    left = membership.left_at
    if left is None:
        return None
    assert membership.id is not None
    session.add(AwaySpell(membership_id=membership.id, left_at=left, came_back_at=now))
    membership.left_at = None
    session.add(membership)
    return left


async def spells_of(
    session: AsyncSession, membership_ids: Collection[int]
) -> dict[int, list[AwaySpell]]:
    """Each membership's times away, oldest first; none for most."""
    found: dict[int, list[AwaySpell]] = defaultdict(list)
    if not membership_ids:
        return found
    rows = await session.exec(
        select(AwaySpell)
        .where(col(AwaySpell.membership_id).in_(list(membership_ids)))
        .order_by(col(AwaySpell.left_at))
    )
    for spell in rows.all():
        found[spell.membership_id].append(spell)
    return found


def away_for(spells: Iterable[AwaySpell], starts_at: datetime, ends_at: datetime) -> bool:
    """Whether she was away for the whole of a meeting (or, starts_at == ends_at, at an
    instant): gone before it began, back only after it ended. As for leaving, one who left
    during a meeting, or came back before it ended, was in the circle for it."""
    return any(s.left_at <= starts_at and s.came_back_at >= ends_at for s in spells)


def member_since(membership: Membership, spells: Iterable[AwaySpell]) -> datetime:
    """When her present time in the circle began: when she last came back, else joined."""
    return max((s.came_back_at for s in spells), default=membership.joined_at)
