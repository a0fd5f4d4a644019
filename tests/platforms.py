"""The platforms the tests' cores serve, as the real adapters describe them (with their default
settings): the console, Telegram, Discord and SMS. The core itself names no platform."""

from __future__ import annotations

from dataclasses import replace

from adapters.platforms.console import ConsoleAdapter
from adapters.platforms.discord_bot import DiscordAdapter
from adapters.platforms.sms import SmsAdapter
from adapters.platforms.telegram_bot import TelegramAdapter
from bot.chat.platforms import Platform, RateLimit

PLATFORMS: tuple[Platform, ...] = (
    ConsoleAdapter.description,
    TelegramAdapter.description,
    DiscordAdapter.description,
    SmsAdapter.description,
)


def with_limits(**limits: RateLimit) -> tuple[Platform, ...]:
    """PLATFORMS with other send rates for some of them, by name (`sms=RateLimit(1000)`)."""
    unknown = set(limits) - {platform.name for platform in PLATFORMS}
    assert not unknown, unknown
    return tuple(
        replace(platform, limit=limits[platform.name]) if platform.name in limits else platform
        for platform in PLATFORMS
    )
