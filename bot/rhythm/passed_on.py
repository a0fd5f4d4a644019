"""Learners' messages passed on to their facilitators, numbered within the circle, so that a
facilitator can answer the person who wrote one (/reply N) without ever seeing their phone
number or account. Only who wrote is kept here, never the words: those travel in the outbox,
where /forget and retention find them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import PassedOn


async def number(session: AsyncSession, circle_id: int, person_id: int, now: datetime) -> int:
    """A new message from `person_id` passed on in the circle: its number there, the next
    after the last. (Two at once would take the same one: the unique constraint makes the
    router try the later again.)"""
    last = (
        await session.exec(select(func.max(PassedOn.number)).where(PassedOn.circle_id == circle_id))
    ).one()
    passed = PassedOn(
        circle_id=circle_id, number=(last or 0) + 1, person_id=person_id, created_at=now
    )
    session.add(passed)
    await session.flush()
    return passed.number


async def author(session: AsyncSession, circle_id: int, number: int) -> int | None:
    """Who wrote the circle's message `number`; None if there is none (or they were erased)."""
    return (
        await session.exec(
            select(PassedOn.person_id).where(
                PassedOn.circle_id == circle_id, PassedOn.number == number
            )
        )
    ).first()
