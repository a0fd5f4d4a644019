"""The core that adapters hold: routes inbound messages and drains the outbox."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import Clock
from bot.chat.contract import Adapter
from bot.chat.i18n import Catalogs
from bot.chat.messages import Capabilities, Inbound, Outbound
from bot.chat.platforms import Platform, Platforms
from bot.chat.rendering import fit
from bot.circles import chats, circles, meetings
from bot.core.command_table import build_registry
from bot.core.router import Router
from bot.delivery import statuses
from bot.delivery.dispatcher import Throttle, dead_rows, dispatch_due, outbox_counts
from bot.delivery.statuses import DeliveryReport
from bot.dialogue import conversations, people
from bot.dialogue.registry import Access, Command, roles_for
from bot.letters import commands as letter_handlers
from bot.letters.letters import LetterPolicy
from bot.rhythm import questions
from bot.scheduling import cursors
from bot.scheduling.leadership import SCHEDULER_LOCK_KEY, Leadership
from bot.scheduling.tick import TickReport, tick
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import Conversation, OutboxMessage, QuestionKind
from locales import LOCALES_DIR


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


async def upgrade_database(database_url: str) -> None:
    """Apply every pending migration to the database at `database_url` (`circlebot db upgrade`)."""
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


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
    ) -> None:
        """`platforms` are the descriptions of the platforms this bot serves, as their adapters
        declare them (names, display names, rate limits, keywords, files...); the core names
        none itself, so they are required: a platform without a description gets a slow
        fallback rate and no platform-specific behaviour (no STOP on a keyword platform)."""
        self.platforms = Platforms(platforms)
        self.letter_policy = letter_policy or LetterPolicy()
        self._engine = engine
        self._sessions: async_sessionmaker[AsyncSession] = session_factory(engine)
        self.clock = clock
        self.catalogs = catalogs or Catalogs(LOCALES_DIR)
        self.registry = build_registry()
        # Send rates hold across dispatcher runs: one throttle for the life of the core.
        self.throttle = throttle or Throttle.of(self.platforms)
        # Links that join a circle in one tap, by platform, with "{code}" for the join code
        # (Telegram's deep link). Adapters add theirs when they start; /invite shows them.
        self.join_links: dict[str, str] = {}
        self._router = Router(
            self._sessions,
            clock,
            self.catalogs,
            self.registry,
            rng,
            self.letter_policy,
            self.join_links,
            platforms=self.platforms,
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
    ) -> Core:
        """A core on the database at `database_url` (`close()` disposes of its engine)."""
        return cls(
            create_engine(database_url),
            clock,
            rng,
            throttle=throttle,
            letter_policy=letter_policy,
            platforms=platforms,
        )

    async def handle(self, inbound: Inbound, capabilities: Capabilities) -> list[Outbound]:
        """The replies to one inbound message, already fitted to the sender's platform."""
        replies, tr = await self._router.handle(inbound)
        return [part for reply in replies for part in fit(reply, capabilities, tr)]

    async def dispatch(self, adapters: Mapping[str, Adapter]) -> int:
        return await dispatch_due(
            self._sessions, self.clock, self.catalogs, adapters, throttle=self.throttle
        )

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
                and conversation.data.get("step") == "text"
            ):
                return questions.WRITING_LETTER
            account = await people.find_account(session, inbound.platform, inbound.account_id)
            if account is None:
                return None
            question = await questions.waiting(session, account.person_id, self.clock.now())
            if question is not None and QuestionKind(question.kind) in questions.WRITTEN_ANSWERS:
                return questions.WRITING_ANSWER
        return None

    async def chat_moved(self, platform: str, old: str, new: str) -> int:
        """A group chat has a new id on its platform (see chats.moved)."""
        async with self._sessions() as session, session.begin():
            return await chats.moved(session, platform, old, new)

    # -- for adapters: gateways' reports, stream positions, menus, autocomplete --------------

    async def record_delivery(self, report: DeliveryReport) -> None:
        """A gateway's status callback or delivery report (see statuses.receive)."""
        await statuses.receive(self._sessions, report, self.clock.now())

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

    # -- for the application shell -----------------------------------------------------------

    async def upgrade(self) -> None:
        """Apply every pending migration to the core's database."""
        await upgrade(self._engine)

    async def check_database(self) -> None:
        """Raises when the database does not answer (the health check)."""
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def outbox_counts(self) -> dict[str, int]:
        """How many outbox rows are pending, sent and dead (every status, zero included)."""
        async with self._sessions() as session:
            return await outbox_counts(session)

    async def dead_messages(self, limit: int | None = None) -> list[OutboxMessage]:
        """Messages given up on, newest first, with the reason in `last_error`."""
        async with self._sessions() as session:
            return await dead_rows(session, limit=limit)

    async def tick(self) -> TickReport:
        """Enqueue the reminders, check-ins, nudges and digests that have fallen due."""
        return await tick(
            self._sessions, self.clock, self.catalogs, self.letter_policy, platforms=self.platforms
        )

    async def close(self) -> None:
        await self._engine.dispose()
