"""A whole season on a fake clock: reminders across the 2026-11-01 DST change, restarts, stops.

The circle meets on Tuesdays at 18:00 in Detroit from 2026-10-20, six times. Daylight saving time
ends on Sunday 1 November, so meetings 1 and 2 are at 22:00 UTC and the later ones at 23:00 UTC,
and every reminder must follow the local time. The season is driven through the router (as
people typing commands) and the real tick, outbox and dispatcher, on SQLite files.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Inbound, Outbound, Receipt
from bot.core import Core
from bot.delivery.dispatcher import LEASE
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import Circle, Meeting, OutboxMessage, OutboxStatus, Person
from tests.database import open_session
from tests.platforms import PLATFORMS

DETROIT = ZoneInfo("America/Detroit")
SEASON_CIRCLE = (
    '/newcircle name="Python for Everyone" course="Python for Everybody" '
    'venue="Detroit Public Library" city=Detroit country=US zone=America/Detroit '
    "start=2026-10-20 time=18:00 meetings=6"
)
LEARNERS = ("Brian", "Carlos", "Ewa")
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


def local(day: date, at: time = time(18, 0)) -> datetime:
    """A Detroit wall time as a UTC instant, computed here independently of bot.meetings."""
    return datetime.combine(day, at, tzinfo=DETROIT).astimezone(UTC)


def spoken(instant: datetime) -> str:
    """A meeting time as the bot writes it: 'Tuesday, October 20, 2026 at 6:00 PM (EDT)'."""
    here = instant.astimezone(DETROIT)
    return f"{here:%A, %B} {here.day}, {here.year} at {here:%-I:%M %p} ({here.tzname()})"


def short(instant: datetime) -> str:
    """A meeting time as a notice of a change writes it: 'Thursday, Nov 5, 6:00 PM'."""
    here = instant.astimezone(DETROIT)
    return f"{here:%A, %b} {here.day}, {here:%-I:%M %p}"


def in_reminder(instant: datetime) -> str:
    """A meeting time as a reminder, sent within the week, says it: 'Tuesday at 6:00 PM'."""
    here = instant.astimezone(DETROIT)
    return f"{here:%A} at {here:%-I:%M %p}"


# The schedule as planned: 18:00 local each Tuesday. Meetings 1-2 in EDT, 3-6 in EST.
PLANNED = {n: local(date(2026, 10, 20) + timedelta(weeks=n - 1)) for n in range(1, 7)}
MOVED_2 = local(date(2026, 11, 1))  # meeting 2 moves to Sunday 1 November, the day DST ends
CANCELLED = 5
START = datetime(2026, 10, 15, 14, 0, tzinfo=UTC)  # five days before meeting 1
RESCHEDULE_AT = datetime(2026, 10, 27, 12, 0, tzinfo=UTC)  # after meeting 2's 24 h reminder
LATE_JOIN_AT = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)  # meeting 3 is over, its check-in not
CANCEL_AT = datetime(2026, 11, 12, 15, 0, tzinfo=UTC)
END = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)  # after the last check-in and its nudge


def test_the_independent_calendar_crosses_dst() -> None:
    # The fixtures of this file, checked against known UTC hours.
    assert PLANNED[1] == datetime(2026, 10, 20, 22, 0, tzinfo=UTC)
    assert PLANNED[2] == datetime(2026, 10, 27, 22, 0, tzinfo=UTC)
    assert PLANNED[3] == datetime(2026, 11, 3, 23, 0, tzinfo=UTC)
    assert MOVED_2 == datetime(2026, 11, 1, 23, 0, tzinfo=UTC)
    assert spoken(PLANNED[1]) == "Tuesday, October 20, 2026 at 6:00 PM (EDT)"
    assert spoken(PLANNED[6]) == "Tuesday, November 24, 2026 at 6:00 PM (EST)"


# -- the driver ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    at: datetime
    message: Outbound

    @property
    def key(self) -> str:
        assert self.message.idempotency_key is not None
        return self.message.idempotency_key

    @property
    def kind(self) -> str:
        return self.key.split("|")[0]

    @property
    def to(self) -> str:
        return self.message.address.chat_id

    @property
    def occurrence(self) -> str:
        return self.key.split("|")[3]


class Recorder:
    """A console-like adapter that records what it was given to send, and when."""

    platform = "console"
    capabilities = Capabilities(max_text_length=4000, buttons=False, files=True)

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.log: list[Delivery] = []

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        self.log.append(Delivery(self.clock.now(), message))
        return Receipt(platform_message_id=str(len(self.log)))


class DiesAfterSending(Recorder):
    """The platform accepts the message, then the process dies before the dispatcher commits:
    CancelledError (a BaseException, as when the event loop is torn down) right after the send,
    once, for the first message `dies_on` picks."""

    def __init__(self, clock: FakeClock, dies_on: Callable[[Outbound], bool]) -> None:
        super().__init__(clock)
        self.dies_on = dies_on
        self.died_with: Outbound | None = None

    async def send(self, message: Outbound) -> Receipt:
        receipt = await super().send(message)
        if self.died_with is None and self.dies_on(message):
            self.died_with = message
            raise asyncio.CancelledError("the process died before the commit")
        return receipt


class Season:
    """One bot process after another on the same SQLite file, with one fake clock."""

    def __init__(self, path: Path, clock: FakeClock, adapter: Recorder) -> None:
        self.url = f"sqlite:///{path}"
        self.clock = clock
        self.adapter = adapter
        self.core: Core | None = None
        self.restarts = 0
        self.pending_at_restart = 0  # outbox rows left unsent by the processes thrown away
        self._message_ids = 0
        self._migrated = False
        self.restart_before_each_message = False

    async def start(self) -> None:
        engine = create_engine(self.url)
        if not self._migrated:
            await upgrade(engine)
            self._migrated = True
        self.core = Core(engine, self.clock, random.Random(7), platforms=PLATFORMS)

    async def stop(self) -> None:
        assert self.core is not None
        await self.core.close()
        self.core = None

    async def restart(self) -> None:
        assert self.core is not None
        async with open_session(self.core) as session:
            pending = await session.exec(
                select(func.count()).where(OutboxMessage.status == OutboxStatus.PENDING)
            )
            self.pending_at_restart += pending.one()
        await self.stop()
        self.restarts += 1
        await self.start()

    async def say(self, name: str, text: str) -> str:
        if self.restart_before_each_message:  # e.g. between /join and the answer to its question
            await self.restart()
        assert self.core is not None
        self._message_ids += 1  # deterministic ids: two runs of a script make the same keys
        me = name.casefold()
        inbound = Inbound(
            platform="console",
            account_id=me,
            chat_id=me,
            message_id=f"m{self._message_ids}",
            text=text,
            display_name=name,
        )
        replies = await self.core.handle(inbound, self.adapter.capabilities)
        return "\n".join(reply.text for reply in replies)

    async def tick(self) -> None:
        assert self.core is not None
        await self.core.tick()

    async def dispatch(self) -> None:
        assert self.core is not None
        await self.core.dispatch({self.adapter.platform: self.adapter})

    async def join_code(self) -> str:
        assert self.core is not None
        async with open_session(self.core) as session:
            circle = (await session.exec(select(Circle))).one()
            return circle.join_code

    async def meeting_numbers(self) -> dict[str, int]:
        """'meeting:<id>' -> the meeting's number."""
        assert self.core is not None
        async with open_session(self.core) as session:
            return {f"meeting:{m.id}": m.number for m in (await session.exec(select(Meeting)))}

    async def person_names(self) -> dict[str, str]:
        """'person:<id>' -> the person's lower-case name (their console chat id)."""
        assert self.core is not None
        async with open_session(self.core) as session:
            return {
                f"person:{p.id}": p.display_name.casefold()
                for p in (await session.exec(select(Person)))
            }


