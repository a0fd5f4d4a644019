"""What SMS is to the core: its description and the gateways' settings.

Apart from the adapter (sms/) and without the gateways' HTTP clients, so the shell can describe
every platform (display names, rates) without loading them.
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.chat.i18n import N_
from bot.chat.platforms import Platform, RateLimit
from bot.chat.segments import SMS_CAPABILITIES

PLATFORM = "sms"
# About one segment a second per sender number (SMS_RATE_PER_SECOND changes it), one at a time.
LIMIT = RateLimit(1, None, 1)

# What the core knows of SMS: people text words, not slash commands ("JOIN AB12CD", "YES", and
# the carrier's STOP, START, HELP); every segment is billed. No files, so reminders carry no
# calendar (the reader would get only a note about a file, costing a segment). The gateways'
# message ids are never reused, and a signed Twilio request can be replayed word for word: every
# id handled is refused for good.
DESCRIPTION = Platform(
    name=PLATFORM,
    display_name=N_("SMS"),
    capabilities=SMS_CAPABILITIES,
    limit=LIMIT,
    keywords=True,
    billed_per_segment=True,
    permanent_message_ids=True,
)


class SmsSettings(BaseSettings):
    """The SMS gateways' configuration, from the environment (TWILIO_*, AT_*, SMS_*). The
    adapter starts when either gateway has its account set."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

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

    # Send rate, messages per second (LIMIT's).
    sms_rate_per_second: float = Field(default=1, gt=0, le=100_000)

    @property
    def configured(self) -> bool:
        return bool(self.twilio_account_sid or self.at_username)


def describe(settings: SmsSettings) -> Platform:
    """The description with the configured send rate."""
    return replace(
        DESCRIPTION, limit=RateLimit(settings.sms_rate_per_second, None, LIMIT.concurrency)
    )
