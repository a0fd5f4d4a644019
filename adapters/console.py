"""The console adapter: a terminal chat with the bot (`circlebot chat`), also used by the demo."""

from __future__ import annotations

import asyncio
import uuid
from typing import TextIO

from bot.core import Core
from bot.messages import Capabilities, Inbound, Outbound, Receipt

PLATFORM = "console"


def account_id(name: str) -> str:
    """People are told apart by name on the console: 'Amina' and 'amina' are one person."""
    return "-".join(name.casefold().split())


class ConsoleAdapter:
    platform = PLATFORM
    capabilities = Capabilities(max_text_length=4000, buttons=False, files=False)

    def __init__(self, core: Core, output: TextIO, locale: str | None = None) -> None:
        self.core = core
        self.output = output
        self.locale = locale
        self.tr = core.catalogs.translator(locale)
        self._names: dict[str, str] = {}  # account id -> name as typed, for printing

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        name = self._names.get(message.address.chat_id, message.address.chat_id)
        body = message.text.replace("\n", "\n    ")
        self.output.write(self.tr._("  bot → %(name)s: %(text)s", name=name, text=body) + "\n")
        self.output.flush()
        return Receipt(platform_message_id=uuid.uuid4().hex)

    async def say(self, name: str, text: str, echo: bool = True) -> None:
        """`name` writes `text` to the bot: print it, the replies, and anything now due.

        `echo` is off at a terminal, where the person's own typing is already on screen.
        """
        me = account_id(name)
        self._names[me] = name
        if echo:
            self.output.write(self.tr._("%(name)s: %(text)s", name=name, text=text) + "\n")
        inbound = Inbound(
            platform=PLATFORM,
            account_id=me,
            chat_id=me,
            message_id=uuid.uuid4().hex,
            text=text,
            locale_hint=self.locale,
            display_name=name,
        )
        for reply in await self.core.handle(inbound, self.capabilities):
            await self.send(reply)
        await self.core.dispatch({PLATFORM: self})

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
