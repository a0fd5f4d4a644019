"""One `circlebot run` per SQLite file: a second one started by mistake (a systemd unit plus a
manual start) says so and stops, rather than leading the scheduler and polling Telegram too."""

from __future__ import annotations

import shutil
import signal
import subprocess
from pathlib import Path

from tests.adapters.shell.test_startup_problems import CLEAN, _started, circlebot, free_port
from tests.conftest import circlebot_command


def test_a_second_worker_on_one_sqlite_file_refuses_to_start(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    database = tmp_path / "t.db"
    shutil.copyfile(migrated_sqlite, database)  # already migrated: the first start is quicker
    url = f"sqlite:///{database}"
    environment = {**CLEAN, "DATABASE_URL": url, "PORT": str(free_port())}
    with subprocess.Popen(
        [*circlebot_command(), "run"], stderr=subprocess.PIPE, text=True, env=environment
    ) as first:
        try:
            _started(first, "now leads the scheduler")

            second = circlebot("run", DATABASE_URL=url, PORT=str(free_port()))

            assert second.returncode == 2
            assert second.stderr.splitlines()[-1] == (
                f"circlebot: another circlebot run already uses the SQLite file {database} "
                f"(pid {first.pid}): one worker per SQLite file; use PostgreSQL for several "
                "workers"
            )
            assert "now leads" not in second.stderr
        finally:
            first.send_signal(signal.SIGTERM)
            first.communicate(timeout=30)
    assert first.returncode == 0

    # Once the first has stopped, a worker starts there again.
    environment["PORT"] = str(free_port())
    with subprocess.Popen(
        [*circlebot_command(), "run"], stderr=subprocess.PIPE, text=True, env=environment
    ) as again:
        try:
            _started(again, "now leads the scheduler")
        finally:
            again.send_signal(signal.SIGTERM)
            again.communicate(timeout=30)
