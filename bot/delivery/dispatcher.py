"""The outbox dispatcher: every message leaves through here, replies included.

A run claims due rows (a lease: `claimed_until`, set in one short statement), sends them with no
transaction open, and records each outcome in a short transaction of its own. A second process
never takes a claimed row; if the sender dies, the lease runs out and another sends it. Delivery
is at least once only across a process's death between a send and its record: a record the
database could not take (down, locked) is kept in memory and written when it answers again,
and meanwhile the row stays claimed, so nobody sends it twice.

Fairness: each chat offers at most WINDOW_PER_CHAT rows per run, oldest first, so a backlog to
one chat (paced at one a second) never holds the rest back; rows are taken by priority (replies,
then reminders and check-ins, then the rest, then bulk), then by due time. Rows to one chat go
out in the order they were written: a row waits while an earlier row to its chat is retrying or
being sent. A run reads a bounded number of chats, the first to fall due for each priority and
platform, however long the queue (README, Performance).

Rates are budgets shared by every process (bot/delivery/budget.py): overall, per chat and per
group, counted in API calls. A platform's retry-after pauses every sender to it. Other failures
back off (with jitter, at most MAX_BACKOFF_SECONDS) and trip the platform's circuit after a few
in a row: sending to it pauses, one probe goes out now and then, and when one gets through the
rows waiting on it are due again. Failures burn no rows: a row waits until it stops being
useful (`useful_until`: a reminder until its meeting starts) and then dies "expired". A
permanent refusal (blocked bot, opted-out number) kills the row, and the others waiting for
that chat, at once, and marks the account so people.preferred_account() stops choosing it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    FromClause,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    tuple_,
    union_all,
    update,
)
from sqlalchemy import select as select_columns
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import Clock
from bot.chat.contract import Adapter, PermanentDeliveryError, RetryLater
from bot.chat.i18n import Catalogs
from bot.chat.messages import Outbound
from bot.chat.platforms import Platform, RateLimit
from bot.chat.quiet import QuietLog
from bot.chat.redaction import scrub
from bot.chat.rendering import fit
from bot.delivery import combining, outbox, statuses
from bot.delivery.budget import Budget, MemoryBudget
from bot.delivery.kinds import Priority
from bot.storage.database import reading, unavailable
from bot.storage.models import Account, OutboxMessage, OutboxReceipt, OutboxStatus

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0  # a row failing through an outage is tried at least every 5 min
LEASE = timedelta(minutes=2)  # how long a claimed row is its sender's
WINDOW_PER_CHAT = 3  # rows one chat may offer per run
# A run looks at this many chats per row it takes, at most, for each priority and platform:
# the first to fall due (chats held up or in flight among them take places too).
CHATS_WALKED = 4
# Of a platform's stated rates, the share we use: sends land a little late or early (network,
# a busy process), and a burst over the limit costs a 429 and a pause for everyone. A chat's
# rate is small (one a second): a tenth off costs little there.
PACE = 0.96
CHAT_PACE = 0.9
# A reply waits this long at most for its turn before it is left to the dispatcher.
REPLY_MAX_WAIT = 2.0
# Replies one chat may get at once, ahead of its rate, before the rest are spaced out.
REPLY_BURST = 2
# How many times a send whose platform turn came too late takes a new one, at most.
LATE_TURNS_RETAKEN = 2
# A reply being sent holds other messages to its platform back for this long (the next reply
# renews it), so a burst of people writing is answered before announcements go on.
REPLIES_HOLD_SECONDS = 0.5
# The dispatcher waits this long at most for a row's turn (more than a group's turn for a text
# and its file); further off (a platform's retry-after), the row is left for a later run rather
# than held, with its lease and a place among the sends in flight.
DISPATCH_MAX_WAIT = 10.0

# A platform no adapter has described is written to slowly rather than risk a ban. (Each
# adapter declares its own limit in its description: see bot.chat.platforms.)
FALLBACK_LIMIT = RateLimit(5, 1, 2)


class Failure(StrEnum):
    """Why a dead row died (OutboxMessage.failure)."""

    PERMANENT = "permanent"  # refused for good: blocked, opted out, no such chat
    EXPIRED = "expired"  # no longer worth sending
    UNRENDERABLE = "unrenderable"
    TRANSIENT = "transient"  # given up on by hand, or before this column existed: revivable


class Throttle:
    """Send rates and concurrency bounds. Keep one per process (Core does): its bounds on sends in
    flight are this process's; its rates are the shared budget's, which every process obeys."""

    def __init__(
        self,
        limits: Mapping[str, RateLimit] | None = None,
        concurrency: int = 8,
        budget: Budget | None = None,
    ) -> None:
        self.limits: dict[str, RateLimit] = dict(limits or {})
        self.budget: Budget = budget or MemoryBudget()
        self._everything = asyncio.Semaphore(concurrency)
        self._slots: dict[str, asyncio.Semaphore] = {}

    @classmethod
    def of(
        cls, platforms: Iterable[Platform], concurrency: int = 8, budget: Budget | None = None
    ) -> Throttle:
        """The limits the platforms' adapters declare; `concurrency` bounds all sends at once."""
        return cls({platform.name: platform.limit for platform in platforms}, concurrency, budget)

    def limit_for(self, platform: str) -> RateLimit:
        return self.limits.get(platform, FALLBACK_LIMIT)

    @asynccontextmanager
    async def slot(self, platform: str) -> AsyncIterator[None]:
        """A place among the sends in flight (the platform's bound, then the overall one)."""
        if platform not in self._slots:
            self._slots[platform] = asyncio.Semaphore(self.limit_for(platform).concurrency)
        # The platform's own bound first, so a busy platform does not hold overall places.
        async with self._slots[platform], self._everything:
            yield

    async def before_send(
        self,
        platform: str,
        chat_id: str,
        calls: int = 1,
        max_wait: float = math.inf,
        *,
        reply: bool = False,
    ) -> bool:
        """Wait for the turn of `calls` API calls to this chat on this platform: the chat's, the
        group's, then the platform's. False, having waited for nothing more, when a turn is
        further off than `max_wait`. Call immediately before sending.

        Replies go first: while any process is sending replies to a platform (`reply`), other
        messages to it wait (up to `max_wait`) before taking a turn."""
        limit = self.limit_for(platform)
        replying = f"{platform}:replying"
        if reply:
            await self.budget.pause(replying, REPLIES_HOLD_SECONDS)
        else:
            waited = 0.0
            while (held := await self.budget.held(replying)) > 0:
                if waited + held > max_wait:
                    return False
                await asyncio.sleep(held)
                waited += held
        turns: list[tuple[str, float]] = []
        if limit.per_chat_per_second is not None:
            chat = 1 / (limit.per_chat_per_second * CHAT_PACE)
            turns.append((f"{platform}:chat:{chat_id}", chat))
        if limit.per_group_per_minute is not None and limit.is_group(chat_id):
            group = 60 / (limit.per_group_per_minute * CHAT_PACE)
            turns.append((f"{platform}:group:{chat_id}", group))
        # Last, so the platform's turn is taken only once the chat's has come. Taken with no
        # overall limit too (a zero interval): a platform's retry-after holds all the same.
        overall = limit.overall_per_second
        turns.append((platform, 0.0 if math.isinf(overall) else 1 / (overall * PACE)))
        waited = 0.0
        for index, (key, interval) in enumerate(turns):
            # A conversation may run ahead of a chat's rate by a few replies (platforms allow a
            # short burst in one chat); never of the platform's.
            ahead = REPLY_BURST * interval if reply and index < len(turns) - 1 else 0.0
            for _ in range(LATE_TURNS_RETAKEN + 1):
                asked = time.monotonic()
                wait = await self.budget.reserve(key, interval, calls, max_wait, burst=ahead)
                if wait is None:
                    return False
                if wait > 0:
                    await asyncio.sleep(wait)
                # A process that stalled (a busy CPU) wakes after its turn has passed: sending
                # now would bunch with the turns after it. The platform's turn is taken again.
                late = time.monotonic() - asked - wait
                if index < len(turns) - 1 or late <= interval / 2:
                    break
            waited = wait or 0.0
        if waited > 0.005:
            # The platform's turn kept this send waiting after the chat's came: the chat's
            # spacing counts from the real send, or the next one to it would come too soon.
            for key, interval in turns[:-1]:
                await self.budget.pause(key, calls * interval)
        return True

    async def hold(self, platform: str, seconds: float) -> None:
        """The platform said to wait: no process sends to it sooner."""
        await self.budget.pause(platform, seconds)


