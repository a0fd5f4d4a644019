"""What an operator sees when a deployment is set up wrong: one line per problem on stderr and
exit status 2, never a traceback; the database is checked once before anything starts; `circlebot
db` says where the schema stands and what an upgrade did; every command logs with timestamps."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import circlebot_command

# The platforms' settings come from the environment too: a developer's own must not leak in.
CLEAN = {
    name: value
    for name, value in os.environ.items()
    if not name.startswith(("TELEGRAM_", "DISCORD_", "TWILIO_", "AT_", "USSD_", "WHATSAPP_"))
    and name not in ("DATABASE_URL", "PORT", "REHEARSAL_START", "TICK_INTERVAL")
}


def circlebot(
    *arguments: str, timeout: float = 60, **environment: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*circlebot_command(), *arguments],
        capture_output=True,
        text=True,
        env={**CLEAN, **environment},
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("command", [["run"], ["serve"], ["db", "upgrade"], ["outbox"]])
def test_bad_numbers_stop_every_command_with_one_line_each(
    tmp_path: Path, command: list[str]
) -> None:
    result = circlebot(
        *command,
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
        DISPATCH_INTERVAL="-5",
        TELEGRAM_RATE_PER_CHAT="0",
        PORT="eighty",
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "circlebot: PORT must be a whole number (got eighty)",
        "circlebot: DISPATCH_INTERVAL must be at least 0.1 (got -5)",
        "circlebot: TELEGRAM_RATE_PER_CHAT must be more than 0 (got 0)",
    ]
    assert not (tmp_path / "bot.db").exists()  # stopped before touching anything


def test_a_tick_faster_than_a_second_is_for_rehearsals_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    result = circlebot("run", DATABASE_URL=url, TICK_INTERVAL="0.01")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "circlebot: TICK_INTERVAL must be at least 1 outside a rehearsal (got 0.01)"
    ]


@pytest.mark.parametrize("command", [["run"], ["serve"], ["db", "upgrade"]])
def test_an_unreachable_database_is_one_line_without_its_password(command: list[str]) -> None:
    result = circlebot(*command, DATABASE_URL="postgres://postgres:hunter2@127.0.0.1:1/nodb")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "circlebot: could not reach the database at postgres://postgres:***@127.0.0.1:1/nodb: "
        "connection refused"
    ]


@pytest.mark.parametrize("url", ["/tmp/circlebot.db", "mysql://root@127.0.0.1/circles"])
def test_a_database_url_that_is_no_database_address_says_so(url: str) -> None:
    result = circlebot("db", "upgrade", DATABASE_URL=url)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"circlebot: DATABASE_URL is not a database address: {url} (")


def test_db_current_and_upgrade_say_where_the_schema_stands(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    url = f"sqlite:///{path}"
    path.touch()  # an empty SQLite database (`db current` makes none: see test_read_only)
    fresh = circlebot("db", "current", DATABASE_URL=url)
    assert fresh.returncode == 0, fresh.stderr
    database, code, verdict = fresh.stdout.splitlines()
    assert database == "database: empty (no migration applied)"
    head = code.removeprefix("code: ")
    assert re.fullmatch(r"\d{4}", head)
    assert verdict.startswith("behind: ") and verdict.endswith(" to apply (`circlebot db upgrade`)")

    first = circlebot("db", "upgrade", DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [f"upgraded an empty database -> {head}"]
    again = circlebot("db", "upgrade", DATABASE_URL=url)
    assert again.stdout.splitlines() == [f"already at {head}"]
    assert circlebot("db", "status", DATABASE_URL=url).stdout.splitlines() == [
        f"database: {head}",
        f"code: {head}",
        "up to date",
    ]

    # A rolled-back deploy: a newer circlebot migrated the database past this one.
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    ahead = circlebot("db", "current", DATABASE_URL=url)
    assert ahead.stdout.splitlines()[-1].startswith("ahead: a newer version of circlebot")
    refused = circlebot("db", "upgrade", DATABASE_URL=url)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"circlebot: the database is at revision 0999, newer than this version of circlebot "
        f"knows (its newest is {head}): run the newer version"
    ]


STAMPED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING|ERROR) \[\d+\] ")


def test_db_upgrade_logs_with_timestamps(tmp_path: Path) -> None:
    result = circlebot("db", "upgrade", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    lines = result.stderr.splitlines()
    assert lines and all(STAMPED.match(line) for line in lines), lines


def _started(process: subprocess.Popen[str], words: str, seconds: float = 60) -> list[str]:
    """The log lines until one holds `words` (the process's stderr)."""
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if words in line:
            return lines
    raise AssertionError(f"never logged {words!r}: {lines}")


def test_serve_logs_with_timestamps_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    environment = {**CLEAN, "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
    environment["PORT"] = str(free_port())
    with subprocess.Popen(
        [*circlebot_command(), "serve"], stderr=subprocess.PIPE, text=True, env=environment
    ) as process:
        try:
            lines = _started(process, "web app listening")
            process.send_signal(signal.SIGTERM)
            _, rest = process.communicate(timeout=30)
        finally:
            process.kill()
    lines += (rest or "").splitlines()
    assert process.returncode == 0
    assert all(STAMPED.match(line) for line in lines), lines
    assert lines[-1].endswith("circlebot: stopping")


def test_a_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = circlebot("serve", DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", PORT=str(port))
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"circlebot: could not listen on PORT {port}: address already in use"
    )
    assert "Traceback" not in result.stderr


def test_ussd_without_the_sms_gateway_warns_at_start_that_its_messages_will_wait(
    tmp_path: Path, migrated_sqlite: Path
) -> None:
    shutil.copyfile(migrated_sqlite, tmp_path / "bot.db")  # no migration to wait for
    environment = {
        **CLEAN,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PORT": str(free_port()),
        "USSD_SERVICE_CODE": "*384*123#",
        "USSD_WEBHOOK_TOKEN": "callback-secret",
    }
    with subprocess.Popen(
        [*circlebot_command(), "run"], stderr=subprocess.PIPE, text=True, env=environment
    ) as process:
        try:
            lines = _started(process, "ussd: started")
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
    warnings = [line for line in lines if "no Africa's Talking SMS gateway" in line]
    assert len(warnings) == 1
    assert warnings[0].endswith(
        "the reminders, check-ins and letters of learners who dial in wait in the outbox"
    )


def test_host_binds_the_web_app_to_one_address(tmp_path: Path) -> None:
    """HOST=127.0.0.1: behind a reverse proxy on the same machine, or a polling worker that
    needs no public port, nothing else can reach the web app."""
    port = free_port()
    environment = {
        **CLEAN,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "PORT": str(port),
        "HOST": "127.0.0.1",
    }
    with subprocess.Popen(
        [*circlebot_command(), "serve"], stderr=subprocess.PIPE, text=True, env=environment
    ) as process:
        try:
            lines = _started(process, "web app listening")
            assert lines[-1].endswith(f"web app listening on 127.0.0.1 port {port}")
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            with pytest.raises(ConnectionRefusedError):  # another address of this machine
                socket.create_connection(("127.0.0.2", port), timeout=5).close()
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=30)
