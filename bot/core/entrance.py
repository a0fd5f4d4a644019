"""The core that adapters hold: routes inbound messages and drains the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import Clock, SystemClock
from bot.chat.contract import Adapter, Unavailable
from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Capabilities, Inbound, Outbound
from bot.chat.platforms import Platform, Platforms
from bot.chat.rendering import fit
from bot.circles import chats, circles, discovery, meetings
from bot.circles.discovery import OpenCircle
from bot.core.command_table import build_registry
from bot.core.router import Handled, Keep, Router
from bot.delivery import outbox, statuses
from bot.delivery.budget import Budget, DatabaseBudget, MemoryBudget, RedisBudget
from bot.delivery.dispatcher import (
    LEASE,
    Dispatcher,
    DispatchSummary,
    Throttle,
    dead_rows,
    outbox_counts,
    revive,
    wake,
)
from bot.delivery.statuses import DeliveryReport
from bot.dialogue import conversations, people, receipts
from bot.dialogue.flood import INBOUND_LIMIT, FloodGate, InboundLimit
from bot.dialogue.registry import Access, Command, roles_for
from bot.letters import commands as letter_handlers
from bot.letters.letters import LetterPolicy
from bot.network import courses
from bot.network.courses import CourseRecord, RankedCourse
from bot.network.letter_flows import LetterNetwork, letter_network
from bot.reports import credentials as credentials_
from bot.reports.credentials import CredentialIssuer, CredentialView
from bot.reports.retention import DEFAULT_DAYS as DEFAULT_RETENTION_DAYS
from bot.reports.retention import RetentionPolicy
from bot.rhythm import questions
from bot.rhythm.commands.answers import prompt_text
from bot.scheduling import cursors
from bot.scheduling.leadership import SCHEDULER_LOCK_KEY, Leadership
from bot.scheduling.tick import TickReport, tick
from bot.storage.database import (
    create_engine,
    inline_statements,
    session_factory,
    unavailable,
)
from bot.storage.migrate import SchemaState, schema_state, upgrade
from bot.storage.models import (
    Account,
    Conversation,
    OutboxMessage,
    OutboxStatus,
    Person,
    PlatformHealth,
    QuestionKind,
)
from locales import LOCALES_DIR

log = logging.getLogger(__name__)

DISPATCH_FOR_SECONDS = 30.0  # one dispatch call, run after run through a backlog
PAUSED_DETAIL = "sends failing; probing"
# A worker writes each platform's health when it changes and at least this often (real
# seconds), so `circlebot outbox` can tell a worker's silence from a platform's.
HEALTH_REPORT_SECONDS = 60.0


@dataclass(frozen=True)
class CircleChoice:
    """A circle someone may pick for a command (autocomplete)."""

    id: int
    name: str


@dataclass(frozen=True)
class MeetingChoice:
    """A meeting someone may pick for a command (autocomplete), with what its label needs."""

    number: int
    starts_at: datetime
    timezone: str  # the circle's IANA zone, to show the time where the circle meets


@dataclass(frozen=True)
class Standing:
    """Where someone stands, for a menu drawn before they choose (read-only): the language to
    write to them in (as the router would choose it), whether they asked for no messages (the
    core then answers them nothing but START and HELP), and the words of the question waiting
    for their written answer ("" when it is no prompt of the library, such as the goal; None
    when no written answer waits), which question that is and when it was asked, to tell a
    question just asked from one that was waiting already."""

    locale: str
    opted_out: bool = False
    question: str | None = None
    asked: str | None = None
    asked_at: datetime | None = None


async def upgrade_database(database_url: str) -> None:
    """Apply every pending migration to the database at `database_url` (`circlebot db upgrade`)."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _budget_time(clock: Clock) -> Callable[[], float]:
    """The time a process's own send budget runs on: the wall clock's; with a clock of another
    kind (a test's, a rehearsal's), the wall clock's plus how far that clock has moved on, so
    waits pass while the process sleeps and a test that moves its clock past a retry-after
    finds it over."""
    if isinstance(clock, SystemClock):
        return time.time
    wall, start = time.monotonic(), clock.now()
    return lambda: time.monotonic() - wall + (clock.now() - start).total_seconds()