class Circuit:
    """Each platform's health, as this process sees its sends: closed (sending), open (paused
    after FAILURES_TO_OPEN failures in a row; no sends until a probe is due) or probing (one
    row goes out; its fate closes or reopens the circuit, for twice as long)."""

    FAILURES_TO_OPEN = 5
    FIRST_PAUSE = 5.0
    LONGEST_PAUSE = 60.0

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._failures: Counter[str] = Counter()
        self._open_until: dict[str, float] = {}
        self._pause: dict[str, float] = {}
        self._probing: set[str] = set()

    def closed(self, platform: str) -> bool:
        """Sending as usual (no pause, no probe out); asking changes nothing."""
        return platform not in self._open_until and platform not in self._probing

    def state(self, platform: str) -> str:
        if platform in self._probing:
            return "probing"
        if platform in self._open_until:
            return "paused"
        return "up"

    def allows(self, platform: str) -> int | None:
        """How many rows may go to `platform` now: None for no bound, 1 for a probe, 0 for
        none."""
        if platform in self._probing:
            return 0  # the probe is out
        until = self._open_until.get(platform)
        if until is None:
            return None
        if self._now() < until:
            return 0
        self._probing.add(platform)
        return 1

    def succeeded(self, platform: str) -> bool:
        """A send got through. True when that ends a pause (rows waiting on it are due now)."""
        self._failures[platform] = 0
        self._probing.discard(platform)
        self._pause.pop(platform, None)
        return self._open_until.pop(platform, None) is not None

    def failed(self, platform: str) -> bool:
        """A send failed (not a rate limit, not a refusal). True when this opens the circuit."""
        self._failures[platform] += 1
        probing = platform in self._probing
        self._probing.discard(platform)
        if not probing and platform in self._open_until:
            return False  # a send that was already in flight when the circuit opened
        if not probing and self._failures[platform] < self.FAILURES_TO_OPEN:
            return False
        pause = min(self._pause.get(platform, self.FIRST_PAUSE / 2) * 2, self.LONGEST_PAUSE)
        self._pause[platform] = pause
        self._open_until[platform] = self._now() + pause
        return not probing

    def probe_done(self, platform: str) -> None:
        """The probe was not sent after all (nothing due, a rate limit): the next run probes."""
        self._probing.discard(platform)


