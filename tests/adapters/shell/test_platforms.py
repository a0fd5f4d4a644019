"""The shell's list of platforms: each described by its adapter, with its own settings read from
the same environment variables as always."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest

from adapters.platforms.console import ConsoleAdapter
from adapters.platforms.discord_bot import DiscordAdapter
from adapters.platforms.sms import SmsAdapter
from adapters.platforms.telegram_bot import TelegramAdapter
from adapters.platforms.whatsapp import WhatsAppAdapter
from adapters.shell.cli import letter_policy
from adapters.shell.platforms import described
from adapters.shell.settings import Settings
from bot.chat.messages import Address
from bot.chat.platforms import RateLimit

PLATFORM_VARIABLES = (
    "TELEGRAM_",
    "DISCORD_",
    "TWILIO_",
    "AT_",
    "SMS_",
    "DISPATCH_CONCURRENCY",
    "LETTER_",
)


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An environment without any platform's settings, to set them one by one."""
    for name in list(os.environ):
        if name.upper().startswith(PLATFORM_VARIABLES):
            monkeypatch.delenv(name)
    return monkeypatch


def test_limits_come_from_settings(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("TELEGRAM_RATE_PER_SECOND", "20")
    environment.setenv("TELEGRAM_RATE_PER_CHAT", "0.5")
    environment.setenv("SMS_RATE_PER_SECOND", "3")
    environment.setenv("DISPATCH_CONCURRENCY", "4")

    limits = {platform.name: platform.limit for platform in described(Settings())}

    telegram = RateLimit(
        20, 0.5, 4, per_group_per_minute=20, group_prefix="-", calls_per_attachment=1
    )
    assert limits["telegram"] == telegram
    assert limits["sms"].overall_per_second == 3
    assert limits["discord"] == RateLimit(50, 5, 4)
    for name in ("TELEGRAM_RATE_PER_SECOND", "TELEGRAM_RATE_PER_CHAT", "SMS_RATE_PER_SECOND"):
        environment.delenv(name)
    environment.delenv("DISPATCH_CONCURRENCY")
    defaults = {platform.name: platform.limit for platform in described(Settings())}
    assert defaults["telegram"] == replace(
        telegram, overall_per_second=30, per_chat_per_second=1, concurrency=8
    )
    assert (defaults["telegram"].concurrency, defaults["sms"].overall_per_second) == (8, 1)


def test_every_platform_is_described_by_its_adapter_credentials_or_not(
    environment: pytest.MonkeyPatch,
) -> None:
    """Accounts on a platform whose adapter does not run here still get its name."""
    platforms = described(Settings())

    assert [p.name for p in platforms] == ["console", "telegram", "discord", "sms", "whatsapp"]
    assert platforms[0] == ConsoleAdapter.description
    assert platforms[1] == TelegramAdapter.description
    assert platforms[2] == DiscordAdapter.description
    assert platforms[3] == SmsAdapter.description
    assert platforms[4] == WhatsAppAdapter.description


def test_letters_go_to_the_global_channels_the_platforms_describe(
    environment: pytest.MonkeyPatch,
) -> None:
    environment.setenv("TELEGRAM_GLOBAL_CHAT_ID", "-1001234")
    environment.setenv("DISCORD_GLOBAL_CHANNEL_ID", "987654321")
    environment.setenv("LETTER_MODERATORS", "telegram:42, sms:+254700000001,")
    environment.setenv("LETTER_MAX_CIRCLES", "3")
    settings = Settings()

    policy = letter_policy(settings, described(settings))

    assert policy.global_channels == (
        Address("telegram", "-1001234"),
        Address("discord", "987654321"),
    )
    assert policy.moderators == frozenset({"telegram:42", "sms:+254700000001"})
    assert policy.max_circles == 3
    environment.delenv("TELEGRAM_GLOBAL_CHAT_ID")
    environment.delenv("DISCORD_GLOBAL_CHANNEL_ID")
    assert letter_policy(Settings(), described(Settings())).global_channels == ()


def test_describing_every_platform_loads_no_platform_library() -> None:
    """`circlebot chat` and `circlebot outbox` describe every platform (names, rates) but start
    none: they must not pay for loading python-telegram-bot, discord.py or the SMS clients."""
    script = (
        "import sys\n"
        "from adapters.shell.platforms import described\n"
        "from adapters.shell.settings import Settings\n"
        "names = [p.name for p in described(Settings())]\n"
        "libraries = ('telegram', 'discord', 'twilio', 'aiohttp', 'httpx', 'pywa', 'pywa_async')\n"
        "print(names, sorted({m.split('.')[0] for m in sys.modules} & set(libraries)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['console', 'telegram', 'discord', 'sms', 'whatsapp'] []"
