"""The console adapter: a terminal chat with the bot (`circlebot chat`), also used by the demo."""

from __future__ import annotations

import asyncio
import math
import uuid
from typing import TextIO

from bot.chat.contract import Adapter
from bot.chat.i18n import N_
from bot.chat.messages import Capabilities, Inbound, Outbound, Receipt
from bot.chat.platforms import Platform, RateLimit
from bot.core import Core

PLATFORM = "console"


def account_id(name: str) -> str:
    """People are told apart by name on the console: 'Amina' and 'amina' are one person."""
    return "-".join(name.casefold().split())


# A phone as the demo shows it: plain text, no buttons, no files, no names, and the same
# GSM-7-friendly text in messages of at most a few segments that an SMS gateway gets.


class ConsoleAdapter:
    platform = PLATFORM
    # Files are shown inline when they are text (a portfolio), else named.
    capabilities = Capabilities(max_text_length=4000, buttons=False, files=True)
    # What the core knows of the console. One terminal, one reader: no rate to keep, and sent
    # one at a time, in order, so the demo reads the same each run. Reminders carry no
    # calendar: a text file is printed inline and would bury the reminder.
    description = Platform(
        name=PLATFORM,
        display_name=N_("console"),
        capabilities=capabilities,
        limit=RateLimit(math.inf, None, 1),
    )

    def __init__(
        self,
        core: Core,
        output: TextIO,
        locale: str | None = None,
        platform: str = PLATFORM,
        capabilities: Capabilities | None = None,
        numbers: dict[str, str] | None = None,
    ) -> None:
        """`platform` and `capabilities` let the terminal stand in for another platform (the
        demo's SMS learner); `numbers` gives such people a phone number and no name."""
        self.core = core
        self.output = output
        self.locale = locale
        self.platform = platform
        self.capabilities = capabilities or ConsoleAdapter.capabilities
        self.numbers = numbers or {}
        self.tr = core.catalogs.translator(locale)
        self._names: dict[str, str] = {}  # account id -> name as typed, for printing
        # Where due outbox rows go after each message: this adapter, or several in the demo.
        self.delivery: dict[str, Adapter] = {platform: self}

    def name(self, chat_id: str, name: str) -> None:
        """How to print a chat that is nobody's account (the demo's global channel)."""
        self._names[chat_id] = name

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        name = self._names.get(message.address.chat_id, message.address.chat_id)
        body = message.text
        for attachment in message.attachments:
            if attachment.media_type.startswith("text/"):
                content = attachment.data.decode("utf-8", errors="replace").rstrip()
                body += "\n" + self.tr._(
                    "[file %(name)s]\n%(content)s", name=attachment.filename, content=content
                )
            else:
                body += "\n" + self.tr._("[file %(name)s]", name=attachment.filename)
        body = body.replace("\n", "\n    ")
        self.output.write(self.tr._("  bot → %(name)s: %(text)s", name=name, text=body) + "\n")
        self.output.flush()
        return Receipt(platform_message_id=uuid.uuid4().hex)

    async def say(self, name: str, text: str, echo: bool = True) -> None:
        """`name` writes `text` to the bot: print it, the replies, and anything now due.

        `echo` is off at a terminal, where the person's own typing is already on screen.
        """
        me = self.numbers.get(name) or account_id(name)
        if me in self.numbers.values():
            name = self.tr._("%(name)s (%(platform)s)", name=name, platform=self.platform.upper())
        self._names[me] = name
        if echo:
            self.output.write(self.tr._("%(name)s: %(text)s", name=name, text=text) + "\n")
        inbound = Inbound(
            platform=self.platform,
            account_id=me,
            chat_id=me,
            message_id=uuid.uuid4().hex,
            text=text,
            locale_hint=self.locale,
            display_name=None if me in self.numbers.values() else name,
        )
        for reply in await self.core.handle(inbound, self.capabilities):
            await self.send(reply)
        await self.core.dispatch(self.delivery)

    async def chat(self, name: str, lines: TextIO) -> None:
        """Read lines until end of input. `:as NAME` switches who you are; `:quit` ends."""
        interactive = lines.isatty()
        if interactive:
            self.output.write(
                self.tr._(
                    "You are %(name)s. Try /help or /newcircle. "
                    "Type :as NAME to become someone else, :quit to leave.",
                    name=name,
                )
                + "\n"
            )
        while True:
            if interactive:
                self.output.write(self.tr._("%(name)s> ", name=name))
                self.output.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                return
            text = line.rstrip("\n")
            if text.strip() in (":quit", ":q"):
                return
            if text.startswith(":as "):
                name = text[4:].strip() or name
                self.output.write(self.tr._("(you are now %(name)s)", name=name) + "\n")
                continue
            if text.strip():
                await self.say(name, text, echo=not interactive)