def backoff_seconds(attempts: int, rng: random.Random) -> float:
    """The wait after a failed attempt: 2**attempts seconds (capped), times 1 to 1.5 at random
    so rows that failed together do not all come back together."""
    base = min(2.0 ** min(attempts, 30), MAX_BACKOFF_SECONDS)
    return base * (1 + 0.5 * rng.random())


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # failed this time, tried again later
    DEAD = "dead"
    SKIPPED = "skipped"  # left for later: the chat's turn is too far off, or its platform paused


@dataclass(frozen=True)
class DispatchSummary:
    sent: int = 0
    retry: int = 0
    dead: int = 0
    skipped: int = 0


@dataclass
class _Result:
    """What happened to one claimed row, to be recorded."""

    row_id: int
    platform: str
    chat_id: str
    outcome: Outcome
    parts_sent: int
    receipts: list[tuple[int, str]] = field(default_factory=list)  # (part, platform's id)
    error: str | None = None
    retry_at: datetime | None = None
    failure: Failure | None = None
    refusal: PermanentDeliveryError | None = None
    when: datetime | None = None
    set_aside: bool = False  # waits for its chat (RetryLater.set_aside), holding up nothing
    billed: int = 0  # parts the platform billed by themselves (Receipt.billed)
    # A combined text half sent (bot.delivery.combining): the carrier's payload from now on.
    payload: dict[str, Any] | None = None


def _claimable(now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
    return or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) <= now)


def _ready(row: FromClause, now: BindParameter[datetime]) -> ColumnElement[bool]:
    """Due and claimed by nobody: `row`'s columns, whatever alias it goes by."""
    claimed_until = row.c.claimed_until
    return and_(row.c.next_attempt_at <= now, or_(claimed_until.is_(None), claimed_until <= now))


def _holding(row: FromClause, now: BindParameter[datetime]) -> ColumnElement[bool]:
    """A row waiting to retry or being sent: the later rows to its chat must wait for it, so a
    chat reads its messages in order. A first attempt scheduled for later holds nothing up."""
    return or_(and_(row.c.attempts > 0, row.c.next_attempt_at > now), row.c.claimed_until > now)


_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_NOW: BindParameter[datetime] = bindparam("now")


def _next_due(priority: Any, platform: Any, after: tuple[Any, Any] | None) -> Any:
    """The id of the first row ready of that priority and platform, by due time then chat,
    after `after` (a due time and a chat): one descent of ix_outbox_claim, which skips the rest
    of that chat's rows due at the same time (a backlog to one group is one step)."""
    ahead = _OUTBOX.alias("ahead")
    query = select_columns(ahead.c.id).where(
        ahead.c.status == OutboxStatus.PENDING,
        ahead.c.priority == priority,
        ahead.c.platform == platform,
        _ready(ahead, _NOW),
    )
    if after is not None:
        query = query.where(tuple_(ahead.c.next_attempt_at, ahead.c.chat_id) > tuple_(*after))
    return query.order_by(ahead.c.next_attempt_at, ahead.c.chat_id).limit(1).scalar_subquery()


def _chats_due(platforms: int) -> CTE:
    """For each priority and platform, the first `steps` chats with a row ready, in the order
    they fell due: a walk of ix_outbox_claim, a chat a step (a recursive CTE: no LATERAL, which
    SQLite lacks)."""
    seed = _OUTBOX.alias("seed")
    firsts = [
        select_columns(_next_due(int(priority), bindparam(f"platform_{n}"), None))
        for priority in Priority
        for n in range(platforms)
    ]
    walk = (
        select_columns(
            seed.c.priority,
            seed.c.platform,
            seed.c.next_attempt_at.label("due"),
            seed.c.chat_id,
            literal_column("1", Integer).label("step"),
        )
        .where(seed.c.id.in_(union_all(*firsts)))
        .cte("walk", recursive=True)
    )
    found = _OUTBOX.alias("found")
    after = (walk.c.due, walk.c.chat_id)
    walk = walk.union_all(
        select_columns(
            found.c.priority,
            found.c.platform,
            found.c.next_attempt_at,
            found.c.chat_id,
            walk.c.step + 1,
        )
        .select_from(
            walk.join(found, found.c.id == _next_due(walk.c.priority, walk.c.platform, after))
        )
        .where(walk.c.step < bindparam("steps", type_=Integer))
    )
    return select_columns(walk.c.platform, walk.c.chat_id).distinct().cte("chats")


def _head(chats: CTE, place: int) -> Select[Any]:
    """Each chat's place-th row ready or holding it up, in the order they were written
    (ix_outbox_chat_queue): the rows a pass over its whole queue would have numbered so."""
    queue = _OUTBOX.alias("queue")
    row = (
        select_columns(queue.c.id)
        .where(
            queue.c.platform == chats.c.platform,
            queue.c.chat_id == chats.c.chat_id,
            queue.c.status == OutboxStatus.PENDING,
            or_(_ready(queue, _NOW), _holding(queue, _NOW)),
        )
        .order_by(queue.c.id)
        .limit(1)
        .offset(place - 1)
        .scalar_subquery()
    )
    place_column = literal_column(str(place), Integer).label("place")
    return select_columns(row.label("id"), place_column).select_from(chats)


