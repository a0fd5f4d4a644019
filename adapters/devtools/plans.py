"""Query plans of the statements the bot really runs: `circlebot bench-checkins --explain`.

A StatementLog records, on one or more engines, each statement and its parameters while a
piece of work runs under a label (a tick with nothing due, /next, a dispatcher run). Then each
distinct statement is run again under EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, in a
transaction rolled back, so the plans printed are those of the very statements and values the
bot sent, at the size the bench seeded; the README's performance section quotes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# Inserts are the tick's bulk writes (timed by the bench itself), not lookups to plan.
PLANNED = ("SELECT", "UPDATE", "DELETE", "WITH")


@dataclass
class Seen:
    label: str
    statement: str
    parameters: Any


@dataclass
class StatementLog:
    """The statements run on `engines` while a label is set (see `labelled`)."""

    engines: list[AsyncEngine]
    seen: list[Seen] = field(default_factory=list)
    label: str | None = None

    def __post_init__(self) -> None:
        for engine in self.engines:
            event.listen(engine.sync_engine, "before_cursor_execute", self._record)

    def close(self) -> None:
        for engine in self.engines:
            event.remove(engine.sync_engine, "before_cursor_execute", self._record)

    def _record(
        self,
        _connection: Any,
        _cursor: Any,
        statement: str,
        parameters: Any,
        _context: Any,
        executemany: bool,
    ) -> None:
        if self.label is not None:
            # Of a statement run for many rows (the tick's stamps), the first row's values.
            first = parameters[0] if executemany and parameters else parameters
            self.seen.append(Seen(self.label, statement, first))

    @contextmanager
    def labelled(self, label: str) -> Iterator[None]:
        self.label = label
        try:
            yield
        finally:
            self.label = None

    def distinct(self) -> list[Seen]:
        """The first of each statement text under each label, in the order they ran: the ones
        worth a plan (not inserts, not transaction control)."""
        kept: dict[tuple[str, str], Seen] = {}
        for seen in self.seen:
            words = seen.statement.lstrip().split(None, 1)
            if not words or words[0].upper() not in PLANNED:
                continue
            kept.setdefault((seen.label, seen.statement), seen)
        return list(kept.values())


async def explain(engine: AsyncEngine, log: StatementLog, output: TextIO) -> None:
    """Print each distinct statement of `log` with its plan, as PostgreSQL ran it."""
    if engine.dialect.name != "postgresql":
        output.write("plans: PostgreSQL only (--database-url postgresql://...)\n")
        return
    label = None
    for seen in log.distinct():
        if seen.label != label:
            label = seen.label
            output.write(f"\n== {label}\n")
        output.write("\n" + " ".join(seen.statement.split())[:400] + "\n")
        async with engine.connect() as connection:
            transaction = await connection.begin()
            try:
                result = await connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS) " + seen.statement, seen.parameters or ()
                )
                for (line,) in result.all():
                    output.write("  " + line + "\n")
            finally:
                await transaction.rollback()
        output.flush()
