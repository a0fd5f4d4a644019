"""Configuration from the environment (12-factor). Secrets are SecretStr so they never print."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///circlebot.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    database_url: str = DEFAULT_DATABASE_URL
    port: int = 8080
    public_base_url: str | None = None

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_secret: SecretStr | None = None
    telegram_global_chat_id: str | None = None

    discord_bot_token: SecretStr | None = None
    discord_global_channel_id: str | None = None
    # Slash commands sync to this guild only (instant, for development) instead of globally.
    discord_guild_id: str | None = None
    # discord.py's REST base (tests point it at a local fake); None keeps discord.py's own.
    discord_api_base_url: str | None = None

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None
    # Send through a messaging service instead of one number (either this or the number).
    twilio_messaging_service_sid: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"

    at_username: str | None = None
    at_api_key: SecretStr | None = None
    at_sender_id: str | None = None
    at_api_base_url: str = "https://api.africastalking.com"
    at_webhook_token: SecretStr | None = None

    # How often the outbox dispatcher looks for due messages, in seconds.
    dispatch_interval: float = 2.0

    # Outbox send rates (messages per second) and how many sends may be in flight at once.
    telegram_rate_per_second: float = 30
    telegram_rate_per_chat: float = 1
    discord_rate_per_second: float = 50
    discord_rate_per_chat: float = 5
    sms_rate_per_second: float = 1
    dispatch_concurrency: int = 8

    # The scheduler (`circlebot run`): how often the tick turns due state into outbox rows, in
    # seconds. 20 s keeps every due message within 60 s of its time.
    tick_interval: float = 20.0
    # Rehearsal: with REHEARSAL_START set, `circlebot run` reads time from a WarpClock that shows
    # REHEARSAL_START at the unix time REHEARSAL_ORIGIN (default: when the process starts) and
    # runs REHEARSAL_SPEED times faster, so a season plays in minutes. Processes given the same
    # three values agree on the time. Keep TICK_INTERVAL x REHEARSAL_SPEED well under an hour, or
    # one-hour reminders fall between ticks (a reminder is never sent after its meeting starts).
    rehearsal_start: datetime | None = None
    rehearsal_speed: float = 1.0
    rehearsal_origin: float | None = None
    # A file that receives every console message `circlebot run` sends, one JSON line each.
    transcript_file: str | None = None

    # Letters: global moderators (accounts as platform:id, comma-separated, e.g.
    # "telegram:12345,sms:+254700000001") and how many circles one letter may reach.
    letter_moderators: str = ""
    letter_max_circles: int = Field(default=1, ge=1)
