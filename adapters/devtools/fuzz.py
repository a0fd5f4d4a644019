"""`circlebot fuzz`: arbitrary messages through the core's router, counting the ones it fails on.

The property: whatever people send (any text, lone surrogates and control characters included,
every command with junk arguments, huge numbers, very long messages, odd names and locale hints,
button payloads, a message sent twice), on SQLite, from a facilitator with a circle, a learner in
it and strangers on the console, SMS and Telegram, in private chats and a group, while the fake
clock moves on and the scheduler ticks, `Core.handle` answers: it raises nothing, logs no error,
never answers with the generic apology ("Sorry, something went wrong", in any shipped language),
and every reply is valid text (it encodes to UTF-8).

tests/core/test_fuzz.py runs it with a few dozen examples on every test run; run_fuzz() with many
(10,000 by default), printing how many it ran, how many failed and how long that took. Both need
hypothesis (the test extra: `pip install -e '.[test]'`).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from adapters.platforms.console import ConsoleAdapter
from adapters.platforms.sms_platform import DESCRIPTION as SMS
from adapters.platforms.telegram_platform import DESCRIPTION as TELEGRAM
from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Inbound, Outbound
from bot.core import Core
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

# Tuesday 20 October 2026, 14:00 UTC.
START = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
# The circle fuzzed around, six weekly meetings from a date; a new one is made once it is over
# (the fake clock moves on), so every example meets a circle in some week of its life.
CIRCLE = (
    '/newcircle name="Fuzz circle" course="Course" venue="Library" city=Detroit country=US '
    "zone=America/Detroit start={start} time=18:00 meetings=6"
)
CIRCLE_WEEKS = 6
# Stands for the current circle's join code in generated text.
CODE = "\x00code\x00"
# The generic apology's msgid (bot/core/router.py), looked for in every shipped language.
APOLOGY = (
    "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment."
)
GROUP_CHAT = "-1001234567890"


@dataclass(frozen=True)
class Sender:
    platform: str
    account_id: str
    display_name: str | None  # None: the platform gives no name (SMS)


# The facilitator (who makes the circle), the learner (who joins it), and people the bot has not
# met: on SMS (keywords, no name) and on Telegram (buttons, a name, a group).
SENDERS = (
    Sender("console", "amina", "Amina"),
    Sender("console", "brian", "Brian"),
    Sender("sms", "+254712345678", None),
    Sender("telegram", "1001", "Chidi"),
)


@dataclass(frozen=True)
class Message:
    """One generated message: who sends what, and how."""

    sender: int  # index into SENDERS
    text: str
    payload: str | None = None  # a button's payload (Telegram)
    display_name: str | None = None  # instead of the sender's own name
    locale_hint: str | None = None
    in_group: bool = False  # Telegram only: written in the group chat
    stranger: bool = False  # from an account the bot has never met (its name is read then)
    again: bool = False  # the same message id as the one before (a gateway resending)
    hours_before: int = 0  # the clock moves on (and the scheduler ticks) before it is sent


@dataclass
class Failure:
    message: Message
    reason: str


class _Errors(logging.Handler):
    """Error records logged by the core while a message is handled."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class FuzzChat:
    """A core on a SQLite file with one circle, its facilitator and one learner."""

    core: Core
    clock: FakeClock
    apologies: frozenset[str]
    commands: tuple[str, ...]
    join_code: str = ""
    circle_ends: datetime = START
    _last_id: str = ""
    _strangers: Iterator[int] = field(default_factory=lambda: itertools.count(10_000_001))
    _errors: _Errors = field(default_factory=_Errors)

    @classmethod
    async def open(cls, database: Path, *, migrate: bool = True) -> FuzzChat:
        """On `database` (an SQLite file; migrated here unless `migrate` is False)."""
        engine = create_engine(f"sqlite:///{database}")
        if migrate:
            await upgrade(engine)
        clock = FakeClock(START)
        platforms = [ConsoleAdapter.description, SMS, TELEGRAM]
        core = Core(engine, clock, random.Random(17), platforms=platforms)
        apologies = frozenset(
            core.catalogs.translator(locale)._(APOLOGY) for locale in core.catalogs.locales
        )
        chat = cls(core, clock, apologies, tuple(command.name for command in core.commands()))
        logging.getLogger("bot").addHandler(chat._errors)
        await chat.new_circle()
        return chat

    async def new_circle(self) -> None:
        """The facilitator makes a circle meeting from next week; the learner joins it."""
        start = (self.clock.now() + timedelta(days=7)).date()
        await self._say(SENDERS[0], "/language en")  # examples may have changed it: read English
        made = await self._say(SENDERS[0], CIRCLE.format(start=start.isoformat()))
        words = made.replace(".", " ").split()
        self.join_code = words[words.index("code:") + 1] if "code:" in words else ""
        await self._say(SENDERS[1], "/join " + self.join_code)
        self.circle_ends = self.clock.now() + timedelta(weeks=CIRCLE_WEEKS + 1)

    async def close(self) -> None:
        logging.getLogger("bot").removeHandler(self._errors)
        await self.core.close()

    async def _say(self, sender: Sender, text: str) -> str:
        inbound = Inbound(
            platform=sender.platform,
            account_id=sender.account_id,
            chat_id=sender.account_id,
            message_id=uuid.uuid4().hex,
            text=text,
            display_name=sender.display_name,
        )
        replies = await self.core.handle(inbound, _capabilities(self.core, sender.platform))
        return "\n".join(reply.text for reply in replies)

    def inbound(self, message: Message) -> Inbound:
        sender = SENDERS[message.sender]
        in_group = message.in_group and sender.platform == "telegram"
        message_id = self._last_id if message.again and self._last_id else uuid.uuid4().hex
        self._last_id = message_id
        account = sender.account_id
        if message.stranger:  # a new number, user id or console name: first contact
            account = str(next(self._strangers))
            account = "+2547" + account.zfill(8) if sender.platform == "sms" else account
        payload = message.payload if sender.platform == "telegram" else None
        return Inbound(
            platform=sender.platform,
            account_id=account,
            chat_id=GROUP_CHAT if in_group else account,
            message_id=message_id,
            text=message.text.replace(CODE, self.join_code),
            payload=None if payload is None else payload.replace(CODE, self.join_code),
            locale_hint=message.locale_hint,
            display_name=message.display_name or sender.display_name,
            is_group=in_group,
            private_chat_id=account if in_group else None,
        )

    async def exchange(self, messages: Sequence[Message]) -> list[Failure]:
        """Send `messages` one by one; what went wrong with each (nothing, when all is well)."""
        failures: list[Failure] = []
        for message in messages:
            self._errors.records.clear()
            try:
                if message.hours_before:
                    self.clock.advance(timedelta(hours=message.hours_before))
                    await self.core.tick()
                if self.clock.now() > self.circle_ends:
                    await self.new_circle()
                inbound = self.inbound(message)
                platform = SENDERS[message.sender].platform
                replies = await self.core.handle(inbound, _capabilities(self.core, platform))
            except Exception as error:
                failures.append(Failure(message, f"raised {error!r}"))
                continue
            failures.extend(Failure(message, reason) for reason in self.problems(replies))
        return failures

    def problems(self, replies: Sequence[Outbound]) -> list[str]:
        found = [
            f"logged {record.levelname} {record.name}: {record.getMessage()}"
            + (f" ({record.exc_info[1]!r})" if record.exc_info else "")
            for record in self._errors.records
        ]
        for reply in replies:
            texts = [
                reply.text,
                *(c.label for c in reply.choices),
                *(c.payload for c in reply.choices),
            ]
            for text in texts:
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    found.append(f"a reply that is not valid text: {text[:80]!r}")
            if any(apology in reply.text for apology in self.apologies):
                found.append("the generic apology")
        return found


