"""Health tells the truth about a polling worker: Telegram shows "down" while polling cannot
reach it (learners' messages are not getting in), "up" once it can again, and a worker stopped
on purpose leaves "stopped" behind rather than "up"; platforms it no longer runs are not shown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import pytest
from aiohttp import web

from adapters.platforms import telegram_bot
from adapters.platforms.telegram_bot import TelegramAdapter
from adapters.shell import cli
from adapters.shell.settings import Settings
from bot.chat.quiet import QuietLog
from bot.core import Core
from bot.storage.models import PlatformHealth
from tests.adapters.platforms.fake_telegram import FakeTelegram
from tests.adapters.platforms.test_telegram import settings_for
from tests.adapters.shell.test_web import get_health
from tests.database import open_session


async def _serve_again(fake: FakeTelegram, port: int) -> None:
    """The fake Bot API back on its old address (as the real one comes back)."""
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", fake._handle)
    app.router.add_get("/bot{token}/{method}", fake._handle)
    fake._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0)
    await fake._runner.setup()
    await web.TCPSite(fake._runner, "127.0.0.1", port).start()


async def _dispatch(core: Core, adapter: TelegramAdapter) -> None:
    await cli._dispatch(core, {"telegram": adapter}, cli._InFlight(), QuietLog(cli.log))


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


async def test_telegram_shows_down_while_polling_cannot_reach_it(
    fake: FakeTelegram, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(telegram_bot, "POLLING_DOWN_AFTER_SECONDS", 0.3)
    monkeypatch.setattr(telegram_bot, "ERROR_WAIT_SECONDS", 0.05)
    adapter = TelegramAdapter.from_settings(settings_for(fake), core, polling=True)
    adapter.poll_timeout = 1  # long polls short, so the fake closes promptly
    await adapter.start()
    try:
        await fake.wait_for_call("getUpdates")
        port = int(fake.base_url.split(":")[2].split("/")[0])
        await _dispatch(core, adapter)
        assert (await get_health(core))[1]["platforms"] == {"telegram": "up"}

        await fake.close()  # the Bot API out of reach
        for _ in range(100):
            await asyncio.sleep(0.05)
            if adapter.receiving_trouble:
                break
        await _dispatch(core, adapter)
        status, health = await get_health(core)
        assert status == 200 and health["platforms"] == {"telegram": "down"}
        state, detail = (await core.platform_health())["telegram"]
        assert state == "down" and detail and detail.startswith("polling cannot reach Telegram")

        await _serve_again(fake, port)
        for _ in range(100):  # the next long poll answered
            await asyncio.sleep(0.05)
            if adapter.receiving_trouble is None:
                break
        await _dispatch(core, adapter)
        assert (await get_health(core))[1]["platforms"] == {"telegram": "up"}
    finally:
        await adapter.stop()


async def test_a_blip_shorter_than_the_threshold_is_not_down(
    fake: FakeTelegram, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(telegram_bot, "ERROR_WAIT_SECONDS", 0.05)
    adapter = TelegramAdapter.from_settings(settings_for(fake), core, polling=True)
    adapter._polling_failed("polling cannot reach Telegram: NetworkError")
    assert adapter.receiving_trouble is None  # 15 s not yet over
    adapter._polling_failed("the bot token was refused; polling stopped", at_once=True)
    assert adapter.receiving_trouble == "the bot token was refused; polling stopped"


class _Quiet:
    """An adapter that starts and sends nothing."""

    capabilities = None

    def __init__(self, platform: str) -> None:
        self.platform = platform

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


async def test_a_worker_stopped_on_purpose_says_stopped_and_forgets_platforms_it_no_longer_runs(
    core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # An earlier worker ran SMS and WhatsApp on this database.
    now = datetime.now(UTC)
    async with open_session(core) as session, session.begin():
        for platform in ("sms", "whatsapp"):
            session.add(PlatformHealth(platform=platform, state="up", since=now, updated_at=now))

    # This one runs Telegram only; it is stopped (SIGTERM) once it has started.
    monkeypatch.setattr(cli, "_core", lambda settings, clock=None, platforms=None: core)
    monkeypatch.setattr(
        cli, "platform_adapters", lambda settings, core: {"telegram": _Quiet("telegram")}
    )
    monkeypatch.setattr(core, "close", _nothing)
    stop = asyncio.Event()
    monkeypatch.setattr(cli, "_stop_on_signals", lambda: stop)
    monkeypatch.setattr(cli, "_serve", _until(stop))
    worker = asyncio.create_task(cli._work(Settings(dispatch_interval=0.1, tick_interval=1)))
    for _ in range(100):
        await asyncio.sleep(0.05)
        if (await core.platform_health()).get("telegram", ("",))[0] == "up":
            break
    assert await core.platform_health() == {"telegram": ("up", None)}

    stop.set()
    with caplog.at_level(logging.INFO):
        await asyncio.wait_for(worker, 10)
    assert await core.platform_health() == {"telegram": ("stopped", None)}


async def _nothing() -> None:
    return None


def _until(stop: asyncio.Event) -> Callable[..., Awaitable[None]]:
    """`_serve` standing in: the web app "runs" until the worker is stopped."""

    async def serve(*_: object) -> None:
        await stop.wait()

    return serve
