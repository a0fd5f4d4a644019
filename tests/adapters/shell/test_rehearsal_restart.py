"""A rehearsal worker restarted with the same settings (as one restarts any worker) carries on
where it was, rather than rewinding its clock to REHEARSAL_START (walkthrough ops 15)."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import time
from datetime import datetime
from pathlib import Path

from tests.adapters.shell.test_startup_problems import CLEAN, _started, free_port
from tests.conftest import circlebot_command

REHEARSAL = re.compile(r"at unix time ([\d.]+) and runs 1500 times fast \(now ([^)]+)\)")


def _rehearsal_clock(environment: dict[str, str]) -> tuple[float, datetime]:
    """Start a worker, read its clock's origin and time from its log, stop it."""
    with subprocess.Popen(
        [*circlebot_command(), "run"],
        stderr=subprocess.PIPE,
        text=True,
        env={**environment, "PORT": str(free_port())},
    ) as process:
        try:
            lines = _started(process, "REHEARSAL")
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
    found = REHEARSAL.search(lines[-1])
    assert found is not None, lines[-1]
    return float(found[1]), datetime.fromisoformat(found[2])


def test_a_restarted_rehearsal_carries_on_where_it_was(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    shutil.copyfile(migrated_sqlite, tmp_path / "rehearsal.db")  # no migration at the first start
    environment = {
        **CLEAN,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rehearsal.db'}",
        "REHEARSAL_START": "2027-01-10T06:00:00+03:00",
        "REHEARSAL_SPEED": "1500",
    }
    first_origin, first_now = _rehearsal_clock(environment)
    time.sleep(1)
    again_origin, again_now = _rehearsal_clock(environment)

    assert again_origin == first_origin
    assert again_now > first_now  # later in the season, not back at its start

    # Another start date is another rehearsal: its own clock, from now.
    other = {**environment, "REHEARSAL_START": "2027-03-01T06:00:00+03:00"}
    other_origin, _ = _rehearsal_clock(other)
    assert other_origin > first_origin
