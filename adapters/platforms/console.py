"""The console adapter: a terminal chat with the bot (`circlebot chat`), also used by the demo."""

from __future__ import annotations

import asyncio
import math
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol, TextIO

from bot.chat.clock import Clock
from bot.chat.contract import Adapter
from bot.chat.i18n import N_
from bot.chat.messages import Attachment, Capabilities, Inbound, Outbound, Receipt
from bot.chat.platforms import Platform, RateLimit
from bot.core import Core

PLATFORM = "console"
# `:wait` ticks at every quarter hour it passes, so what falls due in between comes out in
# order and near its time (a reminder at 17:00 is not shown at 9:00 the next morning, nor
# dropped because its meeting has started), and longer waits stay a few seconds long.
WAIT_STEP = timedelta(minutes=15)
DELIVER_EVERY = timedelta(hours=1)
LONGEST_WAIT = timedelta(weeks=12)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # quarter hours are counted from a whole hour
CLOCK_CURSOR = "clock"  # where the console keeps its time between sessions
# Files people read as they are; the rest (calendars, charts) are for an app, never printed.
READABLE = ("text/plain", "text/markdown", "text/csv")
_DURATION = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")
_META = re.compile(r":[a-z]+(?:\s|$)")  # ":wait 1d", not ":)" or ":-("


def account_id(name: str) -> str:
    """People are told apart by name on the console: 'Amina' and 'amina' are one person."""
    return "-".join(name.casefold().split())


class MovableClock(Clock, Protocol):
    def advance(self, delta: timedelta) -> None: ...


class ConsoleClock:
    """The console's time: the wall clock's, plus whatever the tester skipped with `:wait`.
    Measured on the monotonic clock and only ever moved forward, so it never runs backwards."""

    speed = 1.0

    def __init__(self, start: datetime, wall: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("ConsoleClock needs an aware start")
        self._start = start.astimezone(UTC)
        self._wall = wall
        self._origin = wall()
        self.skipped = timedelta(0)

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._wall() - self._origin) + self.skipped

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("the console's clock never runs backwards")
        self.skipped += delta


def parse_duration(text: str) -> timedelta | None:
    """How long `:wait` skips ("1d", "3h", "30m", "2w", "1d12h"); None when it names no time."""
    match = _DURATION.fullmatch("".join(text.casefold().split()))
    if match is None or not any(match.groups()):
        return None
    weeks, days, hours, minutes = (int(part or 0) for part in match.groups())
    try:
        delta = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
    except OverflowError:  # ":wait 99999999999w": longer than any wait allowed
        return timedelta.max
    return delta or None


