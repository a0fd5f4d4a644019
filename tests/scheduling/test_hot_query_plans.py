"""`circlebot bench-checkins --explain` prints the plan of every statement a tick with nothing
due, the hourly tick, a busy tick, /next and a dispatcher run send, as PostgreSQL ran them: the
README's query plans are kept true with it."""

from __future__ import annotations

import io

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.devtools.bench import run_checkin_bench


async def test_the_checkin_bench_explains_the_hot_statements(pg_engine: AsyncEngine) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    output = io.StringIO()
    await run_checkin_bench(output, url, learners=12, circles=3, trace_memory=False, explain=True)
    report = output.getvalue()

    sections = report.split("\n== ")[1:]
    assert [section.splitlines()[0] for section in sections] == [
        "a tick with nothing due",
        "a tick with nothing due, on the hour (retention's turn)",
        "a tick working 2000 circles out again",
        "/next from a learner",
        "a dispatcher run (50 rows)",
    ]
    nothing_due = sections[0]
    assert "FROM circle WHERE circle.rhythm_due_at <= " in nothing_due
    assert "FROM circle WHERE circle.letters_due_at <= " in nothing_due
    statements = nothing_due.count("\nSELECT ") + nothing_due.count("\nUPDATE ")
    assert nothing_due.count("Execution Time") == statements  # each with its plan
    assert "SELECT account." in sections[3] and "Execution Time" in sections[3]
    # A statement is explained once, under the first run that sent it: the dispatcher's claim
    # comes with /next already (its reply is dispatched at once).
    dispatching = sections[3] + sections[4]
    assert "FROM outboxmessage" in dispatching and "Execution Time" in sections[4]
