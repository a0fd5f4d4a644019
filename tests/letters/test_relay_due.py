"""The letters relay looks only at circles whose next letters work has come (Circle.letters_due_at),
so a tick with nothing due reads no meeting. The invitation during the last meeting still goes
out once, at its time; a meeting moved, a new invitation time, or a change made while the relay
works sets the stored time back, so the invitation is never missed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.platforms import Platforms
from bot.core import Core
from bot.delivery.jobs import TickWindow
from bot.letters import relay
from bot.letters.letters import LetterPolicy
from bot.letters.relay import Relay
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.rhythm.test_set_based import statements

# The Detroit circle meets Thursdays at 18:00 from 29 October 2026, six times: the last meeting
# is on 3 December (23:00 UTC) and the invitation to write comes 30 minutes into it.
AFTER_FIRST = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)
INVITE = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)
# The last meeting moved to Tuesday 1 December, 18:00 in Detroit.
MOVED_INVITE = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
CATALOGS = Catalogs(LOCALES_DIR)


async def detroit(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name in ("Brian", "Chen"):
        await chat.say(name, "/join " + code)
        await chat.say(name, "/skip")


async def invited(chat: Chat) -> list[str]:
    return sorted(row.chat_id for row in await chat.outbox() if row.kind == "letter-invite")


async def tick_at(core: Core, clock: FakeClock, at: datetime) -> int:
    clock.set(at)
    return (await core.tick()).letters


async def test_a_tick_with_nothing_due_reads_no_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    await tick_at(core, clock, AFTER_FIRST)  # each circle's next letters time is stored
    # Again: the first tick's other jobs may change the circle (its course recorded).
    await tick_at(core, clock, AFTER_FIRST + timedelta(minutes=1))

    async with open_session(core) as session, session.begin():
        since = AFTER_FIRST + timedelta(minutes=1)
        window = TickWindow(
            session, CATALOGS, since, since + timedelta(minutes=5), Platforms(PLATFORMS)
        )
        with statements(core) as seen:
            report = await Relay(LetterPolicy()).run(window)

    assert report.letters == 0
    [lookup] = seen  # one statement, on circles: which have letters work due
    assert "meeting" not in lookup and "membership" not in lookup


async def test_the_invitation_goes_out_once_during_the_last_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    await tick_at(core, clock, AFTER_FIRST)

    assert await tick_at(core, clock, INVITE - timedelta(minutes=1)) == 0
    assert await tick_at(core, clock, INVITE + timedelta(minutes=1)) == 3
    assert await tick_at(core, clock, INVITE + timedelta(minutes=2)) == 0
    assert await invited(chat) == ["amina", "brian", "chen"]


async def test_a_last_meeting_moved_after_the_tick_looked_ahead_invites_at_its_new_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    await tick_at(core, clock, AFTER_FIRST)  # stored: the invitation on 3 December
    assert "2026" in await chat.say("Amina", "/reschedule 6 2026-12-01 18:00")

    assert await tick_at(core, clock, MOVED_INVITE + timedelta(minutes=1)) == 3
    assert await tick_at(core, clock, INVITE + timedelta(minutes=1)) == 0


async def test_a_later_invitation_time_moves_the_invitation(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    await tick_at(core, clock, AFTER_FIRST)
    assert "45 minutes into" in await chat.say("Amina", "/rhythm letters 3 45m")

    assert await tick_at(core, clock, INVITE + timedelta(minutes=1)) == 0
    assert await tick_at(core, clock, INVITE + timedelta(minutes=16)) == 3


async def test_a_meeting_moved_while_the_relay_works_is_seen_by_the_next_tick(
    pg_engine: AsyncEngine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = Core(pg_engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    await detroit(chat, core)
    read = relay._first_and_last
    moved: list[str] = []

    async def moved_meanwhile(*args: Any) -> Any:
        # The relay has read the circle; the move commits before it stores its next time.
        if not moved:
            moved.append(await chat.say("Amina", "/reschedule 6 2026-12-01 18:00"))
        return await read(*args)

    monkeypatch.setattr(relay, "_first_and_last", moved_meanwhile)
    async with open_session(core) as session, session.begin():
        window = TickWindow(
            session, CATALOGS, AFTER_FIRST - timedelta(hours=1), AFTER_FIRST, Platforms(PLATFORMS)
        )
        await Relay(LetterPolicy()).run(window)
    assert moved and "2026" in moved[0]
    monkeypatch.setattr(relay, "_first_and_last", read)

    assert await tick_at(core, clock, MOVED_INVITE + timedelta(minutes=1)) == 3
    await core.close()