Action = Callable[[Season], Awaitable[None]]


async def open_circle(season: Season) -> None:
    reply = await season.say("Amina", SEASON_CIRCLE)
    assert "Your circle Python for Everyone is ready" in reply, reply
    code = await season.join_code()
    for name in LEARNERS:
        reply = await season.say(name, "/join " + code)
        assert "Welcome" in reply or "welcome" in reply, reply
    await season.say("Brian", "Write a small script that sorts the invoices at work")
    await season.say("Brian", "1")
    await season.say("Carlos", "/skip")
    await season.say("Ewa", "/skip")


async def move_meeting_2(season: Season) -> None:
    reply = await season.say("Amina", "/reschedule 2 2026-11-01 18:00")
    assert "Meeting 2 is now Sunday, November 1, 2026 at 6:00 PM (EST)" in reply, reply
    assert "letting 3 members know" in reply, reply


async def late_joiner(season: Season) -> None:
    reply = await season.say("Dana", "/join " + await season.join_code())
    assert "Meeting 4 of 6" in reply, reply
    await season.say("Dana", "/skip")


async def cancel_meeting_5(season: Season) -> None:
    await season.say("Amina", f"/cancel {CANCELLED}")
    reply = await season.say("Amina", "yes")
    assert "Meeting 5 is cancelled. I'm letting 4 members know." in reply, reply


