"""Where an adapter got to in its platform's stream (Telegram's update offset), kept in the
database so a restart, or another process taking over, carries on from there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import AdapterCursor


async def load(session: AsyncSession, platform: str, name: str) -> str | None:
    return (
        await session.exec(
            select(AdapterCursor.value).where(
                AdapterCursor.platform == platform, AdapterCursor.name == name
            )
        )
    ).first()


async def save(session: AsyncSession, platform: str, name: str, value: str, now: datetime) -> None:
    """Store the position. Only the process leading the stream writes it: no insert race."""
    result = await session.exec(
        update(AdapterCursor)
        .where(col(AdapterCursor.platform) == platform, col(AdapterCursor.name) == name)
        .values(value=value, updated_at=now)
    )
    if not result.rowcount:
        session.add(AdapterCursor(platform=platform, name=name, value=value, updated_at=now))
