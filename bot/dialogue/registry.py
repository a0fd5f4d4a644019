"""The declarative command registry: names, arguments, who may run them, help text.

The router, /help, and every adapter's command menu (Telegram, Discord, SMS keywords) derive
from it, so a command is declared once.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.dialogue.values import parse_date, parse_number, parse_time
from bot.storage.models import FACILITATING, Role

if TYPE_CHECKING:
    from bot.dialogue.context import Context


class Access(IntEnum):
    """Who may run a command; each level includes the ones above it."""

    ANYONE = 0
    MEMBER = 1  # any current member of a circle
    FACILITATOR = 2  # facilitator or co-facilitator
    LEAD = 3  # the circle's facilitator only


def roles_for(access: Access) -> tuple[Role, ...]:
    """The membership roles that may run a command of this access level."""
    if access is Access.LEAD:
        return (Role.FACILITATOR,)
    if access is Access.FACILITATOR:
        return FACILITATING
    return tuple(Role)


ACCESS_NAMES = {
    Access.ANYONE: N_("anyone"),
    Access.MEMBER: N_("a member of a circle"),
    Access.FACILITATOR: N_("a facilitator or co-facilitator"),
    Access.LEAD: N_("the circle's facilitator"),
}


class ArgKind(StrEnum):
    WORD = "word"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    REST = "rest"  # everything left on the line, spaces included


@dataclass(frozen=True)
class Arg:
    name: str  # shown in usage, e.g. N_("CODE")
    kind: ArgKind = ArgKind.WORD
    required: bool = True


Args = dict[str, object]
Handler = Callable[["Context", Args], Awaitable[None]]
Flow = Callable[["Context", str], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    name: str
    summary: str  # help text msgid, marked with N_
    handler: Handler
    args: tuple[Arg, ...] = ()
    access: Access = Access.ANYONE
    # Acts on one circle: when the person has several that qualify, the router asks which.
    one_circle: bool = True

    def usage(self, tr: Translator) -> str:
        parts = ["/" + self.name]
        for arg in self.args:
            shown = tr._(arg.name)
            parts.append(shown if arg.required else "[" + shown + "]")
        return " ".join(parts)


def _convert(arg: Arg, raw: str) -> object:
    if arg.kind is ArgKind.NUMBER:
        return parse_number(raw)  # too big for any row: the usage line, not a database error
    if arg.kind is ArgKind.DATE:
        return parse_date(raw)
    if arg.kind is ArgKind.TIME:
        return parse_time(raw)
    return raw


def parse_args(command: Command, text: str, tr: Translator) -> Args:
    """Arguments by name (Arg.name as key); a usage error when they do not fit."""
    usage_error = UserError(N_("Usage: %(usage)s"), usage=command.usage(tr))
    rest = text.strip()
    values: Args = {}
    for arg in command.args:
        if arg.kind is ArgKind.REST:
            raw, rest = rest, ""
        else:
            raw, rest = [*rest.split(maxsplit=1), "", ""][:2]
        if not raw:
            if arg.required:
                raise usage_error
            continue
        try:
            values[arg.name] = _convert(arg, raw)
        except ValueError:
            raise usage_error from None
        except UserError as error:
            raise UserError(
                N_("%(problem)s\nUsage: %(usage)s"),
                problem=tr._(error.message, **error.params),
                usage=command.usage(tr),
            ) from None
    if rest:
        raise usage_error
    return values


class Registry:
    def __init__(self, commands: Iterable[Command], flows: dict[str, Flow]) -> None:
        self._commands = {command.name: command for command in commands}
        self.flows = flows

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def get(self, name: str) -> Command | None:
        return self._commands.get(name)

    def closest(self, name: str) -> str | None:
        matches = difflib.get_close_matches(name, list(self._commands), n=1, cutoff=0.5)
        return matches[0] if matches else None

    def unknown(self, word: str, tr: Translator) -> str:
        """The answer to /word when there is no such command."""
        closest = self.closest(word.casefold())
        if closest:
            return tr._(
                "I don't know /%(command)s. Did you mean /%(closest)s? "
                "Send /help to see all commands.",
                command=word,
                closest=closest,
            )
        return tr._("I don't know /%(command)s. Send /help to see all commands.", command=word)

    def available_to(self, access: Access) -> list[Command]:
        return [command for command in self._commands.values() if command.access <= access]
