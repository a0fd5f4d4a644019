"""What USSD is to the bot: its settings and what its screens can hold, without the adapter's
web handlers (ussd/), so the shell can read the settings without loading them.

A USSD session is the person's SMS account at work, not a platform of its own. The phone that
dials the service code is the number that texts the bot: its sessions reach the core as messages
from that SMS account (the same person, circles, language and answers), and what the core sends
later (reminders, check-ins, letters) goes by SMS, since Africa's Talking cannot open a USSD
screen on a phone (the person always dials). A platform of its own would make a second person
for the same number, to be linked by hand, whose messages could never be delivered.

So there is no description for the core (no account, address or outbox row says "ussd"); the
name below only keys the adapter among the running ones and in /healthz.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.platforms import sms_platform
from bot.chat.messages import Capabilities

PLATFORM = "ussd"  # the adapter's key among the running adapters (and in /healthz)
ACTS_AS = sms_platform.PLATFORM  # the platform of the accounts its sessions speak for

# What one screen can hold: 160 octets, that is 182 characters of the GSM 03.38 alphabet
# (packed in 7 bits, each of ^{}\[]~|€ taking two), or 80 UTF-16 units once a single character
# is outside it. 182 is the figure gateways quote; the second is the same limit in UCS-2.
SCREEN_SEPTETS = 182
SCREEN_UCS2_UNITS = 80

# What the adapter asks the core's replies to be: whole texts (the adapter pages them itself),
# choices kept as choices (they become numbered options on the screen), typography kept inside
# the GSM alphabet (curly quotes and dashes would halve what a screen holds) and no files.
REPLY_CAPABILITIES = Capabilities(max_text_length=4000, buttons=True, gsm_safe=True)

# Where a number sent without "+" is read as a national number (Africa's Talking's home market).
DEFAULT_COUNTRY = "KE"


class UssdSettings(BaseSettings):
    """USSD through Africa's Talking, from the environment (USSD_*). The adapter starts when a
    service code is set; it needs no API key (Africa's Talking calls us), but the SMS adapter
    (AT_*) should run too, or what the core sends later waits in the outbox."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    # The code(s) people dial, as Africa's Talking sends them ("*384*123#"), comma-separated;
    # a session for any other code is refused.
    ussd_service_code: str | None = None
    # The secret the callback URL carries as ?token=...; unset, AT_WEBHOOK_TOKEN (one Africa's
    # Talking account, one secret for its callbacks). Without either, every callback is refused.
    ussd_webhook_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ussd_webhook_token", "at_webhook_token")
    )
    # The country of the service code: a number sent without "+" is read as one of its numbers.
    ussd_country: str = DEFAULT_COUNTRY

    @property
    def configured(self) -> bool:
        return bool(self.ussd_service_code and self.ussd_service_code.strip())

    @property
    def service_codes(self) -> frozenset[str]:
        return frozenset(
            code.strip() for code in (self.ussd_service_code or "").split(",") if code.strip()
        )
