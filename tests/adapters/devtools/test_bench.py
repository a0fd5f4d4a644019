"""The check-in bench at a small size: its figures are printed and parse. Speed is not asserted
here (figures belong to `circlebot bench`, not to timed tests)."""

from __future__ import annotations

import io
import re

from adapters.devtools.bench import run_checkin_bench

NUMBER = r"(\d+(?:\.\d+)?)"


def figure(report: str, pattern: str) -> tuple[float, ...]:
    match = re.search(pattern, report, re.MULTILINE)
    assert match, f"no line matching {pattern!r} in:\n{report}"
    return tuple(float(group) for group in match.groups())


async def test_the_checkin_bench_enqueues_one_checkin_per_learner_and_prints_its_figures() -> None:
    output = io.StringIO()
    await run_checkin_bench(output, None, learners=300, circles=30)
    report = output.getvalue()

    assert report.startswith("check-in bench (sqlite): 300 learners in 30 circles")
    seconds, rows, _ = figure(report, rf"^seed: {NUMBER} s \({NUMBER} rows, {NUMBER} rows/s\)$")
    # Per circle: the circle, 6 meetings, and a person, an account and a membership for each of
    # the facilitator and 10 learners.
    assert rows == 30 * (1 + 6 + 3 * 11)
    assert seconds >= 0
    assert figure(report, r"^check-ins due: (\d{4})-\d\d-\d\d \d\d:\d\d to ") == (2026,)
    seconds, enqueued, rate = figure(
        report, rf"^tick: {NUMBER} s, {NUMBER} check-ins enqueued, {NUMBER} rows/s$"
    )
    assert enqueued == 300
    assert seconds > 0 and rate > 0
    assert figure(report, rf"^second tick: {NUMBER} s, {NUMBER} enqueued$")[1] == 0
    peak, seeded = figure(
        report, rf"^process peak memory: {NUMBER} MiB \(after seeding: {NUMBER} MiB\)$"
    )
    assert peak >= seeded > 0
    assert figure(report, rf"^database size: {NUMBER} MiB$")[0] > 0
    traced, _ = figure(
        report, rf"^tick peak traced memory: {NUMBER} MiB \(rerun under tracemalloc: {NUMBER} s\)$"
    )
    assert traced > 0


async def test_the_checkin_bench_can_skip_the_traced_rerun() -> None:
    output = io.StringIO()
    await run_checkin_bench(output, None, learners=12, circles=3, trace_memory=False)
    report = output.getvalue()
    assert figure(report, rf"^tick: {NUMBER} s, {NUMBER} check-ins enqueued")[1] == 12
    assert "traced" not in report
