"""Learners' messages passed on to their facilitators, numbered so that a facilitator can
answer the person who wrote one (/reply N) without ever seeing their phone number or account.
A number follows the last one passed on in any circle that shares a facilitator with this one:
a facilitator of several circles never reads the same number twice, so /reply N needs no
circle. Only who wrote is kept here, never the words: those travel in the outbox, where
/forget and retention find them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from bot.circles.erasure import passed_on_by
from bot.delivery.kinds import MessageKind
from bot.storage.models import FACILITATING, Account, Membership, OutboxMessage, PassedOn

# Tries at a number before giving up: each failed one saw a number another message took.
NUMBER_TRIES = 8


async def number(session: AsyncSession, circle_id: int, person_id: int, now: datetime) -> int:
    """A new message from `person_id` passed on in the circle: its number, the next after the
    last in the circles its facilitators run. Several learners of one circle writing at once
    would take the same number: the unique constraint refuses the later ones, and each tries
    the next number in a savepoint (on PostgreSQL, after the other has committed), so none
    of them is lost to the race. (In two circles, /reply asks which one is meant.)"""
    for attempt in range(1, NUMBER_TRIES + 1):
        last = (
            await session.exec(
                select(func.max(PassedOn.number)).where(
                    or_(
                        col(PassedOn.circle_id) == circle_id,
                        col(PassedOn.circle_id).in_(_sharing_a_facilitator(circle_id)),
                    )
                )
            )
        ).one()
        passed = PassedOn(
            circle_id=circle_id, number=(last or 0) + 1, person_id=person_id, created_at=now
        )
        try:
            async with session.begin_nested():
                session.add(passed)
        except IntegrityError:
            if attempt == NUMBER_TRIES:
                raise
            continue
        return passed.number
    raise AssertionError("unreachable")


def _sharing_a_facilitator(circle_id: int) -> SelectOfScalar[int]:
    """The circles that a current facilitator of `circle_id` facilitates too (a subquery)."""
    facilitators = select(Membership.person_id).where(
        Membership.circle_id == circle_id,
        col(Membership.role).in_(FACILITATING),
        col(Membership.left_at).is_(None),
    )
    return select(Membership.circle_id).where(
        col(Membership.person_id).in_(facilitators),
        col(Membership.role).in_(FACILITATING),
        col(Membership.left_at).is_(None),
    )


async def holding(session: AsyncSession, circle_ids: Sequence[int], number: int) -> list[int]:
    """Which of `circle_ids` have a message `number` (several only for numbers given before a
    facilitator ran both circles)."""
    rows = await session.exec(
        select(PassedOn.circle_id)
        .where(col(PassedOn.circle_id).in_(circle_ids), PassedOn.number == number)
        .order_by(col(PassedOn.circle_id))
    )
    return list(rows.all())


async def author(session: AsyncSession, circle_id: int, number: int) -> int | None:
    """Who wrote the circle's message `number`; None if there is none (or they were erased)."""
    return (
        await session.exec(
            select(PassedOn.person_id).where(
                PassedOn.circle_id == circle_id, PassedOn.number == number
            )
        )
    ).first()


async def latest(
    session: AsyncSession, circle_ids: Sequence[int | None], since: datetime, not_by: int
) -> PassedOn | None:
    """The newest message passed on in `circle_ids` since `since`, if any, but those of
    `not_by` (a co-facilitator's own, to the others)."""
    ids = [circle_id for circle_id in circle_ids if circle_id is not None]
    if not ids:
        return None
    return (
        await session.exec(
            select(PassedOn)
            .where(
                col(PassedOn.circle_id).in_(ids),
                col(PassedOn.created_at) >= since,
                PassedOn.person_id != not_by,
                col(PassedOn.person_id).in_(select(Account.person_id)),  # not erased
            )
            .order_by(col(PassedOn.created_at).desc(), col(PassedOn.id).desc())
        )
    ).first()


async def latest_from(
    session: AsyncSession, circle_ids: Sequence[int | None], person_id: int, since: datetime
) -> PassedOn | None:
    """The newest message `person_id` wrote in `circle_ids` since `since`, if any."""
    ids = [circle_id for circle_id in circle_ids if circle_id is not None]
    return (
        await session.exec(
            select(PassedOn)
            .where(
                col(PassedOn.circle_id).in_(ids),
                PassedOn.person_id == person_id,
                col(PassedOn.created_at) >= since,
            )
            .order_by(col(PassedOn.created_at).desc(), col(PassedOn.id).desc())
        )
    ).first()


async def erased(session: AsyncSession, person_id: int) -> bool:
    """Whether whoever wrote a message has deleted their data since (/forget): its number is
    kept by a nameless person with no account (bot/circles/erasure), never given again."""
    found = await session.exec(select(Account.id).where(Account.person_id == person_id))
    return found.first() is None


# The kinds of notice a learner's words reach their facilitators in (announcements.pass_on).
_PASSED_ON_KINDS = (MessageKind.FORWARDED_TEXT, MessageKind.ANNOUNCEMENT_REPLY)


async def words(session: AsyncSession, message: PassedOn) -> str | None:
    """The learner's words of `message`, read back from the notice its facilitators got ("Mercy
    wrote about ...:" / her words / "(To answer, send /reply 3 ...)"), the one copy kept: None
    once /forget or retention has taken them out (or the notice is gone)."""
    notices = await session.exec(
        select(OutboxMessage.payload)
        .where(
            col(OutboxMessage.kind).in_(_PASSED_ON_KINDS),
            col(OutboxMessage.idempotency_key).contains(
                f"|circle:{message.circle_id}|", autoescape=True
            ),
            col(OutboxMessage.idempotency_key).contains(
                "|" + passed_on_by(message.person_id), autoescape=True
            ),
            OutboxMessage.created_at == message.created_at,
        )
        .order_by(col(OutboxMessage.id))
    )
    number = re.compile(rf"(?<!\d){message.number}(?!\d)")
    for payload in notices.all():
        lines = str(payload.get("text", "")).split("\n")
        # Its header, her words, then how to answer it, which names its number.
        if len(lines) >= 3 and number.search(lines[-1]):
            return "\n".join(lines[1:-1]).strip() or None
    return None


async def since(
    session: AsyncSession, circle_ids: Sequence[int], after: datetime, not_by: int
) -> list[PassedOn]:
    """The messages passed on in `circle_ids` after `after`, oldest first, by learners still in
    the circle they wrote to (not erased, not gone), but those of `not_by` (a co-facilitator's
    own)."""
    if not circle_ids:
        return []
    rows = await session.exec(
        select(PassedOn)
        .join(
            Membership,
            (col(Membership.circle_id) == PassedOn.circle_id)
            & (col(Membership.person_id) == PassedOn.person_id),
        )
        .where(
            col(PassedOn.circle_id).in_(circle_ids),
            col(PassedOn.created_at) > after,
            PassedOn.person_id != not_by,
            col(Membership.left_at).is_(None),
            col(PassedOn.person_id).in_(select(Account.person_id)),  # not erased
        )
        .order_by(col(PassedOn.created_at), col(PassedOn.id))
    )
    return list(rows.all())
