"""The tick's weekly rhythm works on sets. It looks only at the circles whose next due time has
come, so a tick with nothing due reads no meeting and no member; a busy tick takes as many
statements for many circles as for one. The next due time it stores is set back by any change,
so a meeting moved, new reminder times, or a change made while a tick works, is never missed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.platforms import Platforms
from bot.core import Core
from bot.delivery.jobs import TickReport, TickWindow
from bot.rhythm import derivation
from bot.rhythm.derivation import WeeklyRhythm
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS

# The Detroit circle's first meeting is Thursday 29 October 2026 at 18:00 (22:00 UTC); its
# check-in goes out the next morning at 10:00 (14:00 UTC).
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
# Nairobi circles starting the same evening check in at 10:00 there (07:00 UTC).
NAIROBI_CHECKIN_1 = datetime(2026, 10, 30, 7, 0, tzinfo=UTC)
# Meeting 2 moved from Thursday 5 November to Saturday 31 October, 18:00 in Detroit (EDT).
MOVED_2 = datetime(2026, 10, 31, 22, 0, tzinfo=UTC)
CATALOGS = Catalogs(LOCALES_DIR)


def nairobi_circle(name: str) -> str:
    return (
        f'/newcircle name="{name}" course="Python for Everybody" venue="Kenya National Library" '
        "city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-29 time=18:00 meetings=6"
    )


async def open_circle(chat: Chat, core: Core, command: str, facilitator: str, *learners: str):
    assert "is ready" in await chat.say(facilitator, command)
    code = await code_of(core, command.split('name="', 1)[1].split('"', 1)[0])
    for name in learners:
        assert "Welcome" in await chat.say(name, f"/join {code}")
        await chat.say(name, "/skip")


@contextmanager
def statements(core: Core) -> Iterator[list[str]]:
    """The SQL statements run on the core's database meanwhile."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    engine = core._engine.sync_engine  # a test may look behind Core (see tests/database.py)
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def rhythm(core: Core, since: datetime, now: datetime) -> tuple[TickReport, list[str]]:
    """The weekly rhythm's job alone over (since, now], and the statements it ran."""
    async with open_session(core) as session, session.begin():
        window = TickWindow(session, CATALOGS, since, now, Platforms(PLATFORMS))
        with statements(core) as seen:
            report = await WeeklyRhythm().run(window)
    return report, seen


async def test_a_tick_with_nothing_due_reads_no_meeting_and_no_member(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, DETROIT_CIRCLE, "Amina", "Brian", "Chen")
    await open_circle(chat, core, nairobi_circle("Nairobi Coders"), "Wanjiru", "Otieno")
    clock.set(CHECKIN_1 + timedelta(minutes=1))
    assert (await core.tick()).checkins == 3  # and each circle's next due time is stored

    report, seen = await rhythm(core, clock.now(), clock.now() + timedelta(minutes=5))

    assert report.total == 0
    [lookup] = seen  # one statement, on circles: which have something due
    assert "meeting" not in lookup and "membership" not in lookup


async def test_checkins_in_two_circles_take_the_statements_of_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, DETROIT_CIRCLE, "Amina", "Brian", "Chen")
    await open_circle(chat, core, nairobi_circle("Nairobi Coders"), "Wanjiru", "Otieno", "Akinyi")
    await open_circle(chat, core, nairobi_circle("Kibera Readers"), "Njeri", "Kamau", "Moraa")
    clock.set(NAIROBI_CHECKIN_1 - timedelta(hours=1))
    await core.tick()

    two, in_nairobi = await rhythm(core, clock.now(), NAIROBI_CHECKIN_1 + timedelta(minutes=1))
    one, in_detroit = await rhythm(
        core, NAIROBI_CHECKIN_1 + timedelta(minutes=1), CHECKIN_1 + timedelta(minutes=1)
    )

    assert (two.checkins, one.checkins) == (4, 2)
    assert len(in_nairobi) == len(in_detroit)


async def test_a_meeting_moved_after_the_tick_looked_ahead_is_reminded_at_its_new_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, DETROIT_CIRCLE, "Amina", "Brian")
    clock.set(CHECKIN_1 + timedelta(minutes=1))
    assert (await core.tick()).checkins == 1  # the next due time stored: the nudge, Sunday
    await chat.deliver()
    assert "2026" in await chat.say("Amina", "/reschedule 2 2026-10-31 18:00")

    clock.set(MOVED_2 - timedelta(hours=24) + timedelta(minutes=1))
    report = await core.tick()

    assert (report.reminders, report.digests) == (1, 1)
    [reminder] = [m for m in await chat.deliver() if "meets in" in m.text]
    assert reminder.address.chat_id == "brian"
    assert "meets in 24 hours: Saturday at 6:00 PM" in reminder.text


async def test_reminder_times_changed_after_the_tick_looked_ahead_go_out_at_the_new_times(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, DETROIT_CIRCLE, "Amina", "Brian")
    await core.tick()  # the next due time stored: the day before the first meeting
    await chat.say("Amina", "/reminders 7d")

    clock.set(datetime(2026, 10, 22, 22, 1, tzinfo=UTC))  # a week before the first meeting
    assert (await core.tick()).reminders == 1


async def test_a_meeting_moved_while_a_tick_works_is_seen_by_the_next_tick(
    any_engine: AsyncEngine, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = Core(any_engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    await open_circle(chat, core, DETROIT_CIRCLE, "Amina", "Brian")
    derive = derivation._Derivation._derive
    moved: list[str] = []

    async def moved_meanwhile(self: Any, busy: Any) -> None:
        # The tick has read the circle and its meetings; the move commits before it writes.
        if not moved:
            moved.append(await chat.say("Amina", "/reschedule 2 2026-10-31 18:00"))
        await derive(self, busy)

    monkeypatch.setattr(derivation._Derivation, "_derive", moved_meanwhile)
    clock.set(CHECKIN_1 + timedelta(minutes=1))
    assert (await core.tick()).checkins == 1
    assert moved and "2026" in moved[0]

    clock.set(MOVED_2 - timedelta(hours=24) + timedelta(minutes=1))
    assert (await core.tick()).reminders == 1
    await core.close()
