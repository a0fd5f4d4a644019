"""`circlebot demo`: the scripted season a newcomer runs first."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import circlebot_command


def run_demo(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*circlebot_command(), "demo"], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_the_demo_plays_a_season_across_cities_and_is_deterministic(tmp_path: Path) -> None:
    first = run_demo(tmp_path)
    assert first.returncode == 0, first.stderr
    transcript = first.stdout
    # Two facilitators in two zones create circles; learners join with codes.
    assert "Detroit 10:00 AM EDT · Nairobi 5:00 PM EAT" in transcript
    assert "Your circle Python for Everyone is ready" in transcript
    assert "Your circle Digital Skills for Work is ready: 8 weekly meetings" in transcript
    assert "I couldn't find a circle with the code ABC234" in transcript
    assert "bot → Amina: Brian joined Python for Everyone." in transcript
    # After Detroit leaves DST the circle still meets at 18:00 local.
    assert "Meeting 2 of 6: Thursday, November 5, 2026 at 6:00 PM (EST)" in transcript
    # The reschedule reaches the learner through the outbox.
    assert "bot → Brian: Python for Everyone: meeting 2 has moved to Friday, November 6" in (
        transcript
    )
    assert "Did you mean /next?" in transcript
    # A newcomer three meetings in is never shown a past meeting.
    dana = transcript.split("Dana: /next")[1]
    assert "Meeting 5 of 6: Thursday, November 26, 2026" in dana
    # Nothing is left behind in the working directory.
    assert list(tmp_path.iterdir()) == []
    # Same script, same clock, same seed: the same transcript.
    assert run_demo(tmp_path).stdout == transcript


def test_the_benchmark_prints_its_figures(tmp_path: Path) -> None:
    result = subprocess.run(
        [*circlebot_command(), "bench", "--learners", "5"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("demo: ") and lines[0].endswith("(goal: under 10 s)")
    assert lines[1].startswith("sqlite: /join ") and "messages/s" in lines[1]
    assert lines[2].startswith("peak memory: ")
