"""The neutral message vocabulary shared by the core and every adapter (frozen dataclasses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Address:
    """Where a message goes: a chat on one platform (a private chat, a group, a phone number)."""

    platform: str
    chat_id: str


@dataclass(frozen=True)
class Choice:
    """One answer offered to the reader. `payload` is what comes back when it is picked."""

    label: str
    payload: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Inbound:
    """One message from a person, as an adapter saw it."""

    platform: str
    account_id: str  # the sender's id on that platform
    chat_id: str  # where the message was written (a private chat, a group, a phone number)
    message_id: str  # unique per platform: inbound is de-duplicated on it
    text: str = ""
    payload: str | None = None  # a picked Choice's payload, when the platform has buttons
    locale_hint: str | None = None
    display_name: str | None = None
    is_group: bool = False
    # Where to write to this person privately, when that is not `chat_id` (a message in a group,
    # or a platform whose direct-message channel differs from the user id).
    private_chat_id: str | None = None
    # The answers to this message are seen by its sender alone, though it was sent in a group
    # (a Discord slash command answered ephemerally): private answers may be given in place.
    private_replies: bool = False

    @property
    def address(self) -> Address:
        return Address(self.platform, self.chat_id)


@dataclass(frozen=True)
class Outbound:
    address: Address
    text: str
    choices: tuple[Choice, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    idempotency_key: str | None = None
    # The language it was written in, when it comes from the outbox: for a platform that must
    # wrap it in a pre-approved text of the same language (a message template).
    locale: str | None = field(default=None, compare=False)


class LengthUnit(StrEnum):
    CHARACTERS = "characters"  # Python code points (Discord, console)
    UTF16 = "utf16"  # UTF-16 code units (Telegram counts this way)


class Markup(StrEnum):
    PLAIN = "plain"
    HTML = "html"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class Capabilities:
    max_text_length: int
    length_unit: LengthUnit = LengthUnit.CHARACTERS
    buttons: bool = False
    files: bool = False
    markup: Markup = Markup.PLAIN
    # Replace typography that has a GSM-7 equivalent (curly quotes, dashes, …) before sending, so
    # one apostrophe does not make an SMS cost UCS-2 segments (see bot.chat.segments).
    gsm_safe: bool = False
    # Whether people can send slash commands here. Without them (SMS), a quoted command is
    # written as the keyword to text ("send /rsvp yes" -> "send RSVP YES"): see
    # bot.chat.keywords.for_texting.
    slash_commands: bool = True
    # What plain text needs before this platform shows it as typed (Discord reads Markdown, so
    # a name like *Amina* or a letter's "||" must be escaped). Lengths are counted after it.
    escape: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Receipt:
    """What a platform said when it accepted a message."""

    platform_message_id: str | None = None
    # The platform charges for this message by itself (a pre-approved template sent outside the
    # window in which it carries messages free): reports count them per circle.
    billed: bool = False
