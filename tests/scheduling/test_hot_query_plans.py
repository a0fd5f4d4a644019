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

    chunks = report.split("\n== ")[1:]
    # A run's statements may come in more than one stretch (another run's in between): by label.
    sections_by: dict[str, str] = {}
    for chunk in chunks:
        label = chunk.splitlines()[0]
        sections_by[label] = sections_by.get(label, "") + chunk
    assert list(sections_by) == [
        "a tick with nothing due",
        "a tick with nothing due, on the hour (retention's turn)",
        "a tick working 2000 circles out again",
        "/next from a learner",
        "a dispatcher run (50 rows)",
    ]
    sections = list(sections_by.values())
    nothing_due = sections[0]
    assert "FROM circle WHERE circle.rhythm_due_at <= " in nothing_due
    assert "FROM circle WHERE circle.letters_due_at <= " in nothing_due
    statements = nothing_due.count("\nSELECT ") + nothing_due.count("\nUPDATE ")
    assert nothing_due.count("Execution Time") == statements  # each with its plan
    assert "SELECT account." in sections[3] and "Execution Time" in sections[3]
    # The claim (its text is cut at 400 characters: a walk of the claim index, a chat at a
    # time) and the lease.
    claim = "WITH RECURSIVE walk(priority, platform, due, chat_id, step) AS (SELECT seed.priority"
    assert claim in sections[4] and "UPDATE outboxmessage SET claimed_until" in sections[4]
    assert sections[4].count("Execution Time") >= 2
