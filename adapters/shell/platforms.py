"""The platforms this bot knows: the one list of adapters, each described and started from its
own settings.

Every adapter declares what the core needs to know of its platform (a bot.chat.platforms
Platform: name, display name, rate limit, capabilities, keywords, files, global channel) and
reads its own settings class from the environment. Adding a platform is one entry in each of
the two functions below; nothing in bot/ changes.
"""

from __future__ import annotations

from adapters.platforms import (
    discord_platform,
    sms_platform,
    telegram_platform,
    whatsapp_platform,
)
from adapters.platforms.console import ConsoleAdapter
from adapters.platforms.discord_platform import DiscordSettings
from adapters.platforms.sms_platform import SmsSettings
from adapters.platforms.telegram_platform import TelegramSettings
from adapters.platforms.transcript import TranscriptAdapter
from adapters.platforms.ussd_platform import UssdSettings
from adapters.platforms.whatsapp_platform import WhatsAppSettings
from adapters.shell.settings import Settings
from bot.chat.contract import Adapter
from bot.chat.platforms import Platform
from bot.core import Core


def described(settings: Settings) -> list[Platform]:
    """Every platform this bot knows, as its adapter describes it with its settings.

    A platform is described whether or not its adapter runs in this process: its accounts and
    the messages waiting for it exist either way (/roster names them, /link offers them, and
    the web process sends to Telegram while the Discord gateway lives in the worker)."""
    concurrency = settings.dispatch_concurrency
    return [
        ConsoleAdapter.description,
        telegram_platform.describe(TelegramSettings(), concurrency),
        discord_platform.describe(DiscordSettings(), concurrency),
        sms_platform.describe(SmsSettings()),
        whatsapp_platform.describe(WhatsAppSettings(), concurrency),
    ]


def platform_adapters(settings: Settings, core: Core, worker: bool = True) -> dict[str, Adapter]:
    """The adapters whose credentials are set, by platform.

    `worker` is `circlebot run`: it may poll Telegram (when there is no webhook) and hold the
    Discord gateway. The web process (`circlebot serve`) only takes webhooks. A platform without
    credentials keeps its rows in the outbox, to be sent once it has them. Console accounts
    (people who used `circlebot chat`) get their messages in TRANSCRIPT_FILE when it is set.
    """
    # A platform's library loads here, when its adapter starts: not to describe it.
    adapters: dict[str, Adapter] = {}
    telegram = TelegramSettings()
    if telegram.configured:
        from adapters.platforms.telegram_bot import TelegramAdapter

        adapters[TelegramAdapter.platform] = TelegramAdapter.from_settings(
            telegram, core, polling=worker, public_base_url=settings.public_base_url
        )
    discord = DiscordSettings()
    if discord.configured and worker:
        from adapters.platforms.discord_bot import DiscordAdapter

        adapters[DiscordAdapter.platform] = DiscordAdapter.from_settings(discord, core)
    sms = SmsSettings()
    if sms.configured:
        from adapters.platforms.sms import SmsAdapter

        adapters[SmsAdapter.platform] = SmsAdapter.from_settings(
            sms, core, public_base_url=settings.public_base_url
        )
    whatsapp = WhatsAppSettings()
    if whatsapp.configured:
        from adapters.platforms.whatsapp import WhatsAppAdapter

        adapters[WhatsAppAdapter.platform] = WhatsAppAdapter.from_settings(whatsapp, core)
    ussd = UssdSettings()
    if ussd.configured:
        # Its sessions speak for the SMS account of the number that dials: no description of
        # its own above (no account is a USSD one), and what the core sends later goes by SMS.
        from adapters.platforms.ussd import UssdAdapter

        adapters[UssdAdapter.platform] = UssdAdapter.from_settings(ussd, core)
    if settings.transcript_file:
        adapters[TranscriptAdapter.platform] = TranscriptAdapter(settings.transcript_file)
    return adapters
