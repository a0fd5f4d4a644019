"""Two real `circlebot run` processes share one PostgreSQL database for a whole season.

The season plays on a rehearsal clock (REHEARSAL_START/ORIGIN/SPEED): both processes agree on the
time, and four weeks pass in half a minute. One process leads the scheduler (an advisory lock);
partway through it is killed with SIGKILL and the other takes over. The transcript file both of
them write shows every reminder delivered once. The one exception allowed is the documented
at-least-once window: a message the killed process had handed to the platform but not yet
marked sent, which the survivor sends again.

At this speed an hour lasts about 45 ms, and on a busy machine two ticks are sometimes further
apart than that. The tick rightly never sends a reminder once its meeting has begun, so a
one-hour reminder can be skipped in a rehearsal. To tell that from a lost reminder, a trigger
(test-only, in this test's database) records the window every committed tick covered: the
windows must chain without a gap across the hand-over, and the reminders due in them are
exactly the ones delivered.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock, WarpClock
from bot.core import Core
from bot.storage.database import session_factory
from bot.storage.models import Circle, Meeting, MeetingStatus, Membership, Role
from tests.conftest import DETROIT_CIRCLE, Chat, circlebot_command, code_of
from tests.platforms import PLATFORMS

LEARNERS = ["Brian", "Chidi", "Dana", "Esi"]
# Four meetings (Thursdays from 29 October, across the end of daylight saving time on 1
# November): enough for a hand-over between two of them. The circle is made, and the rehearsal
# starts, two and a half days before the first reminder: the first ticks run cold (statements
# compiled, caches filled), so on a busy machine they are the slowest and must fall where nothing
# is due; more empty days would only cost time.
MEETINGS = 4
CIRCLE = DETROIT_CIRCLE.replace("meetings=6", f"meetings={MEETINGS}")
START = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
# The last reminder is due 2026-11-19 at 22:00Z, an hour before the fourth meeting; half a day
# more lets that meeting's digest and check-in traffic settle.
SEASON_END = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SEASON_SECONDS = 27.5  # real time for the whole season
SPEED = (SEASON_END - START).total_seconds() / SEASON_SECONDS  # about 78,500: 1 s is 22 hours
TICK = 0.015  # real seconds: 20 rehearsal minutes, well inside the one-hour reminder window
DISPATCH = 0.2
# A Monday between the second and third meetings, days from any reminder, so the hand-over
# cannot straddle one.
KILL_AT = datetime(2026, 11, 9, 12, 0, tzinfo=UTC)
# Real time for both processes to start before the season does: a start takes 3 s on a quiet
# machine, far longer on a busy one, and a first tick later than the season's start would
# cover its first reminders in one wide window and skip them. Waiting here costs little (a
# tick before the season has nothing to do), unlike empty days played at the season's speed.
STARTUP_SECONDS = 12.0
LEADS = "this process now leads the scheduler"

RECORD_TICK_WINDOWS = [
    "CREATE TABLE tick_window (id bigserial PRIMARY KEY, since timestamp, until timestamp)",
    """CREATE FUNCTION record_tick_window() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO tick_window (since, until)
        VALUES (CASE WHEN TG_OP = 'UPDATE' THEN OLD.reached_at END, NEW.reached_at);
        RETURN NEW;
    END $$""",
    "CREATE TRIGGER record_tick_window AFTER INSERT OR UPDATE ON tickmark "
    "FOR EACH ROW EXECUTE FUNCTION record_tick_window()",
]


@dataclass
class Worker:
    """A `circlebot run` subprocess and the lines of its log, each with when it arrived."""

    process: asyncio.subprocess.Process
    lines: list[tuple[float, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for line in self.process.stderr:
            self.lines.append((time.monotonic(), line.decode().rstrip("\n")))

    @property
    def pid(self) -> int:
        return self.process.pid

    def first(self, fragment: str) -> float | None:
        """When the first log line containing `fragment` arrived."""
        return next((at for at, line in self.lines if fragment in line), None)

    def log(self) -> str:
        return "\n".join(line for _, line in self.lines)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await asyncio.wait_for(self.process.wait(), 10)
        await asyncio.wait_for(self._reader, 5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_for(condition: Callable[[], object], seconds: float, step: float = 0.005) -> bool:
    """Whether `condition` came true within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(step)
    return bool(condition())


async def sleep_until(wall_time: float) -> None:
    await asyncio.sleep(max(0.0, wall_time - time.time()))


@pytest.fixture
async def workers() -> AsyncIterator[list[Worker]]:
    started: list[Worker] = []
    try:
        yield started
    finally:
        for worker in started:  # whatever happened, no process outlives the test
            await worker.stop()


