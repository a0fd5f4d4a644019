"""The shared aiohttp web app (`circlebot serve`, also inside `circlebot run`): the health check,
every platform's webhooks and the public pages (adapters/shell/pages/). An adapter that receives
webhooks adds its own routes.

What reaches a handler has passed the app's guard (`guard`, below): the body has been read in full
within BODY_TIMEOUT_SECONDS and MAX_BODY_BYTES (408 or 413 otherwise), a client that hung up while
sending it costs one debug line rather than an error with its traceback, and an address that has
failed FAILED_AUTH_LIMIT signature or token checks within a minute is answered 429 without being
checked again (but for the health check). Connections idle (or still sending their headers) for
IDLE_TIMEOUT_SECONDS are closed by the runner.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import math
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol, runtime_checkable

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.http import HttpProcessingError

from adapters.shell import pages
from bot.core import Core

log = logging.getLogger(__name__)

CORE_KEY = web.AppKey("core", Core)
HEALTH_PATH = "/healthz"
# Webhook bodies are small (an SMS, a Telegram update); anything bigger is refused with 413.
MAX_BODY_BYTES = 64 * 1024
# A gateway posts its few kilobytes at once: a body still arriving after this is refused (408), so
# slow clients cannot hold connections open.
BODY_TIMEOUT_SECONDS = 10.0
# A connection with no request under way, or one whose headers are still trickling in, is closed
# after this long. Longer than the idle timeout of the proxies usually in front (60 s), so a proxy
# never sends a request on a connection we are closing; aiohttp's default is an hour.
IDLE_TIMEOUT_SECONDS = 75.0
# After this many refused signatures or tokens (403) from one address within FAILED_AUTH_WINDOW,
# its requests are answered 429 until the oldest of them is a window old. Generous: a gateway
# never fails a check, and tests that forge a few requests from 127.0.0.1 stay far below it.
FAILED_AUTH_LIMIT = 20
FAILED_AUTH_WINDOW = 60.0
# How many addresses the count remembers (the least recently refused are forgotten first).
FAILED_AUTH_ADDRESSES = 4096

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Refusals:
    """Failed signature and token checks per address over the last `window` seconds, in this
    process: small and forgetful by design (a restart forgets them)."""

    def __init__(
        self,
        limit: int = FAILED_AUTH_LIMIT,
        window: float = FAILED_AUTH_WINDOW,
        capacity: int = FAILED_AUTH_ADDRESSES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.capacity = capacity
        self.clock = clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def wait(self, address: str) -> float | None:
        """Seconds until `address` may be checked again, or None when it may be now."""
        failures = self._recent(address)
        if failures is None or len(failures) < self.limit:
            return None
        return max(failures[0] + self.window - self.clock(), 0.0)

    def failed(self, address: str) -> None:
        failures = self._recent(address)
        if failures is None:
            failures = self._failures[address] = deque(maxlen=self.limit)
        failures.append(self.clock())
        self._failures.move_to_end(address)
        while len(self._failures) > self.capacity:
            self._failures.popitem(last=False)

    def _recent(self, address: str) -> deque[float] | None:
        failures = self._failures.get(address)
        if failures is None:
            return None
        cutoff = self.clock() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            del self._failures[address]
            return None
        return failures


BODY_TIMEOUT_KEY = web.AppKey("body_timeout", float)
REFUSALS_KEY = web.AppKey("refusals", Refusals)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network
TRUSTED_PROXIES_KEY = web.AppKey("trusted_proxies", tuple[Network, ...])


def trusted_networks(setting: str) -> tuple[Network, ...]:
    """TRUSTED_PROXIES, comma-separated addresses or networks ("10.0.0.0/8, ::1"): the proxies
    in front of the app whose X-Forwarded-For is believed. A wrong entry stops the start."""
    return tuple(
        ipaddress.ip_network(entry.strip(), strict=False)
        for entry in setting.split(",")
        if entry.strip()
    )


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def source(request: web.Request) -> str:
    """Whom to count a refusal against: the peer's address (an IPv6 address by its /64, which
    one machine usually has whole). Behind trusted proxies (TRUSTED_PROXIES), the client they
    name in X-Forwarded-For: the last address there that is not one of them, since each proxy
    appends the peer it saw and anything before that may be made up by the client. Without the
    setting, everyone behind a proxy shares its address: a forger's refusals would then hold
    back the gateway too."""
    remote = request.remote or ""
    peer = _address(remote)
    if peer is None:
        return remote
    trusted = request.app.get(TRUSTED_PROXIES_KEY, ())
    if any(peer in network for network in trusted):
        hops = [_address(hop) for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        for hop in reversed(hops):
            if hop is None:
                break  # a malformed hop: trust nothing before it
            peer = hop
            if not any(hop in network for network in trusted):
                break
    if peer.version == 6:
        return str(ipaddress.ip_network(f"{peer}/64", strict=False))
    return str(peer)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Read the body first, within the time and size limits, and keep count of refused checks."""
    refusals = request.app[REFUSALS_KEY]
    address = source(request)
    # Never the health check: a load balancer or an uptime probe behind the same address as a
    # forger would otherwise take a healthy bot for a dead one (and maybe restart it).
    wait = None if request.path == HEALTH_PATH else refusals.wait(address)
    if wait is not None:
        raise web.HTTPTooManyRequests(
            text="too many refused requests; try again later",
            headers={"Retry-After": str(max(math.ceil(wait), 1))},
        )
    if request.body_exists:
        refused = await _read_body(request)
        if refused is not None:
            return refused
    try:
        response = await handler(request)
    except web.HTTPForbidden:
        _refused(refusals, address)
        raise
    if response.status == web.HTTPForbidden.status_code:
        _refused(refusals, address)
    return response


