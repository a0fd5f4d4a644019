"""A local stand-in for the Telegram Bot API that enforces Telegram's send limits, for benches.

It speaks enough of the Bot API's HTTP shape for python-telegram-bot: POST /bot<token>/<method>
with a form, multipart or JSON body, answered {"ok": true, "result": ...} or {"ok": false,
"error_code": ..., "description": ..., "parameters": {...}}. It answers the methods an adapter
calls when it starts, takes webhooks and sends (getMe, sendMessage, sendDocument, sendPhoto,
setMyCommands, deleteMyCommands, setChatMenuButton, setWebhook, deleteWebhook, getUpdates with an
empty long poll, answerCallbackQuery).

Sends (the methods in SEND_METHODS) are held to Telegram's limits:
- 30 a second overall, over a sliding one-second window;
- one a second per chat, with no burst (a second send less than a second after the last one
  accepted for that chat is refused);
- 20 a minute per group chat (a negative chat id), over a sliding sixty-second window.
A send over a limit is answered 429 "Too Many Requests: retry after N" with retry_after N (whole
seconds, at least 1) and recorded in `refused`; it does not count against the limits. Every call
accepted is recorded in `accepted` with its time (time.monotonic(), in this process) and chat, so
a bench can work out peak rates and drain times. `outage(seconds)` answers 502 Bad Gateway to
every call for a while, for rehearsing an outage.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import math
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

TOKEN = "424242:bench-token"
BOT_ID = 424242
USERNAME = "circle_bench_bot"
SEND_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "sendaudio",
        "sendvideo",
        "sendvoice",
        "sendanimation",
        "sendmediagroup",
        "sendlocation",
        "copymessage",
        "forwardmessage",
    }
)
OVERALL_PER_SECOND = 30
CHAT_INTERVAL_SECONDS = 1.0
GROUP_PER_MINUTE = 20
LONG_POLL_CAP_SECONDS = 5.0  # an empty getUpdates answers after at most this long


@dataclass(frozen=True)
class Accepted:
    """A call the fake answered with ok."""

    at: float  # time.monotonic() when it was accepted
    method: str  # as sent, e.g. "sendMessage"
    chat_id: str | None
    text: str | None = None  # a sendMessage's text, HTML entities resolved

    @property
    def is_send(self) -> bool:
        return self.method.casefold() in SEND_METHODS


@dataclass(frozen=True)
class Refused:
    """A call the fake refused: over a limit (429) or during an outage (502)."""

    at: float
    method: str
    chat_id: str | None
    code: int
    limit: str  # "overall", "chat", "group" or "outage"
    retry_after: int | None = None
    text: str | None = None  # a sendMessage's text


class FakeBotApi:
    def __init__(
        self,
        token: str = TOKEN,
        *,
        per_second: int = OVERALL_PER_SECOND,
        chat_interval: float = CHAT_INTERVAL_SECONDS,
        group_per_minute: int = GROUP_PER_MINUTE,
    ) -> None:
        self.token = token
        self.per_second = per_second
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        self.accepted: list[Accepted] = []
        self.refused: list[Refused] = []
        self.webhook: dict[str, str] | None = None  # url and secret_token, once set
        self.base_url = ""  # http://127.0.0.1:PORT/bot, once started
        self._sends: deque[float] = deque()  # accepted sends in the last second
        self._chat_last: dict[str, float] = {}
        self._group_sends: defaultdict[str, deque[float]] = defaultdict(deque)
        self._down_until = 0.0
        self._message_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        """Listen on a free port of 127.0.0.1; returns the base URL for TELEGRAM_API_BASE_URL."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # A long poll whose client goes away is cancelled; shutdown does not wait on it long.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def outage(self, seconds: float) -> None:
        """Answer 502 Bad Gateway to every call for the next `seconds`."""
        self._down_until = time.monotonic() + seconds

    # -- what was seen ---------------------------------------------------------------------

    def sends(self, since: float = -math.inf, until: float = math.inf) -> list[Accepted]:
        """The sends accepted in [since, until], in the order they were accepted."""
        return [call for call in self.accepted if call.is_send and since <= call.at <= until]

    def too_many(self, since: float = -math.inf, until: float = math.inf) -> list[Refused]:
        """The 429 answers given in [since, until]."""
        return [r for r in self.refused if r.code == 429 and since <= r.at <= until]

    # -- the API -----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _read(request)
        raw_chat = params.get("chat_id")
        chat_id = None if raw_chat in (None, "") else str(raw_chat)
        now = time.monotonic()
        name = method.casefold()
        text = None
        if name == "sendmessage":
            text = str(params.get("text", ""))
            if params.get("parse_mode") == "HTML":
                text = html.unescape(text)
        if now < self._down_until:
            self.refused.append(Refused(now, method, chat_id, 502, "outage", text=text))
            return _error(502, "Bad Gateway")
        if name in SEND_METHODS:
            if chat_id is None:
                return _error(400, "Bad Request: chat_id is empty")
            over = self._over_limit(chat_id, now)
            if over is not None:
                limit, retry_after = over
                self.refused.append(Refused(now, method, chat_id, 429, limit, retry_after, text))
                return _error(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
            self._count_send(chat_id, now)
        result = self._answer(name, params, chat_id, text)
        if result is None:
            return _error(404, "Not Found")
        if name == "getupdates":
            # An empty long poll: wait as asked (capped), then nothing.
            timeout = float(params.get("timeout") or 0)
            await asyncio.sleep(min(max(timeout, 0.0), LONG_POLL_CAP_SECONDS))
        self.accepted.append(Accepted(now, method, chat_id, text))
        return web.json_response({"ok": True, "result": result})

    def _over_limit(self, chat_id: str, now: float) -> tuple[str, int] | None:
        """The limit a send to `chat_id` now would break, with the seconds to wait; or None."""
        group = chat_id.startswith("-")
        if group:
            window = self._group_sends[chat_id]
            while window and now - window[0] >= 60.0:
                window.popleft()
            if len(window) >= self.group_per_minute:
                return "group", _whole_seconds(window[0] + 60.0 - now)
        last = self._chat_last.get(chat_id)
        if last is not None and now - last < self.chat_interval:
            return "chat", _whole_seconds(last + self.chat_interval - now)
        while self._sends and now - self._sends[0] >= 1.0:
            self._sends.popleft()
        if len(self._sends) >= self.per_second:
            return "overall", _whole_seconds(self._sends[0] + 1.0 - now)
        return None

    def _count_send(self, chat_id: str, now: float) -> None:
        self._sends.append(now)
        self._chat_last[chat_id] = now
        if chat_id.startswith("-"):
            self._group_sends[chat_id].append(now)

    def _answer(
        self, name: str, params: dict[str, Any], chat_id: str | None, text: str | None
    ) -> Any:
        """The result of a call that passed the limits, or None for a method not known here."""
        if name == "getme":
            return _me()
        if name == "setwebhook":
            self.webhook = {
                "url": str(params.get("url", "")),
                "secret_token": str(params.get("secret_token", "")),
            }
            return True
        if name == "deletewebhook":
            self.webhook = None
            return True
        if name in ("setmycommands", "deletemycommands", "setchatmenubutton"):
            return True
        if name == "answercallbackquery":
            return True
        if name == "getupdates":
            return []
        if name in SEND_METHODS:
            assert chat_id is not None
            message = _message(next(self._message_ids), chat_id)
            if name == "sendmessage":
                message["text"] = text
            elif name == "senddocument":
                message["document"] = {"file_id": "doc", "file_unique_id": "udoc"}
            elif name == "sendphoto":
                message["photo"] = [
                    {"file_id": "photo", "file_unique_id": "uphoto", "width": 1, "height": 1}
                ]
            return message
        return None


def _whole_seconds(seconds: float) -> int:
    """Telegram's retry_after: whole seconds, at least one."""
    return max(1, math.ceil(seconds))


def _me() -> dict[str, Any]:
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": "Circle bench",
        "username": USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def _message(message_id: int, chat_id: str) -> dict[str, Any]:
    try:
        numeric = int(chat_id)
    except ValueError:  # "@channelname"
        numeric = -1001
    return {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": {"id": numeric, "type": "private" if numeric > 0 else "supergroup"},
        "from": _me(),
    }


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


async def _read(request: web.Request) -> dict[str, Any]:
    """A call's parameters, from a JSON, form or multipart body (files are read and dropped)."""
    if request.content_type == "application/json":
        body = await request.json()
        return body if isinstance(body, dict) else {}
    params: dict[str, Any] = {}
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.filename is not None:
                await part.read()
            else:
                params[part.name or ""] = await part.text()
    elif request.can_read_body:
        form = await request.post()
        params = {key: str(value) for key, value in form.items()}
    chat_id = params.get("chat_id")
    if isinstance(chat_id, str) and chat_id.startswith('"'):
        params["chat_id"] = json.loads(chat_id)  # a JSON-encoded string id
    return params
