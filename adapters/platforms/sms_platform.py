"""What SMS is to the core: its description and the gateways' settings.

Apart from the adapter (sms/) and without the gateways' HTTP clients, so the shell can describe
every platform (display names, rates) without loading them.
"""

from __future__ import annotations

from dataclasses import replace

import phonenumbers
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.chat.i18n import N_
from bot.chat.platforms import Platform, RateLimit
from bot.chat.segments import SMS_CAPABILITIES

PLATFORM = "sms"
# Countries where Africa's Talking has its own carrier connections (phonenumbers regions): with
# both gateways configured, their numbers go through it, every other through Twilio.
AT_MARKETS = frozenset(
    {"KE", "UG", "TZ", "RW", "NG", "MW", "ZM", "ET", "CI", "SN", "CM", "GH", "ZA"}
)
# About one segment a second per sender number (SMS_RATE_PER_SECOND changes it), one at a time.
LIMIT = RateLimit(1, None, 1)

# What the core knows of SMS: people text words, not slash commands ("JOIN AB12CD", "YES", and
# the carrier's STOP, START, HELP); every segment is billed. No files, so reminders carry no
# calendar (the reader would get only a note about a file, costing a segment). The gateways'
# message ids are never reused, and a signed Twilio request can be replayed word for word: every
# id handled is refused for good. Accounts are E.164 numbers (sms/numbers.py), which people
# change with their SIM.
DESCRIPTION = Platform(
    name=PLATFORM,
    display_name=N_("SMS"),
    capabilities=SMS_CAPABILITIES,
    limit=LIMIT,
    keywords=True,
    billed_per_segment=True,
    permanent_message_ids=True,
    phone_numbers=True,
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

    @model_validator(mode="after")
    def _gateways_whole(self) -> SmsSettings:
        # A half-configured gateway stops every command (one line, exit 2) rather than the
        # worker crashing at start, or messages that silently never leave.
        if self.twilio_account_sid:
            if self.twilio_auth_token is None:
                raise ValueError("TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is not")
            if not (self.twilio_from_number or self.twilio_messaging_service_sid):
                raise ValueError(
                    "TWILIO_ACCOUNT_SID needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID"
                )
        if self.at_username and self.at_api_key is None:
            raise ValueError("AT_USERNAME is set but AT_API_KEY is not")
        return self


def describe(settings: SmsSettings) -> Platform:
    """The description with the configured send rate, and the number each country's learners
    text (the sending gateway's, so replies come from the number they wrote to)."""
    return replace(
        DESCRIPTION,
        limit=RateLimit(settings.sms_rate_per_second, None, LIMIT.concurrency),
        texted_numbers=texted_numbers(settings),
    )


def texted_numbers(settings: SmsSettings) -> tuple[tuple[str, str | None], ...]:
    """Which number the learners of each country text, as Platform.texted_numbers: the number
    of the gateway that carries their country's messages (sms.choose_gateway), None where that
    gateway sends from a sender name or short code (AT_SENDER_ID "LIBRARY", a Twilio messaging
    service), so an invitation never names a number abroad that their replies do not come
    from."""
    twilio = _textable(settings.twilio_from_number) if settings.twilio_account_sid else None
    africastalking = _textable(settings.at_sender_id) if settings.at_username else None
    if settings.at_username and settings.twilio_account_sid:
        return (*((country, africastalking) for country in sorted(AT_MARKETS)), ("*", twilio))
    if settings.at_username:
        return (("*", africastalking),)
    if settings.twilio_account_sid:
        return (("*", twilio),)
    return ()


def _textable(sender: str | None) -> str | None:
    """`sender` when people can text it: a phone number, not a name or a short code."""
    if not sender or not sender.startswith("+"):
        return None
    try:
        return sender if phonenumbers.region_code_for_number(phonenumbers.parse(sender)) else None
    except phonenumbers.NumberParseException:
        return None
