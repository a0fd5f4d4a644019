"""Africa's Talking: inbound SMS, delivery reports and opt-out notifications as webhooks,
outbound through its messaging REST API (replies to an inbound message go out through it at once).

A number can opt out at Africa's Talking itself (its "Bulk SMS opt-out" notification, posted to
OPT_OUT_PATH) without ever texting us STOP: the account is marked opted out at once, as a STOP
would, so nothing waits in the outbox for a number the gateway would refuse.

Africa's Talking does not sign its callbacks, so the callback URLs carry a secret,
AT_WEBHOOK_TOKEN, as `?token=...`, compared in constant time. Without the setting every callback
is refused. Callbacks come as a form; JSON is read too.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

import aiohttp
from aiohttp import web

from adapters.platforms.lanes import Lanes
from adapters.platforms.sms import rest
from adapters.platforms.sms.numbers import e164, region_of
from adapters.platforms.sms.webhooks import (
    identifier,
    optional,
    phone_number,
    read_fields,
    required,
)
from bot.chat.contract import PermanentDeliveryError, RetryLater, Unavailable
from bot.chat.messages import Capabilities, Inbound, Outbound, Receipt
from bot.core import Core, DeliveryReport, DeliveryStatus

log = logging.getLogger(__name__)

PLATFORM = "sms"
INBOUND_PATH = "/sms/africastalking"
DELIVERY_PATH = "/sms/africastalking/delivery"
OPT_OUT_PATH = "/sms/africastalking/optout"
MESSAGING_PATH = "/version1/messaging"

# Per-recipient statusCode in the send response.
ACCEPTED = frozenset({100, 101, 102})  # processed, sent, queued
BLACKLISTED = 406  # UserInBlacklist: the number opted out of messages from this sender
# InvalidPhoneNumber, UnsupportedNumberType, DoNotDisturbRejection: no retry will change these.
REFUSED = frozenset({403, 404, 409})
# A delivery report's failureReason saying the person opted out (spelled both ways by AT).
OPTED_OUT_REASONS = frozenset({"userinblacklist"})

# Delivery report statuses in the core's terms (compared case-insensitively).
STATUSES = {
    "submitted": DeliveryStatus.SENT,
    "sent": DeliveryStatus.SENT,
    "buffered": DeliveryStatus.SENT,  # the carrier holds it until the phone is reachable
    "success": DeliveryStatus.DELIVERED,
    "failed": DeliveryStatus.FAILED,
    "rejected": DeliveryStatus.FAILED,
    "absentsubscriber": DeliveryStatus.FAILED,
    "expired": DeliveryStatus.FAILED,
}

# When no number of our own says which country a number without "+" belongs to: the gateway's
# home market.
DEFAULT_REGION = "KE"


class AfricasTalkingGateway:
    name = "africastalking"

    def __init__(
        self,
        core: Core,
        capabilities: Capabilities,
        *,
        username: str,
        api_key: str,
        sender_id: str | None = None,
        api_base_url: str = "https://api.africastalking.com",
        webhook_token: str | None = None,
    ) -> None:
        self.core = core
        # One phone's texts are handled in the order they came (each is its own request).
        self.lanes = Lanes()
        self.capabilities = capabilities
        self.username = username
        self._headers = {"apiKey": api_key, "Accept": "application/json"}
        self.sender_id = sender_id
        self.messaging_url = api_base_url.rstrip("/") + MESSAGING_PATH
        self._token = webhook_token.encode() if webhook_token else None
        # A sender id may be a name or a short code; only a full number tells a country.
        self.region = region_of(sender_id) or DEFAULT_REGION
        self.http: aiohttp.ClientSession | None = None  # the adapter's, set when it starts

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(INBOUND_PATH, self.inbound)
        app.router.add_post(DELIVERY_PATH, self.delivery)
        app.router.add_post(OPT_OUT_PATH, self.opt_out)

    # Outbound

    async def send(self, message: Outbound, sender: str | None = None) -> Receipt:
        """Send one part; `sender` (a reply's short code or number) overrides AT_SENDER_ID."""
        if self.http is None:
            raise RuntimeError("the SMS adapter is not started")
        form = {"username": self.username, "to": message.address.chat_id, "message": message.text}
        if sender or self.sender_id:
            form["from"] = sender or self.sender_id or ""
        async with self.http.post(self.messaging_url, data=form, headers=self._headers) as response:
            if response.status == 429:
                raise RetryLater.from_header(response.headers.get("Retry-After"))
            if response.status >= 500:
                raise RuntimeError(f"Africa's Talking answered HTTP {response.status}")
            document = await rest.json_object(response)
            if response.status not in (200, 201):
                text = (await response.text())[:200]
                raise RuntimeError(f"Africa's Talking answered HTTP {response.status}: {text}")
        return _receipt(document)

    # Webhooks

    def _check_token(self, request: web.Request) -> None:
        given = request.query.get("token", "").encode()
        if self._token is None or not hmac.compare_digest(given, self._token):
            raise web.HTTPForbidden(text="unknown token")

    async def inbound(self, request: web.Request) -> web.Response:
        self._check_token(request)
        fields = await read_fields(request, allow_json=True)
        message_id, sender, text = required(fields, "id", "from", "text")
        message_id = identifier(message_id, "id")
        number = phone_number(sender, self.region, "from")
        inbound = Inbound(
            platform=PLATFORM, account_id=number, chat_id=number, message_id=message_id, text=text
        )
        # Replies go from the number or short code the person wrote to, so theirs comes back.
        replying = _ReplyingFrom(self, optional(fields, "to"))
        try:
            await self.lanes.run(number, lambda: self.core.answer(inbound, replying))
        except Unavailable as error:
            # Not consumed: an error status, so the gateway sends it again later.
            raise web.HTTPServiceUnavailable(text="try again later") from error
        return web.Response()

    async def delivery(self, request: web.Request) -> web.Response:
        self._check_token(request)
        fields = await read_fields(request, allow_json=True)
        message_id, status = required(fields, "id", "status")
        known = STATUSES.get(status.casefold())
        if known is not None:
            reason = optional(fields, "failureReason")
            report = DeliveryReport(
                platform=PLATFORM,
                receipt=identifier(message_id, "id"),
                status=known,
                reason=reason,
                opted_out=(reason or "").casefold() in OPTED_OUT_REASONS,
                address=e164(fields.get("phoneNumber", ""), self.region),
            )
            await self.core.record_delivery(report)
        return web.Response()

    async def opt_out(self, request: web.Request) -> web.Response:
        """A number opted out of our sender id at Africa's Talking (senderId, phoneNumber)."""
        self._check_token(request)
        fields = await read_fields(request, allow_json=True)
        [raw] = required(fields, "phoneNumber")
        number = phone_number(raw, self.region, "phoneNumber")
        await self.core.opt_out(PLATFORM, number)
        sender_id = optional(fields, "senderId")
        log.info("Africa's Talking says a number opted out of sender %s", sender_id)
        return web.Response()


def _receipt(document: dict[str, Any]) -> Receipt:
    """The message id for our one recipient, or the error its statusCode stands for."""
    data = document.get("SMSMessageData") or {}
    recipients = data.get("Recipients") or []
    if not recipients:  # refused as a whole (e.g. an unknown sender id): says why in Message
        raise RuntimeError(f"Africa's Talking sent nothing: {data.get('Message', document)}")
    recipient = recipients[0]
    try:
        code = int(recipient.get("statusCode", 0))
    except (TypeError, ValueError):
        code = 0
    reason = f"Africa's Talking status {code}: {recipient.get('status', '')}"
    if code in ACCEPTED:
        return Receipt(platform_message_id=str(recipient.get("messageId") or "") or None)
    if code == BLACKLISTED:
        raise PermanentDeliveryError(reason, opted_out=True)
    if code in REFUSED:
        raise PermanentDeliveryError(reason)
    raise RuntimeError(reason)  # risk hold, balance, routing, gateway errors: worth retrying


class _ReplyingFrom:
    """The gateway as an adapter that sends from the number the person wrote to."""

    platform = PLATFORM

    def __init__(self, gateway: AfricasTalkingGateway, sender: str | None) -> None:
        self.gateway = gateway
        self.sender = sender
        self.capabilities = gateway.capabilities

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        return await self.gateway.send(message, sender=self.sender)
