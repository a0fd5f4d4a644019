"""`circlebot chat` as the whole product: the tester moves time on with `:wait`, and the
reminders and check-ins that fall due meanwhile appear, in order, each under its time; files
the bot sends are saved to a folder, never printed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import circlebot_command

HEADING = re.compile(r"^── (.+) · (\d{1,2}:\d\d [AP]M) (\w+) ──$", re.MULTILINE)
TIME = re.compile(r"^\(It is (?:now )?(.+) · (\d{1,2}:\d\d [AP]M) (\w+)\.\)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def migrated(tmp_path: Path, migrated_sqlite: Path) -> None:
    """The test's database, already migrated: `circlebot chat` need not migrate it first."""
    shutil.copyfile(migrated_sqlite, tmp_path / "chat.db")


def chat(tmp_path: Path, name: str, lines: list[str], *options: str) -> str:
    """What the terminal shows when `name` types `lines` into `circlebot chat`."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}"}
    result = subprocess.run(
        [*circlebot_command(), "chat", "--as", name, "--zone", "Africa/Nairobi", *options],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def instant(day: str, clock: str) -> datetime:
    return datetime.strptime(f"{day} {clock}", "%A, %B %d, %Y %I:%M %p")


def headings(output: str) -> list[datetime]:
    return [instant(day, clock) for day, clock, _ in HEADING.findall(output)]


def times(output: str) -> list[datetime]:
    return [instant(day, clock) for day, clock, _ in TIME.findall(output)]


def new_circle(tmp_path: Path, first_meeting: date) -> str:
    """Amina creates a circle in Nairobi; its join code."""
    created = chat(
        tmp_path,
        "Amina",
        [
            '/newcircle name="Digital Skills" course="Learning How to Learn" venue="Library" '
            f"city=Nairobi country=KE zone=Africa/Nairobi start={first_meeting.isoformat()} "
            "time=18:00 meetings=6"
        ],
    )
    code = re.search(r"Join code: (\w+)\.", created)
    assert code is not None, created
    return code[1]


def test_waiting_brings_the_reminder_then_the_checkin_in_order_and_the_learner_answers(
    tmp_path: Path,
) -> None:
    code = new_circle(tmp_path, date.today() + timedelta(days=2))
    output = chat(tmp_path, "Brian", ["/join " + code, "/skip", ":wait 4d", "4"])
    before, waited = output.split("bot → Brian: OK, skipped.")[1].split("(It is now ")
    reminder = before.index("bot → Brian: Digital Skills meets in 24 hours")
    checkin = before.index("bot → Brian: Hi Brian! How did meeting 1 of Digital Skills go")
    assert reminder < checkin
    # Each comes under the time it fell due, the reminder at 18:00 the day before, and the
    # facilitator's digest shows whom it is for while the tester plays Brian.
    assert before[:reminder].rstrip().endswith("6:00 PM EAT ──")
    assert "bot → Amina: How Digital Skills is doing" in before
    due = headings(before)
    assert len(due) >= 2 and due == sorted(due) and due[-1] <= times(output)[-1]
    # The answer to the check-in is taken after the wait.
    assert "bot → Brian: Thanks, got it!" in waited


def test_the_console_clock_only_moves_forward_even_across_sessions(tmp_path: Path) -> None:
    first = chat(
        tmp_path,
        "Amina",
        [":time", ":wait 3d", ":wait -1d", ":wait soon", ":wait 99999999999w", ":time"],
    )
    start, waited, later = times(first)
    assert waited - start >= timedelta(days=3) and later >= waited
    assert first.count("How long? For example :wait 1d, :wait 3h or :wait 30m.") == 2
    assert "At most 12 weeks at a time, please." in first
    # A new session goes on from where the last one left off, not from the real time.
    (resumed,) = times(chat(tmp_path, "Amina", [":time"]))
    assert resumed >= later
    assert ":wait DURATION" in chat(tmp_path, "Amina", [":help"])


def test_files_are_saved_in_the_folder_it_names_and_never_printed(tmp_path: Path) -> None:
    code = new_circle(tmp_path, date.today() + timedelta(days=5))
    output = chat(
        tmp_path,
        "Brian",
        ["/join " + code, "/skip", "/calendar", "/calendar", ":as Amina", "/export"],
    )
    folder = tmp_path / "circlebot-files"
    saved = [Path(path) for path in re.findall(r"\[file saved: (.+)\]", output)]
    assert [path.name for path in saved] == [
        "digital-skills.ics",
        "digital-skills-2.ics",  # an earlier file is never overwritten
        "digital-skills-roster.csv",
        "digital-skills-attendance.csv",
        "digital-skills-checkins.csv",
    ]
    assert all(path.parent == folder for path in saved)
    assert saved[0].read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert "Brian" in (folder / "digital-skills-roster.csv").read_text()
    assert "BEGIN:VCALENDAR" not in output
