"""Which due rows a dispatcher run takes (its claim, built once with bound parameters): the most
urgent first, each chat's first row before anyone's second, a chat's rows only in the order
they were written, and the batch, the time and the platforms of each run its own. On SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Outbound
from bot.delivery import outbox
from bot.delivery.dispatcher import Dispatcher, RateLimit, Throttle
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.storage.database import session_factory
from bot.storage.models import OutboxMessage
from locales import LOCALES_DIR
from tests.delivery.test_dispatcher import RecordingAdapter


class Queue:
    def __init__(self, engine: AsyncEngine, clock: FakeClock) -> None:
        self.sessions = session_factory(engine)
        self.clock = clock
        throttle = Throttle({platform: RateLimit(1000, None, 8) for platform in ("console", "sms")})
        self.dispatcher = Dispatcher(self.sessions, clock, Catalogs(LOCALES_DIR), throttle)

    async def add(
        self,
        chat: str,
        text: str,
        kind: MessageKind = MessageKind.MEETING_MOVED,
        platform: str = "console",
        due_in: timedelta | None = None,
    ) -> None:
        key = OutboxKey(kind, f"text:{text}", f"chat:{chat}")
        now = self.clock.now()
        due = now + due_in if due_in else None
        async with self.sessions() as session, session.begin():
            message = Outbound(Address(platform, chat), text)
            assert await outbox.enqueue(session, key, message, "en", now, due)

    async def change(self, text: str, **values: object) -> None:
        async with self.sessions() as session, session.begin():
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.payload)["text"].as_string() == text)
                .values(**values)
            )

    async def run(self, *adapters: RecordingAdapter, batch: int = 50) -> list[str]:
        """The texts this run sent, in alphabetical order."""
        before = [len(adapter.sent) for adapter in adapters]
        await self.dispatcher.run({adapter.platform: adapter for adapter in adapters}, batch)
        return sorted(
            message.text
            for adapter, seen in zip(adapters, before, strict=True)
            for _, message in adapter.sent[seen:]
        )


async def test_the_most_urgent_go_first_and_each_chat_once_before_any_twice(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    queue = Queue(any_engine, clock)
    for n in range(1, 5):
        await queue.add("group", f"announcement {n}", MessageKind.ANNOUNCEMENT)
    await queue.add("amina", "moved", MessageKind.MEETING_MOVED)
    await queue.add("brian", "moved too", MessageKind.MEETING_MOVED)
    await queue.add("chen", "an answer", MessageKind.REPLY)
    await queue.add("chen", "another answer", MessageKind.REPLY)
    adapter = RecordingAdapter()

    # The batch is each run's own. Both answers first (urgency before a chat's place), then
    # the two notices, then the backlog, WINDOW_PER_CHAT rows of it a run.
    assert await queue.run(adapter, batch=2) == ["an answer", "another answer"]
    assert await queue.run(adapter, batch=2) == ["moved", "moved too"]
    assert await queue.run(adapter, batch=50) == [f"announcement {n}" for n in (1, 2, 3)]
    assert await queue.run(adapter, batch=50) == ["announcement 4"]


async def test_a_chat_waits_behind_its_row_in_flight_but_not_behind_one_set_aside(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    queue = Queue(any_engine, clock)
    for chat in ("amina", "brian", "chen"):
        await queue.add(chat, f"first to {chat}")
        await queue.add(chat, f"second to {chat}")
    await queue.add("dawit", "next week", due_in=timedelta(days=7))
    await queue.add("dawit", "now")
    # Amina's first is being sent by another process; Brian's is retrying in a minute;
    # Chen's was set aside until Chen writes again (as if never tried).
    await queue.change("first to amina", claimed_until=clock.now() + timedelta(minutes=2))
    later = clock.now() + timedelta(minutes=1)
    await queue.change("first to brian", attempts=1, next_attempt_at=later)
    await queue.change("first to chen", next_attempt_at=later, last_error="not yet")
    adapter = RecordingAdapter()

    assert await queue.run(adapter) == ["now", "second to chen"]

    clock.advance(timedelta(minutes=3))  # the lease ran out, the retry is due
    assert await queue.run(adapter) == [
        "first to amina",
        "first to brian",
        "first to chen",
        "second to amina",
        "second to brian",
    ]


async def test_each_run_takes_only_the_platforms_it_was_given(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    queue = Queue(any_engine, clock)
    await queue.add("amina", "by console")
    await queue.add("+254700000001", "by sms", platform="sms")
    console, sms = RecordingAdapter(), RecordingAdapter(platform="sms")

    assert await queue.run(sms) == ["by sms"]
    assert await queue.run(console, sms) == ["by console"]
