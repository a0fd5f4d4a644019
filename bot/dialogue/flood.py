"""The inbound limit: how fast one account may write to the bot before its messages are dropped
unread.

Each account (a platform and its user id: each member of a group chat is one) has a rate, kept as
the send budgets are (bot/delivery/budget.py, GCRA): a burst of messages at once, then one every
few seconds. A message beyond it is dropped before the router sees it: no transaction, no
receipt (so a message the platform sends again later is handled then), no answer but one short
notice a minute. A flooding account is slowed to the rate; everyone else is untouched.

The budget is the core's: the database's on PostgreSQL and Redis's with REDIS_URL, so the limit
holds across processes (one upsert or script call per message); this process's own on SQLite.

In a group chat, what a member says to the others (not a command, not a button) has a rate of
its own, so a lively conversation never uses up the member's commands; beyond it, it is dropped
silently, and the bot notices nothing in the group.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat import keywords
from bot.chat.contract import Unavailable
from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Inbound, Outbound
from bot.chat.platforms import Platforms
from bot.delivery.budget import Budget
from bot.dialogue import people
from bot.storage.database import unavailable
from bot.storage.models import Circle, CircleStatus, Membership, Person

# What the notice is stored as a reply to: never the dropped message's own id, so that message,
# if the platform sends it again later, is answered as any other.
NOTICE = "flooded:"
# Longer than any STOP word however spaced ("s t o p!"): not looked at for one.
MAX_KEYWORD_CHARS = 40


@dataclass(frozen=True)
class InboundLimit:
    """How fast one account may write. 20 a minute is faster than anyone types, taps buttons
    or answers a guided flow (/newcircle is nine short answers); a burst of 10 lets someone
    forward a handful of messages or tap a few buttons in a row. A script or a stuck gateway
    goes past it within seconds."""

    per_minute: float = 20.0
    burst: int = 10
    notice_every: float = 60.0  # seconds between two notices to one account

    @property
    def interval(self) -> float:
        return 60.0 / self.per_minute

    @property
    def ahead(self) -> float:
        """The seconds of turns the burst takes ahead of time (the budget's `burst`): the
        burst's first message takes the turn due now, the others the ones after it; half a
        turn more, so rounding never costs the last one."""
        return (self.burst - 0.5) * self.interval


# The limit a deployment runs with (Core.from_url).
INBOUND_LIMIT = InboundLimit()


@dataclass(frozen=True)
class Held:
    """A message dropped for its account's rate, and what to answer instead."""

    replies: list[Outbound]  # the notice, or nothing (once a minute at most)
    tr: Translator  # the reader's, for fitting the notice
    about: Inbound  # what the notice is stored as the reply to (see NOTICE)


class FloodGate:
    """The inbound limit for one core (`limit` None: none, every message is handled)."""

    def __init__(
        self,
        budget: Budget,
        catalogs: Catalogs,
        sessions: async_sessionmaker[AsyncSession],
        platforms: Platforms,
        limit: InboundLimit | None,
    ) -> None:
        self.limit = limit
        self._budget = budget
        self._catalogs = catalogs
        self._sessions = sessions
        self._platforms = platforms
        # A number texting STOP is heard whatever its rate (plain_text: "STOP is honoured on
        # the first message"), in any language the bot speaks.
        self._stop_words = {
            word
            for locale in catalogs.locales
            for word in keywords.words(catalogs.translator(locale), keywords.OPT_OUT)
        }

    async def hold(self, inbound: Inbound) -> Held | None:
        """None when `inbound` is within its account's rate (it is counted); else it is dropped
        unread, and this says what to answer instead.

        Raises Unavailable when the budget's store cannot be used now."""
        limit = self.limit
        if limit is None:
            return None
        text = (inbound.payload or inbound.text).strip()
        addressed = not inbound.is_group or inbound.payload is not None or text.startswith("/")
        if self._stops(inbound, text):
            return None
        kind = "inbound" if addressed else "chatter"
        try:
            wait = await self._budget.reserve(
                self._key(kind, inbound), limit.interval, max_wait=0.0, burst=limit.ahead
            )
            if wait is not None:
                return None
            tr = self._catalogs.translator(inbound.locale_hint)
            about = replace(inbound, message_id=NOTICE + inbound.message_id)
            if not addressed:
                return Held([], tr, about)  # chatter in a group: dropped without a word
            turn = await self._budget.reserve(
                self._key("notice", inbound), limit.notice_every, max_wait=0.0
            )
            if turn is None:
                return Held([], tr, about)  # told within the last minute: silence
            tr = await self._reader(inbound)
        except Exception as error:
            if unavailable(error):
                raise Unavailable(str(error)) from error
            raise
        answer = tr._("You're sending messages faster than I can read them. Please wait a minute.")
        return Held([Outbound(inbound.address, answer)], tr, about)

    def _stops(self, inbound: Inbound, text: str) -> bool:
        return (
            not inbound.is_group
            and self._platforms.keywords(inbound.platform)
            and len(text) <= MAX_KEYWORD_CHARS
            and keywords.plain(text) in self._stop_words
        )

    @staticmethod
    def _key(kind: str, inbound: Inbound) -> str:
        """The budget key for one account: its ids hashed, so no phone number is stored."""
        account = f"{inbound.platform}\n{inbound.account_id}".encode("utf-8", "backslashreplace")
        return f"{kind}:{hashlib.sha256(account).hexdigest()[:32]}"

    async def _reader(self, inbound: Inbound) -> Translator:
        """The sender's language as the router would choose it (their choice, the platform's
        hint, their circle's language): looked up only for the notice, once a minute at most."""
        async with self._sessions() as session:
            account = await people.find_account(session, inbound.platform, inbound.account_id)
            if account is None:
                return self._catalogs.translator(inbound.locale_hint)
            person = await session.get(Person, account.person_id)
            circle_language = (
                await session.exec(
                    select(Circle.language)
                    .join(Membership, col(Membership.circle_id) == Circle.id)
                    .where(
                        Membership.person_id == account.person_id,
                        col(Membership.left_at).is_(None),
                        Circle.status == CircleStatus.ACTIVE,
                    )
                    .order_by(col(Membership.joined_at).desc(), col(Membership.id).desc())
                    .limit(1)
                )
            ).first()
        return self._catalogs.translator(
            person.locale if person else None,
            inbound.locale_hint,
            account.locale_hint,
            circle_language,
        )
