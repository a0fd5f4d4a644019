"""Many chats at once through the Telegram adapter (the real python-telegram-bot against the fake
Bot API): different chats are handled side by side, each chat's messages in order; the polling
offset is stored once a batch; a batch cut short by a crash comes again and loses nothing.

Handling is watched through Core.answer, the adapters' way in: a message can be held there until
something else has happened, so overlap and order are shown without timing anything.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from adapters.platforms import telegram_bot
from adapters.platforms.telegram_bot import TelegramAdapter
from adapters.shell.web import build_app
from bot.chat.clock import FakeClock
from bot.chat.contract import Adapter
from bot.chat.messages import Inbound
from bot.core import Core
from bot.delivery.dispatcher import DispatchSummary
from bot.storage.models import InboundReceipt, OutboxMessage, OutboxStatus
from tests.adapters.platforms.fake_telegram import FakeTelegram
from tests.adapters.platforms.test_telegram import (
    AMINA,
    BRIAN,
    PUBLIC,
    SECRET,
    Updates,
    User,
    Webhook,
    count,
    settings_for,
    stored_offset,
)
from tests.database import open_session
from tests.platforms import PLATFORMS

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

CHEN = User(1_004, "Chen")
DANA = User(1_005, "Dana")
WAIT_SECONDS = 10.0  # for what must happen: a test that fails says so rather than hangs


class Watch:
    """Core.answer, watched: the order messages started and finished being handled, by update
    id; a message may be held before it is handled until an event is set."""

    def __init__(self, core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
        self.answer = core.answer
        self.journal: list[tuple[str, int]] = []
        self.holds: dict[int, asyncio.Event] = {}
        self.began: dict[int, asyncio.Event] = {}
        self.finished: dict[int, asyncio.Event] = {}
        monkeypatch.setattr(core, "answer", self._answer)

    def hold(self, update: dict[str, Any]) -> asyncio.Event:
        """An event that lets `update` be handled once set."""
        return self.holds.setdefault(update["update_id"], asyncio.Event())

    async def started(self, update: dict[str, Any]) -> None:
        event = self.began.setdefault(update["update_id"], asyncio.Event())
        await asyncio.wait_for(event.wait(), WAIT_SECONDS)

    async def done(self, *updates: dict[str, Any]) -> None:
        for update in updates:
            event = self.finished.setdefault(update["update_id"], asyncio.Event())
            await asyncio.wait_for(event.wait(), WAIT_SECONDS)

    def span(self, update: dict[str, Any]) -> tuple[int, int]:
        update_id = update["update_id"]
        return self.journal.index(("start", update_id)), self.journal.index(("end", update_id))

    async def _answer(self, inbound: Inbound, adapter: Adapter) -> DispatchSummary:
        update_id = int(inbound.message_id)
        self.journal.append(("start", update_id))
        self.began.setdefault(update_id, asyncio.Event()).set()
        if update_id in self.holds:
            await self.holds[update_id].wait()
        try:
            return await self.answer(inbound, adapter)
        finally:
            self.journal.append(("end", update_id))
            self.finished.setdefault(update_id, asyncio.Event()).set()


class Saves:
    """The polling offsets the adapter stored, in order."""

    def __init__(self, core: Core, monkeypatch: pytest.MonkeyPatch) -> None:
        self.values: list[int] = []
        save = core.save_cursor

        async def counted(platform: str, name: str, value: str) -> None:
            await save(platform, name, value)
            self.values.append(int(value))

        monkeypatch.setattr(core, "save_cursor", counted)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


async def polling(fake: FakeTelegram, core: Core) -> TelegramAdapter:
    adapter = TelegramAdapter.from_settings(settings_for(fake), core, polling=True)
    await adapter.start()
    return adapter


async def test_chats_are_answered_side_by_side_and_each_chat_in_the_order_it_wrote(
    fake: FakeTelegram, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch, saves = Watch(core, monkeypatch), Saves(core, monkeypatch)
    updates = Updates()
    # Amina sends three messages quickly, Brian and Chen one each between them: Telegram gives
    # them to the bot in one batch.
    batch = [
        updates.message(AMINA, "/start"),
        updates.message(BRIAN, "/start"),
        updates.message(AMINA, "/help"),
        updates.message(CHEN, "/start"),
        updates.message(AMINA, "/language"),
    ]
    amina, brian, chen = batch[0::2], batch[1], batch[3]
    # Amina's first message is slow: it is held until Brian and Chen have been answered.
    slow = watch.hold(amina[0])
    await fake.push(*batch)
    adapter = await polling(fake, core)
    try:
        await watch.done(brian, chen)  # answered while Amina's first was still being handled
        assert ("end", amina[0]["update_id"]) not in watch.journal
        assert ("start", amina[1]["update_id"]) not in watch.journal  # her second waits for it
        slow.set()
        await fake.wait_handled(batch[-1]["update_id"])
    finally:
        await adapter.stop()

    first, second, third = (watch.span(update) for update in amina)
    assert first[1] < second[0] and second[1] < third[0]  # one at a time, in her order
    welcome, help_text, language = fake.texts_to(AMINA.id)
    assert "Amina" in welcome and "Here's what you can do" in help_text
    assert "language" in language.casefold()
    assert len(fake.texts_to(BRIAN.id)) == 1 and len(fake.texts_to(CHEN.id)) == 1
    # The offset is stored once for the batch, after its last update.
    assert saves.values == [batch[-1]["update_id"] + 1]
    assert adapter.lanes.most_running > 1


async def test_a_crash_in_the_middle_of_a_batch_loses_nothing_and_answers_nothing_twice(
    fake: FakeTelegram, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    updates = Updates()
    before = updates.message(DANA, "/start")
    await fake.push(before)
    adapter = await polling(fake, core)
    await fake.wait_handled(before["update_id"])
    await adapter.stop()
    assert await stored_offset(core) == before["update_id"] + 1

    watch = Watch(core, monkeypatch)
    batch = [
        updates.message(AMINA, "/start"),
        updates.message(BRIAN, "/start"),
        updates.message(CHEN, "/start"),
        updates.message(AMINA, "/help"),
    ]
    amina, brian, chen = [batch[0], batch[3]], batch[1], batch[2]
    watch.hold(chen)  # Chen's message is being handled when the process dies
    await fake.push(*batch)
    adapter = await polling(fake, core)
    await watch.done(amina[0], brian, amina[1])
    # The process dies: stop() cannot wait for Chen's message (its grace is cut to nothing)
    # and the poller is cancelled in the middle of the batch.
    monkeypatch.setattr(telegram_bot, "STOP_GRACE_SECONDS", 0.0)
    await adapter.stop()
    assert ("end", chen["update_id"]) not in watch.journal
    assert await stored_offset(core) == before["update_id"] + 1  # nothing stored mid-batch
    assert fake.texts_to(CHEN.id) == []

    # On restart Telegram gives the whole batch again: those already handled are recognised
    # by their receipts, Chen's is handled now.
    monkeypatch.undo()
    saves = Saves(core, monkeypatch)
    restarted = await polling(fake, core)
    try:
        await fake.wait_handled(batch[-1]["update_id"])
    finally:
        await restarted.stop()
    assert len(fake.texts_to(AMINA.id)) == 2
    assert len(fake.texts_to(BRIAN.id)) == 1
    assert len(fake.texts_to(CHEN.id)) == 1 and "Chen" in fake.texts_to(CHEN.id)[0]
    assert saves.values == [batch[-1]["update_id"] + 1]
    assert await count(core, InboundReceipt) == 5


async def test_a_crowd_writing_at_once_is_answered_once_each_without_database_errors(
    fake: FakeTelegram,
    any_engine: AsyncEngine,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """On SQLite (one writer) and PostgreSQL: handlings at once take their turns at the
    database instead of failing with "database is locked"."""
    core = Core(any_engine, clock, random.Random(11), platforms=PLATFORMS)
    saves = Saves(core, monkeypatch)
    people = [User(7_000_000 + n, f"Learner {n}") for n in range(40)]
    updates = Updates()
    batch = [updates.message(person, "/start") for person in people]
    await fake.push(*batch)
    caplog.set_level(logging.WARNING)
    adapter = await polling(fake, core)
    try:
        await fake.wait_handled(batch[-1]["update_id"], seconds=30)
        while await core.dispatch({"telegram": adapter}):
            pass  # any reply whose turn was too far off for the handling to wait
    finally:
        await adapter.stop()
    for person in people:
        [welcome] = fake.texts_to(person.id)
        assert person.first_name in welcome
    assert saves.values == [batch[-1]["update_id"] + 1]
    assert adapter.lanes.most_running > 1
    async with open_session(core) as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert len(rows) == len(people)
    assert all(row.status == OutboxStatus.SENT for row in rows)
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == []


async def test_two_webhooks_of_one_chat_at_once_are_handled_in_the_order_they_came(
    fake: FakeTelegram, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch = Watch(core, monkeypatch)
    settings = settings_for(fake, telegram_webhook_secret=SECRET)
    adapter = TelegramAdapter.from_settings(settings, core, polling=True, public_base_url=PUBLIC)
    await adapter.start()
    server = TestServer(build_app(core, [adapter]), host="127.0.0.1")
    await server.start_server()
    updates = Updates()
    first, second = updates.message(AMINA, "/start"), updates.message(AMINA, "/help")
    other = updates.message(BRIAN, "/start")
    slow = watch.hold(first)
    try:
        async with aiohttp.ClientSession() as client:
            hook = Webhook(client, str(server.make_url("/telegram/webhook")))
            posting_first = asyncio.create_task(hook.post(first))
            await watch.started(first)
            posting_second = asyncio.create_task(hook.post(second))
            # Another chat is not held up by Amina's slow message.
            assert await asyncio.wait_for(hook.post(other), WAIT_SECONDS) == 200
            slow.set()
            statuses = await asyncio.gather(posting_first, posting_second)
    finally:
        await server.close()
        await adapter.stop()
    assert statuses == [200, 200]
    assert watch.span(first)[1] < watch.span(second)[0]
    welcome, help_text = fake.texts_to(AMINA.id)
    assert "Amina" in welcome and "Here's what you can do" in help_text
