"""The load test at a tiny size: two real `circlebot run` processes play a network's week in a few
seconds. Speed is not asserted (figures belong to `circlebot load-test`): only that the figures
are printed and that every learner who answered got a reply."""

from __future__ import annotations

import io
import os

import asyncpg
import pytest

from adapters.devtools.load_test import closing, measure, report
from tests.conftest import PG_ADMIN_DSN, _pg_reachable


async def _load_databases() -> set[str]:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        rows = await connection.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE 'circlebot_load%'"
        )
    finally:
        await connection.close()
    return {row["datname"] for row in rows}


async def test_a_tiny_week_on_two_processes_replies_to_every_answer_and_prints_the_figures() -> (
    None
):
    reason = await _pg_reachable()
    if reason:
        if os.environ.get("CIRCLEBOT_REQUIRE_PG"):  # CI: the server must be there
            pytest.fail(reason)
        pytest.skip(reason)
    before = await _load_databases()
    output = io.StringIO()

    figures = await measure(
        (2,), learners=120, circles=12, week_seconds=5, admin_url=PG_ADMIN_DSN, output=output
    )

    [week] = figures.runs
    assert week.processes == 2
    # Learners were asked to check in, a share answered (rating, then a sentence), and every
    # one of their messages got a reply. How many check-ins go out before their meeting comes
    # round depends on the machine's load (a week lasts five seconds): CI once sent 90 of 200.
    assert week.messages["checkin"] > 20
    assert week.answers >= 3
    assert week.lost == 0 and len(week.latencies) == week.answers
    assert all(latency > 0 for latency in week.latencies)
    assert week.messages["reply"] > 0
    assert week.calls > 0 and week.peak > 0
    assert week.backlog and len(week.peak_mib) == 2 and all(m > 0 for m in week.peak_mib)

    printed = output.getvalue() + closing(figures)
    assert printed == report(figures)
    assert "120 learners in 12 circles" in printed
    assert "calls/s  peak/s" in printed and "p50 s  p95 s  p99 s" in printed
    assert "\n  backlog every" in printed
    assert "peak MiB each" in printed
    assert "2 processes, 1 run (min/median/max): calls/s " in printed
    assert printed.rstrip().endswith("lost replies 0")
    # Its databases (the seeded template and the run's copy) are dropped.
    assert await _load_databases() == before
