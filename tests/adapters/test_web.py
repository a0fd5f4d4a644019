"""The shared web app over real HTTP on 127.0.0.1."""

from __future__ import annotations

import random

import aiohttp
from aiohttp.test_utils import TestServer

from adapters.web import build_app
from bot.clock import FakeClock
from bot.core import Core
from bot.storage.database import create_engine


async def get_health(core: Core) -> tuple[int, dict[str, str]]:
    server = TestServer(build_app(core), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as client:
            async with client.get(server.make_url("/healthz")) as response:
                return response.status, await response.json()
    finally:
        await server.close()


async def test_health_is_ok_when_the_database_answers(core: Core) -> None:
    assert await get_health(core) == (200, {"status": "ok", "database": "ok"})


async def test_health_reports_a_database_that_is_down(clock: FakeClock) -> None:
    # Nothing listens on port 1. (A failing SQLite path would leave an aiosqlite worker thread
    # behind: omnilib/aiosqlite#241.)
    engine = create_engine("postgresql://postgres@127.0.0.1:1/nowhere")
    core = Core(engine, clock, random.Random(1))
    try:
        assert await get_health(core) == (503, {"status": "unavailable", "database": "down"})
    finally:
        await core.close()