# What has broken, or could break, text on its way in: lone surrogates (high and low; two may
# meet and make a pair), NUL and other control characters, CR alone, a byte-order mark, a
# right-to-left override, line and paragraph separators, a combining mark with nothing to combine
# with, the replacement character itself, a non-character, and one beyond the BMP.
TROUBLE = (
    "\ud800", "\udfff", "\ud83d", "\ude00", "\x00", "\x1b", "\x7f", "\x85", "\r", "\r\n",
    "\t", "\ufeff", "\u202e", "\u2028", "\u2029", "\u0301", "\ufffd", "\uffff", "\U0001f600",
)  # fmt: skip


def _spiced(text: str, additions: list[tuple[str, int]]) -> str:
    for piece, at in additions:
        at %= len(text) + 1
        text = text[:at] + piece + text[at:]
    return text


def _capabilities(core: Core, platform: str) -> Capabilities:
    described = core.platforms.get(platform)
    assert described is not None
    return described.capabilities


def messages(chat: FuzzChat) -> SearchStrategy[list[Message]]:
    """One to three messages, mostly to the circle's commands, with arbitrary text around."""
    from hypothesis import strategies as st

    # Any code point, and often those that go wrong: lone surrogates (what a JSON "\\ud800"
    # escape makes), control characters, format characters, combining marks, line separators.
    alphabet = st.one_of(
        st.characters(codec="ascii"),
        st.characters(exclude_categories=()),
        st.characters(categories=["Cs"]),
        st.characters(categories=["Cc"]),
        st.characters(categories=["Cf", "Zl", "Zp", "Co", "Cn", "Mn"]),
    )
    junk = st.text(alphabet, max_size=40)
    huge = st.one_of(
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    )
    words = st.sampled_from(
        [
            "yes", "no", "on", "off", "approve", "reject", "new", "add", "leave", "weekly",
            "checkin", "digest", "letters", "withdraw", "24h", "1h", "sms", "telegram",
            "console", "discord", "en", "sw", "2026-10-29", "2026-02-30", "18:00", "25:99",
            "mon", "#1", 'name="x', "city=", "zone=Mars/Base", "meetings=999999999999",
            "duration=-5", "cancel", CODE,
        ]
    )  # fmt: skip
    argument = st.one_of(words, huge, junk)
    arguments = st.lists(argument, max_size=5).map(" ".join)
    command = st.builds(
        lambda name, at, rest: f"/{name}{at} {rest}",
        st.sampled_from(chat.commands),
        st.sampled_from(["", "", "@circlebot", "@otherbot"]),
        arguments,
    )
    keyword = st.builds(
        lambda word, rest: f"{word} {rest}".strip(),
        st.sampled_from(
            ["YES", "NO", "STOP", "START", "HELP", "JOIN", "NEXT", "LINK", "cancel", "1", "2",
             "3", "5", "0", "skip", "STOPALL", "UNSTOP"]
        ),
        arguments,
    )  # fmt: skip
    aimed = st.builds(
        lambda circle, rest: f"#{circle} /{rest}", huge, st.sampled_from(chat.commands)
    )
    long = st.one_of(
        st.builds(lambda piece, count: piece * count, junk.filter(bool), st.integers(1, 3000)),
        st.builds(lambda count: "a" * count, st.integers(3990, 4010)),
    )
    joining = st.sampled_from([f"/join {CODE}", f"JOIN {CODE}", f"/start {CODE}"])
    plain = st.one_of(command, command, keyword, aimed, joining, long, junk, huge, st.just(""))
    # Hypothesis favours simple text: the characters that go wrong are also put in on purpose.
    trouble = st.lists(
        st.tuples(st.sampled_from(TROUBLE), st.integers(0, 5000)), min_size=1, max_size=4
    )
    text = st.one_of(plain, st.builds(_spiced, plain, trouble))
    name = st.one_of(junk, long, st.builds(_spiced, st.just("Dana"), trouble))
    message = st.builds(
        Message,
        sender=st.integers(0, len(SENDERS) - 1),
        text=text,
        payload=st.one_of(st.none(), st.none(), text, st.builds(lambda n: f"pick:{n}", huge)),
        display_name=st.one_of(st.none(), st.none(), name),
        locale_hint=st.one_of(st.none(), st.sampled_from(["en", "sw", "fr-CA", "xx"]), junk),
        in_group=st.booleans(),
        stranger=st.integers(0, 3).map(lambda n: n == 0),
        again=st.integers(0, 9).map(lambda n: n == 0),
        hours_before=st.sampled_from([0] * 12 + [1, 6, 24, 24 * 7]),
    )
    return st.lists(message, min_size=1, max_size=3)