async def prepare_circle(engine: AsyncEngine) -> None:
    """A facilitator creates the Detroit circle and learners join, all on the console."""
    chat = Chat(Core(engine, FakeClock(START), random.Random(11), platforms=PLATFORMS))
    assert "is ready" in await chat.say("Rosa", CIRCLE)
    code = await code_of(chat.core, "Python for Everyone")
    for name in LEARNERS:
        assert "Welcome to Python for Everyone" in await chat.say(name, f"/join {code}")
    async with engine.begin() as connection:
        for statement in RECORD_TICK_WINDOWS:
            await connection.execute(text(statement))


@dataclass(frozen=True)
class Season:
    """The circle as stored: its meetings, learners and reminder offsets."""

    meetings: list[Meeting]
    learners: list[int]
    offsets: list[int]

    def key(self, meeting: Meeting, person_id: int, offset: int) -> str:
        return (
            f"reminder|meeting:{meeting.id}|person:{person_id}|"
            f"{offset}m@{meeting.starts_at:%Y%m%dT%H%MZ}"
        )

    def scheduled(self, since: datetime, until: datetime) -> set[str]:
        """Each learner's reminder for each meeting at each offset, due in (since, until]."""
        return {
            self.key(meeting, person_id, offset)
            for meeting in self.meetings
            for offset in self.offsets
            if since < meeting.starts_at - timedelta(minutes=offset) <= until
            for person_id in self.learners
        }

    def due_in(self, windows: list[tuple[datetime, datetime]]) -> set[str]:
        """The reminders ticks covering these windows send: for a meeting not yet begun at the
        window's end, the reminder closest to it among those due in the window."""
        keys: set[str] = set()
        for since, until in windows:
            for meeting in self.meetings:
                if meeting.starts_at <= until:
                    continue
                due = [
                    (meeting.starts_at - timedelta(minutes=offset), offset)
                    for offset in self.offsets
                    if since < meeting.starts_at - timedelta(minutes=offset) <= until
                ]
                if due:
                    offset = max(due)[1]
                    keys |= {self.key(meeting, person, offset) for person in self.learners}
        return keys


async def stored_season(engine: AsyncEngine) -> Season:
    async with session_factory(engine)() as session:
        circle = (await session.exec(select(Circle))).one()
        meetings = (
            await session.exec(
                select(Meeting).where(
                    Meeting.circle_id == circle.id, Meeting.status != MeetingStatus.CANCELLED
                )
            )
        ).all()
        learners = (
            await session.exec(
                select(Membership.person_id).where(
                    Membership.circle_id == circle.id, Membership.role == Role.LEARNER
                )
            )
        ).all()
    assert len(meetings) == MEETINGS and len(learners) == len(LEARNERS)
    return Season(list(meetings), list(learners), list(circle.reminder_offsets))


async def tick_windows(engine: AsyncEngine) -> list[tuple[datetime, datetime]]:
    """What each committed tick covered, in commit order (ticks queue on the mark's row lock).
    The first tick starts a second before the circle was created."""
    async with engine.connect() as connection:
        rows = (
            await connection.execute(text("SELECT since, until FROM tick_window ORDER BY id"))
        ).all()
    windows = []
    for since, until in rows:
        start = since.replace(tzinfo=UTC) if since else START - timedelta(seconds=1)
        windows.append((start, until.replace(tzinfo=UTC)))
    return [(since, until) for since, until in windows if until > since]


