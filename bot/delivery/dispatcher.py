"""The outbox dispatcher: sends due rows through the adapter for each platform.

Each row is sent in its own short transaction, locked with SKIP LOCKED on PostgreSQL so a second
dispatcher takes other rows. The parts already delivered of a split message are counted, so a
retry resumes where it failed instead of repeating them. Delivery is at least once: a crash after
the platform accepted a message and before the commit sends that message (or part) again.

Rows to different chats go out concurrently, within per-platform rates (a leaky bucket per
platform, a minimum spacing per chat) and a bound on sends in flight. Rows to one chat go out in
the order they were written: a row waits while an earlier row to the same chat is due or waiting
to retry, in this process or another. A platform's retry-after is honoured; other failures back off
exponentially with jitter; a row is dead after MAX_ATTEMPTS. A permanent refusal (blocked bot,
opted-out number) kills the row, and the others waiting for that chat, at once, and marks the
account so people.preferred_account() stops choosing it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from aiolimiter import AsyncLimiter
from sqlalchemy import ColumnElement, and_, exists, func, or_, update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import Clock
from bot.chat.contract import Adapter, PermanentDeliveryError, RetryLater
from bot.chat.i18n import Catalogs
from bot.chat.platforms import Platform, RateLimit
from bot.chat.rendering import fit
from bot.delivery import outbox, statuses
from bot.storage.models import Account, OutboxMessage, OutboxReceipt, OutboxStatus

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF_SECONDS = 3600.0
PRUNE_CHATS_ABOVE = 1024  # chats free to write to again are forgotten past this many


# A platform no adapter has described is written to slowly rather than risk a ban. (Each
# adapter declares its own limit in its description: see bot.chat.platforms.)
FALLBACK_LIMIT = RateLimit(5, 1, 2)


class Throttle:
    """Send rates and concurrency bounds. Keep one per process (and event loop) so the limits
    hold across dispatcher runs.

    A platform's overall rate is an aiolimiter leaky bucket. A chat's rate is kept as the time of
    its last send: a token taken before waiting on the platform's bucket would age while it
    waited, and the chat could then see two messages closer together than its rate.
    """

    def __init__(self, limits: Mapping[str, RateLimit] | None = None, concurrency: int = 8) -> None:
        self.limits: dict[str, RateLimit] = dict(limits or {})
        self._everything = asyncio.Semaphore(concurrency)
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._overall: dict[str, AsyncLimiter] = {}
        # Per platform, per chat: the loop time from which the chat may be written to again.
        self._chat_free_at: dict[str, dict[str, float]] = {}

    @classmethod
    def of(cls, platforms: Iterable[Platform], concurrency: int = 8) -> Throttle:
        """The limits the platforms' adapters declare; `concurrency` bounds all sends at once."""
        return cls({platform.name: platform.limit for platform in platforms}, concurrency)

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

    async def before_send(self, platform: str, chat_id: str) -> None:
        """Wait until one more message may go to this chat on this platform; it counts as sent
        from now on, so call this immediately before sending."""
        limit = self.limit_for(platform)
        loop = asyncio.get_running_loop()
        chats = self._chat_free_at.setdefault(platform, {})
        if limit.per_chat_per_second is not None:
            delay = chats.get(chat_id, 0.0) - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        if not math.isinf(limit.overall_per_second):
            if platform not in self._overall:
                # A bucket of one: sends are evenly spaced, never a burst above the rate.
                self._overall[platform] = AsyncLimiter(1, 1 / limit.overall_per_second)
            await self._overall[platform].acquire()
        if limit.per_chat_per_second is not None:
            # Stamped after the platform's wait, not before it: the chat's spacing is measured
            # between real sends, however long the platform kept this one waiting.
            now = loop.time()
            if len(chats) >= PRUNE_CHATS_ABOVE:
                for idle in [chat for chat, free_at in chats.items() if free_at <= now]:
                    del chats[idle]
            chats[chat_id] = now + 1 / limit.per_chat_per_second


