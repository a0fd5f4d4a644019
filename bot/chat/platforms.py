"""What the core knows of a platform: what its adapter declares about itself.

The core names no platform. Each adapter describes its own (a `Platform`): the name its accounts
and outbox rows carry, how it is called to people, how fast it may be written to, what its
messages can hold, what it does differently (keywords typed as plain words, messages billed per
segment, reminders that carry a calendar file) and where its global channel is. The application
shell hands the descriptions to the Core; everything that differs between platforms is read
from them, never from an `if platform == ...`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import phonenumbers

from bot.chat.i18n import Translator
from bot.chat.messages import Address, Capabilities


@dataclass(frozen=True)
class RateLimit:
    """How fast one platform may be written to. Rates are messages per second."""

    overall_per_second: float  # math.inf: no limit
    per_chat_per_second: float | None = None  # None: no limit per chat
    concurrency: int = 8  # sends in flight at once on this platform
    # A group chat's own limit, per minute (Telegram: 20), and how its chat ids begin ("-").
    per_group_per_minute: float | None = None
    group_prefix: str | None = None
    # API calls a file costs beside its text: 1 where each file is its own request (Telegram),
    # 0 where files travel in the message's one request (Discord).
    calls_per_attachment: int = 0

    def __post_init__(self) -> None:
        if self.overall_per_second <= 0 or (self.per_chat_per_second or 1) <= 0:
            raise ValueError("rates must be positive")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if (self.per_group_per_minute or 1) <= 0:
            raise ValueError("rates must be positive")

    def is_group(self, chat_id: str) -> bool:
        return self.group_prefix is not None and chat_id.startswith(self.group_prefix)

    def calls(self, has_text: bool, attachments: int) -> int:
        """The API calls one message costs: its text, then its files where they cost a call."""
        return max(1, int(has_text) + attachments * self.calls_per_attachment)


@dataclass(frozen=True)
class Platform:
    """One platform, as its adapter describes it."""

    name: str  # the key on accounts, addresses and outbox rows
    display_name: str  # how people see it named: an N_() msgid ("reached 2 by %(platform)s")
    capabilities: Capabilities  # what its messages can hold, and how their length is counted
    limit: RateLimit  # how fast the dispatcher may write to it
    # People type words, not slash commands: "JOIN AB12CD", "YES", "NEXT" stand for commands,
    # and the carrier's keywords (STOP, START, HELP) are honoured on the first message.
    keywords: bool = False
    # Every message is billed per segment sent (reports count the segments people received).
    billed_per_segment: bool = False
    # Reminders carry the circle's calendar (.ics): the platform offers a file to open, rather
    # than dropping it or printing it inline where it would bury the reminder.
    calendar_on_reminders: bool = False
    # Its message ids are never given twice (Twilio's MessageSid, Africa's Talking's id) and
    # arrive in webhooks someone could capture and replay: each one handled is remembered for
    # good (bot/dialogue/receipts.py). Not for ids that start again (Telegram's update ids do,
    # at random, after a week without updates): those are remembered as long as resends come.
    permanent_message_ids: bool = False
    # Its accounts are phone numbers, their ids in E.164 ("+254712345678"): people change SIMs,
    # and a record moves to a new number (bot/circles/numbers.py).
    phone_numbers: bool = False
    # The chat where every delivered letter is posted on this platform, if it has one.
    global_channel: str | None = None
    # On a platform people text: the number people in each country text to reach the bot, as
    # (ISO country code, number) pairs, "*" for every other country; None where that country's
    # texts go through a short code or sender name the bot cannot name. Empty: unknown here
    # (the numbers adapters give when they start, Core.reach, are used instead).
    texted_numbers: tuple[tuple[str, str | None], ...] = ()

    @property
    def global_address(self) -> Address | None:
        return Address(self.name, self.global_channel) if self.global_channel else None

    def texted_number(self, country_code: str) -> str | None:
        """The number people in `country_code` text (see texted_numbers); None: none."""
        numbers = dict(self.texted_numbers)
        return numbers.get(country_code.upper(), numbers.get("*"))


class Platforms:
    """The described platforms, by name, in the order they were given."""

    def __init__(self, described: Iterable[Platform] = ()) -> None:
        self._by_name: dict[str, Platform] = {}
        for platform in described:
            if platform.name in self._by_name:
                raise ValueError(f"platform {platform.name!r} is described twice")
            self._by_name[platform.name] = platform

    def __iter__(self) -> Iterator[Platform]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def get(self, name: str) -> Platform | None:
        return self._by_name.get(name)

    def display_name(self, tr: Translator, name: str) -> str:
        """The platform as people call it, in the reader's language (its key when undescribed)."""
        platform = self._by_name.get(name)
        return tr._(platform.display_name if platform else name)

    def keywords(self, name: str) -> bool:
        platform = self._by_name.get(name)
        return platform is not None and platform.keywords

    def phone_numbers(self, name: str) -> bool:
        platform = self._by_name.get(name)
        return platform is not None and platform.phone_numbers

    def calendar_on_reminders(self, name: str) -> bool:
        platform = self._by_name.get(name)
        return platform is not None and platform.calendar_on_reminders

    def billed_per_segment(self) -> list[Platform]:
        return [platform for platform in self if platform.billed_per_segment]

    def texted_number(self, country_code: str, reach: Mapping[str, tuple[str, ...]]) -> str | None:
        """The number people in `country_code` text to reach the bot: as a platform billed per
        text describes it (the gateway that carries their country's messages; None when it
        has no number people can text). Else from `reach` (Core.reach, what adapters give
        when they start): the one in that country when several gateways have one, else the
        first; None when no gateway sends from a number people can text back."""
        numbers: list[str] = []
        for platform in self.billed_per_segment():
            if platform.texted_numbers:
                number = platform.texted_number(country_code)
                if number:
                    return number
                continue  # their texts go through a route with no number to give
            numbers.extend(reach.get(platform.name, ()))
        for number in numbers:
            with contextlib.suppress(phonenumbers.NumberParseException):
                parsed = phonenumbers.parse(number, None)
                if phonenumbers.region_code_for_number(parsed) == country_code.upper():
                    return number
        return numbers[0] if numbers else None

    def global_channels(self) -> tuple[Address, ...]:
        return tuple(p.global_address for p in self if p.global_address is not None)
