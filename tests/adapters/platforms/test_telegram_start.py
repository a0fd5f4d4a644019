"""Starting the Telegram adapter as `circlebot run` does (adapters/shell/cli.py `_start`), against
the fake Bot API: a start that Telegram refuses says why, and is tried again until it works."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from adapters.platforms.telegram_bot import TelegramAdapter, TelegramSettings
from adapters.shell import cli
from bot.chat.contract import Adapter, StartRefused
from bot.core import Core
from tests.adapters.platforms.fake_telegram import TOKEN, FakeTelegram
from tests.conftest import circlebot_command

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

PUBLIC = "https://circles.example.org"
HTTPS_ONLY = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


def webhook_adapter(
    core: Core, api_base_url: str, public_base_url: str = PUBLIC, token: str = TOKEN
) -> TelegramAdapter:
    settings = TelegramSettings(
        telegram_bot_token=SecretStr(token), telegram_api_base_url=api_base_url
    )
    return TelegramAdapter.from_settings(
        settings, core, polling=True, public_base_url=public_base_url
    )


async def test_a_refused_webhook_says_telegrams_reason_and_the_next_try_starts_telegram(
    fake: FakeTelegram,
    core: Core,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(cli, "START_RETRY_FIRST_SECONDS", 0.3)
    fake.webhook_refusals = [HTTPS_ONLY]
    adapter = webhook_adapter(core, fake.base_url)
    running: dict[str, Adapter] = {}
    stop = asyncio.Event()
    starting = asyncio.create_task(cli._start(adapter, core, running, stop))
    try:
        await fake.wait_for_call("setWebhook")
        await asyncio.sleep(0.1)
        # The operator reads what Telegram said, in the log and in /healthz's detail.
        state, detail = (await core.platform_health())["telegram"]
        assert state == "down" and detail is not None
        assert "an https url must be provided" in detail.casefold()
        assert PUBLIC + "/telegram/webhook" in detail
        [line] = [r.getMessage() for r in caplog.records if "could not start" in r.getMessage()]
        assert "an https url must be provided" in line.casefold()

        # Telegram accepts it the next time: the adapter starts and takes updates by webhook.
        await asyncio.wait_for(starting, 5)
        assert running == {"telegram": adapter}
        assert fake.webhook is not None and fake.webhook["url"] == PUBLIC + "/telegram/webhook"
        assert len(fake.calls_to("setWebhook")) == 2
        assert (await core.platform_health())["telegram"] == ("up", None)
        assert TOKEN not in caplog.text
    finally:
        stop.set()
        starting.cancel()
        await adapter.stop()


async def test_a_public_base_url_telegram_cannot_use_is_refused_before_calling_it(
    core: Core,
) -> None:
    official = "https://api.telegram.org/bot"  # never reached: refused before any call
    with pytest.raises(StartRefused, match="Telegram takes only an https:// webhook"):
        await webhook_adapter(core, official, "http://127.0.0.1:8098").start()
    with pytest.raises(StartRefused, match="PUBLIC_BASE_URL must be a full address"):
        await webhook_adapter(core, official, "127.0.0.1:8098").start()


async def test_a_self_hosted_bot_api_may_take_an_http_webhook(
    fake: FakeTelegram, core: Core
) -> None:
    adapter = webhook_adapter(core, fake.base_url, "http://127.0.0.1:8098")
    await adapter.start()
    if adapter._menus is not None:  # let its database reads end before the database closes
        await asyncio.wait_for(adapter._menus, 5)
    try:
        assert fake.webhook is not None
        assert fake.webhook["url"] == "http://127.0.0.1:8098/telegram/webhook"
    finally:
        await adapter.stop()


async def test_a_refused_token_is_named_without_showing_it(fake: FakeTelegram, core: Core) -> None:
    wrong = "999999:WRONG-token-never-logged"
    adapter = webhook_adapter(core, fake.base_url, token=wrong)
    with pytest.raises(StartRefused) as refused:
        await adapter.start()
    assert "TELEGRAM_BOT_TOKEN was refused" in str(refused.value)
    assert wrong not in str(refused.value)
    await adapter.stop()


async def test_circlebot_serve_with_an_http_public_base_url_stops_with_one_clear_line(
    tmp_path: Path,
) -> None:
    platform_settings = ("TELEGRAM_", "DISCORD_", "TWILIO_", "AT_", "USSD_", "WHATSAPP_")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(platform_settings)}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'circlebot.db'}",
        "PORT": "8099",  # never listened on: it stops before
        "TELEGRAM_BOT_TOKEN": TOKEN,  # Telegram's own API: refused before any call to it
        "PUBLIC_BASE_URL": "http://127.0.0.1:8098",
    }
    upgrade = await asyncio.create_subprocess_exec(
        *circlebot_command(), "db", "upgrade", env=env, cwd=tmp_path
    )
    assert await asyncio.wait_for(upgrade.wait(), 60) == 0
    process = await asyncio.create_subprocess_exec(
        *circlebot_command(),
        "serve",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    errors = err.decode()
    assert process.returncode == 2, errors
    assert "telegram: could not start: Telegram takes only an https:// webhook" in errors
    assert "Traceback" not in errors and TOKEN not in errors
