"""What one inbound message costs the database (issue 18), and that the cheaper way keeps every
answer and every rollback as it was.

The sender's account, person and current circles are one statement; on SQLite each statement is
one trip to the connection's thread, and a commit or rollback with nothing open costs none.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.dialogue import conversations
from bot.storage import database
from bot.storage.models import (
    Circle,
    CircleStatus,
    Conversation,
    InboundReceipt,
    Membership,
    Person,
)
from tests.conftest import DETROIT_CIRCLE, PLATFORMS, Chat, code_of
from tests.core.test_several_circles import SECOND_CIRCLE
from tests.database import open_session


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements `engine` runs inside the block."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def test_next_reads_its_sender_once_and_costs_no_trip_to_sqlites_thread(
    chat: Chat, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    trips: list[str] = []
    execute = database._OneTripConnection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(getattr(fn, "__name__", "?"))
        return await execute(self, fn, *args, **kwargs)

    monkeypatch.setattr(database._OneTripConnection, "_execute", counted)
    with statements(core._engine) as seen:
        answer = await chat.say("Brian", "/next")
    assert "Python for Everyone\nMeeting 1 of 6" in answer
    # Before the command runs: the receipt, then the sender with their circles and their
    # conversation in this chat, in one statement.
    assert [statement.split(None, 3)[:3] for statement in seen[:2]] == [
        ["INSERT", "INTO", "inboundreceipt"],
        ["SELECT", "account.id,", "account.person_id,"],
    ]
    assert "LEFT OUTER JOIN membership" in seen[1]
    assert "LEFT OUTER JOIN conversation" in seen[1]
    # Nothing else reads the sender, their memberships or the conversation again.
    assert not [
        s
        for s in seen[2:]
        if "FROM account" in s or "FROM membership" in s or "FROM conversation" in s
    ]
    # No trip to SQLite's thread: a message's statements and its commit run in the loop's
    # own thread (database.inline_statements), as nothing else writes; the rollback of the
    # connection the pool gets back, and a ping before its use, cost nothing either.
    assert trips == []


@pytest.fixture
def any_core(any_engine: AsyncEngine, clock: FakeClock) -> Core:
    return Core(any_engine, clock, random.Random(7), platforms=PLATFORMS)


SPANISH_CIRCLE = (
    '/newcircle name="Club de lectura" course="Don Quijote" venue="Biblioteca" city=Madrid '
    "country=ES zone=Europe/Madrid start=2026-11-03 time=18:00 meetings=4 language=es"
)


async def test_the_sender_read_at_once_keeps_only_their_current_circles(any_core: Core) -> None:
    chat = Chat(any_core)
    for circle in (DETROIT_CIRCLE, SECOND_CIRCLE, SPANISH_CIRCLE):
        await chat.say("Amina", circle)
    for name in ("Python for Everyone", "Digital Skills", "Club de lectura"):
        await chat.say("Brian", "/join " + await code_of(any_core, name))
    # The circle he joined last speaks Spanish: he keeps the English he read the bot in.
    assert "Club de lectura\nMeeting 1 of 4" in await chat.say("Brian", "/next")
    async with open_session(any_core) as session, session.begin():
        brian = (await session.exec(select(Person).where(Person.display_name == "Brian"))).one()
        digital = (await session.exec(select(Circle).where(Circle.name == "Digital Skills"))).one()
        spanish = (await session.exec(select(Circle).where(Circle.name == "Club de lectura"))).one()
        spanish.status = CircleStatus.CLOSED  # it has ended
        session.add(spanish)
        left = (
            await session.exec(
                select(Membership).where(
                    Membership.person_id == brian.id, Membership.circle_id == digital.id
                )
            )
        ).one()
        left.left_at = any_core.clock.now()  # and he left this one
        session.add(left)

    answer = await chat.say("Brian", "/next")
    # In English now, the language of his one current circle, and only about it.
    assert answer.startswith("Python for Everyone\nMeeting 1 of 6")
    assert "Digital Skills" not in answer and "Club de lectura" not in answer
    assert (await chat.say("Zoe", "/next")).startswith("You're not in a circle yet.")


async def test_a_failed_message_is_rolled_back_and_handled_when_sent_again(
    chat: Chat, core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writes before a failure (the receipt, a new person, the membership) are undone for
    real, though the connection skips the rollbacks that have nothing to undo, and the pool's
    connection comes back with no transaction open."""
    from bot.circles.commands import membership

    def broken(*_: object) -> str:
        raise RuntimeError("the handler broke")

    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    monkeypatch.setattr(membership, "describe_meeting", broken)
    answer = await chat.say("Brian", "/join " + code, message_id="m-1")
    assert answer.startswith("Sorry, something went wrong")
    async with open_session(core) as session:
        receipts = (await session.exec(select(InboundReceipt.message_id))).all()
        people = (await session.exec(select(Person.display_name))).all()
    assert "m-1" not in receipts and "Brian" not in people
    monkeypatch.undo()
    # The same message, sent again, is handled: its receipt went with the rest.
    assert "Welcome to Python for Everyone" in await chat.say(
        "Brian", "/join " + code, message_id="m-1"
    )
    # A second engine on the file writes at once: nothing is left holding SQLite's lock.
    other = database.create_engine(core._engine.url.render_as_string(hide_password=False))
    try:
        async with other.begin() as connection:
            await connection.execute(sql("DELETE FROM inboundreceipt WHERE message_id = 'none'"))
    finally:
        await other.dispose()


