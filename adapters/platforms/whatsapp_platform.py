"""What WhatsApp is to the core: its description and the Cloud API's settings.

Apart from the adapter (whatsapp/) and without pywa, so the shell can describe every platform
(display names, rates) without loading it.
"""

from __future__ import annotations

from dataclasses import replace

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.chat.i18n import N_
from bot.chat.messages import Capabilities, LengthUnit, Markup
from bot.chat.platforms import Platform, RateLimit

PLATFORM = "whatsapp"
# The Cloud API takes 80 messages a second per business number (more once Meta raises the
# number's tier), and about one a second to one person before it answers "pair rate limit"
# (WHATSAPP_RATE_PER_SECOND and WHATSAPP_RATE_PER_CHAT change them). A file is a message of its
# own, so a call of its own.
LIMIT = RateLimit(80, 1, 8, calls_per_attachment=1)
MAX_TEXT_CHARS = 4096  # a text message's body

# WhatsApp shows *bold*, _italics_ and ~strikes~ in any text, as its users type them; the core
# writes plain text, which reads the same with or without them.
CAPABILITIES = Capabilities(
    max_text_length=MAX_TEXT_CHARS,
    length_unit=LengthUnit.CHARACTERS,
    buttons=True,
    files=True,
    markup=Markup.PLAIN,
)
# What the core knows of WhatsApp. There is no command menu: people type words ("JOIN AB12CD",
# "YES", STOP), as on SMS. Reminders carry no calendar file: learners on small data plans
# would pay for it every week. A message id (wamid) is never given twice and arrives in signed
# webhooks that could be replayed: every one handled is refused for good.
DESCRIPTION = Platform(
    name=PLATFORM,
    display_name=N_("WhatsApp"),
    capabilities=CAPABILITIES,
    limit=LIMIT,
    keywords=True,
    permanent_message_ids=True,
)

# The languages the bot speaks, in which the templates are submitted by default.
TEMPLATE_LANGUAGES = "en,es,fr,de,sw,da"


class WhatsAppSettings(BaseSettings):
    """The WhatsApp Cloud API's configuration, from the environment (WHATSAPP_*). The adapter
    starts when the phone number id and the access token are set."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    # The business phone number's id (not the number itself), from WhatsApp Manager.
    whatsapp_phone_number_id: str | None = None
    # A system user's permanent access token with whatsapp_business_messaging.
    whatsapp_access_token: SecretStr | None = None
    # The Meta app's secret: webhooks are signed with it (X-Hub-Signature-256).
    whatsapp_app_secret: SecretStr | None = None
    # The token Meta sends back when the webhook is registered (any long random string).
    whatsapp_verify_token: SecretStr | None = None
    # The Graph API with its version ("https://graph.facebook.com/v23.0"); None keeps pywa's.
    # The tests point it at a local fake.
    whatsapp_api_base_url: str | None = None
    # Templates are named "<prefix>_<kind>" (circlebot_reminder, ...).
    whatsapp_template_prefix: str = "circlebot"
    # The languages whose templates Meta has approved, comma-separated; a message in another
    # language goes out in the first of them. Empty: no templates (messages outside the
    # 24-hour window wait for the person to write).
    whatsapp_template_languages: str = TEMPLATE_LANGUAGES
    # Send rates: messages per second overall, and to one person (LIMIT's).
    whatsapp_rate_per_second: float = Field(default=80, gt=0, le=100_000)
    whatsapp_rate_per_chat: float = Field(default=1, gt=0, le=1000)

    @property
    def configured(self) -> bool:
        return bool(self.whatsapp_phone_number_id and self.whatsapp_access_token)

    @property
    def template_languages(self) -> tuple[str, ...]:
        return tuple(
            code.strip() for code in self.whatsapp_template_languages.split(",") if code.strip()
        )


def describe(settings: WhatsAppSettings, concurrency: int = LIMIT.concurrency) -> Platform:
    """The description with the configured send rates."""
    return replace(
        DESCRIPTION,
        limit=replace(
            LIMIT,
            overall_per_second=settings.whatsapp_rate_per_second,
            per_chat_per_second=settings.whatsapp_rate_per_chat,
            concurrency=concurrency,
        ),
    )
