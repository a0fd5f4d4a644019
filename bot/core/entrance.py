"""The core that adapters hold: routes inbound messages and drains the outbox."""

from __future__ import annotations

import random
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import Clock
from bot.chat.contract import Adapter
from bot.chat.i18n import Catalogs
from bot.chat.messages import Capabilities, Inbound, Outbound
from bot.chat.rendering import fit
from bot.circles import chats
from bot.core.registry import build_registry
from bot.core.router import Router
from bot.delivery.dispatcher import Throttle, dispatch_due
from bot.dialogue import conversations, people
from bot.letters import commands as letter_handlers
from bot.letters.letters import LetterPolicy
from bot.rhythm import questions
from bot.scheduling.tick import TickReport, tick
from bot.storage.database import create_engine, session_factory
from bot.storage.models import Conversation, QuestionKind
from locales import LOCALES_DIR


class Core:
    def __init__(
        self,
        engine: AsyncEngine,
        clock: Clock,
        rng: random.Random,
        catalogs: Catalogs | None = None,
        throttle: Throttle | None = None,
        letter_policy: LetterPolicy | None = None,
    ) -> None:
        self.letter_policy = letter_policy or LetterPolicy()
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(engine)
        self.clock = clock
        self.catalogs = catalogs or Catalogs(LOCALES_DIR)
        self.registry = build_registry()
        # Send rates hold across dispatcher runs: one throttle for the life of the core.
        self.throttle = throttle or Throttle()
        # Links that join a circle in one tap, by platform, with "{code}" for the join code
        # (Telegram's deep link). Adapters add theirs when they start; /invite shows them.
        self.join_links: dict[str, str] = {}
        self.router = Router(
            self.sessions,
            clock,
            self.catalogs,
            self.registry,
            rng,
            self.letter_policy,
            self.join_links,
        )

    @classmethod
    def from_url(cls, database_url: str, clock: Clock, rng: random.Random) -> Core:
        return cls(create_engine(database_url), clock, rng)

    async def handle(self, inbound: Inbound, capabilities: Capabilities) -> list[Outbound]:
        """The replies to one inbound message, already fitted to the sender's platform."""
        replies, tr = await self.router.handle(inbound)
        return [part for reply in replies for part in fit(reply, capabilities, tr)]

    async def dispatch(self, adapters: Mapping[str, Adapter]) -> int:
        return await dispatch_due(
            self.sessions, self.clock, self.catalogs, adapters, throttle=self.throttle
        )

    async def awaiting_words(self, inbound: Inbound) -> str | None:
        """What the core waits for this person to write next, in this chat: a letter's text
        (WRITING_LETTER), an answer in words (WRITING_ANSWER: a goal, check-in, reflection,
        reply), or None. Read-only, for chats that can open a text box for it."""
        async with self.sessions() as session:
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
        async with self.sessions() as session, session.begin():
            return await chats.moved(session, platform, old, new)

    async def tick(self) -> TickReport:
        """Enqueue the reminders, check-ins, nudges and digests that have fallen due."""
        return await tick(self.sessions, self.clock, self.catalogs, self.letter_policy)

    async def close(self) -> None:
        await self.engine.dispose()
