"""A local fake of the WhatsApp Cloud API (the Graph API's messages and media endpoints) on
127.0.0.1, and the webhook notifications Meta would send, signed as Meta signs them.

The fake checks the bearer token as the real API does, records every message it accepted (the
JSON pywa posted) and every upload, and can be told to answer a recipient with a failure: per
recipient, a queue of answers used up in turn ("429", "500", or a Cloud API error code such as
"131026" for a number not on WhatsApp, "131047" for a window that has closed, "132001" for a
template that does not exist).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

API_VERSION = "v23.0"
PHONE_NUMBER_ID = "106540352242922"
ACCESS_TOKEN = "EAAG-test-access-token"
APP_SECRET = "meta-app-secret"
VERIFY_TOKEN = "a-long-random-verify-token"
WABA_ID = "102290129340398"
SIGNATURE_HEADER = "X-Hub-Signature-256"

ERRORS = {
    "131026": (400, "Message Undeliverable."),
    "131047": (400, "Re-engagement message"),
    "132001": (404, "Template name does not exist in the translation"),
    "130429": (400, "Rate limit hit"),
}


@dataclass
class FakeGraphApi:
    sent: list[dict[str, Any]] = field(default_factory=list)  # the messages accepted
    ids: list[str] = field(default_factory=list)  # the wamid given to each
    uploads: list[dict[str, Any]] = field(default_factory=list)  # media: type, name, bytes
    requests: list[tuple[str, int]] = field(default_factory=list)  # (recipient, HTTP status)
    plans: dict[str, list[str]] = field(default_factory=dict)
    server: TestServer | None = None
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def plan(self, recipient: str, *answers: str) -> None:
        self.plans.setdefault(recipient, []).extend(answers)

    @property
    def base_url(self) -> str:
        """WHATSAPP_API_BASE_URL for the adapter: the fake with the API version."""
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/") + "/" + API_VERSION

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{version}/{phone}/messages", self.messages)
        app.router.add_post("/{version}/{phone}/media", self.media)
        self.server = TestServer(app, host="127.0.0.1", port=0)
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def to(self, recipient: str) -> list[dict[str, Any]]:
        """What was sent to `recipient` (a phone's digits or a BSUID)."""
        return [m for m in self.sent if recipient in (m.get("to"), m.get("recipient"))]

    def _refusal(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != "Bearer " + ACCESS_TOKEN:
            return _error(401, 190, "Invalid OAuth access token.")
        if request.match_info["phone"] != PHONE_NUMBER_ID:
            return _error(400, 100, "Unsupported post request.")
        return None

    async def messages(self, request: web.Request) -> web.Response:
        refused = self._refusal(request)
        if refused is not None:
            return refused
        body = await request.json()
        recipient = body.get("to") or body.get("recipient") or ""
        planned = self.plans.get(recipient)
        answer = planned.pop(0) if planned else None
        if answer == "429":
            self.requests.append((recipient, 429))
            return _error(429, 80007, "Rate limit issues")
        if answer == "500":
            self.requests.append((recipient, 500))
            return web.Response(status=500, text="<html>Internal Server Error</html>")
        if answer in ERRORS:
            status, message = ERRORS[answer]
            self.requests.append((recipient, status))
            return _error(status, int(answer), message)
        self.requests.append((recipient, 200))
        wamid = f"wamid.FAKE{next(self._numbers):06d}"
        self.sent.append(body)
        self.ids.append(wamid)
        contact = {"input": recipient}
        contact["user_id" if "recipient" in body else "wa_id"] = recipient
        return web.json_response(
            {"messaging_product": "whatsapp", "contacts": [contact], "messages": [{"id": wamid}]}
        )

    async def media(self, request: web.Request) -> web.Response:
        refused = self._refusal(request)
        if refused is not None:
            return refused
        form = await request.post()
        upload = form["file"]
        assert isinstance(upload, web.FileField)
        media_id = f"media{next(self._numbers):06d}"
        self.uploads.append(
            {
                "id": media_id,
                "type": form.get("type"),
                "filename": upload.filename,
                "data": upload.file.read(),
            }
        )
        return web.json_response({"id": media_id})


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response(
        {
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "fbtrace_id": "AbCdEf",
            }
        },
        status=status,
    )


# Webhook notifications, as Meta posts them.


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notification(value: dict[str, Any]) -> bytes:
    document = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WABA_ID,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "254700000100",
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(document).encode()


def contact(bsuid: str, phone: str | None, name: str) -> dict[str, Any]:
    found: dict[str, Any] = {"profile": {"name": name}, "user_id": bsuid}
    if phone is not None:
        found["wa_id"] = phone
    return found


def text_message(
    wamid: str, bsuid: str, phone: str | None, text: str, name: str = "Wanjiru"
) -> bytes:
    message: dict[str, Any] = {
        "from_user_id": bsuid,
        "id": wamid,
        "timestamp": "1792000000",
        "type": "text",
        "text": {"body": text},
    }
    if phone is not None:
        message["from"] = phone
    return notification({"contacts": [contact(bsuid, phone, name)], "messages": [message]})


def picked(
    wamid: str, bsuid: str, phone: str | None, payload: str, title: str, kind: str = "button"
) -> bytes:
    """A reply button ("button") or a list row ("list") picked."""
    reply_type = "button_reply" if kind == "button" else "list_reply"
    message: dict[str, Any] = {
        "from_user_id": bsuid,
        "id": wamid,
        "timestamp": "1792000000",
        "type": "interactive",
        "interactive": {"type": reply_type, reply_type: {"id": payload, "title": title}},
    }
    if phone is not None:
        message["from"] = phone
    return notification({"contacts": [contact(bsuid, phone, "Wanjiru")], "messages": [message]})


def status(wamid: str, state: str, recipient: str, error_code: int | None = None) -> bytes:
    update: dict[str, Any] = {
        "id": wamid,
        "status": state,
        "timestamp": "1792000100",
        "recipient_user_id": recipient,
    }
    if error_code is not None:
        update["errors"] = [{"code": error_code, "title": "Message undeliverable"}]
    return notification({"statuses": [update]})