SCRIPT: dict[datetime, Action] = {
    START: open_circle,
    RESCHEDULE_AT: move_meeting_2,
    LATE_JOIN_AT: late_joiner,
    CANCEL_AT: cancel_meeting_5,
}


# -- what should happen, derived from the calendar alone -----------------------------------------

# (meeting number, start it had when the message was derived), in the order they happen.
STARTS: list[tuple[int, datetime]] = [
    (1, PLANNED[1]),
    (2, PLANNED[2]),  # its 24 h reminder and digest go out before the move
    (2, MOVED_2),
    (3, PLANNED[3]),
    (4, PLANNED[4]),
    (6, PLANNED[6]),
]


def learners_of(number: int) -> tuple[str, ...]:
    names = tuple(n.casefold() for n in LEARNERS)
    return (*names, "dana") if number >= 4 else names


def expected_reminders() -> Counter[tuple[str, int, int, datetime, datetime]]:
    """(learner, meeting, offset in minutes, start, due) -> 1."""
    wanted: Counter[tuple[str, int, int, datetime, datetime]] = Counter()
    for number, starts_at in STARTS:
        offsets = (24 * 60,) if starts_at == PLANNED[2] else (24 * 60, 60)  # moved before 1 h
        for learner in learners_of(number):
            for offset in offsets:
                due = starts_at - timedelta(minutes=offset)
                wanted[(learner, number, offset, starts_at, due)] += 1
    return wanted


def checkin_due(starts_at: datetime) -> datetime:
    return local(starts_at.astimezone(DETROIT).date() + DAY, time(10, 0))


def expected_checkins() -> Counter[tuple[str, int, datetime]]:
    wanted: Counter[tuple[str, int, datetime]] = Counter()
    for number, starts_at in STARTS:
        if starts_at == PLANNED[2]:
            continue  # meeting 2 took place on its new date
        for learner in learners_of(number):
            wanted[(learner, number, checkin_due(starts_at))] += 1
    return wanted


def interesting_instants() -> list[datetime]:
    """Every due instant, and one second before it: nothing may go early or late."""
    dues: set[datetime] = {RESCHEDULE_AT, LATE_JOIN_AT, CANCEL_AT}
    for _, starts_at in STARTS:
        dues |= {starts_at - DAY, starts_at - HOUR, starts_at, checkin_due(starts_at)}
        dues.add(checkin_due(starts_at) + 2 * DAY)  # the nudge
    dues.add(local(date(2026, 11, 22), time(10, 0)))  # the goal review, 2 days before the last
    return sorted({d - SECOND for d in dues} | dues)


def timeline(
    start: datetime, end: datetime, extra: Iterable[datetime], every: timedelta = 6 * HOUR
) -> list[datetime]:
    """A step every few hours, plus `extra` (the due instants and the second before each)."""
    grid = {start + k * every for k in range(int((end - start) / every) + 1)}
    return sorted(grid | {t for t in extra if start <= t <= end})


SEASON_STEPS = timeline(START, END, interesting_instants())