async def test_a_message_waits_for_another_writer_without_holding_up_the_loop(
    chat: Chat, core: Core
) -> None:
    """Statements run in the loop's thread never wait for SQLite's lock there: one that would
    goes to the connection's thread, waits as long as ever, and the loop goes on meanwhile."""
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    other = sqlite3.connect(str(core._engine.url.database), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    loop = asyncio.get_running_loop()
    try:
        joining = asyncio.create_task(chat.say("Brian", "/join " + code))
        started, turns = loop.time(), 0
        while loop.time() - started < 0.5:
            await asyncio.sleep(0.01)
            turns += 1
        assert not joining.done()  # Brian's join waits for the lock...
        assert turns >= 10  # ...and the loop serves everything else meanwhile
    finally:
        other.execute("COMMIT")
        other.close()
    assert "Welcome to Python for Everyone" in await joining
    # And the next message runs in the loop's thread again.
    assert "Python for Everyone\nMeeting 1 of 6" in await chat.say("Brian", "/next")


async def test_a_conversation_is_written_only_when_something_waits_in_it(
    chat: Chat, core: Core
) -> None:
    """A first message that leaves nothing waiting writes no conversation; one that offers
    choices keeps them, and a bare number picks one."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Brian", "/next")
    async with open_session(core) as session:
        keys = (await session.exec(select(Conversation.key))).all()
    assert not [key for key in keys if key.endswith(":brian")]  # nothing waits for him
    menu = await chat.say("Zoe", "/language")
    async with open_session(core) as session:
        kept = (
            await session.exec(select(Conversation).where(Conversation.key == "console:zoe:zoe"))
        ).one()
    assert kept.choices
    number = next(n for n, payload in enumerate(conversations.payloads(kept), 1) if "es" in payload)
    assert f"{number}" in menu
    assert "español" in (await chat.say("Zoe", str(number))).lower()


# What a join looks for that only someone known before this message could have: wrong codes
# tried, a membership to come back to, a waiting place, a goal, an older question.
_ABOUT_SOMEONE_KNOWN = (
    "FROM joinattempt",
    "FROM membership WHERE membership.circle_id = ? AND membership.person_id = ?",
    "DELETE FROM waitingplace",
    "FROM reflection",
    "DELETE FROM question",
)


def _about_someone_known(seen: list[str]) -> list[str]:
    flat = [" ".join(statement.split()) for statement in seen]
    return [part for part in _ABOUT_SOMEONE_KNOWN if any(part in s for s in flat)]


async def test_a_first_join_from_someone_new_looks_for_nothing_they_cannot_have(
    chat: Chat, core: Core
) -> None:
    """Someone whose first message is /join has tried no code, left no circle, waits on no
    list and has said no goal: none of that is looked for (issue 18: 21 statements were 16).
    They are welcomed and asked their goal all the same; someone the bot knew is checked."""
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    with statements(core._engine) as seen:
        answer = await chat.say("Brian", "/join " + code)
    assert "Welcome to Python for Everyone, Brian!" in answer
    assert "What do you hope to get out of Python for Everyone?" in answer
    assert _about_someone_known(seen) == []
    # His goal is the answer to the question asked.
    answer = await chat.say("Brian", "Learn to automate my spreadsheets")
    assert answer.startswith("Thank you, I'll remind you of it near the end.")

    await chat.say("Zoe", "/help")  # known from now on
    with statements(core._engine) as seen:
        answer = await chat.say("Zoe", "/join " + code)
    assert "Welcome to Python for Everyone, Zoe!" in answer
    assert _about_someone_known(seen) == list(_ABOUT_SOMEONE_KNOWN)


async def test_meetings_read_for_next_are_the_schedule_without_the_orms_loading(
    any_core: Core,
) -> None:
    """/next reads a circle's meetings as plain copies (issue 18): the same values as the
    ORM's, and a meeting the session holds, changed and not yet saved, as it holds it."""
    from bot.circles import meetings

    chat = Chat(any_core)
    await chat.say("Amina", DETROIT_CIRCLE)
    async with open_session(any_core) as session:
        circle = (
            await session.exec(select(Circle).where(Circle.name == "Python for Everyone"))
        ).one()
        assert circle.id is not None
        loaded = await meetings.schedule(session, circle.id)
        loaded[2].venue = "Room 2"  # changed in this session, not saved
        read = await meetings.schedule_to_read(session, circle.id)
        assert [m.model_dump() for m in read] == [m.model_dump() for m in loaded]
        assert read[2] is loaded[2]
    async with open_session(any_core) as session:
        fresh = await meetings.schedule_to_read(session, circle.id)
        assert [m.model_dump() for m in fresh][2]["venue"] is None
        assert [m.model_dump() for m in fresh][3] == loaded[3].model_dump()
        assert fresh[0] not in session  # a copy: never written back
