"""Plain SMS through Twilio, Africa's Talking, or both.

One adapter for the platform "sms": accounts are E.164 numbers, whichever gateway carried them.
With both gateways configured, a number in a market Africa's Talking serves goes through it and
any other through Twilio (`choose_gateway`). Webhooks (adapters/shell/web.py mounts them):

- POST /sms/twilio, /sms/twilio/status: inbound messages and status callbacks, signed by Twilio;
- POST /sms/africastalking, /sms/africastalking/delivery: inbound messages and delivery reports,
  with `?token=AT_WEBHOOK_TOKEN`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

import aiohttp
from aiohttp import web

from adapters.platforms.sms.africastalking_gateway import AfricasTalkingGateway
from adapters.platforms.sms.numbers import region_of
from adapters.platforms.sms.twilio_gateway import TwilioGateway
from adapters.platforms.sms_platform import AT_MARKETS, DESCRIPTION, PLATFORM, SmsSettings
from bot.chat.messages import Capabilities, Outbound, Receipt
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core

log = logging.getLogger(__name__)


# A gateway that has not answered in this long is treated as failed; the outbox retries.
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=30)

Gateway = TwilioGateway | AfricasTalkingGateway


def choose_gateway(
    number: str,
    twilio: TwilioGateway | None,
    africastalking: AfricasTalkingGateway | None,
    markets: Collection[str] = AT_MARKETS,
) -> Gateway:
    """Africa's Talking for a number in its markets when it is configured, else Twilio; a lone
    gateway carries every number."""
    if africastalking is not None and (twilio is None or region_of(number) in markets):
        return africastalking
    if twilio is not None:
        return twilio
    raise RuntimeError("no SMS gateway is configured")


class SmsAdapter:
    platform = PLATFORM
    capabilities: Capabilities = SMS_CAPABILITIES
    description = DESCRIPTION

    def __init__(
        self,
        core: Core,
        twilio: TwilioGateway | None = None,
        africastalking: AfricasTalkingGateway | None = None,
    ) -> None:
        if twilio is None and africastalking is None:
            raise ValueError("the SMS adapter needs Twilio or Africa's Talking")
        self.core = core
        self.twilio = twilio
        self.africastalking = africastalking
        self.http: aiohttp.ClientSession | None = None

    @property
    def gateways(self) -> list[Gateway]:
        return [g for g in (self.twilio, self.africastalking) if g is not None]

    @classmethod
    def from_settings(
        cls, settings: SmsSettings, core: Core, public_base_url: str | None = None
    ) -> SmsAdapter:
        """The gateways whose credentials are set. A half-configured gateway is an error at
        start-up rather than messages that silently never leave. Twilio signs its webhooks
        over `public_base_url` (PUBLIC_BASE_URL, the shell's)."""
        twilio = None
        if settings.twilio_account_sid:
            if settings.twilio_auth_token is None:
                raise ValueError("TWILIO_ACCOUNT_SID is set but TWILIO_AUTH_TOKEN is not")
            if not public_base_url:
                log.warning(
                    "PUBLIC_BASE_URL is not set: Twilio webhooks will be refused (their signature "
                    "covers the public URL) and no status callbacks are requested"
                )
            twilio = TwilioGateway(
                core,
                cls.capabilities,
                account_sid=settings.twilio_account_sid,
                auth_token=settings.twilio_auth_token.get_secret_value(),
                from_number=settings.twilio_from_number,
                messaging_service_sid=settings.twilio_messaging_service_sid,
                api_base_url=settings.twilio_api_base_url,
                public_base_url=public_base_url,
            )
        africastalking = None
        if settings.at_username:
            if settings.at_api_key is None:
                raise ValueError("AT_USERNAME is set but AT_API_KEY is not")
            if settings.at_webhook_token is None:
                log.warning(
                    "AT_WEBHOOK_TOKEN is not set: Africa's Talking callbacks will be refused"
                )
            africastalking = AfricasTalkingGateway(
                core,
                cls.capabilities,
                username=settings.at_username,
                api_key=settings.at_api_key.get_secret_value(),
                sender_id=settings.at_sender_id,
                api_base_url=settings.at_api_base_url,
                webhook_token=(
                    settings.at_webhook_token.get_secret_value()
                    if settings.at_webhook_token
                    else None
                ),
            )
        return cls(core, twilio, africastalking)

    async def start(self) -> None:
        if self.http is None:
            self.http = aiohttp.ClientSession(timeout=HTTP_TIMEOUT)
        for gateway in self.gateways:
            gateway.http = self.http
        # The numbers learners can text (/invite names one); a messaging service, a short
        # code or a sender name has none to give.
        numbers = (
            self.twilio.from_number if self.twilio else None,
            self.africastalking.sender_id if self.africastalking else None,
        )
        self.core.reach[PLATFORM] = tuple(n for n in numbers if n and region_of(n) is not None)

    async def stop(self) -> None:
        for gateway in self.gateways:
            gateway.http = None
        if self.http is not None:
            await self.http.close()
            self.http = None

    def gateway_for(self, number: str) -> Gateway:
        return choose_gateway(number, self.twilio, self.africastalking)

    async def send(self, message: Outbound) -> Receipt:
        return await self.gateway_for(message.address.chat_id).send(message)

    def add_routes(self, app: web.Application) -> None:
        for gateway in self.gateways:
            gateway.add_routes(app)
