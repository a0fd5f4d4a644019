"""Sessions on a core's database, for tests that arrange or inspect rows directly.

Core keeps its engine and sessions private (adapters reach the database only through its
methods); a test may look behind it, and does so only through open_session().
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel, select
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


def readable(value: Any) -> str:
    """A stored value as text, with an outbox payload's attachments decoded (a CSV export)."""
    if isinstance(value, dict) and "attachments" in value:
        files = [
            base64.b64decode(data).decode("utf-8", "replace") for *_, data in value["attachments"]
        ]
        return json.dumps(value, ensure_ascii=False) + "\n" + "\n".join(files)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


async def leaks(core: Core, marker: str) -> list[str]:
    """Every stored value, in every table, that still holds a word starting with `marker`
    (case aside), as "table #id column: the words" (outbox rows with their kind and status)."""
    found = []
    async with open_session(core) as session:
        connection = await session.connection()  # rows as tuples, one column or several
        for table in SQLModel.metadata.sorted_tables:
            for row in (await connection.execute(select(*table.columns))).all():
                values = dict(zip(table.columns.keys(), row, strict=True))
                what = f"{table.name} #{row[0]}"
                if table.name == "outboxmessage":
                    what += f" ({values['kind']}, {values['status']})"
                for column, value in values.items():
                    planted = sorted(set(re.findall(marker + r"\w*", readable(value), re.I)))
                    if planted:
                        found.append(f"{what} {column}: {', '.join(planted)}")
    return found
