"""What Discord is to the core: its description and its settings.

Apart from the adapter (discord_bot.py) and without importing discord.py, so the shell can
describe every platform (display names, rates, global channels) without loading its library.
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.chat.i18n import N_
from bot.chat.messages import Capabilities, LengthUnit, Markup
from bot.chat.platforms import Platform, RateLimit

PLATFORM = "discord"
# 50 requests a second per bot; a few messages a second per channel (DISCORD_RATE_PER_SECOND and
# DISCORD_RATE_PER_CHAT change them; DISPATCH_CONCURRENCY bounds the sends in flight).
LIMIT = RateLimit(50, 5, 8)


def plain_text(text: str) -> str:
    """Text shown as typed: Discord reads Markdown, so "*Amina*", "||" or "# " in a name or a
    letter would change how it looks. Links are left whole so they stay links."""
    # Imported here: only a process that writes to Discord escapes for it.
    from discord.utils import escape_markdown

    return escape_markdown(text, ignore_links=True)


# Discord counts its 2,000-character limit in UTF-16 units (an emoji outside the BMP is two).
# The core writes plain text; escaped (and measured escaped) it shows verbatim.
CAPABILITIES = Capabilities(
    max_text_length=2000,
    length_unit=LengthUnit.UTF16,
    buttons=True,
    files=True,
    markup=Markup.PLAIN,
    escape=plain_text,
)
# What the core knows of Discord. Reminders carry the circle's calendar: Discord offers the
# .ics as a file to open in a calendar app.
DESCRIPTION = Platform(
    name=PLATFORM,
    display_name=N_("Discord"),
    capabilities=CAPABILITIES,
    limit=LIMIT,
    calendar_on_reminders=True,
)


class DiscordSettings(BaseSettings):
    """The Discord adapter's configuration, from the environment (DISCORD_*). The adapter starts
    in the worker when DISCORD_BOT_TOKEN is set."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    discord_bot_token: SecretStr | None = None
    # The channel where delivered letters are posted.
    discord_global_channel_id: str | None = None
    # Slash commands sync to this guild only (instant, for development) instead of globally.
    discord_guild_id: str | None = None
    # discord.py's REST base (tests point it at a local fake); None keeps discord.py's own.
    discord_api_base_url: str | None = None
    # Send rates: messages per second overall, and to one channel (LIMIT's).
    discord_rate_per_second: float = Field(default=50, gt=0, le=100_000)
    discord_rate_per_chat: float = Field(default=5, gt=0, le=1000)

    @property
    def configured(self) -> bool:
        return self.discord_bot_token is not None


def describe(settings: DiscordSettings, concurrency: int = LIMIT.concurrency) -> Platform:
    """The description with the configured send rates and global channel."""
    return replace(
        DESCRIPTION,
        limit=RateLimit(
            settings.discord_rate_per_second, settings.discord_rate_per_chat, concurrency
        ),
        global_channel=settings.discord_global_channel_id,
    )
