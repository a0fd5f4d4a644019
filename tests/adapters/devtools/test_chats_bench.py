"""`circlebot bench-chats` at a small size. Speed is not asserted (figures belong to the bench):
only that every person is answered once and the figures are printed."""

from __future__ import annotations

import io

from adapters.devtools.chats_bench import run_chats_bench


async def test_a_small_bench_answers_everyone_once_and_prints_its_figures() -> None:
    output = io.StringIO()
    [run] = await run_chats_bench(output, people=6, runs=1, lanes=4)
    assert run.missing == 0 and run.duplicates == 0
    assert len(run.latencies) == 6 and all(latency > 0 for latency in run.latencies)
    assert run.too_many == 0
    assert 0 < run.p50 <= run.p95
    text = output.getvalue()
    assert "6/6 answered" in text and "replies/s" in text and "p95" in text