def _refused(refusals: Refusals, address: str) -> None:
    refusals.failed(address)
    if refusals.wait(address) is not None:  # once: nothing more is checked from there a while
        log.warning(
            "%s failed %d signature or token checks within %g s: answered 429 for now",
            address,
            refusals.limit,
            refusals.window,
        )


async def _read_body(request: web.Request) -> web.StreamResponse | None:
    """Read the body into the request (handlers then read it from there); the answer instead
    of the handler's when it cannot be read. 413 past the size limit comes from aiohttp."""
    timeout = request.app[BODY_TIMEOUT_KEY]
    try:
        async with asyncio.timeout(timeout):
            await request.read()
    except TimeoutError:
        log.info("%s %s: the body took over %g s to arrive", request.method, request.path, timeout)
        response = web.Response(status=408, text="the body came too slowly")
        response.force_close()
        with contextlib.suppress(ConnectionError):  # gone meanwhile: nobody to tell
            await response.prepare(request)
            await response.write_eof()
        # Closed now: aiohttp would otherwise linger, reading the rest of a slow body.
        if request.transport is not None:
            request.transport.close()
        return response
    except ConnectionError:  # the client hung up mid-body: nobody is left to answer
        log.debug("%s %s: the client left while sending the body", request.method, request.path)
        return web.Response(status=400, text="the body was cut short")
    except HttpProcessingError as error:  # a body aiohttp could not parse (bad chunking)
        return web.Response(status=400, text="the body is malformed: " + str(error.message))
    return None


class PathOnlyAccessLog(AbstractAccessLogger):
    """The access log without query strings: Africa's Talking's webhook secret travels in one,
    and secrets are never logged."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.3f s", request.method, request.path, response.status, time)


@runtime_checkable
class WebhookAdapter(Protocol):
    """An adapter that takes webhooks: it adds its routes to the shared app."""

    def add_routes(self, app: web.Application) -> None: ...


async def health(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    try:
        await core.check_database()
    except Exception:  # the database is what a health check is for
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)
    try:
        await core.check_budget()
    except Exception:  # Redis (REDIS_URL) down: no message can be taken until it is back
        return web.json_response(
            {"status": "unavailable", "database": "ok", "redis": "down"}, status=503
        )
    answer: dict[str, object] = {"status": "ok", "database": "ok"}
    # Each platform as last seen (a platform down is not the web app's ill health: 200).
    platforms = {name: state for name, (state, _) in (await core.platform_health()).items()}
    if platforms:
        answer["platforms"] = platforms
    return web.json_response(answer)


def build_app(
    core: Core,
    adapters: Iterable[object] = (),
    *,
    body_timeout: float = BODY_TIMEOUT_SECONDS,
    failed_auth_limit: int = FAILED_AUTH_LIMIT,
    failed_auth_window: float = FAILED_AUTH_WINDOW,
    trusted_proxies: tuple[Network, ...] = (),
) -> web.Application:
    """The app with /healthz and the routes of each adapter that takes webhooks, behind the
    guard (the limits are arguments so tests can make them small; `trusted_proxies`: see
    source())."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[guard])
    app[TRUSTED_PROXIES_KEY] = trusted_proxies
    app[CORE_KEY] = core
    app[BODY_TIMEOUT_KEY] = body_timeout
    app[REFUSALS_KEY] = Refusals(failed_auth_limit, failed_auth_window)
    app.router.add_get(HEALTH_PATH, health)
    pages.add_routes(app, core)  # the public pages: credentials, the network of letters
    for adapter in adapters:
        if isinstance(adapter, WebhookAdapter):
            adapter.add_routes(app)
    return app


def runner(app: web.Application, idle_timeout: float = IDLE_TIMEOUT_SECONDS) -> web.AppRunner:
    """How the app is served: with the access log that leaves secrets out, and idle connections
    (or ones slow to send their headers) closed after `idle_timeout`."""
    return web.AppRunner(app, access_log_class=PathOnlyAccessLog, keepalive_timeout=idle_timeout)
