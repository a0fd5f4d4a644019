"""Where an adapter got to in its platform's stream (Telegram's update offset), kept in the
database so a restart, or another process taking over, carries on from there."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.database import insert_for
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
    """Store the position, in one upsert: a stream's cursor is written by the process leading
    it, but a rehearsal's clock (adapters/shell/cli.py) by every process at its start, and two
    workers started at once both found no row and both inserted one (a CI run: the second
    stopped on the unique constraint)."""
    table = AdapterCursor.__table__  # type: ignore[attr-defined]
    statement = insert_for(session)(table).values(
        platform=platform, name=name, value=value, updated_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["platform", "name"],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
    )
    await session.exec(statement)