Restart = Callable[[int, datetime, str], bool]  # (step, instant, where) -> restart there?


def never(step: int, instant: datetime, where: str) -> bool:
    return False


async def play(
    season: Season,
    instants: list[datetime],
    script: dict[datetime, Action],
    restart_when: Restart = never,
) -> None:
    """Walk the clock: at each instant, what people say, then a tick, then a dispatch.

    `restart_when` can throw the Core away and make a new one on the same file after the tick
    (rows enqueued, not yet sent) or after the dispatch. A dispatch that dies (a BaseException
    out of the adapter) is a crash: the process is started again and dispatches at once.
    """
    await season.start()
    for step, instant in enumerate(instants):
        season.clock.set(instant)
        if instant in script:
            await script[instant](season)
        await season.tick()
        if restart_when(step, instant, "before-dispatch"):
            await season.restart()
        try:
            await season.dispatch()
        except asyncio.CancelledError:
            await season.restart()
            await season.tick()
            await season.dispatch()
        if restart_when(step, instant, "after-dispatch"):
            await season.restart()
    await season.stop()


@dataclass
class Played:
    log: list[Delivery]
    numbers: dict[str, int]  # 'meeting:<id>' -> number
    names: dict[str, str]  # 'person:<id>' -> console chat id
    restarts: int
    pending_at_restart: int

    def by_kind(self) -> dict[str, list[Delivery]]:
        found: dict[str, list[Delivery]] = defaultdict(list)
        for delivery in self.log:
            found[delivery.kind].append(delivery)
        return found

    def number(self, delivery: Delivery) -> int:
        """The meeting a message is about (0: about the circle)."""
        return self.numbers.get(delivery.key.split("|")[1], 0)

    def stamped(self) -> Counter[tuple[str, datetime]]:
        return Counter((d.key, d.at) for d in self.log)


async def play_season(
    path: Path,
    restart_when: Restart = never,
    adapter: Callable[[FakeClock], Recorder] = Recorder,
    script: dict[datetime, Action] = SCRIPT,
    steps: list[datetime] = SEASON_STEPS,
    restart_before_each_message: bool = False,
) -> Played:
    clock = FakeClock(steps[0])
    recorder = adapter(clock)
    season = Season(path, clock, recorder)
    season.restart_before_each_message = restart_before_each_message
    await play(season, steps, script, restart_when)
    await season.start()
    numbers, names = await season.meeting_numbers(), await season.person_names()
    await season.stop()
    return Played(recorder.log, numbers, names, season.restarts, season.pending_at_restart)


_reference: list[Played] = []


async def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> Played:
    """The season played by one process that never stops (played once per test run)."""
    if not _reference:
        _reference.append(await play_season(tmp_path_factory.mktemp("reference") / "season.db"))
    return _reference[0]


# -- 1. the season, every reminder on time --------------------------------------------------------


