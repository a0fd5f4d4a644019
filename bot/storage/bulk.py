"""Many rows in one go, for the tick's bulk writes (the outbox rows, questions and offered
choices of 100,000 check-ins): each column's values are converted the way SQLAlchemy would
store them (once per distinct value: most rows share their times), then the rows go to the
driver at once, without SQLAlchemy's work per row and per parameter.

PostgreSQL: a few hundred rows or more are copied (binary COPY) into a temporary table, then
moved with one INSERT ... SELECT; fewer go as INSERT ... SELECT FROM unnest(one array per
column). COPY spares the driver's work per array element and the server's unnesting: at 100,000
outbox rows it took 0.4-0.6 s where the arrays took 1.1-1.6 s. SQLite: one INSERT ... VALUES
with hundreds of rows per statement, or the driver's
executemany (a loop in C) when nothing need come back. Either way RETURNING says which rows
were new, in the statement that inserted them. After such writes, refresh_statistics keeps
PostgreSQL's planner in step with the tables' new size.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine
from sqlmodel.ext.asyncio.session import AsyncSession

# Parameters in one SQLite statement: well inside its limit (32,766 since SQLite 3.32).
SQLITE_PARAMETERS = 6_000
# Rows written to a table, and the share of its rows as last counted, past which PostgreSQL's
# statistics of it are refreshed (see refresh_statistics).
ANALYZE_AFTER_ROWS = 1_000
ANALYZE_AFTER_SHARE = 0.1
# Rows from which PostgreSQL gets them by COPY through a temporary table (see the module's
# docstring): below it, a temporary table's creation costs more than it saves.
COPY_FROM_ROWS = 500


async def insert_rows(
    session: AsyncSession,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    unique: str | None = None,
    update: Sequence[str] = (),
    as_stored: Collection[str] = (),
) -> set[Any]:
    """Insert `rows` (values in the order of `columns`).

    With `unique` (one of `columns`, with a unique index), a row whose value there is already
    stored, or came earlier in `rows`, is skipped (ON CONFLICT DO NOTHING) and the values of
    the rows inserted are returned; or, with `update`, those columns of the stored row are
    overwritten instead. Without `unique`, every row is inserted. Values of the `as_stored`
    columns are already what the database keeps (JSON text made by the caller)."""
    if not rows:
        return set()
    connection = await session.connection()
    dialect = connection.dialect
    values = [
        list(column) if name in as_stored else _stored_values(table, name, column, dialect)
        for name, column in zip(columns, zip(*rows, strict=True), strict=True)
    ]
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in columns)
    target = dialect.identifier_preparer.format_table(table)
    conflict = ""
    if unique:
        action = "DO NOTHING"
        if update:
            action = "DO UPDATE SET " + ", ".join(
                f"{quote(c)} = excluded.{quote(c)}" for c in update
            )
        conflict = f" ON CONFLICT ({quote(unique)}) {action}"
    if dialect.name == "postgresql" and len(rows) >= COPY_FROM_ROWS:
        returning = f" RETURNING {quote(unique)}" if unique and not update else ""
        staged = quote(f"staged_{table.name}")
        # Columns as the table's, without its constraints and indexes; gone at commit anyway.
        await connection.exec_driver_sql(
            f"CREATE TEMPORARY TABLE {staged} ON COMMIT DROP AS "
            f"SELECT {names} FROM {target} WITH NO DATA"
        )
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None
        await driver.copy_records_to_table(
            f"staged_{table.name}", records=zip(*values, strict=True), columns=list(columns)
        )
        result = await connection.exec_driver_sql(
            f"INSERT INTO {target} ({names}) SELECT {names} FROM {staged}{conflict}{returning}"
        )
        inserted = set(result.scalars().all()) if returning else set()
        await connection.exec_driver_sql(f"DROP TABLE {staged}")  # the next chunk makes its own
        return inserted
    if dialect.name == "postgresql":
        arrays = ", ".join(
            f"${place}::{table.c[name].type.compile(dialect)}[]"
            for place, name in enumerate(columns, start=1)
        )
        returning = f" RETURNING {quote(unique)}" if unique and not update else ""
        result = await connection.exec_driver_sql(
            f"INSERT INTO {target} ({names}) SELECT * FROM unnest({arrays}){conflict}{returning}",
            tuple(values),
        )
        return set(result.scalars().all()) if returning else set()
    rows_stored = list(zip(*values, strict=True))
    if not unique or update:
        marks = ", ".join("?" for _ in columns)
        await connection.exec_driver_sql(
            f"INSERT INTO {target} ({names}) VALUES ({marks}){conflict}", rows_stored
        )
        return set()
    # RETURNING needs one statement per batch (executemany returns nothing): many rows each.
    new: set[Any] = set()
    per_statement = max(1, SQLITE_PARAMETERS // len(columns))
    for start in range(0, len(rows_stored), per_statement):
        batch = rows_stored[start : start + per_statement]
        marks = ", ".join(["(" + ", ".join("?" for _ in columns) + ")"] * len(batch))
        result = await connection.exec_driver_sql(
            f"INSERT INTO {target} ({names}) VALUES {marks}{conflict} RETURNING {quote(unique)}",
            tuple(value for row in batch for value in row),
        )
        new.update(result.scalars().all())
    return new


async def update_rows(
    session: AsyncSession,
    table: Table,
    keys: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Set `columns` of the stored rows whose `keys` match each of `rows` (values of `keys`,
    then of `columns`). PostgreSQL: one UPDATE ... FROM unnest(one array per column), where
    the driver's executemany runs the statement once a row (0.2-0.5 s for 10,000 circles).
    SQLite: executemany, a loop in C."""
    if not rows:
        return
    connection = await session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    target = dialect.identifier_preparer.format_table(table)
    names = [*keys, *columns]
    values = [
        _stored_values(table, name, column, dialect)
        for name, column in zip(names, zip(*rows, strict=True), strict=True)
    ]
    setting = ", ".join(f"{quote(c)} = given.{quote(c)}" for c in columns)
    if dialect.name == "postgresql":
        arrays = ", ".join(
            f"${place}::{table.c[name].type.compile(dialect)}[]"
            for place, name in enumerate(names, start=1)
        )
        matching = " AND ".join(f"{target}.{quote(k)} = given.{quote(k)}" for k in keys)
        await connection.exec_driver_sql(
            f"UPDATE {target} SET {setting} FROM unnest({arrays}) "
            f"AS given({', '.join(quote(n) for n in names)}) WHERE {matching}",
            tuple(values),
        )
        return
    setting = ", ".join(f"{quote(c)} = ?" for c in columns)
    matching = " AND ".join(f"{quote(k)} = ?" for k in keys)
    await connection.exec_driver_sql(
        f"UPDATE {target} SET {setting} WHERE {matching}",
        [(*row[len(keys) :], *row[: len(keys)]) for row in zip(*values, strict=True)],
    )


