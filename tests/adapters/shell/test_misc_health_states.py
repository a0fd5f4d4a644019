"""Walkthrough ops 3: /healthz tells an operator apart a platform that is down (its messages
are not getting in), one that is paused (sends failing, probes going out) and one whose
worker was stopped on purpose, beside one that is up; none of them is the web app's own ill
health, so the answer stays 200."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.shell import cli
from bot.chat.clock import FakeClock
from bot.chat.messages import Address, Capabilities, Outbound, Receipt
from bot.chat.platforms import RateLimit
from bot.chat.quiet import QuietLog
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from tests.adapters.shell.test_web import get_health
from tests.database import open_session
from tests.platforms import with_limits


@dataclass
class Failing:
    """A platform answering every send with an error; with `trouble`, its adapter cannot
    fetch messages either (Telegram's polling out of reach)."""

    platform: str
    trouble: str | None = None
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4096))

    @property
    def receiving_trouble(self) -> str | None:
        return self.trouble

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        raise ConnectionError("HTTP 502")


async def _reminders_to(core: Core, clock: FakeClock, platform: str) -> None:
    """Enough reminders that their failed sends open the platform's circuit."""
    async with open_session(core) as session, session.begin():
        for n in range(6):
            key = OutboxKey(MessageKind.REMINDER, "meeting:1", f"{platform}:{n}")
            message = Outbound(Address(platform, str(n)), "See you Thursday")
            await outbox.enqueue(session, key, message, "en", clock.now())


async def test_health_tells_down_paused_stopped_and_up_apart(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    # SMS's send rate raised, so its failures come without the gateway's pace between them.
    core = Core(sqlite_engine, clock, random.Random(7), platforms=with_limits(sms=RateLimit(1000)))
    await core.platform_seen("console", "up")
    await core.platform_seen("discord", "stopped")  # its worker was stopped (SIGTERM)
    for platform in ("telegram", "sms"):
        await core.platform_seen(platform, "up")  # as their adapters started
        await _reminders_to(core, clock, platform)
    adapters = {
        # Both fail their sends; Telegram's polling cannot reach it either: down, which is
        # worse than paused (learners' messages are not getting in) and shown over it.
        "telegram": Failing("telegram", trouble="polling cannot reach Telegram: NetworkError"),
        "sms": Failing("sms"),
    }
    await cli._dispatch(core, dict(adapters), cli._InFlight(), QuietLog(logging.getLogger()))

    status, health = await get_health(core)
    assert status == 200
    assert health == {
        "status": "ok",
        "database": "ok",
        "platforms": {"console": "up", "discord": "stopped", "sms": "paused", "telegram": "down"},
    }
