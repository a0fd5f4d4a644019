"""`circlebot outbox`: the counts by status and why dead messages died."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

from bot.chat.messages import Address, Outbound
from bot.delivery import outbox
from bot.delivery.outbox import OutboxKey
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import OutboxMessage, OutboxStatus
from tests.conftest import T0, circlebot_command


async def test_the_report_counts_rows_and_gives_the_reason_each_dead_one_died(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    async with session_factory(engine)() as session, session.begin():
        for n in range(3):
            key = OutboxKey("reminder", "meeting:1", f"person:{n}")
            await outbox.enqueue(session, key, Outbound(Address("sms", str(n)), "hi"), "en", T0)
        row = await session.get_one(OutboxMessage, 1)
        row.status, row.attempts, row.last_error = OutboxStatus.DEAD, 8, "HTTP 500 from gateway"
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
    assert lines[0] == "pending: 2, sent: 0, dead: 1"
    assert "dead #1 reminder to sms after 8 attempts" in lines[1]
    assert lines[1].endswith("HTTP 500 from gateway")
