"""The declarative command registry: names, arguments, who may run them, help text.

The router, /help, and every adapter's command menu (Telegram, Discord, SMS keywords) derive
from it, so a command is declared once.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import ALSO_NAMED, former_command, plain, spellings
from bot.chat.keywords import words as keyword_words
from bot.dialogue.command_names import local_name
from bot.dialogue.values import (
    NoSuchDay,
    evening_time,
    hour_alone,
    parse_date,
    parse_number,
    parse_time,
)
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


class InGroup(StrEnum):
    """What a command does when it is sent in a group chat: whether its answer may be seen by
    everyone there. Join codes, names on a roster, a learner's words and files go privately."""

    SHOWN = "shown"  # the answer is about the circle as everyone in it sees it
    PRIVATELY = "privately"  # it runs in the person's private chat; the group hears only that
    ONLY = "only"  # it is about the group itself (/linkchat): answered there, refused elsewhere
    REFUSED = "refused"  # it must not even be typed there (/link CODE would show the code)


GROUP_NOTES = {
    InGroup.PRIVATELY: N_("I've sent it to you privately."),
    InGroup.REFUSED: N_("Please send /%(command)s to me in a private chat, not here."),
    InGroup.ONLY: N_("/%(command)s works in a group chat: send it there."),
}


class ArgKind(StrEnum):
    WORD = "word"
    NUMBER = "number"
    # A meeting's number: checked against the circle's meetings once the circle is known (the
    # router does it after authorization), so a handler never sees meeting 0 or 99.
    MEETING = "meeting"
    DATE = "date"
    TIME = "time"
    REST = "rest"  # everything left on the line, spaces included
    # One of `Arg.choices`, typed in English or the reader's language ("on", "activer"): the
    # handler gets the English word.
    CHOICE = "choice"


@dataclass(frozen=True)
class Arg:
    """One argument: `key` is how handlers read it (stable, never translated); `name` is how
    usage lines show it, in the reader's language."""

    key: str  # e.g. "code"
    name: str  # shown in usage, e.g. N_("CODE")
    kind: ArgKind = ArgKind.WORD
    required: bool = True
    choices: tuple[str, ...] = ()  # CHOICE: the English words, each its own msgid

    def __post_init__(self) -> None:
        if (self.kind is ArgKind.CHOICE) != bool(self.choices):
            raise ValueError(f"argument {self.key!r}: choices go with ArgKind.CHOICE")


Args = dict[str, object]
Handler = Callable[["Context", Args], Awaitable[None]]
Step = Callable[["Context", str], Awaitable[None]]


# Command.after_end of a command about meetings still to come (/schedule, /rsvp, /invite).
STILL_GOING = timedelta(0)
# A guided conversation left unanswered this long is forgotten rather than resumed by surprise.
FLOW_TIMEOUT = timedelta(hours=24)
# A question that only confirms an action (/cancel 3, /leave): a "yes" hours later would act on
# a decision the person no longer has in mind.
CONFIRMATION_TIMEOUT = timedelta(hours=1)
# The state of a flow that asks one question.
ANSWER = "answer"


@dataclass(frozen=True)
class State:
    """One question a flow waits on: `answer` reads what the person sends to it; `skip` is
    what /skip does there (skip the question, take the default offered, or end the flow with
    nothing kept). Without one, the router says the question can't be skipped, and the flow
    waits."""

    name: str
    answer: Step
    skip: Step | None = None


@dataclass(frozen=True)
class Flow:
    """A guided conversation, declared as python-telegram-bot's ConversationHandler is: the
    command that starts it (`entry`), the questions it can be waiting on (`states`, the first
    where it begins; the conversation's data["state"] says which), how long it waits
    (`timeout`), and who may answer. Its fallbacks are the same for every flow, in
    router.PRECEDENCE: /cancel or the word "cancel" stops it; any other command runs and the
    flow keeps waiting; /skip does what the state declares (State.skip).

    Every step is authorized again as the command was: who may act (`access`) on the circle
    the flow is about (the conversation's data["circle"], when it has one), so a flow started
    before /leave, or before a co-facilitator was removed, cannot finish after it. A flow of
    one question may give its `step` (and what /skip does there, `skip`) instead of `states`."""

    name: str
    step: Step | None = None
    access: Access = Access.ANYONE
    entry: str = ""
    states: tuple[State, ...] = ()
    timeout: timedelta = FLOW_TIMEOUT
    skip: Step | None = None

    def __post_init__(self) -> None:
        if not self.states:
            if self.step is None:
                raise ValueError(f"flow {self.name!r} declares no state")
            object.__setattr__(self, "states", (State(ANSWER, self.step, self.skip),))
        names = [state.name for state in self.states]
        if len(set(names)) != len(names):
            raise ValueError(f"flow {self.name!r} declares a state twice")

    def state(self, name: object) -> State | None:
        """The state called `name`; the first when the conversation names none (it began
        before states were stored), None for a state this version no longer has."""
        if name is None:
            return self.states[0]
        return next((state for state in self.states if state.name == name), None)


