"""Configuration from the environment (12-factor). Secrets are SecretStr so they never print."""

from __future__ import annotations

from pydantic import SecretStr
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

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"

    at_username: str | None = None
    at_api_key: SecretStr | None = None
    at_sender_id: str | None = None
    at_api_base_url: str | None = None
    at_webhook_token: SecretStr | None = None

    # How often the outbox dispatcher looks for due messages, in seconds.
    dispatch_interval: float = 2.0
