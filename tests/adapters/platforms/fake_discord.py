"""A local fake of Discord on 127.0.0.1, for driving the real discord.py.

REST (aiohttp) answers the calls discord.py makes: login (/users/@me, the application), the
gateway URL, the command sync (PUT, recorded), interaction callbacks, webhook follow-ups, DM
channels and channel messages (JSON or multipart with files). The gateway websocket says HELLO,
accepts IDENTIFY, sends READY, acknowledges heartbeats and then dispatches the events a test
injects. It compresses frames as a zlib stream when discord.py asks for it (it always does), so
discord.py's own decompression runs too. Every REST call is recorded.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

PAYLOADS = Path(__file__).parent / "payloads" / "discord"
APP_ID = "1100000000000000001"  # the application; its bot user has the same id
BOT_USER = {
    "id": APP_ID,
    "username": "circlebot",
    "global_name": "circlebot",
    "discriminator": "0",
    "avatar": None,
    "bot": True,
}
TIMESTAMP = "2026-10-20T14:00:00.000000+00:00"
BLOCKED = {"message": "Cannot send messages to this user", "code": 50007}
UNKNOWN_CHANNEL = {"message": "Unknown Channel", "code": 10003}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON as Discord labels it: discord.py parses a body only under exactly this type."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class Call:
    """One REST request discord.py made."""

    method: str
    path: str  # after /api/v10, e.g. /channels/5/messages
    query: dict[str, str]
    body: Any = None  # the JSON body, or a multipart request's payload_json
    files: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def content(self) -> str:
        return str((self.body or {}).get("content") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.body or {}).get("components") or []
        return [button for row in rows for button in row.get("components", [])]


class FakeDiscord:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.identified: list[dict[str, Any]] = []
        self.blocked_channels: set[str] = set()  # their user blocks DMs: 403, code 50007
        self.unknown_channels: set[str] = set()
        self.slow_channels: dict[str, float] = {}  # 429 with this retry_after (seconds)
        self.dm_channels: dict[str, str] = {}  # user id -> DM channel id
        self._ids = itertools.count(1300000000000000001)
        self._sockets: list[tuple[web.WebSocketResponse, Any]] = []
        self._seq = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- the server ------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway_socket)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for socket, _ in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def new_id(self) -> str:
        return str(next(self._ids))

    # -- REST --------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        call = Call(request.method, path, dict(request.query))
        if request.content_type == "multipart/form-data":
            reader = await request.multipart()
            while (part := await reader.next()) is not None:
                data = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":  # type: ignore[union-attr]
                    call.body = json.loads(data)
                else:
                    call.files.append((part.filename or "", bytes(data)))  # type: ignore[union-attr]
        elif request.can_read_body:
            call.body = await request.json()
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        return self._answer(call)

    def _answer(self, call: Call) -> web.StreamResponse:
        parts = call.path.strip("/").split("/")
        method = call.method
        if parts == ["users", "@me"]:
            return _json(BOT_USER)
        if parts == ["oauth2", "applications", "@me"]:
            return _json(
                {
                    "id": APP_ID,
                    "name": "circlebot",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": {**BOT_USER, "id": "1100000000000000009", "bot": False},
                    "verify_key": "00",
                    "flags": 0,
                }
            )
        if parts[0] == "gateway":
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return _json({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})
        if parts[0] == "applications" and method == "PUT":  # bulk overwrite of commands
            return _json(
                [
                    {**command, "id": self.new_id(), "application_id": APP_ID, "version": "1"}
                    for command in call.body
                ]
            )
        if parts[0] == "interactions" and parts[-1] == "callback":
            body = call.body or {}
            flags = (body.get("data") or {}).get("flags") or 0
            return _json(
                {
                    "interaction": {
                        "id": parts[1],
                        "type": 2,
                        "response_message_loading": body.get("type") == 5,
                        "response_message_ephemeral": bool(flags & 64),
                    }
                }
            )
        if parts[0] == "webhooks":
            if method == "DELETE":
                return web.Response(status=204)
            return _json(self._message(call, channel_id="0"))
        if parts == ["users", "@me", "channels"] and method == "POST":
            user_id = str(call.body["recipient_id"])
            channel_id = self.dm_channels.setdefault(user_id, self.new_id())
            recipient = {**BOT_USER, "id": user_id, "username": "user", "bot": False}
            return _json(
                {"id": channel_id, "type": 1, "recipients": [recipient], "last_message_id": None}
            )
        if parts[0] == "channels" and parts[-1] == "messages" and method == "POST":
            channel_id = parts[1]
            if channel_id in self.blocked_channels:
                return _json(BLOCKED, status=403)
            if channel_id in self.slow_channels:
                wait = self.slow_channels[channel_id]
                limited = {"message": "You are being rate limited.", "retry_after": wait}
                return _json({**limited, "global": False}, 429, {"Via": "1.1 google"})
            if channel_id in self.unknown_channels:
                return _json(UNKNOWN_CHANNEL, status=404)
            return _json(self._message(call, channel_id))
        return _json({"message": "404: Not Found", "code": 0}, status=404)

    def _message(self, call: Call, channel_id: str) -> dict[str, Any]:
        body = call.body or {}
        return {
            "id": self.new_id(),
            "channel_id": channel_id,
            "author": BOT_USER,
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [
                {
                    "id": self.new_id(),
                    "filename": name,
                    "size": len(data),
                    "url": "",
                    "proxy_url": "",
                }
                for name, data in call.files
            ],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags") or 0,
            "components": body.get("components") or [],
        }

    # -- what a test looks at -----------------------------------------------------------------

    def find(self, method: str, path_part: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and path_part in c.path]

    async def wait_for(
        self, predicate: Callable[[Call], bool], after: int = 0, within: float = 5.0
    ) -> Call:
        """The first call from index `after` on that satisfies `predicate`, waiting for it."""

        def found() -> Call | None:
            return next((c for c in self.calls[after:] if predicate(c)), None)

        async with asyncio.timeout(within):
            async with self._changed:
                await self._changed.wait_for(lambda: found() is not None)
        result = found()
        assert result is not None
        return result

    async def wait_for_identify(self, count: int, within: float = 10.0) -> None:
        """Until the bot has identified `count` times in all (it reconnected)."""
        async with asyncio.timeout(within):
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.identified) >= count)

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until no REST call has come for `quiet` seconds (nothing more is coming)."""
        while True:
            count = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == count:
                return

    # -- the gateway -------------------------------------------------------------------------

    async def _gateway_socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        compressor = zlib.compressobj() if request.query.get("compress") == "zlib-stream" else None
        entry = (socket, compressor)
        await self._send(entry, {"op": 10, "d": {"heartbeat_interval": 41250}})
        try:
            async for frame in socket:
                if frame.type is not WSMsgType.TEXT:
                    continue
                message = json.loads(frame.data)
                if message["op"] == 1:  # heartbeat
                    await self._send(entry, {"op": 11})
                elif message["op"] == 2:  # identify
                    async with self._changed:
                        self.identified.append(message["d"])
                        self._changed.notify_all()
                    self._sockets.append(entry)
                    await self._send(entry, self._frame("READY", self._ready()))
        finally:
            if entry in self._sockets:
                self._sockets.remove(entry)
        return socket

    def _ready(self) -> dict[str, Any]:
        """The recorded READY, resuming here rather than at Discord."""
        ready = json.loads((PAYLOADS / "ready.json").read_text())
        return {**ready, "resume_gateway_url": self.gateway_url}

    def _frame(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        self._seq += 1
        return {"op": 0, "t": event, "s": self._seq, "d": data}

    @staticmethod
    async def _send(entry: tuple[web.WebSocketResponse, Any], message: dict[str, Any]) -> None:
        socket, compressor = entry
        text = json.dumps(message)
        if compressor is None:
            await socket.send_str(text)
        else:
            data = compressor.compress(text.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH)
            await socket.send_bytes(data)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send one gateway event to every identified connection."""
        assert self._sockets, "no gateway connection"
        frame = self._frame(event, data)
        for entry in list(self._sockets):
            await self._send(entry, frame)