class ConsoleAdapter:
    platform = PLATFORM
    # Files are saved to a folder and named; without one (the demo), what people read as it is
    # (a portfolio, a CSV) is shown inline and the rest only named.
    capabilities = Capabilities(max_text_length=4000, buttons=False, files=True)
    # What the core knows of the console. One terminal, one reader: no rate to keep, and sent
    # one at a time, in order, so the demo reads the same each run. Reminders carry no
    # calendar: a file with every reminder would bury them.
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
        *,
        clock: MovableClock | None = None,
        files: Path | None = None,
        zone: str = "UTC",
    ) -> None:
        """`platform` and `capabilities` let the terminal stand in for another platform (the
        demo's SMS learner); `numbers` gives such people a phone number and no name. `clock`
        is the core's, for `:wait` to move; `files` the folder attachments are saved in;
        `zone` the time zone the console's times are shown in."""
        self.core = core
        self.output = output
        self.locale = locale
        self.platform = platform
        self.capabilities = capabilities or ConsoleAdapter.capabilities
        self.numbers = numbers or {}
        self.clock = clock
        self.files = files
        self.zone = zone
        self.tr = core.catalogs.translator(locale)
        self._names: dict[str, str] = {}  # account id -> name as typed, for printing
        # Shown before the next message sent, by this terminal or one standing in beside it
        # (`others`): when it fell due, during a `:wait`. One list, shared with them.
        self._heading: list[str] = []
        # Where due outbox rows go after each message: this adapter, or several in the demo.
        self.delivery: dict[str, Adapter] = {platform: self}
        # Terminals standing in for another platform in the same session (`chat --sms`): the
        # people in their `numbers` write through them.
        self.others: list[ConsoleAdapter] = []
        # People of this terminal are shown by name, also for messages sent before they typed
        # in this session (a number alone says nothing to the tester).
        for person, number in self.numbers.items():
            self._names[number] = self.tr._(
                "%(name)s (%(platform)s)", name=person, platform=platform.upper()
            )

    def beside(self, other: ConsoleAdapter) -> None:
        """`other` stands in for another platform in this session: the people in its `numbers`
        type through it, and what either sends shows under the same time headings."""
        self.others.append(other)
        other._heading = self._heading
        self.delivery[other.platform] = other
        other.delivery = self.delivery

    def name(self, chat_id: str, name: str) -> None:
        """How to print a chat that is nobody's account (the demo's global channel)."""
        self._names[chat_id] = name

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        chat_id = message.address.chat_id
        # Someone not typed as this session: their account, written back as a name ("amina").
        name = self._names.get(chat_id) or " ".join(chat_id.split("-")).title()
        body = message.text
        for attachment in message.attachments:
            body += "\n" + self._file(attachment)
        # Indented under its heading; blank lines stay blank.
        body = "\n".join("    " + line if line else line for line in body.split("\n"))[4:]
        if self._heading:
            self.output.write("\n" + self._heading.pop() + "\n")
        self.output.write(self.tr._("  bot → %(name)s: %(text)s", name=name, text=body) + "\n")
        self.output.flush()
        return Receipt(platform_message_id=uuid.uuid4().hex)

    def _file(self, attachment: Attachment) -> str:
        """An attachment as the terminal shows it: saved and its path given, or without a
        folder, inline when it is meant to be read as it is, else named."""
        if self.files is not None:
            return self.tr._("[file saved: %(path)s]", path=str(self._save(attachment)))
        if attachment.media_type in READABLE:
            content = attachment.data.decode("utf-8-sig", errors="replace").rstrip()  # no BOM
            return self.tr._(
                "[file %(name)s]\n%(content)s", name=attachment.filename, content=content
            )
        return self.tr._("[file %(name)s]", name=attachment.filename)

    def _save(self, attachment: Attachment) -> Path:
        """Write the file under its own name in the folder, never over an earlier one."""
        assert self.files is not None
        self.files.mkdir(parents=True, exist_ok=True)
        name = Path(attachment.filename).name or "file"
        path, number = self.files / name, 1
        while path.exists():
            number += 1
            path = self.files / f"{Path(name).stem}-{number}{Path(name).suffix}"
        path.write_bytes(attachment.data)
        return path

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
            # A phone gives no language (an SMS gateway sends none): the bot guesses it.
            locale_hint=None if me in self.numbers.values() else self.locale,
            display_name=None if me in self.numbers.values() else name,
        )
        for reply in await self.core.handle(inbound, self.capabilities):
            await self.send(reply)
        await self.core.dispatch(self.delivery)

    def when(self, instant: datetime) -> str:
        """A moment as the console shows it, in its zone: "Wednesday, December 9, 2026 ·
        5:00 PM EST"."""
        return self.tr._(
            "%(date)s · %(time)s %(zone)s",
            date=self.tr.date(instant, self.zone),
            time=self.tr.time(instant, self.zone),
            zone=self.tr.zone_name(instant, self.zone),
        )

    async def catch_up(self, deliver: bool = True) -> bool:
        """Run the tick and deliver what is due, under the time it fell due: always when
        `deliver`, else only what the tick found (a notice held back to be gathered with
        others waits for the next). Whether it delivered."""
        now = self.clock.now() if self.clock else self.core.clock.now()
        if not (await self.core.tick()).total and not deliver:
            return False
        self._heading[:] = ["── " + self.when(now) + " ──"]  # printed before the first one sent
        try:
            await self.core.dispatch(self.delivery)
        finally:
            self._heading.clear()
        return True

    async def wait(self, delta: timedelta) -> None:
        """Move the console's clock on by `delta`, a quarter hour at a time, delivering what
        falls due on the way, then say what time it is."""
        assert self.clock is not None
        start = delivered = self.clock.now()
        target = start + delta
        while (now := self.clock.now()) < target:
            step = min(target, now - (now - EPOCH) % WAIT_STEP + WAIT_STEP)  # next quarter
            self.clock.advance(step - now)
            # The outbox is looked at every step in the first hour, where notices held back
            # to be gathered (a join) fall due, then hourly: a week's wait stays a few seconds.
            deliver = step - start <= DELIVER_EVERY or step - delivered >= DELIVER_EVERY
            if await self.catch_up(deliver=deliver or step >= target):
                delivered = step
        await self.core.save_cursor(self.platform, CLOCK_CURSOR, target.isoformat())
        self.output.write(self.tr._("(It is now %(when)s.)", when=self.when(target)) + "\n")

    async def resume(self) -> None:
        """Take the clock to where the last session left it, if that is ahead of now (a
        `:wait` never comes undone), and deliver what fell due since."""
        if self.clock is None:
            return
        saved = await self.core.load_cursor(self.platform, CLOCK_CURSOR)
        if saved is not None:
            ahead = datetime.fromisoformat(saved) - self.clock.now()
            self.clock.advance(max(ahead, timedelta(0)))
        await self.catch_up()

    def help(self) -> str:
        return self.tr._(
            "Console commands (everything else goes to the bot):\n"
            "  :as NAME        become someone else (a learner, another facilitator)\n"
            "  :wait DURATION  move time on, e.g. :wait 1d, :wait 3h, :wait 30m, and see\n"
            "                  the reminders and check-ins that fall due meanwhile\n"
            "  :time           the console's date and time\n"
            "  :help           this list\n"
            "  :quit           leave (time you skipped is kept for next time)"
        )

    async def meta(self, command: str, name: str) -> str | None:
        """Run one console command (`:wait 1d`); who is typing after it, None to leave."""
        word, _, argument = command[1:].partition(" ")
        argument = argument.strip()
        if word in ("quit", "q"):
            return None
        if word == "as":
            name = argument or name
            self.output.write(self.tr._("(you are now %(name)s)", name=name) + "\n")
        elif word == "wait" and self.clock is not None:
            delta = parse_duration(argument)
            if delta is None:
                self.output.write(
                    self.tr._("How long? For example :wait 1d, :wait 3h or :wait 30m.") + "\n"
                )
            elif delta > LONGEST_WAIT:
                self.output.write(self.tr._("At most 12 weeks at a time, please.") + "\n")
            else:
                await self.wait(delta)
        elif word == "time" and self.clock is not None:
            self.output.write(
                self.tr._("(It is %(when)s.)", when=self.when(self.clock.now())) + "\n"
            )
        elif word == "help":
            self.output.write(self.help() + "\n")
        else:
            self.output.write(
                self.tr._(
                    "%(command)s is not a console command; :help lists them.", command=":" + word
                )
                + "\n"
            )
        return name

    async def chat(self, name: str, lines: TextIO) -> None:
        """Read lines until end of input. Lines that start with `:` are for the console
        (`:as NAME`, `:wait 1d`, `:time`, `:help`, `:quit`); the rest go to the bot."""
        interactive = lines.isatty()
        await self.resume()
        if interactive:
            self.output.write(
                self.tr._(
                    "You are %(name)s. Try /help or /newcircle. "
                    "Type :as NAME to become someone else, :wait 1d to move time on, "
                    ":help for more, :quit to leave.",
                    name=name,
                )
                + "\n"
            )
            if self.clock is not None:
                self.output.write(
                    self.tr._("(It is %(when)s.)", when=self.when(self.clock.now())) + "\n"
                )
            if self.files is not None:
                self.output.write(
                    self.tr._("Files the bot sends are saved in %(folder)s", folder=str(self.files))
                    + "\n"
                )
        try:
            await self._read(name, lines, interactive)
        finally:
            if self.clock is not None:  # the next session starts no earlier than this one ended
                now = self.clock.now().isoformat()
                await self.core.save_cursor(self.platform, CLOCK_CURSOR, now)

    async def _read(self, name: str, lines: TextIO, interactive: bool) -> None:
        while True:
            if interactive:
                self.output.write(self.tr._("%(name)s> ", name=name))
                self.output.flush()
            line = await asyncio.to_thread(lines.readline)
            if not line:
                return
            text = line.rstrip("\n")
            if _META.match(text.strip()):
                next_name = await self.meta(text.strip(), name)
                if next_name is None:
                    return
                name = next_name
            elif text.strip():
                speaker = next((other for other in self.others if name in other.numbers), self)
                await speaker.say(name, text, echo=not interactive)
                if self.clock is not None:
                    await self.catch_up()  # time went on while they typed