def run_property(
    chat: FuzzChat,
    runner: asyncio.Runner,
    examples: int,
    on_example: Callable[[list[Failure]], None],
) -> None:
    """Run the property `examples` times on `chat` (in `runner`'s loop); `on_example` gets each
    example's failures and may raise to make hypothesis shrink and report it."""
    from hypothesis import HealthCheck, given, settings

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,  # nothing written beside the caller
        suppress_health_check=list(HealthCheck),
    )
    @given(messages(chat))
    def answered(sent: list[Message]) -> None:
        on_example(runner.run(chat.exchange(sent)))

    answered()


def run_fuzz(examples: int = 10_000, output: TextIO | None = None) -> None:
    """Run the property with `examples` examples outside pytest and print what happened."""
    output = output or sys.stdout
    try:
        from hypothesis.configuration import set_hypothesis_home_dir
    except ImportError:
        output.write("circlebot fuzz needs hypothesis: pip install -e '.[test]'\n")
        raise SystemExit(2) from None
    ran = 0
    failed: list[Failure] = []

    def count(failures: list[Failure]) -> None:
        nonlocal ran
        ran += 1
        failed.extend(failures)

    # The core logs a failed handling with its traceback: counted here, not printed.
    quiet = logging.getLogger("bot")
    propagate, quiet.propagate = quiet.propagate, False
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="circlebot-fuzz-") as directory:
            # Hypothesis's caches go there too, not into a .hypothesis folder where it was run.
            set_hypothesis_home_dir(Path(directory) / ".hypothesis")
            with asyncio.Runner() as runner:
                chat = runner.run(FuzzChat.open(Path(directory) / "fuzz.db"))
                try:
                    run_property(chat, runner, examples, count)
                finally:
                    runner.run(chat.close())
    finally:
        quiet.propagate = propagate
        set_hypothesis_home_dir(None)
    seconds = time.perf_counter() - started
    crashed = len({id(failure.message) for failure in failed})
    output.write(f"fuzz: {ran} examples, {crashed} crashes (0 expected), {seconds:.1f} s\n")
    for failure in failed[:5]:  # the first few, cut short (a message may be 6,000 characters)
        output.write(f"  {failure.reason[:300]}\n    on {repr(failure.message)[:300]}\n")
