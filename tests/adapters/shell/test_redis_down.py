"""Redis (REDIS_URL) down or mistyped: every message is taken through its send budgets, so the
operator hears of it at start (one line, exit 2) and from /healthz, and a message that comes
while it is down is not taken (its platform gives it again) rather than lost."""

from __future__ import annotations

import random
import socket
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.shell import cli
from bot.chat.clock import FakeClock
from bot.chat.contract import Unavailable
from bot.chat.messages import Address, Outbound
from bot.chat.quiet import QuietLog
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.budget import RedisBudget
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue.flood import INBOUND_LIMIT
from bot.storage.models import OutboxStatus
from tests.adapters.shell.test_startup_problems import circlebot
from tests.adapters.shell.test_web import get_health
from tests.conftest import Chat
from tests.platforms import PLATFORMS


def nothing_listening() -> str:
    """A Redis address with no server behind it (a port just freed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def core_with_redis_down(engine: AsyncEngine, clock: FakeClock) -> Core:
    # As `from_url` makes it for a deployment: with the inbound limit, kept in Redis.
    return Core(
        engine,
        clock,
        random.Random(3),
        platforms=PLATFORMS,
        budget=RedisBudget(nothing_listening()),
        inbound_limit=INBOUND_LIMIT,
    )


@pytest.mark.parametrize("command", ["run", "serve"])
def test_a_redis_that_cannot_be_reached_stops_the_start_in_one_line(
    tmp_path: Path, command: str
) -> None:
    url = nothing_listening()
    result = circlebot(command, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}", REDIS_URL=url)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"circlebot: could not reach Redis at {url}: connection refused"
    )
    assert "Traceback" not in result.stderr


async def test_a_message_that_comes_while_redis_is_down_is_not_taken_and_answered_later(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    down = core_with_redis_down(sqlite_engine, clock)
    chat = Chat(down, platform="telegram")
    start = chat.inbound("Brian", "/start", message_id="910571")
    try:
        # Unavailable: the poller keeps its offset and a webhook answers 503, so Telegram
        # gives the update again.
        with pytest.raises(Unavailable):
            await down.answer(start, chat)
    finally:
        await down.close()
    assert chat.sent == []

    # Redis is back: the same update, given again, is answered (nothing of it was kept).
    back = Core(sqlite_engine, clock, random.Random(3), platforms=PLATFORMS)
    chat.core = back
    await back.answer(start, chat)
    assert chat.sent and "circle" in chat.sent[0].text.lower()


async def test_health_says_unavailable_while_redis_is_down(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = core_with_redis_down(sqlite_engine, clock)
    try:
        assert await get_health(core) == (
            503,
            {"status": "unavailable", "database": "ok", "redis": "down"},
        )
    finally:
        await core.close()


async def test_sends_wait_for_redis_without_spending_their_tries(
    sqlite_engine: AsyncEngine, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    core = core_with_redis_down(sqlite_engine, clock)
    chat = Chat(core, platform="telegram")
    async with core._sessions() as session, session.begin():
        key = OutboxKey(MessageKind.REMINDER, "meeting:1", "person:1")
        reminder = Outbound(Address("telegram", "6001"), "See you Thursday")
        await outbox.enqueue(session, key, reminder, "en", clock.now())
    try:
        await cli._dispatch(core, {"telegram": chat}, cli._InFlight(), QuietLog(cli.log))
        assert (await core.platform_health()).get("telegram") is None  # not "paused"
    finally:
        await core.close()
    [row] = await chat.outbox()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert "Traceback" not in caplog.text