@dataclass(frozen=True)
class SubCommand:
    """One action of a command with several ("/team add CODE"): its stable key (the English
    word), the word as readers type it in their language, and who may use it."""

    name: str
    word: str  # msgid, marked with N_
    summary: str  # msgid
    args: tuple[Arg, ...] = ()
    access: Access = Access.ANYONE
    example: str = ""
    # Runs it, with its own arguments parsed (the router calls it; without one, the command's
    # handler reads the sub-command from its text).
    handler: Handler | None = None


@dataclass(frozen=True)
class Command:
    name: str
    summary: str  # help text msgid, marked with N_
    handler: Handler
    args: tuple[Arg, ...] = ()
    access: Access = Access.ANYONE
    # Acts on one circle: when the person has several that qualify, the router asks which.
    one_circle: bool = True
    in_group: InGroup = InGroup.PRIVATELY
    # A full example, as /help COMMAND shows it: "/rsvp yes 3".
    example: str = ""
    subcommands: tuple[SubCommand, ...] = ()
    # Its answer is a file (a portfolio, an export): not offered where files can't travel (SMS).
    files: bool = False
    # How long after a circle's last meeting the command still applies to it (STILL_GOING:
    # only while meetings are going on or to come); None: always (a report, the survey). A
    # circle past that is not offered, nor taken as the person's /default, when others are.
    after_end: timedelta | None = None
    # Its words may name the circle it acts on ("/delete Python Saturdays"): that circle is
    # the one, without asking which.
    names_circle: bool = False
    # What it does for someone in none of the circles it acts on, instead of refusing them
    # (/leave: someone waiting for a seat comes off the waiting list). A circle chosen for it
    # that is not one of theirs is in Context.chosen_circle_id.
    no_circle: Handler | None = None

    def subcommand(self, tr: Translator, rest: str) -> SubCommand | None:
        """The sub-command the first word of `rest` names, in English or the reader's
        language, case and accents aside; None if it names none."""
        words = rest.split(maxsplit=1)
        if not words:
            return None
        typed = plain(words[0])
        return next(
            (sub for sub in self.subcommands if typed in {sub.name, plain(tr._(sub.word))}), None
        )

    def as_run(self, sub: SubCommand | None) -> Command:
        """The command as authorized: a sub-command's access, named "team add"."""
        if sub is None:
            return self
        return replace(self, name=self.name + " " + sub.name, access=max(self.access, sub.access))

    def usage(self, tr: Translator, sub: SubCommand | None = None) -> str:
        """ "/rsvp ANSWER [MEETING]"; of a sub-command, "/team add CODE" (in the reader's
        words)."""
        parts = ["/" + self.name]
        if sub is not None:
            parts.append(tr._(sub.word))
        for arg in sub.args if sub is not None else self.args:
            shown = tr._(arg.name)
            parts.append(shown if arg.required else "[" + shown + "]")
        return " ".join(parts)


# Digits a meeting number may be typed with and still be answered "There is no meeting N".
_LONGEST_MEETING_NUMBER = 40


