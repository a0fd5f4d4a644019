"""`circlebot chat` driven through stdin, as a person at a terminal would use it."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import circlebot_command


def chat(
    tmp_path: Path,
    name: str,
    lines: list[str],
    env: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
) -> str:
    """What the terminal shows when `name` types `lines` into `circlebot chat`."""
    if env is None:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}"}
    result = subprocess.run(
        [*circlebot_command(), "chat", "--as", name, *options],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def first_meeting() -> date:
    return date.today() + timedelta(days=10)


def test_create_a_circle_then_join_it_as_someone_else_and_see_next(
    tmp_path: Path, first_meeting: date
) -> None:
    created = chat(
        tmp_path,
        "Amina",
        [
            '/newcircle name="Python for Everyone" course="Python for Everybody" '
            'venue="Detroit Public Library" city=Detroit country=US zone=America/Detroit '
            f"start={first_meeting.isoformat()} time=18:00 meetings=6",
        ],
    )
    assert "Your circle Python for Everyone is ready" in created
    code = re.search(r"Join code: (\w+)\.", created)
    assert code is not None

    joined = chat(tmp_path, "Brian", ["/join " + code[1], "/next"])
    assert "Welcome to Python for Everyone, Brian!" in joined
    assert "Meeting 1 of 6: " in joined
    assert "at 6:00 PM" in joined
    # The facilitator's notice went out through the outbox during Brian's session.
    assert "bot → Amina: Brian joined Python for Everyone" in joined


def test_switching_person_inside_one_session(tmp_path: Path, first_meeting: date) -> None:
    output = chat(
        tmp_path,
        "Amina",
        [
            '/newcircle name="Circle" course="Course" venue="Library" city=Nairobi country=KE '
            f"zone=Nairobi start={first_meeting.isoformat()} time=17:30",
            ":as Otieno",
            "/roster",
            ":quit",
            "/help",
        ],
    )
    assert "(you are now Otieno)" in output
    assert "Otieno: /roster" in output
    assert "Only a facilitator or co-facilitator can use /roster." in output
    assert "/help" not in output.split(":quit")[-1]  # nothing read after :quit


def test_the_database_is_created_in_the_working_directory_by_default(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    assert "You're not in a circle yet" in chat(tmp_path, "Brian", ["/next"], env)
    assert (tmp_path / "circlebot.db").exists()


def test_a_learner_on_a_feature_phone_joins_by_sms_in_the_same_session(
    tmp_path: Path, first_meeting: date
) -> None:
    """`--sms Grace=NUMBER`: Grace writes as SMS does (no name, keywords without a slash) and
    the facilitator on the console hears of her by number."""
    created = chat(
        tmp_path,
        "Amina",
        [
            '/newcircle name="Circle" course="Course" venue="Library" city=Nairobi country=KE '
            f"zone=Africa/Nairobi start={first_meeting.isoformat()} time=17:30",
        ],
    )
    code = re.search(r"Join code: (\w+)\.", created)
    assert code is not None
    output = chat(
        tmp_path,
        "Amina",
        [":as Grace", "JOIN " + code[1], ":as Amina", "/roster"],
        options=("--sms", "Grace=+254700000001"),
    )
    assert "Grace (SMS): JOIN" in output
    assert "bot → Grace (SMS): Welcome to Circle" in output
    # SMS gives no name: the roster shows a learner by SMS, not the console's "Grace".
    roster = output.split("Amina: /roster")[-1]
    assert "learner (SMS)" in roster
    assert "Grace" not in roster


def test_an_sms_person_needs_a_phone_number(tmp_path: Path) -> None:
    result = subprocess.run(
        [*circlebot_command(), "chat", "--sms", "Grace=not-a-number"],
        input=":quit\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}"},
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode != 0
    assert "NAME=NUMBER" in result.stderr


def test_what_an_sms_learner_gets_during_a_wait_shows_under_its_time(tmp_path: Path) -> None:
    # Two days ahead: a two-day wait brings the first reminder (a wait ticks every quarter
    # hour, so ten days would take five times as long for the same messages).
    first_meeting = date.today() + timedelta(days=2)
    created = chat(
        tmp_path,
        "Amina",
        [
            '/newcircle name="Circle" course="Course" venue="Library" city=Nairobi country=KE '
            f"zone=Africa/Nairobi start={first_meeting.isoformat()} time=17:30",
        ],
    )
    code = re.search(r"Join code: (\w+)\.", created)
    assert code is not None
    sms = ("--sms", "Grace=+254700000001")
    chat(tmp_path, "Grace", ["JOIN " + code[1], "Grace", "/skip", "2"], options=sms)
    # A new session: Grace has not typed in it, and is still shown by her name.
    waited = chat(tmp_path, "Amina", [":wait 2d"], options=sms)
    lines = waited.splitlines()
    to_grace = [i for i, line in enumerate(lines) if line.startswith("  bot → Grace (SMS)")]
    assert to_grace, waited
    headings = [i for i, line in enumerate(lines) if line.startswith("── ")]
    # Before: her messages came above the heading of the time they fell due.
    assert headings and headings[0] < to_grace[0], waited
