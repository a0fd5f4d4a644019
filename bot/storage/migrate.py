"""Applying Alembic migrations from code (the CLI, tests and the demo share this path)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


# Two processes upgrading one fresh PostgreSQL database at once would race to create the
# tables: the second waits on this lock, then finds nothing left to do.
_UPGRADE_LOCK = 0x63697263_6C65_6462  # "circle" "db", any constant bigint will do


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK}
            )
        await connection.run_sync(_upgrade, revision)


def _revision(connection: Connection, message: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.revision(config, message=message, autogenerate=True)


async def make_revision(engine: AsyncEngine, message: str) -> None:
    """Write a new migration from the difference between the models and the database."""
    async with engine.begin() as connection:
        await connection.run_sync(_revision, message)
