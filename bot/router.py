"""The router: one inbound message in, replies out, in one transaction.

It de-duplicates, identifies the sender, continues a guided conversation or runs a command from
the registry (checking the role the registry asks for), and turns every failure into a short,
translated answer while the transaction rolls back.
"""

from __future__ import annotations

import logging
import random
import unicodedata

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import circles, conversations, people, receipts
from bot.clock import Clock
from bot.commands import ACCESS_NAMES, Access, Command, Registry, parse_args
from bot.context import Context
from bot.errors import UserError
from bot.i18n import N_, Catalogs, Translator
from bot.messages import Inbound, Outbound
from bot.storage.models import Role

log = logging.getLogger(__name__)

MAX_INBOUND_CHARS = 4000
_KEEP_CONTROLS = {"\n", "\t"}


def clean_text(text: str) -> str:
    """NFC, without control characters (a NUL breaks PostgreSQL text) or a byte-order mark."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\ufeff", "")
    return "".join(
        ch for ch in text if ch in _KEEP_CONTROLS or unicodedata.category(ch) != "Cc"
    ).strip()


class Router:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        catalogs: Catalogs,
        registry: Registry,
        rng: random.Random,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.catalogs = catalogs
        self.registry = registry
        self.rng = rng

    async def handle(self, inbound: Inbound) -> tuple[list[Outbound], Translator]:
        """The replies to `inbound`, and the reader's translator (for fitting them)."""
        tr = self.catalogs.translator(inbound.locale_hint)
        text = clean_text(inbound.payload or inbound.text)
        if len(text) > MAX_INBOUND_CHARS:
            return [
                self._answer(
                    inbound,
                    tr._(
                        "That message is too long for me (over %(limit)d characters). "
                        "Could you send a shorter one?",
                        limit=MAX_INBOUND_CHARS,
                    ),
                )
            ], tr
        if not text:
            return [
                self._answer(
                    inbound, tr._("I can only read text messages. Send /help to see what I can do.")
                )
            ], tr
        try:
            async with self.sessions() as session, session.begin():
                now = self.clock.now()
                if not await receipts.first_time(
                    session, inbound.platform, inbound.message_id, now
                ):
                    return [], tr
                account, person = await people.identify(session, inbound, now)
                tr = self.catalogs.translator(person.locale, account.locale_hint)
                conversation = await conversations.load(
                    session, conversations.key_for(inbound), now
                )
                ctx = Context(
                    session=session,
                    now=now,
                    rng=self.rng,
                    catalogs=self.catalogs,
                    tr=tr,
                    registry=self.registry,
                    inbound=inbound,
                    person=person,
                    account=account,
                    conversation=conversation,
                )
                await self._route(ctx, text)
                return ctx.replies, tr
        except UserError as error:
            # The transaction has rolled back: bad input changes nothing.
            return [self._answer(inbound, tr._(error.message, **error.params))], tr
        except Exception:
            log.exception(
                "handler failed: platform=%s chat=%s message=%s command=%r",
                inbound.platform,
                inbound.chat_id,
                inbound.message_id,
                text.split(maxsplit=1)[0][:40],
            )
            return [
                self._answer(
                    inbound,
                    tr._(
                        "Sorry, something went wrong on my side and nothing was changed. "
                        "Please try again in a moment."
                    ),
                )
            ], tr

    @staticmethod
    def _answer(inbound: Inbound, text: str) -> Outbound:
        return Outbound(inbound.address, text)

    async def _route(self, ctx: Context, text: str) -> None:
        conversation = ctx.conversation
        if ctx.inbound.payload is None:
            text = conversations.picked(conversation, text) or text
        conversations.offer(conversation, [], ctx.now)  # choices answer only the next message

        if text.startswith("/"):
            word, _, rest = text[1:].partition(" ")
            name = word.split("@", 1)[0].casefold()  # Telegram groups send /cmd@botname
            if conversation.flow and name == "cancel":
                conversations.finish(conversation, ctx.now)
                ctx.reply(ctx.tr._("OK, I've stopped. Nothing was saved."))
                return
            command = self.registry.get(name)
            if command is None:
                self._unknown(ctx, word)
                return
            await self._run(ctx, command, rest)
        elif conversation.flow:
            if text.casefold() in {"cancel", ctx.tr._("cancel").casefold()}:
                conversations.finish(conversation, ctx.now)
                ctx.reply(ctx.tr._("OK, I've stopped. Nothing was saved."))
                return
            await self.registry.flows[conversation.flow](ctx, text)
        else:
            ctx.reply(
                ctx.tr._(
                    "I didn't catch that. Commands start with /, for example /next. "
                    "Send /help to see them all."
                )
            )

    def _unknown(self, ctx: Context, word: str) -> None:
        closest = self.registry.closest(word.casefold())
        if closest:
            ctx.reply(
                ctx.tr._(
                    "I don't know /%(command)s. Did you mean /%(closest)s? Send /help to see all "
                    "commands.",
                    command=word,
                    closest=closest,
                )
            )
        else:
            ctx.reply(
                ctx.tr._("I don't know /%(command)s. Send /help to see all commands.", command=word)
            )

    async def _run(self, ctx: Context, command: Command, rest: str) -> None:
        await self._authorize(ctx, command)
        args = parse_args(command, rest, ctx.tr)
        await command.handler(ctx, args)

    async def _authorize(self, ctx: Context, command: Command) -> None:
        """Enforce the registry's access level and pick the circle the command acts on."""
        if command.access is Access.ANYONE:
            return
        roles: tuple[Role, ...] = tuple(Role)
        if command.access is Access.FACILITATOR:
            roles = circles.FACILITATING
        elif command.access is Access.LEAD:
            roles = (Role.FACILITATOR,)
        memberships = await circles.active_memberships(ctx.session, ctx.person_id, roles)
        if not memberships:
            if command.access is Access.MEMBER:
                raise UserError(
                    N_(
                        "You're not in a circle yet. Join one with /join and the code your "
                        "facilitator gave you, or start one with /newcircle."
                    )
                )
            raise UserError(
                N_("Only %(role)s can use /%(command)s."),
                role=ctx.tr._(ACCESS_NAMES[command.access]),
                command=command.name,
            )
        # The most recently joined circle: people rarely run more than one at a time.
        ctx.membership, ctx.circle = memberships[0]