def _stored_values(table: Table, name: str, column: Sequence[Any], dialect: Dialect) -> list[Any]:
    """A column's values as SQLAlchemy would bind them: each distinct one converted once."""
    processor: Callable[[Any], Any] | None = (
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    )
    if processor is None:
        return list(column)
    seen: dict[Any, Any] = {}
    converted = []
    for value in column:
        try:
            if value not in seen:
                seen[value] = processor(value)
            converted.append(seen[value])
        except TypeError:  # unhashable (a dict for a JSON column): converted every time
            converted.append(processor(value))
    return converted


async def refresh_statistics(session: AsyncSession, written: dict[str, int]) -> None:
    """ANALYZE, in the caller's transaction, each table (by name) that `written` rows changed
    by a good share, on PostgreSQL. Its planner goes by statistics autovacuum refreshes a
    minute or more later; until then a tick's bulk writes leave plans made for the tables as
    they were: a nested loop over every pair of rows for the dispatcher's claim (70 s a run
    with 10,000 check-ins queued, 20 ms analysed), a scan of every circle for a due lookup.
    ANALYZE samples the rows this transaction wrote too. SQLite needs none of it."""
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        return
    busy = {name: rows for name, rows in written.items() if rows >= ANALYZE_AFTER_ROWS}
    if not busy:
        return
    counted: dict[str, float] = dict(
        (
            await connection.execute(
                text("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(:names)"),
                {"names": sorted(busy)},
            )
        ).all()
    )
    stale = [
        name
        for name, rows in sorted(busy.items())
        # reltuples is -1 for a table never analysed.
        if counted.get(name, -1) <= 0 or rows >= counted[name] * ANALYZE_AFTER_SHARE
    ]
    if stale:
        await connection.execute(text("ANALYZE " + ", ".join(stale)))


async def temporary_table(
    session: AsyncSession,
    name: str,
    columns: Sequence[tuple[str, TypeEngine[Any]]],
    rows: Sequence[Sequence[Any]],
) -> None:
    """A temporary table `name` of `columns` (name, type), holding `rows`, for set-based
    statements to join (gone at commit on PostgreSQL; drop_temporary drops it sooner). Values
    are converted as the types store them. PostgreSQL: one INSERT ... SELECT FROM unnest(one
    array per column); SQLite: executemany."""
    connection = await session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    kept = " ON COMMIT DROP" if dialect.name == "postgresql" else ""
    declared = ", ".join(f"{quote(c)} {t.compile(dialect)}" for c, t in columns)
    await connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {quote(name)} ({declared}){kept}")
    if not rows:
        return
    values = [
        _converted(type_, column, dialect)
        for (_, type_), column in zip(columns, zip(*rows, strict=True), strict=True)
    ]
    if dialect.name == "postgresql":
        arrays = ", ".join(
            f"${place}::{type_.compile(dialect)}[]"
            for place, (_, type_) in enumerate(columns, start=1)
        )
        await connection.exec_driver_sql(
            f"INSERT INTO {quote(name)} SELECT * FROM unnest({arrays})", tuple(values)
        )
        return
    marks = ", ".join("?" for _ in columns)
    await connection.exec_driver_sql(
        f"INSERT INTO {quote(name)} VALUES ({marks})", list(zip(*values, strict=True))
    )


async def temporary_table_as(session: AsyncSession, name: str, query: str) -> None:
    """A temporary table `name` holding what `query` (SQL with no parameters) selects."""
    connection = await session.connection()
    quote = connection.dialect.identifier_preparer.quote
    kept = " ON COMMIT DROP" if connection.dialect.name == "postgresql" else ""
    await connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {quote(name)}{kept} AS {query}")


async def drop_temporary(session: AsyncSession, *names: str) -> None:
    """Drop temporary tables, so the next chunk of a tick can make its own."""
    connection = await session.connection()
    quote = connection.dialect.identifier_preparer.quote
    for name in names:
        await connection.exec_driver_sql(f"DROP TABLE {quote(name)}")


def _converted(type_: TypeEngine[Any], column: Sequence[Any], dialect: Dialect) -> list[Any]:
    """A column's values as `type_` binds them: each distinct one converted once."""
    processor = type_.dialect_impl(dialect).bind_processor(dialect)
    if processor is None:
        return list(column)
    seen: dict[Any, Any] = {}
    for value in column:
        if value not in seen:
            seen[value] = processor(value)
    return [seen[value] for value in column]
