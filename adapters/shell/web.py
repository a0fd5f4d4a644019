"""The shared aiohttp web app (`circlebot serve`, also inside `circlebot run`): the health check and
every platform's webhooks. An adapter that receives webhooks adds its own routes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.core import Core

CORE_KEY = web.AppKey("core", Core)
# Webhook bodies are small (an SMS, a Telegram update); anything bigger is refused with 413.
MAX_BODY_BYTES = 64 * 1024


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
    answer: dict[str, object] = {"status": "ok", "database": "ok"}
    # Each platform as last seen (a platform down is not the web app's ill health: 200).
    platforms = {name: state for name, (state, _) in (await core.platform_health()).items()}
    if platforms:
        answer["platforms"] = platforms
    return web.json_response(answer)


def build_app(core: Core, adapters: Iterable[object] = ()) -> web.Application:
    """The app with /healthz and the routes of each adapter that takes webhooks."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[CORE_KEY] = core
    app.router.add_get("/healthz", health)
    for adapter in adapters:
        if isinstance(adapter, WebhookAdapter):
            adapter.add_routes(app)
    return app


def runner(app: web.Application) -> web.AppRunner:
    """How the app is served: with the access log that leaves secrets out."""
    return web.AppRunner(app, access_log_class=PathOnlyAccessLog)