def _choosing(platforms: int) -> Select[int, str, str, int]:
    """Each chat's first WINDOW_PER_CHAT due rows, not held up, the most urgent `batch`, among
    the chats _chats_due finds: a bounded read however long the queue (reading every pending
    row took 2-4 s a run at 1,000,000 queued: README, Performance)."""
    chats = _chats_due(platforms)
    places = range(1, WINDOW_PER_CHAT + 1)
    heads = union_all(*(_head(chats, place) for place in places)).subquery()
    row = _OUTBOX.alias("queued")
    window = (
        select_columns(
            row.c.id,
            row.c.platform,
            row.c.chat_id,
            row.c.priority,
            row.c.next_attempt_at,
            heads.c.place,
            # A ready row goes if no row holding its chat up came before it.
            func.sum(case((_holding(row, _NOW), 1), else_=0))
            .over(partition_by=(row.c.platform, row.c.chat_id), order_by=heads.c.place)
            .label("held"),
        )
        .select_from(heads.join(row, row.c.id == heads.c.id))
        .subquery()
    )
    return (
        select_columns(window.c.id, window.c.platform, window.c.chat_id, window.c.place)
        .where(window.c.held == 0)
        # Each chat's first row before anyone's second: no chat waits on another.
        .order_by(window.c.priority, window.c.place, window.c.next_attempt_at, window.c.id)
        .limit(bindparam("batch", type_=Integer))
    )


# The claim's statements are built once, with bound parameters for what varies (the time, the
# platforms, the ids): built per call, SQLAlchemy walked the window query to key its cache each
# time: about a third of the CPU of an inbound /next (issue 18). One per number of platforms.
_CHOOSE: dict[int, Select[int, str, str, int]] = {}


def _choose_statement(platforms: int) -> Select[int, str, str, int]:
    if platforms not in _CHOOSE:
        _CHOOSE[platforms] = _choosing(platforms)
    return _CHOOSE[platforms]


# Whether any row at all is ready (ix_outbox_due): most runs, one after each message in
# a chat, find none, and this costs a fraction of the claim's walk (issue 18).
_ANY_READY = (
    select_columns(_OUTBOX.c.id)
    .where(_OUTBOX.c.status == OutboxStatus.PENDING, _ready(_OUTBOX, _NOW))
    .limit(1)
)

# The WHERE is checked again under the row's lock: of two processes, one claims it.
_LEASE = (
    update(OutboxMessage)
    .where(
        col(OutboxMessage.id).in_(bindparam("ids", expanding=True)),
        col(OutboxMessage.status) == OutboxStatus.PENDING,
        _claimable(bindparam("now")),
    )
    .values(claimed_until=bindparam("until"), attempts=col(OutboxMessage.attempts) + 1)
    .returning(col(OutboxMessage.id))
)
_LEASED = select(OutboxMessage).where(col(OutboxMessage.id).in_(bindparam("ids", expanding=True)))


