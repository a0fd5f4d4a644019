"""Reading the Cloud API's webhooks: the verification handshake, the signature, and the
messages and statuses in a notification.

Meta signs every notification with the app secret: `X-Hub-Signature-256: sha256=<hex>`, an
HMAC-SHA256 of the raw body. A request without it, or with another, is refused before its body
is even parsed. What passes is read defensively: ids short and printable, text valid Unicode
(JSON's lone surrogates become U+FFFD), and any change, message type or status we do not know
skipped rather than refused, so a new kind of notification never makes Meta retry the others.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_ID_CHARS = 128  # the database's columns for ids hold 128
# The challenge Meta sends is a number; anything long or strange is not Meta's.
MAX_CHALLENGE_CHARS = 64


@dataclass(frozen=True)
class Received:
    """One message a person sent the business number."""

    message_id: str  # the wamid: inbound is de-duplicated on it
    sender: str  # the business-scoped user id (BSUID), else the WhatsApp id (phone digits)
    text: str
    payload: str | None = None  # the id of a reply button or list row they picked
    name: str | None = None  # their WhatsApp profile name


@dataclass(frozen=True)
class Status:
    """What became of a message we sent."""

    message_id: str  # the wamid the send returned
    status: str  # sent, delivered, read, failed (played, deleted: ignored later)
    recipient: str | None
    error_code: str | None = None


def signature_valid(secret: bytes, body: bytes, header: str | None) -> bool:
    """Whether `header` is "sha256=" and the HMAC-SHA256 of `body` under `secret`."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").strip().lower(), expected)


def challenge_answer(query: Mapping[str, str], verify_token: bytes) -> str | None:
    """The challenge to echo when Meta registers the webhook with our verify token; None when
    the request is not that (a wrong token, another mode, a challenge that is not Meta's)."""
    given = query.get("hub.verify_token", "").encode()
    challenge = query.get("hub.challenge", "")
    if (
        query.get("hub.mode") != "subscribe"
        or not verify_token
        or not hmac.compare_digest(given, verify_token)
        or not challenge
        or len(challenge) > MAX_CHALLENGE_CHARS
        or not challenge.isalnum()
    ):
        return None
    return challenge


def document(body: bytes) -> dict[str, Any]:
    """The notification's JSON object; ValueError when it is not one."""
    try:
        parsed = json.loads(body)
    except RecursionError as error:
        raise ValueError("nested too deep") from error
    if not isinstance(parsed, dict):
        raise ValueError("expected a JSON object")
    return parsed


def _text(value: object) -> str:
    if not isinstance(value, str):
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def _identifier(value: object) -> str | None:
    text = _text(value)
    if not text or len(text) > MAX_ID_CHARS or not text.isprintable():
        return None
    return text


def _objects(value: object) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, dict))


def _changes(notification: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The `value` of every change about messages."""
    for entry in _objects(notification.get("entry")):
        for change in _objects(entry.get("changes")):
            value = change.get("value")
            if change.get("field") == "messages" and isinstance(value, dict):
                yield value


def _who(record: Mapping[str, Any], bsuid_field: str, phone_field: str) -> str | None:
    """The person's id: the business-scoped user id, which every notification carries and which
    stays when someone hides their number behind a username; the phone digits where an older
    notification has no BSUID."""
    return _identifier(record.get(bsuid_field)) or _identifier(record.get(phone_field))


def _content(message: Mapping[str, Any]) -> tuple[str, str | None]:
    """(text, picked payload) of one message; a type we do not read is an empty text (the bot
    answers that it did not catch it)."""
    kind = message.get("type")
    body = message.get(kind) if isinstance(kind, str) else None
    body = body if isinstance(body, dict) else {}
    if kind == "text":
        return _text(body.get("body")), None
    if kind == "interactive":
        picked = body.get(body.get("type", "")) if isinstance(body.get("type"), str) else None
        if isinstance(picked, dict):
            return _text(picked.get("title")), _text(picked.get("id")) or None
        return "", None
    if kind == "button":  # a template's quick-reply button
        return _text(body.get("text")), _text(body.get("payload")) or None
    if kind in ("image", "document", "video"):
        return _text(body.get("caption")), None
    return "", None


def messages(notification: dict[str, Any]) -> list[Received]:
    """The people's messages in a notification, in order."""
    found: list[Received] = []
    for value in _changes(notification):
        names: dict[str, str] = {}
        for contact in _objects(value.get("contacts")):
            profile = contact.get("profile")
            name = _text(profile.get("name")) if isinstance(profile, dict) else ""
            for key in ("user_id", "wa_id"):
                ident = _identifier(contact.get(key))
                if ident and name:
                    names[ident] = name
        for message in _objects(value.get("messages")):
            message_id = _identifier(message.get("id"))
            sender = _who(message, "from_user_id", "from")
            if message_id is None or sender is None:
                continue
            text, payload = _content(message)
            found.append(Received(message_id, sender, text, payload, names.get(sender)))
    return found


def statuses(notification: dict[str, Any]) -> list[Status]:
    """The status updates in a notification, in order."""
    found: list[Status] = []
    for value in _changes(notification):
        for status in _objects(value.get("statuses")):
            message_id = _identifier(status.get("id"))
            state = _text(status.get("status")).casefold()
            if message_id is None or not state:
                continue
            errors = list(_objects(status.get("errors")))
            code = _identifier(str(errors[0].get("code", ""))) if errors else None
            recipient = _who(status, "recipient_user_id", "recipient_id")
            found.append(Status(message_id, state, recipient, code))
    return found
