"""What both gateways' webhooks check before anything reaches the core.

Each check refuses with its own status and stores nothing: 403 for a request we cannot trust, 415
for a body we do not read, 413 for one over the app's size limit (aiohttp raises it while
reading, see adapters/shell/web.py), 400 for a body that is not UTF-8 (or not JSON), a missing
field, an id that is not one, or a sender that is not a phone number. The texts are for the
gateway's logs and the operator, not for a learner.

What passes is valid text: JSON's "\\ud800" escapes (lone surrogates, which no database or
encoder takes) become U+FFFD, ids are short and printable, and the optional fields we keep lose
their control characters. A message's text is cleaned further by the core.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping

from aiohttp import web
from multidict import MultiDict, MultiDictProxy

from adapters.platforms.sms.numbers import e164

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# The longest id, status or reason we keep (the database's columns for them hold 128).
MAX_ID_CHARS = 128


def valid_text(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD (a pair, by the character it makes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def require_content_type(request: web.Request, *allowed: str) -> str:
    """The request's media type, if it is one of `allowed` (charset and other parameters aside)."""
    if request.content_type not in allowed:
        raise web.HTTPUnsupportedMediaType(text="expected " + " or ".join(allowed))
    return request.content_type


async def read_fields(request: web.Request, *, allow_json: bool = False) -> MultiDictProxy[str]:
    """The posted fields, from a form or (when allowed) a JSON object of scalars."""
    allowed = (FORM, JSON) if allow_json else (FORM,)
    if require_content_type(request, *allowed) == FORM:
        try:
            form = await request.post()  # 413 from aiohttp past client_max_size
        except (UnicodeDecodeError, LookupError) as error:  # LookupError: an unknown charset
            raise web.HTTPBadRequest(text="the body is not a form in UTF-8") from error
        return MultiDictProxy(
            MultiDict((name, value) for name, value in form.items() if isinstance(value, str))
        )
    body = await request.read()  # likewise 413 past the limit
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:  # not UTF-8, not JSON, or nested too deep
        raise web.HTTPBadRequest(text="the body is not JSON") from error
    if not isinstance(document, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return MultiDictProxy(
        MultiDict(
            (valid_text(str(name)), _scalar(value))
            for name, value in document.items()
            if value is not None and not isinstance(value, dict | list)
        )
    )


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return valid_text(str(value))


def required(fields: Mapping[str, str], *names: str) -> list[str]:
    """The values of `names`; 400 naming those missing (an empty value counts as present)."""
    missing = [name for name in names if name not in fields]
    if missing:
        raise web.HTTPBadRequest(text="missing field(s): " + ", ".join(missing))
    return [fields[name] for name in names]


def identifier(value: str, field: str) -> str:
    """`value` as a gateway's message id: printable and at most MAX_ID_CHARS long, or 400."""
    if not value or len(value) > MAX_ID_CHARS or not value.isprintable():
        raise web.HTTPBadRequest(text=field + " is not a message id")
    return value


def optional(fields: Mapping[str, str], name: str) -> str | None:
    """An optional field we keep or log (an error code, a failure reason): without control
    characters, at most MAX_ID_CHARS long; None when missing or empty."""
    value = "".join(ch for ch in fields.get(name, "") if unicodedata.category(ch) != "Cc")
    return value.strip()[:MAX_ID_CHARS] or None


def phone_number(raw: str, region: str | None, field: str) -> str:
    """`raw` in E.164, or 400."""
    number = e164(raw, region)
    if number is None:
        raise web.HTTPBadRequest(text=field + " is not a phone number")
    return number