class Core:
    """What adapters and the application shell hold: they reach the database, the scheduler and
    the features only through these methods (its engine and sessions are private)."""

    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock,
        rng: random.Random,
        catalogs: Catalogs | None = None,
        throttle: Throttle | None = None,
        letter_policy: LetterPolicy | None = None,
        *,
        platforms: Iterable[Platform],
        budget: Budget | None = None,
        concurrency: int = 8,
        inbound_limit: InboundLimit | None = None,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        credentials: CredentialIssuer | None = None,
    ) -> None:
        """`platforms` are the descriptions of the platforms this bot serves, as their adapters
        declare them (names, display names, rate limits, keywords, files...); the core names
        none itself, so they are required: a platform without a description gets a slow
        fallback rate and no platform-specific behaviour (no STOP on a keyword platform).

        `budget` keeps the send rates every process shares: by default the database's on
        PostgreSQL, and this process's own on SQLite (the one-process embedded default).

        `inbound_limit` is how fast one account may write before its messages are dropped
        (bot/dialogue/flood.py); None, for tools and tests that drive the core hard, is none.
        `from_url`, the deployment's way in, sets the default limit.

        `retention_days` (RETENTION_DAYS): how long after a circle's last meeting its names and
        words are kept; then only its numbers are (bot/reports/retention.py).

        `credentials` signs the Open Badges credentials /portfolio hands out and the public
        pages verify (bot/reports/credentials.py); None: no credentials."""
        self.platforms = Platforms(platforms)
        self.credentials = credentials
        self.letter_policy = letter_policy or LetterPolicy()
        self.retention = RetentionPolicy(retention_days)
        self._engine = engine
        self._sessions: async_sessionmaker[AsyncSession] = session_factory(engine)
        # SQLite has one writer, and a handling writes from its first statement (its receipt)
        # to its commit. Messages handled at once in this process (adapters handle chats side
        # by side) take turns here, each woken the moment the one before commits; left to
        # SQLite's busy handler, they would poll with sleeps of up to 100 ms, idling the
        # database, and fail after its busy timeout. Their sends still overlap.
        self._one_writer: contextlib.AbstractAsyncContextManager[Any] = (
            asyncio.Lock() if engine.dialect.name == "sqlite" else contextlib.nullcontext()
        )
        self.clock = clock
        self.catalogs = catalogs or Catalogs(LOCALES_DIR)
        self.registry = build_registry(credentials)
        if budget is None and engine.dialect.name == "postgresql":
            budget = DatabaseBudget(engine)
        elif budget is None:
            # One process: its own book, on the wall clock, or faster when the core's clock
            # runs faster (a test's fake clock moved on, a rehearsal: rehearse against fakes).
            budget = MemoryBudget(now=_budget_time(clock))
        # Send rates hold across dispatcher runs: one throttle for the life of the core.
        self.throttle = throttle or Throttle.of(self.platforms, concurrency, budget=budget)
        self._dispatcher = Dispatcher(self._sessions, clock, self.catalogs, self.throttle)
        # What this process last wrote of each platform's health, and when (time.monotonic).
        self._reported: dict[str, tuple[str, float]] = {}
        # Links that join a circle in one tap, by platform, with "{code}" for the join code
        # (Telegram's deep link). Adapters add theirs when they start; /invite shows them.
        self.join_links: dict[str, str] = {}
        # Whom people write to on each platform, by platform: Telegram's @username, Discord's
        # app name, the numbers learners text (one per gateway). Adapters add theirs when they
        # start; /invite names them.
        self.reach: dict[str, tuple[str, ...]] = {}
        self._flood = FloodGate(
            self.throttle.budget, self.catalogs, self._sessions, self.platforms, inbound_limit
        )
        self._router = Router(
            self._sessions,
            clock,
            self.catalogs,
            self.registry,
            rng,
            self.letter_policy,
            self.join_links,
            platforms=self.platforms,
            retention_days=self.retention.days,
            reach=self.reach,
        )

    @classmethod
    def from_url(
        cls,
        database_url: str,
        clock: Clock,
        rng: random.Random,
        *,
        throttle: Throttle | None = None,
        letter_policy: LetterPolicy | None = None,
        platforms: Iterable[Platform],
        redis_url: str | None = None,
        concurrency: int = 8,
        inbound_limit: InboundLimit | None = INBOUND_LIMIT,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        credential_key_file: str | None = None,
        public_base_url: str | None = None,
        credential_issuer: str = "circlebot",
        credential_min_meetings: int = credentials_.DEFAULT_MIN_MEETINGS,
    ) -> Core:
        """A core on the database at `database_url` (`close()` disposes of its engine); with
        `redis_url` (REDIS_URL), the send rates are kept in Redis. With `credential_key_file`
        (CREDENTIAL_KEY_FILE) and `public_base_url` (PUBLIC_BASE_URL), /portfolio hands out
        credentials signed by `credential_issuer` to learners who came to
        `credential_min_meetings` meetings (or all of a shorter circle)."""
        issuer = None
        if credential_key_file:
            if not public_base_url:
                raise ValueError("CREDENTIAL_KEY_FILE needs PUBLIC_BASE_URL: where they verify")
            issuer = CredentialIssuer(
                credentials_.SigningKeys.from_file(credential_key_file),
                public_base_url,
                credential_issuer,
                credential_min_meetings,
            )
        return cls(
            create_engine(database_url),
            clock,
            rng,
            throttle=throttle,
            letter_policy=letter_policy,
            platforms=platforms,
            budget=RedisBudget(redis_url) if redis_url else None,
            concurrency=concurrency,
            inbound_limit=inbound_limit,
            retention_days=retention_days,
            credentials=issuer,
        )

    async def handle(self, inbound: Inbound, capabilities: Capabilities) -> list[Outbound]:
        """The replies to one inbound message, already fitted to the sender's platform, for an
        adapter that shows them itself (the console, an answer inside a webhook's response).
        Raises Unavailable when the database cannot take the message now."""
        held = await self._flood.hold(inbound)  # over its account's rate: dropped unread
        async with self._one_writer:
            handled = (
                Handled(held.replies, held.tr, kept=False)
                if held
                else await self._router.handle(inbound, self._shown_here(inbound))
            )
        return [part for reply in handled.replies for part in fit(reply, capabilities, handled.tr)]

    def _shown_here(self, inbound: Inbound) -> Keep | None:
        """On a platform billed per segment (an SMS gateway answering inside its webhook's
        response), the replies the adapter sends itself are kept as sent outbox rows, so the
        circle's SMS figure counts them (sms 34: it counted about half the texts)."""
        if inbound.platform not in {p.name for p in self.platforms.billed_per_segment()}:
            return None
        now = self.clock.now()

        async def keep(session: AsyncSession, replies: list[Outbound], tr: Translator) -> None:
            kept = await outbox.keep_replies(
                session, inbound, replies, tr.locale, now, timedelta(0)
            )
            for row in kept:
                row.status = OutboxStatus.SENT
                row.sent_at = now
                row.claimed_until = None
                session.add(row)

        return keep

    async def answer(self, inbound: Inbound, adapter: Adapter) -> DispatchSummary:
        """Handle one inbound message and deliver its replies: stored in the outbox with the
        handling itself, then sent at once through `adapter` when the platform's budget has a
        turn for them soon; any that cannot go now (a rate limit, an outage, another platform)
        are left to the dispatcher, never dropped.

        Raises Unavailable when the database cannot take the message now: acknowledge nothing
        to the platform, so it comes again."""
        now = self.clock.now()
        kept: list[OutboxMessage] = []
        held = await self._flood.hold(inbound)  # over its account's rate: dropped unread
        about = held.about if held else inbound

        async def keep(session: AsyncSession, replies: list[Outbound], tr: Translator) -> None:
            lease = LEASE * self.clock.speed
            kept[:] = await outbox.keep_replies(session, about, replies, tr.locale, now, lease)

        async with self._one_writer:
            handled = (
                Handled(held.replies, held.tr, kept=False)
                if held
                else await self._router.handle(inbound, keep)
            )
            if not handled.kept and handled.replies:
                # Made outside the handling (bad input, an apology): stored on their own.
                try:
                    async with self._sessions() as session, session.begin():
                        await keep(session, handled.replies, handled.tr)
                except Exception as error:
                    if unavailable(error):
                        raise Unavailable(str(error)) from error
                    raise
        try:
            return await self._dispatcher.send_now(kept, {adapter.platform: adapter})
        except Exception:  # stored: the dispatcher sends them when their lease ends
            log.exception(
                "replies to %s message %s wait for the dispatcher",
                inbound.platform,
                inbound.message_id,
            )
            return DispatchSummary()

    async def dispatch(self, adapters: Mapping[str, Adapter], batch: int = 50) -> int:
        """Runs of this process's dispatcher, one after another while each finds a full batch
        (a backlog: sending never idles between runs), for half a minute at most; how many
        messages they sent. Raises BudgetUnavailable, sending nothing, while the store of the
        send budgets (Redis) cannot be reached: sends would fail on it, and count as the
        platform's failures."""
        await self.check_budget()
        # Its statements are short (bounded by the batch): on SQLite, in the loop's thread.
        with inline_statements():
            return (await self._dispatcher.drain(adapters, batch, DISPATCH_FOR_SECONDS)).sent

    async def awaiting_words(self, inbound: Inbound) -> str | None:
        """What the core waits for this person to write next, in this chat: a letter's text
        (WRITING_LETTER), an answer in words (WRITING_ANSWER: a goal, check-in, reflection,
        reply), or None. Read-only, for chats that can open a text box for it."""
        async with self._sessions() as session:
            conversation = (
                await session.exec(
                    select(Conversation).where(Conversation.key == conversations.key_for(inbound))
                )
            ).first()
            if (
                conversation is not None
                and conversation.flow == letter_handlers.FLOW
                and conversations.state_of(conversation) in (None, letter_handlers.WRITING)
            ):
                return questions.WRITING_LETTER
            account = await people.find_account(session, inbound.platform, inbound.account_id)
            if account is None:
                return None
            question = await questions.waiting(session, account.person_id, self.clock.now())
            if question is not None and QuestionKind(question.kind) in questions.WRITTEN_ANSWERS:
                return questions.WRITING_ANSWER
        return None

    async def standing(self, platform: str, account_id: str) -> Standing:
        """Where the person behind this account stands (see Standing); for an account the bot
        has not met, the default language and nothing waiting."""
        async with self._sessions() as session:
            account = await people.find_account(session, platform, account_id)
            if account is None:
                return Standing(self.catalogs.negotiate())
            person = await session.get(Person, account.person_id)
            memberships = await circles.active_memberships(session, account.person_id)
            circle_language = memberships[0][1].language if memberships else None
            tr = self.catalogs.translator(
                person.locale if person else None, account.locale_hint, circle_language
            )
            question = await questions.waiting(session, account.person_id, self.clock.now())
            if question is None or QuestionKind(question.kind) not in questions.WRITTEN_ANSWERS:
                return Standing(tr.locale, account.opted_out)
            words = prompt_text(tr, QuestionKind(question.kind), question.prompt_key) or ""
            asked = f"{question.kind}:{question.prompt_key}:{question.asked_at.isoformat()}"
        return Standing(tr.locale, account.opted_out, words, asked, question.asked_at)

    async def chat_moved(self, platform: str, old: str, new: str) -> int:
        """A group chat has a new id on its platform (see chats.moved)."""
        async with self._sessions() as session, session.begin():
            return await chats.moved(session, platform, old, new)

    # -- for adapters: gateways' reports, stream positions, menus, autocomplete --------------

    async def record_delivery(self, report: DeliveryReport) -> None:
        """A gateway's status callback or delivery report (see statuses.receive). An opt-out
        it carries counts once: a copy replayed after the person texted START again (a signed
        request holds no time) must not stop their messages a second time."""
        now = self.clock.now()
        if report.opted_out:
            described = self.platforms.get(report.platform)
            async with self._sessions() as session, session.begin():
                fresh = await receipts.first_time(
                    session,
                    report.platform,
                    f"report:{report.receipt}:{report.status.value}",
                    now,
                    keys_kept=described is not None and described.permanent_message_ids,
                )
            if not fresh:
                report = replace(report, opted_out=False)
        await statuses.receive(self._sessions, report, now)

    async def last_heard(self, platform: str, address: str) -> datetime | None:
        """When the person reached at `address` on `platform` last wrote from that account
        (None for an address the bot has not met), for platforms that let free text reach only
        someone who wrote lately."""
        async with self._sessions() as session:
            return (
                await session.exec(
                    select(Account.last_seen_at)
                    .where(Account.platform == platform, Account.address == address)
                    .order_by(col(Account.last_seen_at).desc())
                )
            ).first()

    async def chat_woke(self, platform: str, chat_id: str) -> int:
        """The chat wrote again: messages set aside for it (RetryLater.set_aside) are due now.
        How many."""
        async with self._sessions() as session, session.begin():
            return await wake(session, platform, chat_id, self.clock.now())

    async def opt_out(self, platform: str, address: str) -> None:
        """The person at `address` asked the carrier or gateway to stop our messages."""
        async with self._sessions() as session, session.begin():
            await statuses.mark_opted_out(session, platform, address)

    async def queue_replies(
        self, inbound_id: str, parts: Sequence[tuple[int, Outbound]], delay: float = 0.0
    ) -> None:
        """Put replies to inbound message `inbound_id` that did not go straight back into the
        outbox, each as (its place among the replies, the part), due `delay` seconds from now.
        Keyed on the inbound message and the place, so a resent webhook queues nothing twice."""
        if not parts:
            return
        now = self.clock.now()
        due = now + timedelta(seconds=delay)
        async with self._sessions() as session, session.begin():
            for place, part in parts:
                await statuses.queue_reply(session, part, inbound_id, place, now, due)

    async def load_cursor(self, platform: str, name: str) -> str | None:
        """Where an adapter got to in its platform's stream (see cursors)."""
        async with self._sessions() as session:
            return await cursors.load(session, platform, name)

    async def save_cursor(self, platform: str, name: str, value: str) -> None:
        async with self._sessions() as session, session.begin():
            await cursors.save(session, platform, name, value, self.clock.now())

    def leadership(self, key: int = SCHEDULER_LOCK_KEY, name: str = "scheduler") -> Leadership:
        """A lead on this database for one process at a time (the scheduler's by default; an
        adapter's stream with its own `key`). Keep one per process; `release()` it at exit."""
        return Leadership(self._engine, key=key, name=name)

    def commands(self) -> list[Command]:
        """The registry's commands, in order: for command menus."""
        return list(self.registry)

    async def facilitator_chats(
        self, platform: str, account_id: str | None = None
    ) -> list[tuple[str, str]]:
        """(address, locale) of each account on `platform` (only `account_id`'s, when given)
        whose person facilitates an active circle, by address; the locale chosen as the router
        chooses it."""
        async with self._sessions() as session:
            rows = await circles.facilitating_accounts(session, platform, account_id)
        found: dict[str, str] = {}
        for address, chosen, hint, circle_language in rows:
            found.setdefault(address, self.catalogs.negotiate(chosen, hint, circle_language))
        return sorted(found.items())

    async def circle_choices(
        self, platform: str, account_id: str, access: Access
    ) -> list[CircleChoice]:
        """The active circles in which this account's person may run a command of `access`,
        most recently joined first ([] for an account the bot has not met)."""
        async with self._sessions() as session:
            account = await people.find_account(session, platform, account_id)
            if account is None:
                return []
            mine = await circles.active_memberships(session, account.person_id, roles_for(access))
        return [CircleChoice(c.id, c.name) for _, c in mine if c.id is not None]

    async def meeting_choices(
        self, platform: str, account_id: str, access: Access, circle_id: int | None = None
    ) -> list[MeetingChoice]:
        """The meetings, in order, of circle `circle_id` among the person's circle_choices (of
        the first of those when None); [] when there is no such circle."""
        async with self._sessions() as session:
            account = await people.find_account(session, platform, account_id)
            if account is None:
                return []
            mine = await circles.active_memberships(session, account.person_id, roles_for(access))
            matching = [c for _, c in mine if circle_id is None or c.id == circle_id]
            if not matching or matching[0].id is None:
                return []
            circle = matching[0]
            assert circle.id is not None
            planned = await meetings.schedule(session, circle.id)
        return [MeetingChoice(m.number, m.starts_at, circle.timezone) for m in planned]

    # -- for the public pages ----------------------------------------------------------------

    async def credential(self, ident: str) -> CredentialView | None:
        """The credential with this public id or short code, as its verification page shows
        it: None when there is none (or no key), or it no longer verifies."""
        if self.credentials is None:
            return None
        async with self._sessions() as session:
            found = await credentials_.find(session, ident)
            zone = await credentials_.zone_of(session, found) if found else "UTC"
        return None if found is None else credentials_.view(found, self.credentials, zone)

    def credential_keys(self) -> dict[str, Any]:
        """The JWK Set credentials verify against ({"keys": []} without a key)."""
        return self.credentials.keys.jwks() if self.credentials else {"keys": []}

    def issuer_profile(self) -> dict[str, Any] | None:
        """The issuer's Open Badges profile, or None without a key."""
        return self.credentials.profile() if self.credentials else None

    async def letter_network(self) -> LetterNetwork:
        """How many letters travelled between which cities and countries (counts only)."""
        async with self._sessions() as session:
            return await letter_network(session)

    async def open_circles(
        self,
        *,
        place: str | None = None,
        course: str | None = None,
        language: str | None = None,
        limit: int = 50,
    ) -> list[OpenCircle]:
        """The public directory: circles open to newcomers, nearest `place` first, taking
        `course`, in `language` (bot/circles/discovery.py); no join code, no names."""
        async with self._sessions() as session:
            return await discovery.open_circles(
                session,
                self.clock.now(),
                place=place,
                course=course,
                language=language,
                limit=limit,
            )

    async def ranked_courses(self, topic: str | None = None, limit: int = 50) -> list[RankedCourse]:
        """Courses ranked by how their circles went (bot/network/courses.py)."""
        async with self._sessions() as session:
            return await courses.ranked(session, topic, limit)

    async def course_record(self, course_id: int) -> CourseRecord | None:
        """One course's public record: figures, shared tips and resources, circles that took
        it; None if there is none."""
        async with self._sessions() as session:
            return await courses.course_record(session, course_id)

    # -- for the application shell -----------------------------------------------------------

    async def upgrade(self) -> tuple[str | None, str | None]:
        """Apply every pending migration to the core's database: its revision before and
        after."""
        return await upgrade(self._engine)

    async def schema_state(self) -> SchemaState:
        """The database's revision against this code's newest (`circlebot db current`)."""
        return await schema_state(self._engine)

    async def check_database(self) -> None:
        """Raises when the database does not answer (the health check)."""
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def check_budget(self) -> None:
        """Raises BudgetUnavailable when the store of the shared send budgets (REDIS_URL) does
        not answer: inbound messages then wait, not taken (the health check, the start)."""
        await self.throttle.budget.check()

    async def outbox_counts(self) -> dict[str, int]:
        """How many outbox rows are pending, sent and dead (every status, zero included)."""
        async with self._sessions() as session:
            return await outbox_counts(session)

    async def revive(self) -> int:
        """Dead messages that died of passing failures and are still useful, due again."""
        async with self._sessions() as session, session.begin():
            return await revive(session, self.clock.now())

    async def platform_seen(self, platform: str, state: str, detail: str | None = None) -> None:
        """What this process sees of a platform ("up", "starting", "down", "paused"), for
        /healthz and `circlebot outbox`. On the wall clock, whatever the core's (a rehearsal's):
        the CLI reading it tells a fresh report from a stale one by real time."""
        now = datetime.now(UTC)
        async with self._sessions() as session, session.begin():
            health = await session.get(PlatformHealth, platform)
            if health is None:
                health = PlatformHealth(platform=platform, state=state, since=now, updated_at=now)
            elif health.state != state:
                health.state, health.since = state, now
            health.detail = detail[:200] if detail else None
            health.updated_at = now
            session.add(health)

    async def report_health(
        self, platforms: Iterable[str], unreachable: Mapping[str, str] | None = None
    ) -> None:
        """Write what this process sees of each platform, where `circlebot outbox` and /healthz
        read it: "down" when its adapter cannot get messages from it (`unreachable`: why, by
        platform; Telegram's polling failing), else what its sends show (its circuit: "up", or
        "paused" while sends fail and probes go out). When it changes, and every
        HEALTH_REPORT_SECONDS as a sign the worker is alive."""
        unreachable = unreachable or {}
        # A copy: adapters are still being added while the first dispatch runs (a start).
        for platform in list(platforms):
            detail: str | None = unreachable.get(platform)
            if detail:
                state = "down"
            elif self._dispatcher.circuit.closed(platform):
                state = "up"
            else:
                state, detail = "paused", PAUSED_DETAIL
            last = self._reported.get(platform)
            moment = time.monotonic()
            if last is not None and last[0] == state and moment - last[1] < HEALTH_REPORT_SECONDS:
                continue
            await self.platform_seen(platform, state, detail)
            self._reported[platform] = (state, moment)

    async def forget_platforms(self, serving: Iterable[str]) -> None:
        """Forget the health of every platform but `serving` (a worker starting with what its
        settings configure): a gateway removed from the settings is no longer shown "up" from
        an old row. Another worker serving one of those writes it again within
        HEALTH_REPORT_SECONDS."""
        kept = set(serving)
        async with self._sessions() as session, session.begin():
            for row in (await session.exec(select(PlatformHealth))).all():
                if row.platform not in kept:
                    await session.delete(row)

    async def platform_reports(self) -> list[PlatformHealth]:
        """Each platform's health as the workers last wrote it, with when (wall clock)."""
        async with self._sessions() as session:
            rows = (await session.exec(select(PlatformHealth))).all()
        return sorted(rows, key=lambda row: row.platform)

    async def platform_health(self) -> dict[str, tuple[str, str | None]]:
        """Each platform's last seen state and detail, by name; a paused circuit in this
        process shows over what the database says."""
        async with self._sessions() as session:
            rows = (await session.exec(select(PlatformHealth))).all()
        seen = {row.platform: (row.state, row.detail) for row in rows}
        for platform in self.platforms:
            down = seen.get(platform.name, ("",))[0] == "down"  # worse than paused: kept
            if not self._dispatcher.circuit.closed(platform.name) and not down:
                seen[platform.name] = ("paused", PAUSED_DETAIL)
        return seen

    @property
    def unrecorded(self) -> int:
        """Sends whose outcome waits for the database to answer again."""
        return self._dispatcher.unrecorded

    async def dead_messages(self, limit: int | None = None) -> list[OutboxMessage]:
        """Messages given up on, newest first, with the reason in `last_error`."""
        async with self._sessions() as session:
            return await dead_rows(session, limit=limit)

    async def tick(self) -> TickReport:
        """Enqueue the reminders, check-ins, nudges and digests that have fallen due."""
        return await tick(
            self._sessions,
            self.clock,
            self.catalogs,
            self.letter_policy,
            platforms=self.platforms,
            retention=self.retention,
        )

    async def close(self) -> None:
        await self.throttle.budget.close()
        await self._engine.dispose()
