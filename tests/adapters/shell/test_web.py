"""The shared web app over real HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
import random

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.shell.web import build_app, runner
from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.database import create_engine
from tests.platforms import PLATFORMS


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
    core = Core(engine, clock, random.Random(1), platforms=PLATFORMS)
    try:
        assert await get_health(core) == (503, {"status": "unavailable", "database": "down"})
    finally:
        await core.close()


async def test_the_access_log_leaves_out_query_strings(
    core: Core, caplog: pytest.LogCaptureFixture
) -> None:
    """Africa's Talking's webhook secret comes in the query; secrets are never logged."""
    served = runner(build_app(core))  # as `circlebot serve` and `run` serve it
    await served.setup()
    site = web.TCPSite(served, host="127.0.0.1", port=0)
    await site.start()
    port = served.addresses[0][1]
    try:
        with caplog.at_level(logging.INFO, logger="aiohttp.access"):
            async with aiohttp.ClientSession() as client:
                url = f"http://127.0.0.1:{port}/healthz?token=s3cret-token"
                async with client.get(url) as response:
                    assert response.status == 200
    finally:
        await served.cleanup()
    logged = [record.getMessage() for record in caplog.records if record.name == "aiohttp.access"]
    assert any("GET /healthz 200" in line for line in logged), logged
    assert not any("s3cret-token" in line for line in logged)
