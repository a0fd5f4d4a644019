"""Commands that only look (`circlebot outbox`, `db current`) never make or migrate a
database: pointed at the wrong file, they say there is none there (exit 2) rather than report
a healthy, empty outbox from a new database they made."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.adapters.shell.test_startup_problems import CLEAN, circlebot
from tests.conftest import circlebot_command


@pytest.mark.parametrize("command", [["outbox"], ["db", "current"], ["outbox", "revive"]])
def test_a_mistyped_sqlite_file_is_not_made(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "circelbot.db"
    result = circlebot(*command, DATABASE_URL=f"sqlite:///{typo}")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circlebot: there is no database at sqlite:///{typo}: no file {typo} (check "
        "DATABASE_URL and the directory; `circlebot db upgrade` makes a new one)"
    ]
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_the_default_file_in_the_wrong_directory_is_named_in_full(tmp_path: Path) -> None:
    result = subprocess.run(
        [*circlebot_command(), "outbox"],
        capture_output=True,
        text=True,
        env=CLEAN,  # no DATABASE_URL: circlebot.db here
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"no file {tmp_path / 'circlebot.db'} " in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_outbox_does_not_migrate_an_empty_database(tmp_path: Path) -> None:
    empty = tmp_path / "bot.db"
    empty.touch()
    result = circlebot("outbox", DATABASE_URL=f"sqlite:///{empty}")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circlebot: the database at sqlite:///{empty} is empty (no migration applied): check "
        "DATABASE_URL, or set it up with `circlebot db upgrade`"
    ]
    with sqlite3.connect(empty) as connection:  # no table made
        assert connection.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
