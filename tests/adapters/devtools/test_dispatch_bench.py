"""The dispatch bench at a small size, and the fake Bot API's limits. Speed is not asserted here
(figures belong to `circlebot bench-dispatch`, not to timed tests): only that the figures are
produced and sane, and that every message reached its chat exactly once."""

from __future__ import annotations

import asyncio
import io
import math
import os

import aiohttp
import pytest
from sqlalchemy import text

from adapters.devtools.dispatch_bench import measure, peak_in_window, percentile, report
from adapters.devtools.fake_bot_api import TOKEN, FakeBotApi
from bot.storage.database import create_engine

PG_ADMIN_DSN = os.environ.get("CIRCLEBOT_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


async def _databases() -> set[str] | None:
    """The databases on the test server, or None (the test skips) when it is not reachable."""
    engine = create_engine(PG_ADMIN_DSN)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT datname FROM pg_database"))
            return {row[0] for row in rows}
    except (OSError, Exception) as error:
        reason = f"PostgreSQL not reachable at {PG_ADMIN_DSN}: {error}"
        if os.environ.get("CIRCLEBOT_REQUIRE_PG"):
            pytest.fail(reason)
        print(reason)
        return None
    finally:
        await engine.dispose()


async def test_a_small_bench_delivers_every_message_once_and_reports_sane_figures() -> None:
    before = await _databases()
    if before is None:
        pytest.skip("PostgreSQL is not reachable")

    # Two messages to each chat: enough to show their order kept and the per-chat limit.
    figures = await measure(
        messages=40, chats=20, processes=(1,), burst=20, background=30, admin_url=PG_ADMIN_DSN
    )

    # Its own database, dropped at the end.
    assert figures.database.startswith("circlebot_bench_")
    assert figures.database not in before
    assert figures.database not in (await _databases() or set())

    [drain] = figures.drains
    assert drain.processes == 1 and drain.messages == 40
    assert drain.calls == 40  # every message accepted by the fake...
    assert drain.duplicates == 0 and drain.missing == 0  # ...once each
    assert drain.dead == 0
    assert drain.out_of_order >= 0  # a figure: the dispatcher promises order, reported not failed
    assert drain.too_many >= 0
    assert 0 < drain.peak <= drain.limit  # the fake enforces the limit
    assert drain.peak_tries >= drain.peak
    assert drain.drain_seconds > 0 and drain.rate > 0
    assert drain.dispatch_runs >= 1

    quiet, busy = figures.bursts
    assert (quiet.people, quiet.background) == (20, 0)
    assert len(quiet.latencies) == 20  # everyone got an answer
    assert all(latency > 0 for latency in quiet.latencies)
    assert quiet.duplicates == 0 and quiet.webhook_errors == 0
    assert quiet.percentile(0.5) <= quiet.percentile(0.95)
    # While rows are dispatched, replies compete with them: counted, not asserted all there.
    assert (busy.people, busy.background) == (20, 30)
    assert len(busy.latencies) + busy.missing == 20
    assert busy.duplicates == 0 and busy.webhook_errors == 0

    printed = report(figures, 40, 20)
    assert "processes  messages  calls  429s  peak/s" in printed
    assert "burst: 20 people /start at once (quiet): 20/20 replies" in printed
    assert "burst: 20 people /start at once, 30 rows dispatching:" in printed


async def _call(http: aiohttp.ClientSession, base: str, method: str, **params: str) -> dict:
    async with http.post(f"{base}{TOKEN}/{method}", data=params) as response:
        body: dict = await response.json()
        assert response.status == (200 if body["ok"] else body["error_code"])
        return body


async def test_the_fake_bot_api_enforces_telegrams_limits() -> None:
    fake = FakeBotApi(per_second=5, group_per_minute=3)
    base = await fake.start()
    try:
        async with aiohttp.ClientSession() as http:
            me = await _call(http, base, "getMe")
            assert me["result"]["is_bot"] is True
            # One a second per chat: a second message at once is refused, with retry_after.
            assert (await _call(http, base, "sendMessage", chat_id="1", text="a"))["ok"]
            refused = await _call(http, base, "sendMessage", chat_id="1", text="b")
            assert refused["error_code"] == 429
            assert refused["parameters"]["retry_after"] >= 1
            assert refused["description"].startswith("Too Many Requests: retry after ")
            # Overall: 5 a second here (the first above counts).
            answers = [
                await _call(http, base, "sendMessage", chat_id=str(chat), text="x")
                for chat in range(2, 8)
            ]
            assert [a["ok"] for a in answers] == [True] * 4 + [False] * 2
            await asyncio.sleep(1.05)
            # A group: 3 a minute here, one a second as any chat.
            for _ in range(3):
                assert (await _call(http, base, "sendMessage", chat_id="-100", text="g"))["ok"]
                await asyncio.sleep(1.01)
            refused = await _call(http, base, "sendMessage", chat_id="-100", text="g")
            assert refused["error_code"] == 429 and refused["parameters"]["retry_after"] > 1
            # Methods that send nothing are not limited.
            for _ in range(10):
                assert (await _call(http, base, "setMyCommands", commands="[]"))["ok"]
            # An outage: 502 for every call while it lasts.
            fake.outage(0.5)
            assert (await _call(http, base, "getMe"))["error_code"] == 502
            await asyncio.sleep(0.6)
            assert (await _call(http, base, "getMe"))["ok"]
    finally:
        await fake.close()

    sends = fake.sends()
    assert [s.text for s in sends[:1]] == ["a"]
    assert len(sends) == 1 + 4 + 3
    assert len(fake.too_many()) == 1 + 2 + 1
    assert [r.limit for r in fake.too_many()] == ["chat", "overall", "overall", "group"]
    assert [r.code for r in fake.refused][-1] == 502
    assert peak_in_window([s.at for s in sends]) == 5


def test_peaks_and_percentiles() -> None:
    assert peak_in_window([]) == 0
    assert peak_in_window([0.0, 0.5, 0.99, 1.0, 1.5]) == 3  # [0, 1) holds three
    assert peak_in_window([0.0, 2.0, 4.0]) == 1
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.5) == 2.0
    assert percentile([3.0, 1.0, 2.0, 4.0], 0.95) == 4.0
    assert math.isnan(percentile([], 0.5))


def test_the_report_prints_without_figures() -> None:
    from adapters.devtools.dispatch_bench import DispatchFigures

    output = io.StringIO()
    output.write(report(DispatchFigures("x"), 0, 0))
    assert output.getvalue().startswith("dispatch bench: 0 messages to 0 chats")
