"""Query plans of the statements the bot really runs: `circlebot bench-checkins --explain`.

A StatementLog records, on one or more engines, each statement and its parameters while a
piece of work runs under a label (a tick with nothing due, /next, a dispatcher run). Then each
distinct statement is run again under EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, in a
transaction rolled back, so the plans printed are those of the very statements and values the
bot sent, at the size the bench seeded; the README's performance section quotes them.

`python -m adapters.devtools.plans --rows 1000000` does the same for a dispatcher run alone
over a queue of that size, seeded in one statement (no tick), each plan timed three times.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.contract import Adapter
from bot.chat.i18n import Catalogs
from bot.chat.messages import Capabilities, Outbound, Receipt
from bot.delivery.dispatcher import dispatch_batch
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade
from locales import LOCALES_DIR

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


# -- the dispatcher's claim at scale: `python -m adapters.devtools.plans --rows 1000000` -------

CLAIM_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CLAIM_NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
# `rows` check-ins to as many learners (one in ten by SMS), due a minute ago; 2,000
# announcements to one group whose first is retrying; 10,000 reminders due next week. Each
# SELECT reads the time as t ($1) and a count as n ($2).
_CLAIM_COLUMNS = (
    "idempotency_key, kind, platform, chat_id, payload, status, priority, useful_until, "
    "attempts, parts_sent, next_attempt_at, created_at"
)
_CLAIM_SEED = (
    """SELECT 'checkin|' || g, 'checkin', CASE WHEN g % 10 = 0 THEN 'sms' ELSE 'telegram' END,
    'chat' || g, '{"text": "How was this week?", "locale": "en", "choices": [],
    "attachments": []}', 'pending', 1, t + interval '3 days', 0, 0,
    t - interval '1 minute', t - interval '1 minute'""",
    """SELECT 'announcement|' || g, 'announcement', 'telegram', '-100group',
    '{"text": "News", "locale": "en", "choices": [], "attachments": []}', 'pending', 3,
    t + interval '3 days', CASE WHEN g = 1 THEN 1 ELSE 0 END, 0,
    CASE WHEN g = 1 THEN t + interval '1 minute' ELSE t - interval '2 minutes' END,
    t - interval '2 minutes'""",
    """SELECT 'reminder|' || g, 'attendance-reminder', 'telegram', 'chat' || g,
    '{"text": "Soon", "locale": "en", "choices": [], "attachments": []}', 'pending', 1,
    t + interval '8 days', 0, 0, t + interval '7 days', t""",
)
_CLAIM_FROM = (
    " FROM (SELECT $1::timestamp AS t, $2::integer AS n) AS given, generate_series(1, n) g"
)


@dataclass
class _Sink:
    """An adapter that accepts every message and keeps none."""

    platform: str
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4000))

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        return Receipt()


async def _administer(admin_url: str, statement: str) -> None:
    engine = create_engine(admin_url)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


async def claim_plans(
    output: TextIO, rows: int, runs: int = 3, admin_url: str = CLAIM_ADMIN_URL
) -> None:
    """Seed a scratch PostgreSQL database (dropped afterwards) with `rows` queued check-ins,
    record a dispatcher run's statements, and print each one's EXPLAIN (ANALYZE, BUFFERS)
    execution time `runs` times (min/median/max) with its buffers, then the plans."""
    name = "circlebot_claim_" + uuid.uuid4().hex[:12]
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    await _administer(admin_url, f'CREATE DATABASE "{name}"')
    try:
        engine = create_engine(url)
        try:
            await upgrade(engine)
            naive = CLAIM_NOW.replace(tzinfo=None)
            async with engine.begin() as connection:
                for count, select in zip((rows, 2_000, 10_000), _CLAIM_SEED, strict=True):
                    insert = f"INSERT INTO outboxmessage ({_CLAIM_COLUMNS}) {select}{_CLAIM_FROM}"
                    await connection.exec_driver_sql(insert, (naive, count))
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.exec_driver_sql("VACUUM ANALYZE outboxmessage")
            await _time_claim(engine, output, runs)
        finally:
            await engine.dispose()
    finally:
        await _administer(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _time_claim(engine: AsyncEngine, output: TextIO, runs: int) -> None:
    log = StatementLog([engine])
    adapters: dict[str, Adapter] = {name: _Sink(name) for name in ("telegram", "sms")}
    try:
        with log.labelled("a dispatcher run (50 rows)"):
            summary = await dispatch_batch(
                session_factory(engine), FakeClock(CLAIM_NOW), Catalogs(LOCALES_DIR), adapters
            )
    finally:
        log.close()
    output.write(f"sent: {summary.sent}\n")
    for seen in log.distinct():
        times, buffers = [], []
        for _ in range(runs):
            async with engine.connect() as connection:
                transaction = await connection.begin()
                try:
                    result = await connection.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + seen.statement,
                        seen.parameters or (),
                    )
                    plan = result.scalar_one()
                finally:
                    await transaction.rollback()
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]
            times.append(float(top["Execution Time"]))
            buffers.append(
                int(top["Plan"]["Shared Hit Blocks"]) + int(top["Plan"]["Shared Read Blocks"])
            )
        times.sort()
        output.write(
            f"{' '.join(seen.statement.split())[:60]}...: "
            f"{times[0]:.2f}/{statistics.median(times):.2f}/{times[-1]:.2f} ms, "
            f"buffers {'/'.join(str(b) for b in buffers)}\n"
        )
    await explain(engine, log, output)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The dispatcher's claim at scale (PostgreSQL).")
    parser.add_argument("--rows", type=int, default=1_000_000, help="check-ins queued")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--admin-url", default=CLAIM_ADMIN_URL)
    args = parser.parse_args(argv)
    asyncio.run(claim_plans(sys.stdout, args.rows, args.runs, args.admin_url))


if __name__ == "__main__":
    main()
