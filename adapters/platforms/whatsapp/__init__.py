"""WhatsApp through the Cloud API, on pywa's async client.

Webhooks (adapters/shell/web.py mounts them) on one path, /whatsapp/webhook:

- GET: the verification handshake when the webhook is registered (hub.verify_token);
- POST: notifications, signed with the app secret (X-Hub-Signature-256), else 403 and nothing
  read. Each message is handled with Core.answer (its replies sent through the API) keyed on
  its wamid, so a notification Meta sends again is answered once; statuses are recorded with
  Core.record_delivery.

Sending follows the 24-hour rule (window.py): within it, text (up to 4,096 characters),
choices as reply buttons (up to 3, titles up to 20 characters) or a list (up to 10 rows), files
as documents or images; outside it, a proactive message goes as its kind's template
(templates.py), and one with no template, or too long for one, is set aside until the person
writes again (RetryLater.set_aside; Core.chat_woke makes it due when they do).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial

import httpx
from aiohttp import web
from pywa_async import WhatsApp
from pywa_async.errors import (
    MessageUndeliverable,
    RecipientCannotBeSender,
    RecipientNotInAllowedList,
    ReEngagementMessage,
    ThrottlingError,
    UserStoppedMarketingMessages,
    WhatsAppError,
)
from pywa_async.types import Button, Section, SectionList, SectionRow
from pywa_async.types.templates import TemplateLanguage

from adapters.platforms.lanes import Lanes
from adapters.platforms.whatsapp import templates, webhooks
from adapters.platforms.whatsapp.window import ServiceWindow
from adapters.platforms.whatsapp_platform import (
    CAPABILITIES,
    DESCRIPTION,
    PLATFORM,
    WhatsAppSettings,
)
from bot.chat.contract import PermanentDeliveryError, RetryLater, Unavailable
from bot.chat.i18n import N_
from bot.chat.messages import Attachment, Capabilities, Inbound, Outbound, Receipt
from bot.chat.rendering import choices_as_text, split_text
from bot.core import Core, DeliveryReport, DeliveryStatus

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/whatsapp/webhook"
HTTP_TIMEOUT = httpx.Timeout(30.0)

# Interactive messages' limits (Meta's): a body of 1,024 characters under reply buttons,
# 4,096 under a list; up to 3 buttons of 20 characters, up to 10 rows of 24 (with a
# description of 72), and a list button of 20.
BUTTONS_BODY_CHARS = 1024
MAX_BUTTONS = 3
BUTTON_TITLE_CHARS = 20
MAX_ROWS = 10
ROW_TITLE_CHARS = 24
ROW_DESCRIPTION_CHARS = 72
LIST_BUTTON_CHARS = 20

# A message set aside (outside the window, no template) is tried again after this long, if the
# person has not written before; it dies when it is no longer useful.
SET_ASIDE_FOR = 6 * 3600.0
# Document types WhatsApp shows; other text (a calendar, a CSV, Markdown) travels as plain text
# under its own name, so the phone still opens it with the right app.
DOCUMENT_TYPES = frozenset(
    {
        "text/plain",
        "application/pdf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})

# Refusals no retry changes: not a WhatsApp user (or an old app), a test number's recipient not
# on its allowed list, our own number.
REFUSED = (MessageUndeliverable, RecipientNotInAllowedList, RecipientCannotBeSender)
# Template errors (132xxx): not approved yet, paused, disabled, parameters it does not take.
TEMPLATE_ERRORS = range(132000, 133000)

# Translators: the button that opens a WhatsApp list of choices; at most 20 characters.
CHOOSE = N_("Choose")

STATUSES = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "played": DeliveryStatus.DELIVERED,
    "failed": DeliveryStatus.FAILED,
}


class WhatsAppAdapter:
    platform = PLATFORM
    capabilities: Capabilities = CAPABILITIES
    description = DESCRIPTION

    def __init__(
        self,
        core: Core,
        *,
        phone_number_id: str,
        access_token: str,
        app_secret: str | None,
        verify_token: str | None,
        api_base_url: str | None = None,
        template_prefix: str = "circlebot",
        template_languages: Sequence[str] = (),
    ) -> None:
        self.core = core
        self.phone_number_id = phone_number_id
        self._access_token = access_token
        self._app_secret = (app_secret or "").encode()
        self._verify_token = (verify_token or "").encode()
        self.api_base_url = api_base_url.rstrip("/") if api_base_url else None
        self.template_prefix = template_prefix
        self.template_languages = tuple(template_languages)
        # One person's messages are handled in the order they came.
        self.lanes = Lanes()
        self.window = ServiceWindow(core, PLATFORM)
        self.http: httpx.AsyncClient | None = None
        self.client: WhatsApp | None = None

    @classmethod
    def from_settings(cls, settings: WhatsAppSettings, core: Core) -> WhatsAppAdapter:
        if not settings.whatsapp_phone_number_id or settings.whatsapp_access_token is None:
            raise ValueError("WhatsApp needs WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN")
        if settings.whatsapp_app_secret is None:
            log.warning("WHATSAPP_APP_SECRET is not set: every WhatsApp webhook will be refused")
        if settings.whatsapp_verify_token is None:
            log.warning("WHATSAPP_VERIFY_TOKEN is not set: Meta cannot register the webhook")
        secret, verify = settings.whatsapp_app_secret, settings.whatsapp_verify_token
        return cls(
            core,
            phone_number_id=settings.whatsapp_phone_number_id,
            access_token=settings.whatsapp_access_token.get_secret_value(),
            app_secret=secret.get_secret_value() if secret else None,
            verify_token=verify.get_secret_value() if verify else None,
            api_base_url=settings.whatsapp_api_base_url,
            template_prefix=settings.whatsapp_template_prefix,
            template_languages=settings.template_languages,
        )

    async def start(self) -> None:
        if self.client is not None:
            return
        self.http = httpx.AsyncClient(timeout=HTTP_TIMEOUT)
        self.client = WhatsApp(
            phone_id=self.phone_number_id, token=self._access_token, session=self.http
        )
        if self.api_base_url:
            # pywa sets the Graph API's address on the client it is given; ours, when set.
            self.http.base_url = httpx.URL(self.api_base_url)

    async def stop(self) -> None:
        if self.http is not None:
            await self.http.aclose()
        self.http = None
        self.client = None

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(WEBHOOK_PATH, self.verify)
        app.router.add_post(WEBHOOK_PATH, self.notification)

    # Webhooks

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's handshake when the webhook is registered: the challenge back, or 403."""
        answer = webhooks.challenge_answer(request.query, self._verify_token)
        if answer is None:
            raise web.HTTPForbidden(text="wrong verify token")
        return web.Response(text=answer)

    async def notification(self, request: web.Request) -> web.Response:
        body = await request.read()  # the guard has read it within the app's limits
        header = request.headers.get(webhooks.SIGNATURE_HEADER)
        if not webhooks.signature_valid(self._app_secret, body, header):
            if header:
                log.warning("refused a WhatsApp webhook with a wrong signature")
            raise web.HTTPForbidden(text="bad or missing signature")
        try:
            notification = webhooks.document(body)
        except ValueError as error:
            raise web.HTTPBadRequest(text="the body is not a JSON object") from error
        try:
            for received in webhooks.messages(notification):
                await self.lanes.run(received.sender, partial(self._handle, received))
        except Unavailable as error:
            # Not consumed: Meta sends the notification again, and what was handled of it is
            # recognised by its wamids.
            raise web.HTTPServiceUnavailable(text="try again later") from error
        for status in webhooks.statuses(notification):
            known = STATUSES.get(status.status)
            if known is not None:
                await self.core.record_delivery(
                    DeliveryReport(
                        platform=PLATFORM,
                        receipt=status.message_id,
                        status=known,
                        reason=status.error_code,
                        address=status.recipient,
                    )
                )
        return web.Response()

    async def _handle(self, received: webhooks.Received) -> None:
        inbound = Inbound(
            platform=PLATFORM,
            account_id=received.sender,
            chat_id=received.sender,
            message_id=received.message_id,
            text=received.text,
            payload=received.payload,
            display_name=received.name,
        )
        # They wrote: Meta opens the window for a day, so the answers go as free text (even one
        # the core makes without reading the message, such as "please wait a minute").
        self.window.heard(received.sender, self.core.clock.now())
        await self.core.answer(inbound, self)
        await self.core.chat_woke(PLATFORM, received.sender)  # what waited for them goes now

    # Sending

    def _client(self) -> WhatsApp:
        if self.client is None:
            raise RuntimeError("the WhatsApp adapter is not started")
        return self.client

    async def send(self, message: Outbound) -> Receipt:
        to = message.address.chat_id
        try:
            if await self.window.is_open(to):
                return await self._send_free(to, message)
            return await self._send_template(to, message)
        except WhatsAppError as error:
            raise _translated(error) from error

    async def _send_template(self, to: str, message: Outbound) -> Receipt:
        """Outside the window: the message as its kind's template, or set aside."""
        template = templates.template_for(message.idempotency_key)
        language = templates.language_for(message.locale, self.template_languages)
        # The choices in the message's own words; the fixed line in the template's language.
        tr = self.core.catalogs.translator(message.locale)
        text = choices_as_text(message, tr) if message.choices else message.text
        fixed = self.core.catalogs.translator(language)
        parameter = (
            templates.as_parameter(text, fixed._(template.body))
            if template is not None and language is not None and not message.attachments
            else None
        )
        if template is None or language is None or parameter is None:
            raise RetryLater(
                SET_ASIDE_FOR,
                "outside WhatsApp's 24-hour window with no template: waits for them to write",
                set_aside=True,
            )
        sent = await self._client().send_template(
            to=to,
            name=template.name(self.template_prefix),
            language=TemplateLanguage(language),
            # The body's one parameter, in the Cloud API's own terms.
            params=[{"type": "body", "parameters": [{"type": "text", "text": parameter}]}],
        )
        return Receipt(platform_message_id=sent.id, billed=True)  # templates are paid for

    async def _send_free(self, to: str, message: Outbound) -> Receipt:
        """Within the window: the text (with its choices), then each file."""
        client = self._client()
        last: str | None = None
        if message.choices:
            last = await self._send_choices(to, message)
        elif message.text.strip():
            last = (await client.send_message(to=to, text=message.text)).id
        for attachment in message.attachments:
            last = await self._send_file(to, attachment)
        return Receipt(platform_message_id=last)

    async def _send_choices(self, to: str, message: Outbound) -> str:
        client = self._client()
        tr = self.core.catalogs.translator(message.locale)
        choices = message.choices
        buttons = len(choices) <= MAX_BUTTONS and all(
            len(choice.label) <= BUTTON_TITLE_CHARS for choice in choices
        )
        if not buttons and len(choices) > MAX_ROWS:  # more than a list holds: numbers
            return (await client.send_message(to=to, text=choices_as_text(message, tr))).id
        text = message.text.strip() or tr._(CHOOSE)
        body_limit = BUTTONS_BODY_CHARS if buttons else self.capabilities.max_text_length
        *before, body = split_text(text, body_limit)
        for part in before:  # the text the buttons' body has no room for goes first
            await client.send_message(to=to, text=part)
        if buttons:
            keyboard: list[Button] | SectionList = [
                Button(title=choice.label, callback_data=choice.payload) for choice in choices
            ]
        else:
            title = tr._(CHOOSE)[:LIST_BUTTON_CHARS]
            rows = [
                SectionRow(
                    title=_shortened(choice.label, ROW_TITLE_CHARS),
                    callback_data=choice.payload,
                    description=(
                        _shortened(choice.label, ROW_DESCRIPTION_CHARS)
                        if len(choice.label) > ROW_TITLE_CHARS
                        else None
                    ),
                )
                for choice in choices
            ]
            keyboard = SectionList(button_title=title, sections=[Section(title=title, rows=rows)])
        return (await client.send_message(to=to, text=body, buttons=keyboard)).id

    async def _send_file(self, to: str, attachment: Attachment) -> str:
        client = self._client()
        if attachment.media_type in IMAGE_TYPES:
            sent = await client.send_image(
                to=to, image=attachment.data, mime_type=attachment.media_type
            )
            return sent.id
        media_type = attachment.media_type
        if media_type not in DOCUMENT_TYPES and media_type.startswith("text/"):
            media_type = "text/plain"
        sent = await client.send_document(
            to=to, document=attachment.data, filename=attachment.filename, mime_type=media_type
        )
        return sent.id


def _shortened(label: str, most: int) -> str:
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _translated(error: WhatsAppError) -> Exception:
    """The Cloud API's refusal in the dispatcher's terms."""
    reason = f"WhatsApp error {error.code}: {error.message}"
    if isinstance(error, ThrottlingError) or error.status_code == 429:
        response = error.raw_response
        return RetryLater.from_header(response.headers.get("Retry-After") if response else None)
    if isinstance(error, ReEngagementMessage) or error.code in TEMPLATE_ERRORS:
        # Meta says the window has closed (our clock and theirs differ by a little), or the
        # template is not usable yet: the message waits for the person's next message.
        if error.code in TEMPLATE_ERRORS:
            log.warning("a WhatsApp template was refused: %s", reason)
        return RetryLater(SET_ASIDE_FOR, reason, set_aside=True)
    if isinstance(error, UserStoppedMarketingMessages):
        return PermanentDeliveryError(reason, opted_out=True)
    if isinstance(error, REFUSED):
        return PermanentDeliveryError(reason)
    # Payment, the account, Meta's own trouble: the operator's or Meta's to fix, retried meanwhile.
    return RuntimeError(reason)