def _convert(arg: Arg, raw: str, tr: Translator) -> object:
    if arg.kind is ArgKind.CHOICE:
        typed = plain(raw)
        for choice in arg.choices:
            if typed in {choice, plain(tr._(choice))}:
                return choice
        raise ValueError(raw)
    if arg.kind is ArgKind.MEETING and not raw.isdecimal():
        # "/skipweek 26 dec": a meeting by its date, made its number once the circle is known
        # (meetings.numbers_for_dates).
        try:
            return parse_date(raw, tr.locale)
        except UserError:
            raise ValueError(raw) from None
    if arg.kind is ArgKind.MEETING and raw.isdecimal() and len(raw) <= _LONGEST_MEETING_NUMBER:
        # Too big for any row, it is refused as no meeting of the circle (check_meetings)
        # before any lookup: "There is no meeting N", not the usage line.
        return int(raw)
    if arg.kind in (ArgKind.NUMBER, ArgKind.MEETING):
        return parse_number(raw)  # too big for any row: the usage line, not a database error
    if arg.kind is ArgKind.DATE:
        return parse_date(raw, tr.locale)  # "Wednesday", "8 décembre": see values.settle
    if arg.kind is ArgKind.TIME:
        # Where a time is asked for, a bare hour is one ("i morgen 19"); in a 12-hour
        # locale, "7" is the evening's, as /newcircle reads it.
        hour = hour_alone(raw)
        return parse_time(raw) if hour is None else evening_time(raw, hour, tr.locale)
    return raw


# A date or time may take several words ("next Wednesday", "December 8 2026", "6:30 pm",
# "a las 6 pm", "am Mittwoch den 17. Februar").
# "saa kumi na mbili na nusu jioni, 18:30" as Swahili replies write it: 7.
_MOST_WORDS = {ArgKind.DATE: 6, ArgKind.TIME: 7}


def _taken(
    arg: Arg, rest: str, tr: Translator, later: int, following: int | None = None
) -> tuple[str, str]:
    """The words of `rest` that are `arg`'s, and what is left: one word, or for a date or time
    the most words (leaving one for each of the `later` required arguments) that read as one.
    `following`: how many arguments of any kind come after (`later` if not given)."""
    words = rest.split()
    most = _MOST_WORDS.get(arg.kind, 1)
    if arg.kind is ArgKind.MEETING:  # its number; or a date ("26 dec", "19 nov")
        # Before a date or time of its own (/reschedule 3 december 8 6pm), a number is it.
        after = later if following is None else following
        numbered = bool(words) and words[0].isdecimal() and after > 0
        most = 1 if numbered else _MOST_WORDS[ArgKind.DATE]
    for count in range(min(most, len(words) - later), 1, -1):
        try:
            _convert(arg, " ".join(words[:count]), tr)
        except NoSuchDay:  # a date, with a day its month lacks: said so, not "not a date"
            return " ".join(words[:count]), " ".join(words[count:])
        except (ValueError, UserError):
            continue
        return " ".join(words[:count]), " ".join(words[count:])
    if arg.kind is ArgKind.TIME and later == 0 and not following and 1 < len(words) <= most:
        # The last words, unread as a time: quoted whole ("saa ishirini"), not by the first.
        return " ".join(words), ""
    raw, rest = [*rest.split(maxsplit=1), "", ""][:2]
    return raw, rest


def usage_of(command: Command, tr: Translator, sub: SubCommand | None = None) -> UserError:
    """The refusal that shows how to use `command` (or one of its sub-commands): its usage line
    and an example."""
    example = sub.example if sub is not None and sub.example else command.example
    if example and not _bare(command, tr, example, sub):
        return UserError(
            N_("Usage: %(usage)s\nFor example: %(example)s"),
            usage=command.usage(tr, sub),
            example=_example_in(tr, example, sub),
        )
    return UserError(N_("Usage: %(usage)s"), usage=command.usage(tr, sub))


def _example_in(tr: Translator, example: str, sub: SubCommand | None) -> str:
    """`example` for this reader: one with words of its own is translated whole; otherwise its
    sub-command's word is the reader's ("/rediger sprog da", not "/rediger language sw"; the
    command's own name is made local where the reply is written)."""
    translated = tr._(example)
    words = translated.split(" ")
    if translated != example or sub is None or len(words) < 2 or words[1] != sub.name:
        return translated
    return " ".join([words[0], tr._(sub.word), *words[2:]])


def _bare(command: Command, tr: Translator, example: str, sub: SubCommand | None) -> bool:
    """Whether `example` is only the command's name (and its sub-command's word): shown as an
    example after its usage line, it says nothing ("For example: /delete")."""
    words = ["/" + command.name] + ([sub.name] if sub is not None else [])
    typed = tr._(example).split()
    return typed == words or (sub is not None and typed == [words[0], tr._(sub.word)])


