"""The inbound limit: an account writing faster than anyone types is slowed to a rate, its
messages beyond it dropped unread with one notice a minute, while everyone else, in the same
second, is answered as always; across processes on PostgreSQL too."""

from __future__ import annotations

import random
import shutil
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import func, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.delivery.budget import Budget, DatabaseBudget, MemoryBudget
from bot.dialogue.flood import InboundLimit
from bot.storage.models import Account, InboundReceipt, OutboxMessage
from tests.conftest import Chat
from tests.database import open_session
from tests.platforms import PLATFORMS

NOTICE = "You're sending messages faster than I can read them. Please wait a minute."
HELP = "Here's what you can do"
LIMIT = InboundLimit(per_minute=20, burst=10)


def frozen(clock: FakeClock) -> float:
    """The budget's time, the test's clock's: it moves only when the test moves it."""
    return clock.now().timestamp()


def limited(engine: AsyncEngine, clock: FakeClock, budget: Budget | None = None) -> Core:
    return Core(
        engine,
        clock,
        random.Random(7),
        platforms=PLATFORMS,
        budget=budget or MemoryBudget(now=lambda: frozen(clock)),
        inbound_limit=LIMIT,
    )


async def receipts(core: Core) -> int:
    async with open_session(core) as session:
        return (await session.exec(select(func.count()).select_from(InboundReceipt))).one()


async def test_a_flooding_account_is_slowed_while_another_is_answered_the_same_second(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = Chat(limited(sqlite_engine, clock))
    answers = []
    for n in range(200):
        answers.append(await chat.say("Brian", "/help"))
        if n == 100:
            amina = await chat.say("Amina", "/help")
    handled = [a for a in answers if a and a != NOTICE]
    assert len(handled) == 10  # the burst
    assert answers[10] == NOTICE and answers.count(NOTICE) == 1  # told once, then silence
    assert answers[11:] == [""] * 189
    assert HELP in amina and amina != NOTICE
    assert await receipts(chat.core) == 11  # the dropped ones were never handled

    clock.advance(timedelta(seconds=3))  # slowed, not shut out: one more every three seconds
    assert await chat.say("Brian", "/help") not in ("", NOTICE)
    assert await chat.say("Brian", "/help") == ""
    clock.advance(timedelta(minutes=1))
    assert await chat.say("Brian", "/help") not in ("", NOTICE)


async def test_a_dropped_message_sent_again_later_is_answered(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = Chat(limited(sqlite_engine, clock))
    for _ in range(10):
        await chat.say("Brian", "/help")
    assert await chat.say("Brian", "/help", message_id="m-11") == NOTICE
    clock.advance(timedelta(minutes=1))
    assert HELP in await chat.say("Brian", "/help", message_id="m-11")  # the platform resends


async def test_through_answer_the_notice_is_sent_once_and_nothing_else_is_kept(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = limited(sqlite_engine, clock)
    chat = Chat(core)
    for n in range(40):
        await core.answer(chat.inbound("Brian", "/help", message_id=f"b-{n}"), chat)
    await core.answer(chat.inbound("Amina", "/help"), chat)
    to_brian = [m.text for m in chat.sent if m.address.chat_id == "brian"]
    assert len(to_brian) == 11 and to_brian.count(NOTICE) == 1
    assert [m.text for m in chat.sent if m.address.chat_id == "amina"] != [NOTICE]
    async with open_session(core) as session:
        rows = (await session.exec(select(func.count()).select_from(OutboxMessage))).one()
    assert rows == 12  # Brian's ten answers, his notice, Amina's answer
    # The notice is kept apart from the message it answers: that message, sent again once the
    # minute has passed, is handled and answered like any other.
    clock.advance(timedelta(minutes=1))
    await core.answer(chat.inbound("Brian", "/help", message_id="b-10"), chat)
    assert chat.sent[-1].address.chat_id == "brian" and HELP in chat.sent[-1].text


async def test_stop_is_heard_from_a_flooding_number(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    phones = Chat(limited(sqlite_engine, clock), "sms", Capabilities(max_text_length=459))
    for _ in range(30):
        await phones.say("+254700000001", "hello?")
    await phones.say("+254700000001", "Stop")
    async with open_session(phones.core) as session:
        account = (await session.exec(select(Account))).one()
    assert account.opted_out


async def test_talk_in_a_group_does_not_use_up_a_members_commands(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = Chat(limited(sqlite_engine, clock))

    async def in_group(text: str) -> str:
        group = replace(chat.inbound("Brian", text), chat_id="-500", is_group=True)
        replies = await chat.core.handle(replace(group, private_chat_id="brian"), chat.capabilities)
        return "\n".join(reply.text for reply in replies)

    for _ in range(30):
        assert await in_group("ha, same here") == ""  # never a notice in the group
    assert HELP in await in_group("/help")


async def test_the_deployment_core_has_the_limit_and_a_plain_core_has_none(
    tmp_path: Path, migrated_sqlite: Path, clock: FakeClock
) -> None:
    database = tmp_path / "flood.db"
    shutil.copyfile(migrated_sqlite, database)
    deployed = Core.from_url(f"sqlite:///{database}", clock, random.Random(1), platforms=PLATFORMS)
    try:
        # The budget runs on the wall clock here: 40 messages take well under the minute it
        # would take the rate to let them all through.
        answers = [await Chat(deployed).say("Brian", "/help") for _ in range(40)]
        assert NOTICE in answers
    finally:
        await deployed.close()
    plain = Core.from_url(
        f"sqlite:///{database}", clock, random.Random(1), platforms=PLATFORMS, inbound_limit=None
    )
    try:
        assert NOTICE not in [await Chat(plain).say("Amina", "/help") for _ in range(40)]
    finally:
        await plain.close()


async def test_on_postgresql_the_limit_holds_across_processes(
    pg_engine: AsyncEngine, clock: FakeClock
) -> None:
    """Two cores on one database, as two web processes behind a balancer: the account's
    messages, spread over both, are let through at the one rate."""
    cores = [
        limited(pg_engine, clock, DatabaseBudget(pg_engine, now=lambda: frozen(clock)))
        for _ in range(2)
    ]
    chats = [Chat(core) for core in cores]
    answers = [
        await chats[n % 2].say("Brian", "/help", message_id=uuid.uuid4().hex) for n in range(40)
    ]
    assert len([a for a in answers if a and a != NOTICE]) == 10
    assert answers.count(NOTICE) == 1
    assert HELP in await chats[1].say("Amina", "/help")
