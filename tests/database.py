"""Sessions on a core's database, for tests that arrange or inspect rows directly.

Core keeps its engine and sessions private (adapters reach the database only through its
methods); a test may look behind it, and does so only through open_session().
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core import Core
from bot.storage import migrations
from bot.storage.database import session_factory


def open_session(core: Core) -> AsyncSession:
    """A new session on `core`'s database: `async with open_session(core) as session: ...`."""
    return session_factory(core._engine)()


def head_revision() -> str:
    """The newest migration's revision: what an upgraded database records."""
    versions = Path(migrations.__file__).parent / "versions"
    return max(path.name[:4] for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