class Dispatcher:
    """The outbox's sender for one process (Core keeps one): the throttle, each platform's
    circuit, and the outcomes the database could not take yet."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        catalogs: Catalogs,
        throttle: Throttle | None = None,
        rng: random.Random | None = None,
        circuit: Circuit | None = None,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.catalogs = catalogs
        self.throttle = throttle or Throttle()
        self.rng = rng or random.Random()  # jitter needs no seed: it only spreads retries out
        # The pauses protect a real platform, so they last real seconds: in a rehearsal the
        # clock's seconds divided by its speed (a fake clock, at speed 1, still moves them on).
        self.circuit = circuit or Circuit(lambda: clock.now().timestamp() / clock.speed)
        self.quiet = QuietLog(log)
        # Outcomes sent but not yet recorded (the database failed): their rows stay claimed.
        self._unrecorded: dict[int, _Result] = {}
        self._expired_at: datetime | None = None

    @property
    def unrecorded(self) -> int:
        return len(self._unrecorded)

    # -- a run ---------------------------------------------------------------------------

    async def run(self, adapters: Mapping[str, Adapter], batch: int = 50) -> DispatchSummary:
        """Send what is due on the platforms we have an adapter for: one batch."""
        rows = await self._take(adapters, batch)
        return await self._send_all(rows, adapters, DISPATCH_MAX_WAIT)

    async def drain(
        self, adapters: Mapping[str, Adapter], batch: int = 50, seconds: float = 30.0
    ) -> DispatchSummary:
        """Batch after batch while each comes full (a backlog), for `seconds` at most. The next
        batch is taken while the last is still sending, so the platform's turns never go
        unused between them; a chat's later rows wait behind its claimed ones all the same."""
        loop = asyncio.get_running_loop()
        began = loop.time()
        tally: Counter[str] = Counter()
        sending: set[asyncio.Task[DispatchSummary]] = set()
        more = True
        try:
            while more or sending:
                if more and len(sending) < 2:
                    rows = await self._take(adapters, batch)
                    more = len(rows) == batch and loop.time() - began < seconds
                    if rows:
                        job = self._send_all(rows, adapters, DISPATCH_MAX_WAIT)
                        sending.add(asyncio.create_task(job))
                    if more and len(sending) < 2:
                        continue
                if not sending:
                    break
                done, sending = await asyncio.wait(sending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    summary = task.result()
                    tally.update(sent=summary.sent, retry=summary.retry)
                    tally.update(dead=summary.dead, skipped=summary.skipped)
        finally:
            for task in sending:
                task.cancel()
        return DispatchSummary(tally["sent"], tally["retry"], tally["dead"], tally["skipped"])

    async def _take(self, adapters: Mapping[str, Adapter], batch: int) -> list[OutboxMessage]:
        """Claim the next batch (none while outcomes wait for the database)."""
        if not await self.flush():
            return []  # the database still fails: nothing new goes out
        now = self.clock.now()
        await self._expire(now)
        bounds = {name: self.circuit.allows(name) for name in adapters}
        open_platforms = [name for name, bound in bounds.items() if bound != 0]
        if not open_platforms:
            return []
        rows = await self._claim(open_platforms, bounds, now, batch)
        for name, bound in bounds.items():
            if bound == 1 and not any(row.platform == name for row in rows):
                self.circuit.probe_done(name)
        return rows

    async def send_now(
        self, rows: Sequence[OutboxMessage], adapters: Mapping[str, Adapter]
    ) -> DispatchSummary:
        """Send rows already claimed (replies, stored as they were made), each if its turn
        comes within REPLY_MAX_WAIT; the others are released to the dispatcher."""
        usable = [row for row in rows if row.platform in adapters]
        paused = [row for row in usable if not self.circuit.closed(row.platform)]
        sending = [row for row in usable if row not in paused]
        if paused or len(usable) < len(rows):
            await self._release([row for row in rows if row not in sending])
        return await self._send_all(sending, adapters, REPLY_MAX_WAIT)

    async def _send_all(
        self, rows: Sequence[OutboxMessage], adapters: Mapping[str, Adapter], max_wait: float
    ) -> DispatchSummary:
        chats: dict[tuple[str, str], list[OutboxMessage]] = {}
        for row in rows:
            chats.setdefault((row.platform, row.chat_id), []).append(row)
        results = await asyncio.gather(
            *(self._send_chat(queue, adapters, max_wait) for queue in chats.values()),
            return_exceptions=True,
        )
        tally: Counter[Outcome] = Counter()
        failures: list[BaseException] = []
        for result in results:
            if isinstance(result, BaseException):
                failures.append(result)
            else:
                tally.update(result)
        if failures:  # the other chats were still served; the caller hears of the first failure
            raise failures[0]
        return DispatchSummary(
            sent=tally[Outcome.SENT],
            retry=tally[Outcome.RETRY],
            dead=tally[Outcome.DEAD],
            skipped=tally[Outcome.SKIPPED],
        )

    async def _send_chat(
        self, queue: list[OutboxMessage], adapters: Mapping[str, Adapter], max_wait: float
    ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        queue = sorted(queue, key=lambda row: row.id or 0)  # the order they were written
        adapter = adapters[queue[0].platform]
        # Several due together to one phone go as one text where that costs no more.
        texts = combining.groups(queue, adapter.capabilities, self.catalogs)
        for index, rows in enumerate(texts):
            async with self.throttle.slot(rows[0].platform):
                results = await self._send_text(rows, adapter, max_wait)
                result = results[0]
                if result.outcome is not Outcome.SKIPPED:
                    # Inside the slot: with one slot, sends and their records take turns in
                    # the order the chats came, so a run is repeatable (the demo's transcript).
                    for each in results:
                        await self._record(each)
            outcomes.extend(each.outcome for each in results)
            if result.outcome is Outcome.SKIPPED:
                await self._release([row for text in texts[index:] for row in text])
                break
            if result.set_aside:
                continue  # nothing waits behind a row set aside for its chat
            if result.outcome is Outcome.RETRY or result.refusal is not None:
                rest = [row for text in texts[index + 1 :] for row in text]
                if result.refusal is None:
                    await self._release(rest)  # they wait behind this one
                outcomes.extend(Outcome.SKIPPED for _ in rest)
                break
        return outcomes

    async def _send_text(
        self, rows: list[OutboxMessage], adapter: Adapter, max_wait: float
    ) -> list[_Result]:
        """One text: a row, or several combined (bot.delivery.combining) sent as the first;
        the others' outcome is its own. Half sent, the first row carries the others' words
        from then on, and they are done: the rest of that text follows, never theirs again."""
        if len(rows) == 1:
            return [await self._send_row(rows[0], adapter, max_wait)]
        carrier = await self._send_row(rows[0], adapter, max_wait, combining.message(rows))
        half_sent = carrier.outcome is Outcome.RETRY and carrier.parts_sent > 0
        if half_sent:
            carrier.payload = combining.payload(rows)
        carried = [
            _Result(
                row.id or 0,
                row.platform,
                row.chat_id,
                Outcome.SENT if half_sent else carrier.outcome,
                0,  # its words went in the carrier's parts
                error=None if half_sent else carrier.error,
                retry_at=carrier.retry_at,
                failure=carrier.failure,
                when=carrier.when or (self.clock.now() if half_sent else None),
                set_aside=carrier.set_aside,
            )
            for row in rows[1:]
        ]
        return [carrier, *carried]

    async def _send_row(
        self,
        row: OutboxMessage,
        adapter: Adapter,
        max_wait: float,
        message: Outbound | None = None,
    ) -> _Result:
        """Send `row`, or `message` in its place (rows combined: _send_text)."""
        assert row.id is not None
        result = _Result(row.id, row.platform, row.chat_id, Outcome.SENT, row.parts_sent)
        tr = self.catalogs.translator(row.payload.get("locale"))
        try:
            parts = fit(message or outbox.to_outbound(row), adapter.capabilities, tr)
        except (KeyError, TypeError, ValueError) as error:  # a row no adapter could ever send
            log.error("outbox row %s cannot be rendered: %s", row.id, error)
            return self._dead(result, str(error) or type(error).__name__, Failure.UNRENDERABLE)
        limit = self.throttle.limit_for(row.platform)
        try:
            for part in parts[row.parts_sent :]:
                calls = limit.calls(bool(part.text.strip()), len(part.attachments))
                ready = await self.throttle.before_send(
                    row.platform, row.chat_id, calls, max_wait, reply=row.priority == Priority.REPLY
                )
                if not ready:
                    if result.parts_sent == row.parts_sent:
                        result.outcome = Outcome.SKIPPED
                        return result
                    # Some parts went: record them; the rest follow as soon as may be.
                    result.outcome = Outcome.RETRY
                    result.retry_at = self.clock.now()
                    return result
                receipt = await adapter.send(part)
                result.billed += int(receipt.billed)
                if receipt.platform_message_id:
                    # Each part's own id: a delivery report names one part, not the message.
                    result.receipts.append((result.parts_sent, receipt.platform_message_id))
                result.parts_sent += 1
        except RetryLater as error:
            self.circuit.probe_done(row.platform)  # it answered, if only to say "slower"
            if error.set_aside:  # this chat cannot take it yet: nothing else waits
                result.set_aside = True
                # The chat's own time (its window to write back), not the platform's pace.
                return self._retry(result, error.retry_after, str(error), real=False)
            await self.throttle.hold(row.platform, error.retry_after)
            # Never before the platform's time; the jitter only adds, to spread a crowd out.
            delay = error.retry_after + self.rng.random()
            self.quiet.warning(f"{row.platform}: rate limited", "%s", error)
            return self._retry(result, delay, str(error))
        except PermanentDeliveryError as error:
            if self.circuit.succeeded(row.platform):  # it answered: the platform is up
                await self._resume(row.platform)
            result.refusal = error
            return self._dead(result, str(error) or type(error).__name__, Failure.PERMANENT)
        except Exception as error:  # a platform failure must not stop the other rows
            reason = str(error) or type(error).__name__
            kind = f"{row.platform}: {type(error).__name__}"
            self.quiet.warning(kind, "send failed: %s", scrub(reason))
            if self.circuit.failed(row.platform):
                log.warning("%s: sends paused after repeated failures; probing", row.platform)
            return self._retry(result, backoff_seconds(row.attempts, self.rng), reason)
        if self.circuit.succeeded(row.platform):
            log.info("%s: sends resumed", row.platform)
            await self._resume(row.platform)
        result.when = self.clock.now()
        return result

    def _retry(self, result: _Result, delay: float, reason: str, real: bool = True) -> _Result:
        """Try the row again in `delay` seconds. A retry-after or a backoff spares a real
        platform, so unless not `real` they are real seconds (in a rehearsal, `speed` times as
        many on its clock)."""
        result.outcome = Outcome.RETRY
        result.error = reason[:500]
        seconds = delay * self.clock.speed if real else delay
        result.retry_at = self.clock.now() + timedelta(seconds=seconds)
        return result

    def _dead(self, result: _Result, reason: str, failure: Failure) -> _Result:
        result.outcome = Outcome.DEAD
        result.error = reason[:500]
        result.failure = failure
        log.warning("outbox row %s is dead (%s): %s", result.row_id, failure, scrub(reason[:200]))
        return result

    # -- the database's side ---------------------------------------------------------------

    async def _claim(
        self, platforms: list[str], bounds: Mapping[str, int | None], now: datetime, batch: int
    ) -> list[OutboxMessage]:
        """Take up to `batch` due rows, at most WINDOW_PER_CHAT per chat (a probing platform:
        one), most urgent first, and lease them to this process. Another process that chose
        the same rows a moment earlier gets them: then choose again, among what is left."""
        for _ in range(3):
            chosen = await self._choose(platforms, bounds, now, batch)
            if not chosen:
                return []
            claimed = await self._lease(chosen, now)
            if claimed:
                return claimed
        return []

    async def _choose(
        self, platforms: list[str], bounds: Mapping[str, int | None], now: datetime, batch: int
    ) -> list[int]:
        async with reading(self.sessions) as connection:
            if (await connection.execute(_ANY_READY, {"now": now})).first() is None:
                return []  # nothing due: the walk below would find nothing, at twice the cost
            values: dict[str, object] = {"now": now, "batch": batch, "steps": CHATS_WALKED * batch}
            values.update({f"platform_{n}": name for n, name in enumerate(platforms)})
            statement = _choose_statement(len(platforms))
            found = (await connection.execute(statement, values)).all()
        chosen: list[int] = []
        taken: Counter[str] = Counter()
        places: Counter[tuple[str, str]] = Counter()
        for row_id, platform, chat_id, at in sorted(found, key=lambda found: found[3]):
            bound = bounds.get(platform)
            if bound is not None and taken[platform] >= bound:
                continue
            if at != places[(platform, chat_id)] + 1:
                continue  # an earlier row of its chat was left out: it must not overtake it
            places[(platform, chat_id)] = at
            taken[platform] += 1
            chosen.append(row_id)
        return chosen

    async def _lease(self, chosen: list[int], now: datetime) -> list[OutboxMessage]:
        async with self.sessions() as session, session.begin():
            connection = await session.connection()
            until = now + LEASE * self.clock.speed
            claimed = await connection.execute(_LEASE, {"ids": chosen, "now": now, "until": until})
            ids = [row_id for (row_id,) in claimed.all()]
            if not ids:
                return []
            rows = list((await session.exec(_LEASED, params={"ids": ids})).all())
            rank = {row_id: place for place, row_id in enumerate(chosen)}
            rows.sort(key=lambda row: rank[row.id or 0])  # most urgent first, as chosen
            refusing = await _opted_out(session, rows)
            for row in [r for r in rows if (r.platform, r.chat_id) in refusing]:
                # Written before a STOP that came since.
                row.status = OutboxStatus.DEAD
                row.failure = Failure.PERMANENT
                row.last_error = "recipient opted out"
                row.claimed_until = None
                session.add(row)
        return [row for row in rows if (row.platform, row.chat_id) not in refusing]

    async def _record(self, result: _Result) -> None:
        """Write what became of a row; kept for later when the database cannot take it."""
        try:
            async with self.sessions() as session, session.begin():
                await self._write(session, result)
        except Exception as error:
            if not unavailable(error):
                raise
            self._unrecorded[result.row_id] = result
            self.quiet.warning("database", "an outcome waits for the database: %s", error)
            return
        if result.receipts:
            # Reports that came while the parts were being sent, kept until now (see statuses).
            try:
                async with self.sessions() as session, session.begin():
                    await statuses.settle_early(
                        session, result.platform, [receipt for _, receipt in result.receipts]
                    )
            except Exception as error:
                if not unavailable(error):
                    raise
                # Kept in the database: the next report or send for them settles them.

    async def flush(self) -> bool:
        """Record the outcomes kept while the database failed. False while it still fails."""
        for row_id, result in list(self._unrecorded.items()):
            try:
                async with self.sessions() as session, session.begin():
                    await self._write(session, result)
            except Exception as error:
                if not unavailable(error):
                    raise
                self.quiet.warning("database", "the database still fails: %s", error)
                return False
            del self._unrecorded[row_id]
        return True

    async def _write(self, session: AsyncSession, result: _Result) -> None:
        row = await session.get(OutboxMessage, result.row_id)
        if row is None:
            return  # deleted meanwhile (erased)
        for part, receipt in result.receipts:
            session.add(OutboxReceipt(outbox_id=result.row_id, part=part, receipt=receipt))
            row.receipt = receipt
        row.parts_sent = result.parts_sent
        row.claimed_until = None
        if result.payload is not None:
            row.payload = result.payload
        if result.billed:
            row.payload = {
                **row.payload,
                outbox.BILLED: int(row.payload.get(outbox.BILLED, 0)) + result.billed,
            }
        if result.outcome is Outcome.SENT:
            row.status = OutboxStatus.SENT
            row.sent_at = result.when or self.clock.now()
            row.last_error = None
        elif result.outcome is Outcome.RETRY:
            row.last_error = result.error
            assert result.retry_at is not None
            row.next_attempt_at = result.retry_at
            if result.set_aside:
                # As if never tried: the chat's later rows are not held up behind it (see
                # _holding), nor is it made due when the platform resumes (see _resume).
                row.attempts = 0
                other = await _elsewhere(session, row) if row.parts_sent == 0 else None
                if other is not None:  # the person can be reached there now: it goes there
                    row.platform, row.chat_id = other.platform, other.address
                    row.next_attempt_at = self.clock.now()
        elif result.outcome is Outcome.DEAD:
            row.status = OutboxStatus.DEAD
            row.last_error = result.error
            row.failure = result.failure
        session.add(row)
        if result.refusal is not None:
            await _refused(session, row, result.refusal)

    async def _release(self, rows: Sequence[OutboxMessage]) -> None:
        """Give back rows claimed but not tried: they are due again, their attempt not counted."""
        ids = [row.id for row in rows if row.id is not None and row.id not in self._unrecorded]
        if not ids:
            return
        try:
            async with self.sessions() as session, session.begin():
                await session.exec(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id).in_(ids))
                    .values(claimed_until=None, attempts=col(OutboxMessage.attempts) - 1)
                )
        except Exception as error:
            if not unavailable(error):
                raise
            # Their lease runs out by itself.

    async def _resume(self, platform: str) -> None:
        """The platform is back: rows that were waiting out its failures are due now."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            await session.exec(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.platform) == platform,
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                    col(OutboxMessage.attempts) > 0,
                    col(OutboxMessage.next_attempt_at) > now,
                    _claimable(now),
                )
                .values(next_attempt_at=now)
            )

    async def _expire(self, now: datetime) -> None:
        """Rows no longer worth sending die "expired" (at most every half minute)."""
        if self._expired_at is not None and now - self._expired_at < timedelta(seconds=30):
            return
        self._expired_at = now
        async with self.sessions() as session, session.begin():
            result = await session.exec(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                    col(OutboxMessage.useful_until) < now,
                    _claimable(now),
                )
                .values(
                    status=OutboxStatus.DEAD,
                    failure=Failure.EXPIRED,
                    claimed_until=None,
                    last_error="no longer useful: its time has passed",
                )
            )
        if result.rowcount:
            log.warning("%s outbox rows expired unsent", result.rowcount)


async def dispatch_due(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    adapters: Mapping[str, Adapter],
    batch: int = 50,
    *,
    throttle: Throttle | None = None,
    rng: random.Random | None = None,
) -> int:
    """One run of a dispatcher made for it. Returns how many rows were sent."""
    summary = await dispatch_batch(
        sessions, clock, catalogs, adapters, batch, throttle=throttle, rng=rng
    )
    return summary.sent


async def dispatch_batch(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    adapters: Mapping[str, Adapter],
    batch: int = 50,
    *,
    throttle: Throttle | None = None,
    rng: random.Random | None = None,
) -> DispatchSummary:
    """One run of a dispatcher made for it, and what became of each row it took. A process
    keeps one Dispatcher instead (Core does), so its circuits and kept outcomes last."""
    dispatcher = Dispatcher(sessions, clock, catalogs, throttle, rng)
    return await dispatcher.run(adapters, batch)


async def _opted_out(session: AsyncSession, rows: Sequence[OutboxMessage]) -> set[tuple[str, str]]:
    """The (platform, address) among the rows' whose account asked for no messages (SMS STOP)."""
    addresses = {row.chat_id for row in rows}
    found = await session.exec(
        select(Account.platform, Account.address).where(
            col(Account.address).in_(addresses), col(Account.opted_out).is_(True)
        )
    )
    return {(platform, address) for platform, address in found.all()}