def backoff_seconds(attempts: int, rng: random.Random) -> float:
    """The wait after a failed attempt: 2**attempts seconds (capped), times 1 to 1.5 at random
    so rows that failed together do not all come back together."""
    base = min(2.0**attempts, MAX_BACKOFF_SECONDS)
    return base * (1 + 0.5 * rng.random())


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # failed this time, tried again later
    DEAD = "dead"
    SKIPPED = "skipped"  # taken by another dispatcher, or waiting behind an earlier row


@dataclass(frozen=True)
class DispatchSummary:
    sent: int = 0
    retry: int = 0
    dead: int = 0
    skipped: int = 0


def _due(clock: Clock, platforms: Sequence[str]) -> tuple[ColumnElement[bool], ...]:
    return (
        col(OutboxMessage.status) == OutboxStatus.PENDING,
        col(OutboxMessage.next_attempt_at) <= clock.now(),
        col(OutboxMessage.platform).in_(platforms),
    )


def _behind_earlier(clock: Clock, *, due_counts: bool) -> ColumnElement[bool]:
    """An earlier row to the same chat is waiting to retry (or, with `due_counts`, is due now):
    this row must wait for it, so a chat reads its messages in order. A first attempt scheduled
    for later does not hold anything up."""
    ahead = aliased(OutboxMessage)
    now = clock.now()
    retrying = and_(col(ahead.attempts) > 0, col(ahead.next_attempt_at) > now)
    holds = (
        or_(col(ahead.attempts) > 0, col(ahead.next_attempt_at) <= now) if due_counts else retrying
    )
    return exists().where(
        col(ahead.platform) == col(OutboxMessage.platform),
        col(ahead.chat_id) == col(OutboxMessage.chat_id),
        col(ahead.status) == OutboxStatus.PENDING,
        col(ahead.id) < col(OutboxMessage.id),
        holds,
    )


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
    """Send what is due on platforms we have an adapter for. Returns how many rows were sent."""
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
    """One dispatcher run, and what became of each row it looked at.

    `throttle` should live as long as the process (Core keeps one); without it every platform
    gets the slow fallback limit, within this run only.
    """
    if throttle is None:
        throttle = Throttle()
    rng = rng or random.Random()  # jitter needs no seed: it only spreads retries out
    async with sessions() as session:
        rows = (
            await session.exec(
                select(OutboxMessage.id, OutboxMessage.platform, OutboxMessage.chat_id)
                .where(*_due(clock, list(adapters)), ~_behind_earlier(clock, due_counts=False))
                .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
                .limit(batch)
            )
        ).all()
    chats: dict[tuple[str, str], list[int]] = {}
    for row_id, platform, chat_id in rows:
        if row_id is not None:
            chats.setdefault((platform, chat_id), []).append(row_id)

    async def send_chat(platform: str, chat_id: str, row_ids: list[int]) -> list[Outcome]:
        outcomes = []
        for row_id in sorted(row_ids):  # ids grow as rows are written: the order they were made
            async with throttle.slot(platform):
                outcome = await _deliver(sessions, clock, catalogs, adapters, row_id, throttle, rng)
            outcomes.append(outcome)
            if outcome in (Outcome.RETRY, Outcome.SKIPPED):
                break  # the rest of this chat waits for this row
        return outcomes

    results = await asyncio.gather(
        *(send_chat(platform, chat_id, ids) for (platform, chat_id), ids in chats.items()),
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


async def _deliver(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    adapters: Mapping[str, Adapter],
    row_id: int,
    throttle: Throttle,
    rng: random.Random,
) -> Outcome:
    accepted: list[tuple[str, str]] = []  # (platform, receipt) of each part sent
    outcome = await _send_row(sessions, clock, catalogs, adapters, row_id, throttle, rng, accepted)
    if accepted:
        # Reports that came while the parts were being sent, kept until now (see statuses).
        async with sessions() as session, session.begin():
            await statuses.settle_early(
                session, accepted[0][0], [receipt for _, receipt in accepted]
            )
    return outcome


async def _send_row(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    catalogs: Catalogs,
    adapters: Mapping[str, Adapter],
    row_id: int,
    throttle: Throttle,
    rng: random.Random,
    accepted: list[tuple[str, str]],
) -> Outcome:
    async with sessions() as session, session.begin():
        row = (
            await session.exec(
                select(OutboxMessage)
                .where(
                    OutboxMessage.id == row_id,
                    *_due(clock, list(adapters)),
                    ~_behind_earlier(clock, due_counts=True),
                )
                .with_for_update(skip_locked=True)
            )
        ).first()
        if row is None:  # another dispatcher has it, already sent it, or an earlier row is first
            return Outcome.SKIPPED
        if await _opted_out(session, row):  # written before a STOP that came since
            _bury(row, "recipient opted out")
            session.add(row)
            return Outcome.DEAD
        adapter = adapters[row.platform]
        tr = catalogs.translator(row.payload.get("locale"))
        row.attempts += 1
        try:
            parts = fit(outbox.to_outbound(row), adapter.capabilities, tr)
        except (KeyError, TypeError, ValueError) as error:  # a row no adapter could ever send
            log.error("outbox row %s cannot be rendered: %s", row.id, error)
            _bury(row, str(error) or type(error).__name__)
            session.add(row)
            return Outcome.DEAD
        try:
            for part in parts[row.parts_sent :]:
                await throttle.before_send(row.platform, row.chat_id)
                receipt = await adapter.send(part)
                if receipt.platform_message_id and row.id is not None:
                    # Each part's own id: a delivery report names one part, not the message.
                    session.add(
                        OutboxReceipt(
                            outbox_id=row.id,
                            part=row.parts_sent,
                            receipt=receipt.platform_message_id,
                        )
                    )
                    accepted.append((row.platform, receipt.platform_message_id))
                row.parts_sent += 1
                row.receipt = receipt.platform_message_id
        except RetryLater as error:
            # Never before the platform's time; the jitter only adds, to spread a crowd out.
            outcome = _retry(row, clock, error.retry_after + rng.random(), str(error))
        except PermanentDeliveryError as error:
            await _refused(session, row, error)
            outcome = Outcome.DEAD
        except Exception as error:  # a platform failure must not stop the other rows
            log.warning("outbox row %s failed (attempt %s): %s", row.id, row.attempts, error)
            delay = backoff_seconds(row.attempts, rng)
            outcome = _retry(row, clock, delay, str(error) or type(error).__name__)
        else:
            row.status = OutboxStatus.SENT
            row.sent_at = clock.now()
            row.last_error = None
            outcome = Outcome.SENT
        session.add(row)
        return outcome


async def _opted_out(session: AsyncSession, row: OutboxMessage) -> bool:
    """Whether the account at the row's address asked for no messages (SMS STOP)."""
    found = await session.exec(
        select(Account.id).where(
            Account.platform == row.platform,
            Account.address == row.chat_id,
            col(Account.opted_out).is_(True),
        )
    )
    return found.first() is not None


def _bury(row: OutboxMessage, reason: str) -> None:
    row.status = OutboxStatus.DEAD
    row.last_error = reason[:500]
    log.error(
        "outbox row %s (%s on %s) is dead after %s attempts: %s",
        row.id,
        row.kind,
        row.platform,
        row.attempts,
        reason,
    )


def _retry(row: OutboxMessage, clock: Clock, delay: float, reason: str) -> Outcome:
    if row.attempts >= MAX_ATTEMPTS:
        _bury(row, reason)
        return Outcome.DEAD
    row.last_error = reason[:500]
    row.next_attempt_at = clock.now() + timedelta(seconds=delay)
    return Outcome.RETRY


async def _refused(
    session: AsyncSession, row: OutboxMessage, error: PermanentDeliveryError
) -> None:
    """The address refuses for good: the row is dead, so are the others waiting for that chat,
    and the account there is marked so people.preferred_account() stops choosing it."""
    reason = str(error) or type(error).__name__
    _bury(row, reason)
    mark = {"opted_out": True} if error.opted_out else {"reachable": False}
    await session.exec(
        update(Account)
        .where(col(Account.platform) == row.platform, col(Account.address) == row.chat_id)
        .values(**mark)
    )
    await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.platform) == row.platform,
            col(OutboxMessage.chat_id) == row.chat_id,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.id) != row.id,
        )
        .values(status=OutboxStatus.DEAD, last_error=("recipient refused: " + reason)[:500])
    )


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
