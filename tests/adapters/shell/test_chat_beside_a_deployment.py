"""`circlebot chat` refuses a deployment's database: its `:wait` would move the live clock and
expire real learners' reminders, and its made-up people would sit among real ones."""

from __future__ import annotations

import asyncio
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from bot.scheduling.cursors import load
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import Person, PlatformHealth
from tests.conftest import circlebot_command


async def _deployment(path: Path, platforms: list[str]) -> None:
    """A database a worker has served `platforms` from."""
    engine = create_engine(f"sqlite:///{path}")
    await upgrade(engine)
    now = datetime.now(UTC)
    async with session_factory(engine)() as session, session.begin():
        for platform in platforms:
            session.add(PlatformHealth(platform=platform, state="up", since=now, updated_at=now))
    await engine.dispose()


async def _console_was_here(path: Path) -> tuple[bool, int]:
    """Whether the console kept its clock there, and how many people the database holds."""
    engine = create_engine(f"sqlite:///{path}")
    async with session_factory(engine)() as session:
        clock = await load(session, "console", "clock")
        people = len((await session.exec(select(Person))).all())
    await engine.dispose()
    return clock is not None, people


def _chat(path: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*circlebot_command(), "chat", "--as", "Priya"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"},
        cwd=path.parent,
        timeout=60,
    )


def test_chat_refuses_a_database_a_worker_has_served_learners_from(tmp_path: Path) -> None:
    live = tmp_path / "circlebot.db"
    asyncio.run(_deployment(live, ["sms", "telegram"]))

    result = _chat(live, ["/start", ":wait 2d", ":quit"])

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"circlebot: DATABASE_URL sqlite:///{live} is a deployment's database (a worker has "
        "served sms, telegram from it): the console would move its clock and send or expire "
        "its people's messages; chat on a database of its own, e.g. "
        "DATABASE_URL=sqlite:///console.db"
    ]
    assert asyncio.run(_console_was_here(live)) == (False, 0)


def test_chat_still_works_on_a_rehearsal_database_whose_worker_wrote_only_to_a_transcript(
    tmp_path: Path,
) -> None:
    rehearsal = tmp_path / "rehearsal.db"
    asyncio.run(_deployment(rehearsal, ["console"]))  # TRANSCRIPT_FILE: console people only

    result = _chat(rehearsal, ["/start", ":quit"])

    assert result.returncode == 0, result.stderr
    assert asyncio.run(_console_was_here(rehearsal)) == (True, 1)
