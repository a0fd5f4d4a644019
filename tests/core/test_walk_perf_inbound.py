"""Cheaper inbound messages (issue 18): what /join and /next read, and that each answer, notice
and saved change stays as it was.

The sender's conversation in the chat comes with the sender's read; a join reads the circle by
its code, its meetings and its learner count once; /next reads a circle's meetings once; a
notice is written with what it gathers (no update after it); the dispatcher looks whether
anything is due before it walks the queue; a newcomer's person and account are plain inserts
whose later changes are saved as before.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.delivery.kinds import MessageKind
from bot.storage.models import Account, Meeting, MeetingStatus, Person
from tests.conftest import DETROIT_CIRCLE, PLATFORMS, Chat, code_of
from tests.database import open_session


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements `engine` runs inside the block, each on one line."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def reads(seen: list[str], table: str) -> list[str]:
    """The statements that read rows of `table`."""
    return [s for s in seen if s.startswith(("SELECT", "WITH")) and f"FROM {table} " in s + " "]


@pytest.fixture
def any_core(any_engine: AsyncEngine, clock: FakeClock) -> Core:
    return Core(any_engine, clock, random.Random(7), platforms=PLATFORMS)


async def test_join_and_next_read_each_thing_once_and_answer_as_before(any_core: Core) -> None:
    chat = Chat(any_core)
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(any_core, "Python for Everyone")
    engine = any_core._engine

    with statements(engine) as seen:
        welcome = await chat.say("Brian", "/join " + code)
    assert welcome.startswith("Welcome to Python for Everyone, Brian!")
    assert (
        "Meeting 1 of 6: Thursday, October 29, 2026 at 6:00 PM (EDT), at Detroit Public "
        "Library." in welcome
    )
    assert "What do you hope to get out of Python for Everyone?" in welcome
    # Someone new: their conversation was looked for with their account, not on its own.
    assert "LEFT OUTER JOIN conversation" in seen[1]
    assert not reads(seen, "conversation")
    # The circle by its code, its meetings, its learners: each read once (they were read
    # two, three and two times).
    assert len([s for s in reads(seen, "circle") if "join_code" in s]) == 1
    assert len([s for s in reads(seen, "meeting") if s.startswith("SELECT meeting.id")]) == 1
    assert len([s for s in reads(seen, "membership") if "count(*)" in s]) == 1
    # Amina's notice is written with whom it is about: no update of it after.
    assert not [s for s in seen if s.startswith("UPDATE outboxmessage")]

    # Chidi is gathered into the notice still waiting, rewritten in one statement.
    await chat.say("Chidi", "/join " + code)
    notices = [row for row in await chat.outbox() if row.kind == MessageKind.MEMBER_JOINED]
    assert [(row.chat_id, row.payload["text"]) for row in notices] == [
        ("amina", "2 people joined Python for Everyone: Brian and Chidi. That's 2 learners now.")
    ]
    assert len(notices[0].payload["gathered"]) == 2

    async with open_session(any_core) as session, session.begin():
        third = (await session.exec(select(Meeting).where(Meeting.number == 3))).one()
        third.status = MeetingStatus.CANCELLED
        session.add(third)
    with statements(engine) as seen:
        answer = await chat.say("Brian", "/next")
    # The cancelled meeting is counted from the same read of the circle's meetings.
    assert answer == (
        "Python for Everyone\n"
        "Meeting 1, then 4 more: Thursday, October 29, 2026 at 6:00 PM (EDT), at Detroit "
        "Public Library.\n"
        "That's in 1 week."
    )
    # The receipt, the sender with their circles and conversation, the circle's meetings.
    assert len(reads(seen, "meeting")) == 1
    assert len(seen) == 3, seen


async def test_a_dispatcher_run_with_nothing_due_costs_one_small_statement(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    sent = await chat.deliver()  # Amina's notice was due at once: it still goes
    assert [(m.address.chat_id, m.text) for m in sent] == [
        ("amina", "Brian joined Python for Everyone. That's 1 learner now.")
    ]
    with statements(core._engine) as seen:
        assert await chat.deliver() == []
    # It only looked whether anything is due: no walk of the queue (a recursive query).
    assert len(seen) == 1, seen
    assert "RECURSIVE" not in seen[0]


async def test_a_newcomers_first_message_saves_what_it_changes(any_core: Core) -> None:
    chat = Chat(any_core)
    assert await chat.say("Zoe", "/language de") == "Ab jetzt schreibe ich dir auf Deutsch."
    async with open_session(any_core) as session:
        people = (await session.exec(select(Person.display_name, Person.locale))).all()
        accounts = (await session.exec(select(Account.external_id, Account.address))).all()
    assert people == [("Zoe", "de")]
    assert accounts == [("zoe", "zoe")]
    # Known now: read, not made again; her language holds.
    assert "Python for Everyone" in await chat.say("Zoe", DETROIT_CIRCLE)
    async with open_session(any_core) as session:
        assert len((await session.exec(select(Person.id))).all()) == 1