def parse_args(command: Command, text: str, tr: Translator, sub: SubCommand | None = None) -> Args:
    """Arguments by key (a sub-command's, after its word, when `sub` is given); a usage error
    when they do not fit."""
    usage_error = usage_of(command, tr, sub)
    rest = text.strip()
    if sub is not None:
        rest = [*rest.split(maxsplit=1), ""][1]  # after the sub-command's word
    values: Args = {}
    declared = command.args if sub is None else sub.args
    for index, arg in enumerate(declared):
        if arg.kind is ArgKind.REST:
            raw, rest = rest, ""
        else:
            later = sum(1 for after in declared[index + 1 :] if after.required)
            # An optional REST after a meeting (/cancel's REASON) does not make "10 nov" the
            # meeting 10: only a date or time, or a required argument, after it does.
            following = sum(
                1
                for after in declared[index + 1 :]
                if after.required or after.kind is not ArgKind.REST
            )
            raw, rest = _taken(arg, rest, tr, later, following)
        if not raw:
            if arg.required:
                raise usage_error
            continue
        if _left_to_next(arg, declared[index + 1 :], raw, rest, tr):
            # "/reschedule 4 7pm": an optional date left out, the time given.
            rest = f"{raw} {rest}".strip()
            continue
        try:
            values[arg.key] = _convert(arg, raw, tr)
        except ValueError:
            raise usage_error from None
        except UserError as error:
            usage = tr._(usage_error.message, **usage_error.params)
            raise UserError(
                N_("%(problem)s\n%(usage)s"),
                problem=tr._(error.message, **error.params),
                usage=usage,
            ) from None
    if rest:
        raise usage_error
    return values


def _left_to_next(arg: Arg, following: Sequence[Arg], raw: str, rest: str, tr: Translator) -> bool:
    """Whether `raw` (and `rest` after it) is not the optional `arg`'s but the next argument's
    (a time where an optional date could have been)."""
    # An optional meeting before names or words ("/attendance ruth, tasha"): those words are
    # the next argument's when they are no meeting.
    before_words = (
        arg.kind is ArgKind.MEETING and bool(following) and (following[0].kind is ArgKind.REST)
    )
    if arg.required or not following or (arg.kind not in _MOST_WORDS and not before_words):
        return False
    try:
        _convert(arg, raw, tr)
    except (ValueError, UserError):
        pass
    else:
        return False
    for words in (raw, f"{raw} {rest}".strip()):
        try:
            _convert(following[0], words, tr)
        except (ValueError, UserError):
            continue
        return True
    return False


def check_meetings(args: Iterable[Arg], values: Args, meeting_count: int) -> None:
    """Refuse a meeting number outside the circle's meetings, before any handler looks it up."""
    for arg in args:
        number = values.get(arg.key)
        if arg.kind is ArgKind.MEETING and isinstance(number, int):
            if not 1 <= number <= meeting_count:
                raise UserError(
                    N_("There is no meeting %(number)d. This circle has meetings 1 to %(count)d."),
                    number=number,
                    count=meeting_count,
                )


@dataclass(frozen=True)
class _Spelled:
    """A language's spellings of the command names (Registry.named)."""

    local: dict[str, Command]  # of the names
    also: dict[str, Command]  # of their other words (ALSO_NAMED)
    joined_first: set[str]  # the first word of a name of two joined by "_"