async def _refused(
    session: AsyncSession, row: OutboxMessage, error: PermanentDeliveryError
) -> None:
    """The address refuses for good: the others waiting for that chat die too, and the account
    there is marked so people.preferred_account() stops choosing it."""
    mark = {"opted_out": True} if error.opted_out else {"reachable": False}
    await session.exec(
        update(Account)
        .where(col(Account.platform) == row.platform, col(Account.address) == row.chat_id)
        .values(**mark)
    )
    reason = str(error) or type(error).__name__
    await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.platform) == row.platform,
            col(OutboxMessage.chat_id) == row.chat_id,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.id) != row.id,
        )
        .values(
            status=OutboxStatus.DEAD,
            failure=Failure.PERMANENT,
            claimed_until=None,
            last_error=("recipient refused: " + reason)[:500],
        )
    )


async def _elsewhere(session: AsyncSession, row: OutboxMessage) -> Account | None:
    """Another account of the person a row set aside was for, on another platform, where they
    can be reached (their choice first, else the one they used last); None if they have none."""
    person = select(Account.person_id).where(
        Account.platform == row.platform, Account.address == row.chat_id
    )
    return (
        await session.exec(
            select(Account)
            .where(
                col(Account.person_id).in_(person.scalar_subquery()),
                Account.platform != row.platform,
                col(Account.reachable).is_(True),
                col(Account.opted_out).is_(False),
            )
            .order_by(col(Account.preferred).desc(), col(Account.last_seen_at).desc())
        )
    ).first()