async def test_a_season_across_dst_sends_every_reminder_once_at_its_local_time(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    played = await uninterrupted(tmp_path_factory)
    log, numbers, names = played.log, played.numbers, played.names
    by_kind = played.by_kind()

    # Nothing is sent twice.
    keys = Counter(d.key for d in log)
    assert [k for k, n in keys.items() if n > 1] == []
    assert len(log) == len(keys)

    # Reminders: exactly the expected ones, each at exactly its due instant (the clock also
    # stopped one second before each: nothing went early), worded with 6:00 PM local.
    got: Counter[tuple[str, int, int, datetime, datetime]] = Counter()
    for delivery in by_kind["reminder"]:
        _, meeting, person, occurrence = delivery.key.split("|")
        offset, _, stamp = occurrence.partition("m@")
        starts_at = datetime.strptime(stamp, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
        assert names[person] == delivery.to
        got[(delivery.to, numbers[meeting], int(offset), starts_at, delivery.at)] += 1
        text = delivery.message.text
        if offset == "1440":
            assert "Python for Everyone meets in 24 hours" in text, text
            assert in_reminder(starts_at) in text, text
        else:  # on the meeting's day it says "today" (G3, walk C 8)
            assert "Python for Everyone meets today at" in text, text
        assert "at 6:00 PM," in text  # the local time, on both sides of the DST change
    assert got == expected_reminders()
    # The UTC hour follows the local 18:00 across the change: 21/22 h UTC in EDT, 22/23 h in EST.
    assert {d.at.hour for d in by_kind["reminder"] if d.at < MOVED_2 - DAY} == {21, 22}
    assert {d.at.hour for d in by_kind["reminder"] if d.at >= MOVED_2 - DAY} == {22, 23}
    # Nothing about the cancelled meeting 5 but the cancellation itself.
    assert [d.kind for d in log if played.number(d) == CANCELLED] == []
    # Nobody is reminded of a meeting from before they joined: Dana only of meetings 4 and 6.
    assert {played.number(d) for d in by_kind["reminder"] if d.to == "dana"} == {4, 6}

    # The move and the cancellation reached the learners (not the sender) at once: two weeks
    # apart, each a notice of its own (schedule_notices gathers changes made close together).
    notices = by_kind["schedule-changed"]
    moved = [d for d in notices if "has moved" in d.message.text]
    assert sorted(d.to for d in moved) == ["brian", "carlos", "ewa"]
    for delivery in moved:
        assert delivery.at == RESCHEDULE_AT
        assert (
            f"Python for Everyone: meeting 2 has moved to {short(MOVED_2)} "
            f"(it was {short(PLANNED[2])})"
        ) in delivery.message.text
    cancelled = [d for d in notices if "won't take place" in d.message.text]
    assert sorted(d.to for d in cancelled) == ["brian", "carlos", "dana", "ewa"]
    fifth = next(subject for subject, number in numbers.items() if number == CANCELLED)
    for delivery in cancelled:
        assert delivery.at == CANCEL_AT
        assert delivery.occurrence.partition("@")[0] == fifth  # and the message that did it
        assert f"meeting 5 on {short(PLANNED[5])} won't take place" in delivery.message.text

    # The facilitator's digest: 24 h before each start the meeting had, once each.
    digests = by_kind["digest"]
    assert {d.to for d in digests} == {"amina"}
    assert sorted((played.number(d), d.at) for d in digests) == sorted(
        (number, starts_at - DAY) for number, starts_at in STARTS
    )

    # Check-ins: the day after each meeting at 10:00 local, once per learner who was there.
    checkins = Counter((d.to, played.number(d), d.at) for d in by_kind["checkin"])
    assert checkins == expected_checkins()
    assert {d.at.hour for d in by_kind["checkin"]} == {14, 15}  # 10:00 EDT, then 10:00 EST

    # Nobody answers, so 48 h later each open check-in is nudged once. Meeting 2's check-in
    # closed when meeting 3 started, before its nudge was due; the last one lapsed when the
    # course survey came, two days after the last meeting, before its nudge.
    nudges = Counter((d.to, played.number(d), d.at) for d in by_kind["checkin-nudge"])
    assert nudges == Counter(
        {
            (learner, number, at + 2 * DAY): 1
            for (learner, number, at) in expected_checkins()
            if number not in (2, 6)
        }
    )

    # The goal review goes to the one learner who set a goal, two days before the last meeting.
    assert [(d.to, d.at) for d in by_kind["goal-review"]] == [
        ("brian", local(date(2026, 11, 22), time(10, 0)))
    ]
    # Thirty minutes into the last meeting, everyone is invited to write a letter, once.
    assert sorted(d.to for d in by_kind["letter-invite"]) == [
        "amina",
        "brian",
        "carlos",
        "dana",
        "ewa",
    ]
    # A quarter of an hour after each meeting held, Amina (who takes no attendance here) is
    # reminded to, once a meeting; never for the cancelled one.
    reminded = by_kind["attendance-reminder"]
    assert sorted(played.number(d) for d in reminded) == [1, 2, 3, 4, 6]
    assert {d.to for d in reminded} == {"amina"}
    # No circle elsewhere wrote a letter, so before the first meeting Amina hears there is none
    # to read aloud (D47), once.
    previews = by_kind["letters-preview"]
    assert [(d.to, "nothing to read out" in d.message.text) for d in previews] == [
        ("amina", True)
    ]
    # Nothing else went out but the facilitator's "X joined" notices.
    assert sorted(by_kind) == sorted(
        [
            "reminder",
            "attendance-reminder",
            "digest",
            "checkin",
            "checkin-nudge",
            "goal-review",
            "schedule-changed",
            "member-joined",
            "letters-preview",
            "letter-invite",
            "closing",
            "closing-summary",
            "course-survey",
        ]
    )
    # Two days after the last meeting, everyone gets the course's short survey, once.
    assert sorted(d.to for d in by_kind["course-survey"]) == [
        "amina",
        "brian",
        "carlos",
        "dana",
        "ewa",
    ]
    # Joins close together are gathered: the first told at once, the rest in one notice.
    assert sorted(d.to for d in by_kind["member-joined"]) == ["amina"] * 2
    # When the last meeting ends: the facilitator's closing summary and each learner's
    # farewell, once each (everyone was invited to write during the meeting already).
    assert [d.to for d in by_kind["closing-summary"]] == ["amina"]
    assert sorted(d.to for d in by_kind["closing"]) == ["brian", "carlos", "dana", "ewa"]


# -- 2. restarts --------------------------------------------------------------------------------

DUE_INSTANTS = set(interesting_instants())


def often(step: int, instant: datetime, where: str) -> bool:
    """At every due instant between the tick and the dispatch (rows enqueued, not sent); one
    second before it after the dispatch; now and then elsewhere."""
    if instant in DUE_INSTANTS and instant.second == 0:
        return where == "before-dispatch"
    if instant in DUE_INSTANTS:
        return where == "after-dispatch"
    return step % 25 == 0 and where == ("before-dispatch" if step % 2 else "after-dispatch")


async def test_restarting_anywhere_in_the_season_loses_nothing_and_repeats_nothing(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    reference = await uninterrupted(tmp_path_factory)
    restarted = await play_season(tmp_path / "season.db", often, restart_before_each_message=True)
    assert restarted.restarts > len(DUE_INSTANTS)  # once at each due instant, and more
    # Many of those restarts threw away a process with enqueued rows it had not sent.
    assert restarted.pending_at_restart > len(reference.log) // 2
    # The same messages, each once, at the same instants as when the bot never stopped.
    assert restarted.stamped() == reference.stamped()
    assert sorted((d.key, d.message) for d in restarted.log) == sorted(
        (d.key, d.message) for d in reference.log
    )
    assert max(Counter(d.key for d in restarted.log).values()) == 1


async def test_a_crash_between_send_and_commit_resends_that_one_message_only(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The accepted at-least-once window.

    The dispatcher commits a row as sent only after the platform accepted it. If the process
    dies in between (here: the adapter returns from the platform, then CancelledError, as when
    the event loop is torn down), the row is still pending and claimed on restart; once its
    lease runs out (LEASE), that one message is delivered a second time, if still useful. The
    window is one send per chat in flight (a few per process),
    and a reader may see such a message twice; it is never lost. Nothing else is repeated:
    other rows were committed one by one, each in its own transaction.
    """
    reference = await uninterrupted(tmp_path_factory)

    def brians_last_reminder_of_meeting_1(message: Outbound) -> bool:
        return (
            message.address.chat_id == "brian"
            and (message.idempotency_key or "").startswith("reminder|")
            and f"|60m@{PLANNED[1]:%Y%m%dT%H%MZ}" in (message.idempotency_key or "")
        )

    dying: list[DiesAfterSending] = []

    def adapter(clock: FakeClock) -> Recorder:
        dying.append(DiesAfterSending(clock, brians_last_reminder_of_meeting_1))
        return dying[0]

    crashed = await play_season(tmp_path / "season.db", adapter=adapter)
    assert crashed.restarts == 1
    died_with = dying[0].died_with
    assert died_with is not None and died_with.idempotency_key is not None
    extra = crashed.stamped() - reference.stamped()
    [(key, again)] = extra.elements()
    assert key == died_with.idempotency_key
    # Not before the dead process's lease ran out, and before the meeting (still useful).
    assert PLANNED[1] - HOUR + LEASE <= again < PLANNED[1]
    assert reference.stamped() - crashed.stamped() == Counter()  # nothing lost
    twice = [key for key, n in Counter(d.key for d in crashed.log).items() if n > 1]
    assert twice == [died_with.idempotency_key]


# -- 3. a stop of several hours -------------------------------------------------------------------

# (stopped at, started again at): the bot is down in between, while things fall due.
STOPS = [
    # 8 h over meeting 1's check-in (14:00 UTC): it goes out on restart.
    (datetime(2026, 10, 21, 11, 0, tzinfo=UTC), datetime(2026, 10, 21, 19, 0, tzinfo=UTC)),
    # Over both of meeting 2's reminders (Oct 26 22:00 and Oct 27 21:00 UTC), back up 30 min
    # before it starts: only the closest (1 h) reminder goes.
    (datetime(2026, 10, 26, 21, 0, tzinfo=UTC), datetime(2026, 10, 27, 21, 30, tzinfo=UTC)),
    # Over meeting 3 itself (Nov 3 23:00 UTC) and its check-in (Nov 4 15:00 UTC): no late
    # reminder nor digest for a meeting that has started, but the check-in goes.
    (datetime(2026, 11, 2, 22, 0, tzinfo=UTC), datetime(2026, 11, 4, 16, 0, tzinfo=UTC)),
]
STOPS_END = datetime(2026, 11, 5, 0, 0, tzinfo=UTC)


def with_stops(steps: list[datetime]) -> list[datetime]:
    up = [t for t in steps if not any(down < t < back for down, back in STOPS)]
    return sorted({*up, *(instant for stop in STOPS for instant in stop)})


def down_at_stops(step: int, instant: datetime, where: str) -> bool:
    # The clock jumps over the stop: stopping here and starting at its end is one restart.
    return where == "after-dispatch" and any(instant == down for down, _ in STOPS)


async def test_after_a_stop_what_fell_due_goes_out_but_no_late_or_stacked_reminders(
    tmp_path: Path,
) -> None:
    steps = with_stops(timeline(START, STOPS_END, interesting_instants()))
    played = await play_season(
        tmp_path / "season.db", down_at_stops, script={START: open_circle}, steps=steps
    )
    assert played.restarts == len(STOPS)
    by_kind = played.by_kind()
    learners = sorted(name.casefold() for name in LEARNERS)
    assert max(Counter(d.key for d in played.log).values()) == 1

    def of_meeting(kind: str, number: int) -> list[tuple[str, datetime, str]]:
        return sorted(
            (d.to, d.at, d.occurrence) for d in by_kind[kind] if played.number(d) == number
        )

    # Meeting 1, bot up: both reminders on time. Its check-in fell due during the first stop
    # and goes out when the bot is back.
    assert [(to, at) for to, at, _ in of_meeting("reminder", 1)] == sorted(
        (learner, PLANNED[1] - offset) for learner in learners for offset in (DAY, HOUR)
    )
    back = STOPS[0][1]
    assert [(to, at) for to, at, _ in of_meeting("checkin", 1)] == [(n, back) for n in learners]

    # Meeting 2: both reminders fell due while down; on restart only the 1 h one, once.
    back = STOPS[1][1]
    stamp = f"@{PLANNED[2]:%Y%m%dT%H%MZ}"
    assert of_meeting("reminder", 2) == [(n, back, "60m" + stamp) for n in learners]
    for delivery in by_kind["reminder"]:
        if played.number(delivery) == 2:  # the 1 h one, on the day: "today" (G3, C8)
            assert "today at 6:00 PM" in delivery.message.text
    # The digest is still useful before the meeting: it goes late, once.
    assert [(to, at) for to, at, _ in of_meeting("digest", 2)] == [("amina", back)]

    # Meeting 3 started while down: nothing about it beforehand, but its check-in goes.
    back = STOPS[2][1]
    assert of_meeting("reminder", 3) == []
    assert of_meeting("digest", 3) == []
    assert [(to, at) for to, at, _ in of_meeting("checkin", 3)] == [(n, back) for n in learners]
