"""`circlebot outbox` tells the truth about each platform: a worker whose sends keep failing
writes "paused" where the CLI reads it, and when no worker has reported for a while, it says so
rather than repeat the last state it saw."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.shell import cli
from bot.chat.clock import FakeClock
from bot.chat.messages import Address, Capabilities, Outbound, Receipt
from bot.chat.quiet import QuietLog
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import PlatformHealth
from tests.conftest import T0, circlebot_command
from tests.platforms import PLATFORMS


@dataclass
class Down:
    """Telegram answering every send with an error."""

    platform: str = "telegram"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4096))

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        raise ConnectionError("HTTP 502")


async def test_a_worker_whose_sends_fail_writes_paused_where_other_processes_read_it(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    worker = Core(sqlite_engine, clock, random.Random(1), platforms=PLATFORMS)
    await worker.platform_seen("telegram", "up")  # as when its adapter started
    async with session_factory(sqlite_engine)() as session, session.begin():
        for n in range(6):
            key = OutboxKey(MessageKind.REMINDER, "meeting:1", f"person:{n}")
            message = Outbound(Address("telegram", str(n)), "See you Thursday")
            await outbox.enqueue(session, key, message, "en", clock.now())

    await cli._dispatch(
        worker, {"telegram": Down()}, cli._InFlight(), QuietLog(logging.getLogger())
    )

    # Another process (the CLI) has no circuit of its own: it reads what the worker wrote.
    other = Core(sqlite_engine, clock, random.Random(2), platforms=PLATFORMS)
    assert (await other.platform_health())["telegram"] == ("paused", "sends failing; probing")


async def test_outbox_says_when_no_worker_has_reported_for_a_while(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    last_report = datetime.now(UTC) - timedelta(minutes=20)
    async with session_factory(engine)() as session, session.begin():
        session.add(
            PlatformHealth(platform="telegram", state="up", since=T0, updated_at=last_report)
        )
    await engine.dispose()

    result = await asyncio.to_thread(
        subprocess.run,
        [*circlebot_command(), "outbox"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == f"telegram: up since {T0:%Y-%m-%d %H:%M} UTC"
    assert lines[-1].startswith("no worker has reported for 20 minutes")
