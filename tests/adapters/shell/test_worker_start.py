"""`circlebot run` without a platform: the rest runs, the platform is tried again until it
answers, and /healthz and `circlebot outbox` say how it was last seen."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import pytest

from adapters.shell import cli
from bot.chat.messages import Capabilities, Outbound, Receipt
from bot.chat.quiet import QuietLog
from bot.core import Core
from tests.adapters.shell.test_web import get_health


@dataclass
class Unreachable:
    """A platform that cannot be reached for its first `failures` starts."""

    failures: int
    platform: str = "telegram"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4096))
    starts: int = 0

    async def start(self) -> None:
        self.starts += 1
        if self.starts <= self.failures:
            raise ConnectionError("https://api.telegram.org/bot123:SECRET/getMe unreachable")

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        return Receipt(platform_message_id="1")


async def test_a_platform_that_cannot_start_is_retried_while_the_rest_runs(
    core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(cli, "START_RETRY_FIRST_SECONDS", 0.05)
    adapter = Unreachable(failures=3)
    running: dict[str, object] = {}
    stop = asyncio.Event()
    starting = asyncio.create_task(cli._start(adapter, core, running, stop))  # type: ignore[arg-type]

    await asyncio.sleep(0.02)
    assert running == {}  # not yet: the worker goes on without it
    status, health = await get_health(core)
    assert status == 200 and health["platforms"] == {"telegram": "down"}  # type: ignore[comparison-overlap]

    await asyncio.wait_for(starting, 5)
    assert running == {"telegram": adapter} and adapter.starts == 4
    assert (await core.platform_health())["telegram"] == ("up", None)
    # Logged without the URL (it holds the token), and not once per try.
    assert "SECRET" not in caplog.text
    assert len([r for r in caplog.records if "could not start" in r.getMessage()]) == 1


async def test_stopping_ends_the_retries(core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "START_RETRY_FIRST_SECONDS", 0.05)
    adapter = Unreachable(failures=1000)
    stop = asyncio.Event()
    starting = asyncio.create_task(cli._start(adapter, core, {}, stop))  # type: ignore[arg-type]
    await asyncio.sleep(0.2)
    stop.set()
    await asyncio.wait_for(starting, 2)
    assert 1 < adapter.starts < 10


async def test_a_platform_starting_during_the_first_dispatch_is_no_error(
    core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """At a start the first dispatch runs while the adapters are still being added: one added
    while the health report is written (its own start writes "up") must not end that run with
    "dictionary changed size during iteration", an ERROR line an operator is paged for."""
    running: dict[str, object] = {"telegram": Unreachable(failures=0)}
    seen = core.platform_seen

    async def while_sms_starts(platform: str, state: str, detail: str | None = None) -> None:
        running.setdefault("sms", Unreachable(failures=0, platform="sms"))
        await seen(platform, state, detail)

    monkeypatch.setattr(core, "platform_seen", while_sms_starts)
    with caplog.at_level(logging.INFO):
        await cli._dispatch(core, running, cli._InFlight(), QuietLog(cli.log))  # type: ignore[arg-type]
        await core.report_health(running)  # the same, straight on the running adapters
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert (await core.platform_health())["telegram"] == ("up", None)
