"""What Telegram is to the core: its description and its settings.

Apart from the adapter (telegram_bot.py) and without python-telegram-bot, so the shell can
describe every platform (display names, rates, global channels) without loading its library.
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.chat.i18n import N_
from bot.chat.messages import Capabilities, LengthUnit, Markup
from bot.chat.platforms import Platform, RateLimit

PLATFORM = "telegram"
# About 30 messages a second per bot, one a second per chat (TELEGRAM_RATE_PER_SECOND and
# TELEGRAM_RATE_PER_CHAT change them; DISPATCH_CONCURRENCY bounds the sends in flight).
# A group: 20 a minute. A file is a request of its own (sendDocument), counted as one.
LIMIT = RateLimit(30, 1, 8, per_group_per_minute=20, group_prefix="-", calls_per_attachment=1)
MAX_TEXT_UTF16 = 4096  # Telegram counts a message's text in UTF-16 units, after entity parsing

CAPABILITIES = Capabilities(
    max_text_length=MAX_TEXT_UTF16,
    length_unit=LengthUnit.UTF16,
    buttons=True,
    files=True,
    markup=Markup.HTML,
)
# What the core knows of Telegram. Reminders carry the circle's calendar: Telegram offers the
# .ics as a file to open in a calendar app.
DESCRIPTION = Platform(
    name=PLATFORM,
    display_name=N_("Telegram"),
    capabilities=CAPABILITIES,
    limit=LIMIT,
    calendar_on_reminders=True,
)


class TelegramSettings(BaseSettings):
    """The Telegram adapter's configuration, from the environment (TELEGRAM_*). The adapter
    starts when TELEGRAM_BOT_TOKEN is set."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_secret: SecretStr | None = None
    # The channel or group (the bot an admin there) where delivered letters are posted.
    telegram_global_chat_id: str | None = None
    # Send rates: messages per second overall, and to one chat (LIMIT's).
    telegram_rate_per_second: float = Field(default=30, gt=0, le=100_000)
    telegram_rate_per_chat: float = Field(default=1, gt=0, le=1000)

    @property
    def configured(self) -> bool:
        return self.telegram_bot_token is not None


def describe(settings: TelegramSettings, concurrency: int = LIMIT.concurrency) -> Platform:
    """The description with the configured send rates and global channel."""
    return replace(
        DESCRIPTION,
        limit=replace(
            LIMIT,
            overall_per_second=settings.telegram_rate_per_second,
            per_chat_per_second=settings.telegram_rate_per_chat,
            concurrency=concurrency,
        ),
        global_channel=settings.telegram_global_chat_id,
    )
