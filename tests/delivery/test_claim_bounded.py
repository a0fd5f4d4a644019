"""The claim at scale: a run looks at a bounded number of chats (for each priority and
platform, the first to fall due, through ix_outbox_claim), so a large backlog costs each run
the same, and what it finds still follows the rules: a backlog to one chat or a platform that
is paused never crowds the other chats out. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.storage.migrate import downgrade, upgrade
from tests.delivery.test_claim import Queue
from tests.delivery.test_dispatcher import RecordingAdapter


async def _queue_many(
    queue: Queue, chats: list[str], text: str, platform: str = "console", ago: int = 0
) -> None:
    """One check-in to each chat, due `ago` seconds ago (one bulk insert, as the tick does)."""
    now = queue.clock.now()
    rows = [
        outbox.Queued(f"{text}|{chat}", MessageKind.CHECKIN, platform, chat, f"{text} {chat}", "en")
        for chat in chats
    ]
    async with queue.sessions() as session, session.begin():
        await outbox.enqueue_rows(session, rows, now - timedelta(seconds=ago))


async def test_a_backlog_to_one_chat_due_together_leaves_room_for_the_others(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    queue = Queue(any_engine, clock)
    # 200 announcements to one group fell due first, all at once; then four learners'.
    for n in range(200):
        await queue.add("group", f"announcement {n:03}", MessageKind.ANNOUNCEMENT)
    clock.advance(timedelta(seconds=1))
    for chat in ("amina", "brian", "chen", "dawit"):
        await queue.add(chat, f"to {chat}", MessageKind.ANNOUNCEMENT)
    adapter = RecordingAdapter()

    # Each chat's first before anyone's second: the group's backlog takes one place.
    assert await queue.run(adapter, batch=5) == [
        "announcement 000",
        "to amina",
        "to brian",
        "to chen",
        "to dawit",
    ]


async def test_a_paused_platform_full_of_due_rows_does_not_hold_another_back(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    queue = Queue(any_engine, clock)
    # 300 learners on one platform fell due before the SMS learner did; that platform is
    # paused (no adapter this run), so only the SMS row can go.
    await _queue_many(queue, [f"learner-{n}" for n in range(300)], "check-in", ago=60)
    await queue.add("+254700000001", "by sms", platform="sms")
    sms = RecordingAdapter(platform="sms")

    assert await queue.run(sms, batch=2) == ["by sms"]


async def test_every_row_of_a_large_backlog_goes_once_in_order_of_its_chat(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    queue = Queue(any_engine, clock)
    await _queue_many(queue, [f"learner-{n}" for n in range(120)], "first", ago=60)
    await _queue_many(queue, [f"learner-{n}" for n in range(0, 120, 2)], "second", ago=30)
    adapter = RecordingAdapter()

    for _ in range(10):
        await queue.run(adapter, batch=20)
    texts = [message.text for _, message in adapter.sent]

    assert len(texts) == len(set(texts)) == 180
    for n in range(0, 120, 2):
        assert texts.index(f"first learner-{n}") < texts.index(f"second learner-{n}")


def _buffers(plan: Any) -> int:
    """The shared buffers a plan's top node touched (hit or read), from EXPLAIN's JSON."""
    if isinstance(plan, str):
        plan = json.loads(plan)
    top = plan[0]["Plan"]
    return int(top["Shared Hit Blocks"]) + int(top["Shared Read Blocks"])


async def _claim_buffers(queue: Queue, engine: AsyncEngine) -> int:
    """Run the dispatcher's choice and EXPLAIN (ANALYZE, BUFFERS) the very statement it sent."""
    seen: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if "walk" in statement:
            seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        now = queue.clock.now()
        chosen = await queue.dispatcher._choose(["console"], {"console": None}, now, 50)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert len(chosen) == 50
    statement, parameters = seen[-1]
    async with engine.connect() as connection:
        await connection.exec_driver_sql("ANALYZE outboxmessage")
        explain = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement
        plan = (await connection.exec_driver_sql(explain, parameters)).scalar_one()
    return _buffers(plan)


async def test_a_run_reads_as_much_with_ten_times_the_backlog(
    pg_engine: AsyncEngine, clock: FakeClock
) -> None:
    queue = Queue(pg_engine, clock)
    await _queue_many(queue, [f"learner-{n}" for n in range(1_000)], "check-in", ago=60)
    small = await _claim_buffers(queue, pg_engine)
    await _queue_many(queue, [f"learner-{n}" for n in range(1_000, 10_000)], "check-in", ago=30)
    large = await _claim_buffers(queue, pg_engine)

    # Reading every pending row, the second read about ten times the first.
    assert large < 1.5 * small, (small, large)


async def test_the_claim_index_comes_and_goes_with_its_migration(any_engine: AsyncEngine) -> None:
    def indexes(connection: Any) -> set[str]:
        return {index["name"] for index in inspect(connection).get_indexes("outboxmessage")}

    async with any_engine.connect() as connection:
        assert "ix_outbox_claim" in await connection.run_sync(indexes)
    await downgrade(any_engine, "0018")
    async with any_engine.connect() as connection:
        assert "ix_outbox_claim" not in await connection.run_sync(indexes)
    await upgrade(any_engine)
    async with any_engine.connect() as connection:
        assert "ix_outbox_claim" in await connection.run_sync(indexes)