async def expired_keys(engine: AsyncEngine) -> set[str]:
    """The reminders that died unsent because their meeting had started."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT idempotency_key FROM outboxmessage"
                " WHERE failure = 'expired' AND kind = 'reminder'"
            )
        )
        return {row[0] for row in rows}


async def test_two_workers_share_a_season_and_survive_losing_the_leader(
    pg_engine: AsyncEngine, tmp_path: Path, workers: list[Worker]
) -> None:
    await prepare_circle(pg_engine)
    transcript = tmp_path / "transcript.jsonl"
    origin = time.time() + STARTUP_SECONDS
    clock = WarpClock(START, SPEED, origin)  # the workers' clock, to know when things happen
    env = {
        **os.environ,
        "DATABASE_URL": pg_engine.url.render_as_string(hide_password=False),
        "REHEARSAL_START": START.isoformat(),
        "REHEARSAL_ORIGIN": repr(origin),
        "REHEARSAL_SPEED": repr(SPEED),
        "TICK_INTERVAL": repr(TICK),
        "DISPATCH_INTERVAL": repr(DISPATCH),
        "TRANSCRIPT_FILE": str(transcript),
    }
    for _ in range(2):
        process = await asyncio.create_subprocess_exec(
            *circlebot_command(),
            "run",
            env={**env, "PORT": str(free_port())},
            cwd=tmp_path,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        workers.append(Worker(process))

    # One of them leads, the other follows.
    assert await wait_for(lambda: any(w.first(LEADS) for w in workers), 20), "\n".join(
        w.log() for w in workers
    )
    await sleep_until(origin)
    leaders = [w for w in workers if w.first(LEADS)]
    assert len(leaders) == 1, "\n".join(w.log() for w in workers)
    leader, survivor = leaders[0], next(w for w in workers if w is not leaders[0])
    assert "REHEARSAL" in leader.log()

    # The leader dies without a word; the survivor takes the lead on its next tick or so.
    await sleep_until(clock.wall_time_of(KILL_AT))
    assert leader.process.returncode is None, leader.log()
    os.kill(leader.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    assert await wait_for(lambda: survivor.first(LEADS), 10), survivor.log()
    took_over = survivor.first(LEADS) - killed_at  # type: ignore[operator]
    # Two ticks, plus what the operating system and the log pipe take on a busy machine.
    assert took_over < 2 * TICK + 0.5, f"took over {took_over:.3f} s after the kill"
    print(f"took over {took_over * 1000:.0f} ms after the kill (ticks every {TICK * 1000:g} ms)")

    # The survivor plays the rest of the season alone.
    await sleep_until(clock.wall_time_of(SEASON_END))
    season = await stored_season(pg_engine)
    scheduled = season.scheduled(START, SEASON_END)

    def lines() -> list[dict[str, object]]:
        if not transcript.exists():
            return []
        return [json.loads(line) for line in transcript.read_text().splitlines()]

    # The survivor's last tick may still be a moment short of the season's end on a busy
    # machine, and the dispatcher may still be sending the last rows.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        windows = await tick_windows(pg_engine)
        if windows and windows[-1][1] >= SEASON_END:
            break
        await asyncio.sleep(0.02)
    await wait_for(lambda: scheduled <= {line["key"] for line in lines()}, 5, step=0.05)
    survivor.process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(survivor.process.wait(), 15) == 0, survivor.log()
    await survivor.stop()

    # The ticks covered the whole season, one after another, with no gap at the hand-over.
    windows = await tick_windows(pg_engine)
    assert windows[0][0] <= START and windows[-1][1] >= SEASON_END
    assert all(before[1] == after[0] for before, after in pairwise(windows))
    widest = max(windows, key=lambda window: window[1] - window[0])
    due = season.due_in(windows)
    skipped = scheduled - due
    print(
        f"{len(windows)} ticks, the widest from {widest[0]:%m-%d %H:%M} to "
        f"{widest[1]:%m-%d %H:%M}; {len(due)} of {len(scheduled)} reminders due, "
        f"skipped: {sorted(skipped)}"
    )
    # Only one-hour reminders can fall between two ticks, and only now and then.
    assert all(key.split("|")[3].startswith("60m@") for key in skipped), skipped
    assert len(skipped) <= len(LEARNERS) * 2, skipped

    delivered = lines()
    keys = Counter(str(line["key"]) for line in delivered)
    reminders = {key for key in keys if key.startswith("reminder|")}
    # At this speed a dispatcher run is hours apart: a one-hour reminder derived just before
    # its meeting may find the meeting started, and is then kept as expired, never sent late.
    expired = await expired_keys(pg_engine)
    assert all(key.split("|")[3].startswith("60m@") for key in expired), expired
    assert reminders | expired == due, (
        f"missing {sorted(due - reminders - expired)}, extra {sorted(reminders - due)}"
    )
    assert not reminders & expired
    assert len(scheduled) == MEETINGS * 2 * len(LEARNERS)
    # Each went to its learner, in their chat.
    chat_of = {str(line["key"]): line["chat"] for line in delivered}
    assert {chat_of[key] for key in reminders} == {name.casefold() for name in LEARNERS}

    # Exactly once, but for at most one message the killed worker was sending as it died.
    pids_of: dict[str, list[object]] = defaultdict(list)
    for line in delivered:
        pids_of[str(line["key"])].append(line["pid"])
    twice = {key: pids_of[key] for key, times in keys.items() if times > 1}
    assert len(twice) <= 1, twice
    for key, pids in twice.items():
        assert len(pids) == 2 and leader.pid in pids and survivor.pid in pids, (key, pids)
    # A clean stop: the lead given up, nothing went wrong on the way.
    assert "released the scheduler lead" in survivor.log()
    assert "Traceback" not in leader.log() + survivor.log(), leader.log() + survivor.log()