class Registry:
    def __init__(self, commands: Iterable[Command], flows: Iterable[Flow]) -> None:
        self._commands = {command.name: command for command in commands}
        self.flows = {flow.name: flow for flow in flows}
        # Each reader's language's spellings of the command names, then of their other words
        # (ALSO_NAMED), made once per translator: every message names a command (issue 18).
        self._spelled: weakref.WeakKeyDictionary[Translator, _Spelled] = weakref.WeakKeyDictionary()

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())

    def get(self, name: str) -> Command | None:
        return self._commands.get(name)

    def named(self, word: str, tr: Translator) -> Command | None:
        """The command `word` names: its English name, or its name in the reader's language
        as menus show it (a French reader's /aide is /help), or showed it before a rename
        (keywords.FORMER_NAMES: a German reader's /teilen is still /share), or one of its other
        words (keywords.ALSO_NAMED: a French reader's /liste is /roster)."""
        found = self._commands.get(word)
        if found is not None:
            return found
        typed = plain(word)  # "/repondre" for "/répondre", "/naechstes" for "/nächstes"
        spelled = self._spellings(tr)
        found = spelled.local.get(typed) or spelled.also.get(typed)
        return found or self._commands.get(former_command(tr, word) or "")

    def _spellings(self, tr: Translator) -> _Spelled:
        """The spellings of each command's name in `tr`'s language, and of its other words;
        the first command in the registry's order wins a spelling two share."""
        made = self._spelled.get(tr)
        if made is None:
            made = _Spelled({}, {}, set())
            for command in self._commands.values():
                name = local_name(tr, command.name)
                for spelling in spellings(name):
                    made.local.setdefault(spelling, command)
                if "_" in name:
                    made.joined_first.update(spellings(name.split("_")[0]))
                if command.name in ALSO_NAMED:
                    for spelling in keyword_words(tr, ALSO_NAMED[command.name]):
                        made.also.setdefault(spelling, command)
            self._spelled[tr] = made
        return made

    def starts_a_joined_name(self, word: str, tr: Translator) -> bool:
        """Whether `word` is typed as the first of two words that make a command's name in
        `tr`'s language, joined by "_" ("/barua" of Swahili's /barua_zote)."""
        return plain(word) in self._spellings(tr).joined_first

    def named_anywhere(
        self, word: str, tr: Translator, others: Iterable[Translator]
    ) -> Command | None:
        """As `named`, then in the other languages (`others`) when it names one command there:
        someone who switched to English by mistake can still send "/langue fr"."""
        found = self.named(word, tr)
        if found is not None:
            return found
        meant = {command.name for other in others if (command := self.named(word, other))}
        return self._commands[meant.pop()] if len(meant) == 1 else None

    def closest(self, name: str, tr: Translator, access: Access = Access.LEAD) -> str | None:
        """The command a mistyped name most likely meant, among those the person can use, in
        English or their language, as the person would type it (their language's name). A
        guess must be close; one that ends or erases something (/forget, /close, /leave) must
        be very close, so "/trouver" is never answered with "did you mean /forget"."""
        names: dict[str, tuple[str, str]] = {}  # plain form -> (command, name to show)
        for available in self.available_to(access):
            local = local_name(tr, available.name)
            names.setdefault(plain(local), (available.name, local))
            names.setdefault(available.name, (available.name, local))
        typed = plain(name)
        for match in difflib.get_close_matches(typed, list(names), n=3, cutoff=0.6):
            guessed, shown = names[match]
            # Two letters swapped ("/clsoe") is nearly typed too (G4, A23).
            if guessed not in _NEVER_GUESSED or _likeness(typed, match) >= 0.85:
                return shown
            if sorted(typed) == sorted(match):
                return shown
        # A word of one command's description ("/move": "Move one meeting to a new date"),
        # rather than a command that erases something because it looks alike (G4, D54).
        described = [
            command
            for command in self.available_to(access)
            if len(typed) >= 3
            and typed
            in {
                plain(word)
                for summary in (command.summary, tr._(command.summary))
                for word in re.findall(r"\w+", summary)
            }
        ]
        # Of several, one whose description starts with it: "Move one meeting ...", listed first.
        first = [
            command
            for command in described
            if any(
                plain(next(iter(re.findall(r"\w+", summary)), "")) == typed
                for summary in (command.summary, tr._(command.summary))
            )
        ]
        if len(described) == 1 or first:
            return local_name(tr, (first or described)[0].name)
        return None

    def unknown(self, word: str, tr: Translator, access: Access = Access.LEAD) -> str:
        """The answer to /word when there is no such command (`access`: the most the person
        may do anywhere, so a learner is never pointed to a facilitator's command)."""
        closest = self.closest(word.casefold(), tr, access)
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


# Commands that end or erase something: suggested for a mistyped name only when nearly typed.
_NEVER_GUESSED = frozenset({"forget", "close", "leave", "remove", "delete"})


def _likeness(typed: str, name: str) -> float:
    return difflib.SequenceMatcher(None, typed, name).ratio()
