"""Configuration from the environment (12-factor). Secrets are SecretStr so they never print.

These are the application's own settings. Each platform's (its credentials, its send rates, its
global channel) live with its adapter: TelegramSettings in adapters/platforms/telegram_platform.py,
DiscordSettings in discord_platform.py, SmsSettings in sms_platform.py, read from the same
environment.
"""

from __future__ import annotations

import ipaddress
from datetime import datetime

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core import KeyFileError, SigningKeys

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///circlebot.db"
DEFAULT_HOST = "0.0.0.0"  # every IPv4 interface


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    database_url: str = DEFAULT_DATABASE_URL
    port: int = Field(default=8080, ge=1, le=65535)
    # The address the web app listens on: every interface by default; 127.0.0.1 behind a
    # reverse proxy on the same machine, or for a worker that polls and needs no public port.
    host: str = Field(default=DEFAULT_HOST, min_length=1)
    # The proxies in front of the web app (comma-separated addresses or networks, e.g.
    # "10.0.0.0/8"), whose X-Forwarded-For names the client that failed a signature check.
    trusted_proxies: str = ""
    # The web app's public address (webhooks: Telegram's, Twilio's signature covers it).
    public_base_url: str | None = None

    # Redis (redis://host:6379/0): where every process keeps the platforms' send budgets. Unset:
    # the database keeps them on PostgreSQL; on SQLite each process keeps its own.
    redis_url: str | None = None
    # How often the outbox dispatcher looks for due messages, in seconds.
    dispatch_interval: float = Field(default=2.0, ge=0.1, le=600)
    # How many sends may be in flight at once, per process (and on each platform that sends
    # concurrently). Each platform's send rates are its adapter's settings.
    dispatch_concurrency: int = Field(default=8, ge=1, le=256)

    # The scheduler (`circlebot run`): how often the tick turns due state into outbox rows, in
    # seconds. 20 s keeps every due message within 60 s of its time. At least 1 s, except in a
    # rehearsal, whose fast clock may want a tick every few hundredths of a second.
    tick_interval: float = Field(default=20.0, ge=0.01, le=3600)
    # Rehearsal: with REHEARSAL_START set, `circlebot run` reads time from a WarpClock that shows
    # REHEARSAL_START at the unix time REHEARSAL_ORIGIN (default: when the process starts) and
    # runs REHEARSAL_SPEED times faster, so a season plays in minutes. Processes given the same
    # three values agree on the time. Keep TICK_INTERVAL x REHEARSAL_SPEED well under an hour, or
    # one-hour reminders fall between ticks (a reminder is never sent after its meeting starts).
    rehearsal_start: datetime | None = None
    rehearsal_speed: float = Field(default=1.0, gt=0, le=10_000_000)
    rehearsal_origin: float | None = None
    # A file that receives every console message `circlebot run` sends, one JSON line each.
    transcript_file: str | None = None

    # Letters: global moderators (accounts as platform:id, comma-separated, e.g.
    # "telegram:12345,sms:+254700000001") and how many circles one letter may reach.
    letter_moderators: str = ""
    letter_max_circles: int = Field(default=1, ge=1, le=100)

    # Days after a circle's last meeting until its names and words are anonymised, its numbers
    # kept (bot/reports/retention.py). At least 1: there is no "keep forever".
    retention_days: int = Field(default=180, ge=1, le=36_500)

    # Signed credentials (/portfolio, /credentials/<id>): the signing key (a private EC P-256
    # key as a JWK, a JWK Set whose first key signs, or PEM; see README), the issuer's name, and
    # the meetings a learner comes to for one (or all of a shorter circle). Needs
    # PUBLIC_BASE_URL. Unset: no credentials.
    credential_key_file: str | None = None
    credential_issuer: str = Field(default="circlebot", min_length=1, max_length=200)
    credential_min_meetings: int = Field(default=5, ge=1, le=100)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        for entry in value.split(","):
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError:
                if entry.strip():
                    raise ValueError(
                        f"TRUSTED_PROXIES must be addresses or networks, comma-separated, e.g. "
                        f"10.0.0.0/8 (got {entry.strip()})"
                    ) from None
        return value

    @field_validator("credential_key_file")
    @classmethod
    def _key_file_holds_a_key(cls, value: str | None) -> str | None:
        # Read now, so a missing or wrong file stops every command before anything starts.
        if value:
            try:
                SigningKeys.from_file(value)
            except OSError as error:
                reason = (error.strerror or str(error)).lower()
                raise ValueError(f"CREDENTIAL_KEY_FILE cannot be read: {value}: {reason}") from None
            except KeyFileError as error:
                raise ValueError(f"CREDENTIAL_KEY_FILE holds no signing key: {error}") from None
        return value

    @model_validator(mode="after")
    def _credentials_verify_somewhere(self) -> Settings:
        if self.credential_key_file and not self.public_base_url:
            raise ValueError(
                "CREDENTIAL_KEY_FILE needs PUBLIC_BASE_URL: the address where credentials "
                "are checked"
            )
        return self

    @model_validator(mode="after")
    def _ticks_in_real_time(self) -> Settings:
        # Outside a rehearsal a tick more often than each second only floods the log with
        # runs skipped while the last one is still going.
        if self.rehearsal_start is None and self.tick_interval < 1:
            raise ValueError(
                f"TICK_INTERVAL must be at least 1 outside a rehearsal (got {self.tick_interval:g})"
            )
        return self
