"""The shared aiohttp web app (`circlebot serve`): health now; platform webhooks join it later."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import text

from bot.core import Core

CORE_KEY = web.AppKey("core", Core)


async def health(request: web.Request) -> web.Response:
    core = request.app[CORE_KEY]
    try:
        async with core.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:  # the database is what a health check is for
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


def build_app(core: Core) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[CORE_KEY] = core
    app.router.add_get("/healthz", health)
    return app