async def wake(session: AsyncSession, platform: str, chat_id: str, now: datetime) -> int:
    """The rows set aside for this chat (RetryLater.set_aside) are due now: it wrote again."""
    result = await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.platform) == platform,
            col(OutboxMessage.chat_id) == chat_id,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.attempts) == 0,
            col(OutboxMessage.last_error).is_not(None),
            col(OutboxMessage.next_attempt_at) > now,
            _claimable(now),
        )
        .values(next_attempt_at=now)
    )
    return int(result.rowcount or 0)


async def revive(session: AsyncSession, now: datetime) -> int:
    """Dead rows that died of passing failures and are still useful: pending again, due now
    (`circlebot outbox revive`). Refused, expired and unrenderable rows stay dead."""
    result = await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status) == OutboxStatus.DEAD,
            or_(
                col(OutboxMessage.failure).is_(None),
                col(OutboxMessage.failure) == Failure.TRANSIENT,
            ),
            or_(col(OutboxMessage.useful_until).is_(None), col(OutboxMessage.useful_until) > now),
            ~col(OutboxMessage.last_error).startswith("recipient"),
        )
        .values(
            status=OutboxStatus.PENDING,
            failure=None,
            next_attempt_at=now,
            claimed_until=None,
            attempts=0,
        )
    )
    return int(result.rowcount or 0)


async def dead_rows(session: AsyncSession, limit: int | None = None) -> list[OutboxMessage]:
    """Messages given up on, newest first, with the reason in `last_error`."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.DEAD)
        .order_by(col(OutboxMessage.id).desc())
    )
    if limit is not None:
        statement = statement.limit(limit)
    return list((await session.exec(statement)).all())


async def outbox_counts(session: AsyncSession) -> dict[str, int]:
    """How many rows are pending, sent and dead (every status present, zero included)."""
    counts = {status.value: 0 for status in OutboxStatus}
    rows = await session.exec(
        select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))
    )
    for status, number in rows.all():
        counts[str(status)] = number
    return counts
