"""A fake Telegram Bot API on 127.0.0.1, for driving the real python-telegram-bot against it.

It speaks the Bot API's HTTP shape (POST /bot<token>/<method>, form-encoded or multipart, JSON
answers with ok/result or ok/error_code/description/parameters), records every call, and keeps
what a person would see: the messages in each chat (their visible text after HTML parsing), the
buttons, the files. It checks what Telegram checks that matters here: HTML parse mode must parse,
a message's visible text is at most 4,096 UTF-16 units, callback data at most 64 bytes,
getUpdates is refused while a webhook is set. Updates are queued with push() and served by
getUpdates as Telegram does (long poll, offset confirms and drops earlier updates).
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-token"
BOT_ID = 123456
USERNAME = "circle_test_bot"
MAX_TEXT_UTF16 = 4096
# Tags Telegram's HTML parse mode knows; anything else fails to parse.
_ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TAG = re.compile(r"</?([a-z-]+)(?:\s[^<>]*)?>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
# Parameters PTB sends JSON-encoded in a form field.
_JSON_FIELDS = {
    "chat_id", "offset", "limit", "timeout", "allowed_updates", "reply_markup", "commands",
    "scope", "message_id", "link_preview_options", "drop_pending_updates", "show_alert",
    "cache_time",
}  # fmt: skip


class ApiError(Exception):
    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id


def visible_text(markup: str) -> str:
    """What Telegram shows for an HTML parse-mode text, or ApiError if it would not parse."""
    out: list[str] = []
    position = 0
    while position < len(markup):
        char = markup[position]
        if char == "<":
            tag = _TAG.match(markup, position)
            if tag is None or tag.group(1) not in _ALLOWED_TAGS:
                raise ApiError(400, "Bad Request: can't parse entities: unsupported start tag")
            position = tag.end()
        elif char == "&":
            entity = _ENTITY.match(markup, position)
            if entity is None:
                raise ApiError(400, "Bad Request: can't parse entities: unescaped &")
            out.append(html.unescape(entity.group(0)))
            position = entity.end()
        elif char == ">":
            raise ApiError(400, "Bad Request: can't parse entities: unescaped >")
        else:
            out.append(char)
            position += 1
    return "".join(out)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field -> (name, data)


@dataclass
class Sent:
    """A message as its reader sees it."""

    message_id: int
    chat_id: str
    text: str  # visible text (after parsing HTML)
    raw: str  # as sent
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (label, callback data)
    document: tuple[str, bytes] | None = None
    photo: tuple[str, bytes] | None = None


class FakeTelegram:
    def __init__(
        self, token: str = TOKEN, username: str = USERNAME, rate_per_second: int | None = None
    ) -> None:
        self.token = token
        self.username = username
        self.rate_per_second = rate_per_second  # e.g. 30: more sends in one second get 429
        self.rate_limited = 0  # sends refused with 429 for the rate
        # An outage: (until, status) windows on time.monotonic(), in order; a send inside one
        # is answered with its status (429 with retry_after 1, or a 5xx).
        self.outage: list[tuple[float, int]] = []
        self.refusals: list[tuple[float, int]] = []  # (when, status) of each send refused so
        self.accepted_at: list[float] = []  # when each send was accepted
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.blocked: set[str] = set()  # chats answering 403 "bot was blocked by the user"
        # Groups upgraded to supergroups: old id -> new id (sends to the old id are refused).
        self.migrated: dict[str, int] = {}
        self.failing_files = 0  # how many file sends in a row answer 429
        self.file_retry_after = 3  # the retry_after those 429s give, in seconds
        # What the next setWebhook calls are refused with (a 400 each), in order.
        self.webhook_refusals: list[str] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[tuple[str, str | None], list[dict[str, str]]] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._arrived = asyncio.Condition()
        self._message_ids = itertools.count(1)
        self._send_times: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        # Cancel a long poll whose client went away (the adapter stopping), and do not wait
        # long for handlers at shutdown.
        self._runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self.base_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- driving it from a test ------------------------------------------------------------

    async def push(self, *updates: dict[str, Any]) -> None:
        """Updates Telegram has for the bot; a waiting getUpdates returns at once."""
        async with self._arrived:
            self._updates.extend(updates)
            self._arrived.notify_all()

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def messages_to(self, chat_id: int | str) -> list[Sent]:
        return [message for message in self.sent if message.chat_id == str(chat_id)]

    def texts_to(self, chat_id: int | str) -> list[str]:
        return [message.text for message in self.messages_to(chat_id) if message.text]

    async def wait_for(self, chat_id: int | str, count: int = 1, seconds: float = 10) -> list[Sent]:
        """The messages to `chat_id` once there are at least `count` of them."""
        deadline = time.monotonic() + seconds
        while len(self.messages_to(chat_id)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} messages to {chat_id}, got {self.texts_to(chat_id)}"
                )
            await asyncio.sleep(0.01)
        return self.messages_to(chat_id)

    async def wait_handled(self, update_id: int, seconds: float = 10) -> None:
        """Until the poller confirms `update_id` (asks for the updates after it): by then it
        has handled it and sent its replies."""
        deadline = time.monotonic() + seconds
        while not any(
            int(call.params.get("offset") or 0) > update_id for call in self.calls_to("getUpdates")
        ):
            if time.monotonic() > deadline:
                raise AssertionError(f"update {update_id} was not confirmed")
            await asyncio.sleep(0.01)

    async def wait_for_call(self, method: str, count: int = 1, seconds: float = 10) -> list[Call]:
        deadline = time.monotonic() + seconds
        while len(self.calls_to(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} calls to {method}")
            await asyncio.sleep(0.01)
        return self.calls_to(method)

    # -- the API -----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(ApiError(401, "Unauthorized"))
        method = request.match_info["method"]
        params, files = await self._read(request)
        self.calls.append(Call(method, params, files))
        handler = getattr(self, "_api_" + method.casefold(), None)
        if handler is None:
            return self._error(ApiError(404, "Not Found"))
        try:
            result = await handler(params, files)
        except ApiError as error:
            return self._error(error)
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    async def _read(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            params = await request.json()
            return params, files
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part.filename is not None:  # type: ignore[union-attr]
                    files[part.name or ""] = (part.filename, await part.read())  # type: ignore[union-attr]
                else:
                    params[part.name or ""] = await part.text()  # type: ignore[union-attr]
        else:
            form = await request.post()
            params = {key: str(value) for key, value in form.items()}
        for key in _JSON_FIELDS & params.keys():
            if isinstance(params[key], str):
                try:
                    params[key] = json.loads(params[key])
                except json.JSONDecodeError:
                    pass  # chat_id "@channel" is a plain string
        return params, files

    @staticmethod
    def _error(error: ApiError) -> web.Response:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": error.code,
            "description": error.description,
        }
        if error.retry_after is not None:
            body["parameters"] = {"retry_after": error.retry_after}
        if error.migrate_to_chat_id is not None:
            body["parameters"] = {"migrate_to_chat_id": error.migrate_to_chat_id}
        return web.json_response(body, status=error.code)

    def _me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Circle",
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getme(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        return self._me()

    async def _api_getupdates(self, params: dict[str, Any], files: Any) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        async with self._arrived:
            while True:
                if offset:  # confirms every update before it: Telegram forgets them
                    while self._updates and self._updates[0]["update_id"] < offset:
                        self._updates.popleft()
                ready = [u for u in self._updates if u["update_id"] >= offset][:limit]
                left = deadline - time.monotonic()
                if ready or left <= 0:
                    return ready
                try:
                    await asyncio.wait_for(self._arrived.wait(), left)
                except TimeoutError:
                    return []

    async def _api_setwebhook(self, params: dict[str, Any], files: Any) -> bool:
        if self.webhook_refusals:
            raise ApiError(400, self.webhook_refusals.pop(0))
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        return True

    async def _api_deletewebhook(self, params: dict[str, Any], files: Any) -> bool:
        self.webhook = None
        return True

    async def _api_setmycommands(self, params: dict[str, Any], files: Any) -> bool:
        commands = params["commands"]
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = params.get("scope") or {"type": "default"}
        self.commands[(json.dumps(scope, sort_keys=True), params.get("language_code"))] = commands
        return True

    def menu(self, scope: dict[str, Any], language: str | None = None) -> list[str] | None:
        """The command names set for a scope and language, or None if never set."""
        commands = self.commands.get((json.dumps(scope, sort_keys=True), language))
        return None if commands is None else [c["command"] for c in commands]

    def descriptions(self, scope: dict[str, Any], language: str | None = None) -> dict[str, str]:
        commands = self.commands.get((json.dumps(scope, sort_keys=True), language)) or []
        return {c["command"]: c["description"] for c in commands}

    def _check_send(self, chat_id: str) -> None:
        now = time.monotonic()
        for until, status in self.outage:
            if now < until:
                self.refusals.append((now, status))
                if status == 429:
                    raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
                raise ApiError(status, "Bad Gateway")
        self.accepted_at.append(now)
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated[chat_id],
            )
        if self.rate_per_second is not None:
            now = time.monotonic()
            while self._send_times and now - self._send_times[0] >= 1.0:
                self._send_times.popleft()
            if len(self._send_times) >= self.rate_per_second:
                self.rate_limited += 1
                raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
            self._send_times.append(now)

    def _message(self, sent: Sent) -> dict[str, Any]:
        chat_id: int | str
        try:
            chat_id = int(sent.chat_id)
        except ValueError:  # "@channelname"
            chat_id = -1001
        chat_type = "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"
        return {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": self._me(),
            "text": sent.text,
        }

    async def _api_sendmessage(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat_id = str(params["chat_id"])
        raw = str(params.get("text", ""))
        text = visible_text(raw) if params.get("parse_mode") == "HTML" else raw
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_length(text) > MAX_TEXT_UTF16:
            raise ApiError(400, "Bad Request: message is too long")
        buttons = []
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                buttons.append((button["text"], data))
        self._check_send(chat_id)
        sent = Sent(next(self._message_ids), chat_id, text, raw, buttons)
        self.sent.append(sent)
        return self._message(sent)

    async def _api_editmessagetext(self, params: dict[str, Any], files: Any) -> dict[str, Any]:
        chat_id = str(params["chat_id"])
        for sent in self.sent:
            if sent.chat_id == chat_id and sent.message_id == int(params["message_id"]):
                sent.raw = str(params["text"])
                sent.text = visible_text(sent.raw) if params.get("parse_mode") else sent.raw
                return self._message(sent)
        raise ApiError(400, "Bad Request: message to edit not found")

    async def _api_answercallbackquery(self, params: dict[str, Any], files: Any) -> bool:
        return True

    async def _send_file(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes]], kind: str
    ) -> Sent:
        chat_id = str(params["chat_id"])
        if kind not in files:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if self.failing_files > 0:
            self.failing_files -= 1
            wait = self.file_retry_after
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        self._check_send(chat_id)
        sent = Sent(next(self._message_ids), chat_id, "", "")
        setattr(sent, kind, files[kind])
        self.sent.append(sent)
        return sent

    async def _api_senddocument(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        sent = await self._send_file(params, files, "document")
        assert sent.document is not None
        message = self._message(sent)
        del message["text"]
        message["document"] = {
            "file_id": f"doc{sent.message_id}",
            "file_unique_id": f"udoc{sent.message_id}",
            "file_name": sent.document[0],
            "file_size": len(sent.document[1]),
        }
        return message

    async def _api_sendphoto(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        sent = await self._send_file(params, files, "photo")
        message = self._message(sent)
        del message["text"]
        message["photo"] = [
            {
                "file_id": f"photo{sent.message_id}",
                "file_unique_id": f"uphoto{sent.message_id}",
                "width": 1,
                "height": 1,
            }
        ]
        return message
