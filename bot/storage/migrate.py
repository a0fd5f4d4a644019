"""Applying Alembic migrations from code (the CLI, tests and the demo share this path)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

Done = TypeVar("Done")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, revision: str) -> tuple[str | None, str | None]:
    config = alembic_config()
    config.attributes["connection"] = connection
    before = _revision_of(connection)
    command.upgrade(config, revision)
    return before, _revision_of(connection)


def _revision_of(connection: Connection) -> str | None:
    """The database's revision, read without Alembic's two lines of INFO about its context."""
    migration_log = logging.getLogger("alembic.runtime.migration")
    level = migration_log.level
    migration_log.setLevel(logging.WARNING)
    try:
        return MigrationContext.configure(connection).get_current_revision()
    finally:
        migration_log.setLevel(level)


# Two processes upgrading one fresh PostgreSQL database at once would race to create the
# tables: the second waits on this lock, then finds nothing left to do.
_UPGRADE_LOCK = 0x63697263_6C65_6462  # "circle" "db", any constant bigint will do


def _downgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands against this code's migrations."""

    current: str | None  # the database's revision; None: no migration applied yet
    head: str  # this code's newest revision
    known: bool  # the database's revision is one of this code's (False: newer code migrated it)
    pending: int  # migrations this code would apply

    @property
    def behind(self) -> bool:
        return self.known and self.pending > 0

    @property
    def ahead(self) -> bool:
        return not self.known


def _state(connection: Connection) -> SchemaState:
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    current = _revision_of(connection)
    known_revisions = {revision.revision for revision in script.walk_revisions()}
    if current is not None and current not in known_revisions:
        return SchemaState(current, head, known=False, pending=0)
    pending = list(script.iterate_revisions(head, current or "base"))
    return SchemaState(current, head, known=True, pending=len(pending))


async def schema_state(engine: AsyncEngine) -> SchemaState:
    """The database's revision and this code's head (`circlebot db current`)."""
    async with engine.connect() as connection:
        return await connection.run_sync(_state)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply the migrations up to `revision`: the database's revision before and after (read
    under the lock, so a process that found nothing left to do says so)."""
    return await _migrate(engine, _upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _migrate(engine, _downgrade, revision)


async def _migrate(
    engine: AsyncEngine, step: Callable[[Connection, str], Done], revision: str
) -> Done:
    """Run `step` in one transaction. On SQLite, with foreign keys unenforced while it runs:
    most changes to a table rebuild it (copy, drop, rename), and dropping a table other rows
    point to fails while they are enforced (Alembic's batch mode asks for exactly this). The
    pragma only takes effect outside a transaction, so it is set before and after, and the
    rows are checked before the transaction commits."""
    sqlite = engine.dialect.name == "sqlite"
    async with engine.connect() as connection:
        if sqlite:
            await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await connection.commit()
        try:
            async with connection.begin():
                if connection.dialect.name == "postgresql":
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK}
                    )
                done = await connection.run_sync(step, revision)
                if sqlite:
                    broken = (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")
        finally:
            if sqlite:
                await connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                await connection.commit()
    return done


def _revision(connection: Connection, message: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.revision(config, message=message, autogenerate=True)


async def make_revision(engine: AsyncEngine, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    async with engine.begin() as connection:
        await connection.run_sync(_revision, message)
