"""Twilio: inbound SMS and status callbacks as webhooks, outbound through the Messages REST API.

Webhooks are trusted only with a valid X-Twilio-Signature, checked by twilio's RequestValidator
over the URL Twilio called: PUBLIC_BASE_URL plus the path and query, never the URL aiohttp sees
(a proxy or load balancer in front changes scheme, host and port). An inbound message is answered
at once as TwiML, one <Message> per part.
"""

from __future__ import annotations

import base64
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import aiohttp
from aiohttp import web
from multidict import MultiDictProxy
from twilio.request_validator import RequestValidator

from adapters.platforms.lanes import Lanes
from adapters.platforms.sms import replies, rest
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
INBOUND_PATH = "/sms/twilio"
STATUS_PATH = "/sms/twilio/status"
SIGNATURE_HEADER = "X-Twilio-Signature"

# Twilio error codes (https://www.twilio.com/docs/api/errors) that no retry can fix.
UNSUBSCRIBED = "21610"  # the recipient texted STOP to this sender
INVALID_NUMBERS = frozenset({"21211", "21614"})  # not a valid number; not a mobile number

# Twilio's MessageStatus values in the core's terms. "receiving"/"received" describe inbound
# messages and never reach the status callback of one we sent.
STATUSES = {
    "accepted": DeliveryStatus.QUEUED,
    "scheduled": DeliveryStatus.QUEUED,
    "queued": DeliveryStatus.QUEUED,
    "sending": DeliveryStatus.SENT,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
    "canceled": DeliveryStatus.FAILED,
}


class TwilioGateway:
    name = "twilio"

    def __init__(
        self,
        core: Core,
        capabilities: Capabilities,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str | None = None,
        messaging_service_sid: str | None = None,
        api_base_url: str = "https://api.twilio.com",
        public_base_url: str | None = None,
    ) -> None:
        if not from_number and not messaging_service_sid:
            raise ValueError("Twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")
        self.core = core
        # One phone's texts are handled in the order they came (each is its own request).
        self.lanes = Lanes()
        self.capabilities = capabilities
        self.account_sid = account_sid
        # Built by hand: aiohttp's BasicAuth is deprecated and its replacement is recent.
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode("ascii")
        self._headers = {"Authorization": "Basic " + credentials, "Accept": "application/json"}
        self._validator = RequestValidator(auth_token)
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.messages_url = (
            api_base_url.rstrip("/") + f"/2010-04-01/Accounts/{account_sid}/Messages.json"
        )
        self.public_base_url = public_base_url.rstrip("/") if public_base_url else None
        # A number that arrives without "+" is read as a number of our own number's country.
        self.region = region_of(from_number)
        self.http: aiohttp.ClientSession | None = None  # the adapter's, set when it starts

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(INBOUND_PATH, self.inbound)
        app.router.add_post(STATUS_PATH, self.status)

    # Outbound

    async def send(self, message: Outbound) -> Receipt:
        if self.http is None:
            raise RuntimeError("the SMS adapter is not started")
        form = {"To": message.address.chat_id, "Body": message.text}
        if self.messaging_service_sid:
            form["MessagingServiceSid"] = self.messaging_service_sid
        else:
            assert self.from_number is not None
            form["From"] = self.from_number
        if self.public_base_url:
            form["StatusCallback"] = self.public_base_url + STATUS_PATH
        async with self.http.post(self.messages_url, data=form, headers=self._headers) as response:
            if response.status == 429:
                raise RetryLater.from_header(response.headers.get("Retry-After"))
            if response.status >= 500:
                raise RuntimeError(f"Twilio answered HTTP {response.status}")
            document = await rest.json_object(response)
        if response.status in (200, 201) and document.get("sid"):
            return Receipt(platform_message_id=str(document["sid"]))
        code = str(document.get("code", ""))
        reason = f"Twilio error {code or response.status}: {document.get('message', '')}"
        if code == UNSUBSCRIBED:
            raise PermanentDeliveryError(reason, opted_out=True)
        if code in INVALID_NUMBERS:
            raise PermanentDeliveryError(reason)
        raise RuntimeError(reason)  # credentials, configuration: retried while someone fixes it

    # Webhooks

    async def _verified(self, request: web.Request) -> MultiDictProxy[str]:
        """The form Twilio posted, once its signature is checked."""
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature or self.public_base_url is None:
            raise web.HTTPForbidden(text="unsigned request")
        fields = await read_fields(request)
        # raw_path is the path and query exactly as requested, as Twilio signed them.
        url = self.public_base_url + request.raw_path
        if not self._validator.validate(url, fields, signature):
            log.warning("refused a Twilio webhook with a wrong signature on %s", request.path)
            raise web.HTTPForbidden(text="bad signature")
        return fields

    async def inbound(self, request: web.Request) -> web.Response:
        fields = await self._verified(request)
        message_id, sender, text = required(fields, "MessageSid", "From", "Body")
        message_id = identifier(message_id, "MessageSid")
        number = phone_number(sender, self.region, "From")
        inbound = Inbound(
            platform=PLATFORM, account_id=number, chat_id=number, message_id=message_id, text=text
        )
        try:
            answers = await self.lanes.run(
                number, lambda: self.core.handle(inbound, self.capabilities)
            )
        except Unavailable as error:
            # Not consumed: an error status, so Twilio tries the fallback URL or gives up
            # with an error the operator sees, rather than an apology to the learner.
            raise web.HTTPServiceUnavailable(text="try again later") from error
        # Anything meant for someone else goes through the outbox like any message.
        others = [(n, part) for n, part in enumerate(answers) if part.address != inbound.address]
        await replies.queue(self.core, message_id, others)
        return twiml(part for part in answers if part.address == inbound.address)

    async def status(self, request: web.Request) -> web.Response:
        fields = await self._verified(request)
        message_id, status = required(fields, "MessageSid", "MessageStatus")
        known = STATUSES.get(status.casefold())
        if known is not None:
            error_code = optional(fields, "ErrorCode")
            report = DeliveryReport(
                platform=PLATFORM,
                receipt=identifier(message_id, "MessageSid"),
                status=known,
                reason=error_code,
                opted_out=error_code == UNSUBSCRIBED,
                address=e164(fields.get("To", ""), self.region),
            )
            await self.core.record_delivery(report)
        return web.Response()


def twiml(parts: Iterable[Outbound]) -> web.Response:
    """A TwiML answer sending each part as one SMS; an empty <Response/> sends nothing."""
    root = ET.Element("Response")
    for part in parts:
        ET.SubElement(root, "Message").text = part.text  # ElementTree escapes <, > and &
    body = '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode")
    return web.Response(text=body, content_type="application/xml", charset="utf-8")
