"""The circle a person's commands are about when they are in several and don't say which
(/default): chosen once instead of answering "Which circle is that for?" every time."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.circles.meetings import is_link
from bot.dialogue import members
from bot.dialogue.members import starts_with
from bot.storage.models import Circle, Meeting, MeetingStatus, Membership, Person, Role

Entry = tuple[Membership, Circle]


def default_circle(
    person: Person, memberships: list[tuple[Membership, Circle]]
) -> list[tuple[Membership, Circle]]:
    """The memberships a command could act on, narrowed to the person's default circle when it
    is one of them; all of them otherwise (a facilitator command from someone whose default is
    a circle they learn in still asks which of the circles they run)."""
    chosen = [entry for entry in memberships if entry[1].id == person.default_circle_id]
    return chosen or memberships


def choose(session: AsyncSession, person: Person, circle: Circle | None) -> None:
    """Make `circle` the person's default; None: ask again every time."""
    person.default_circle_id = circle.id if circle is not None else None
    session.add(person)


def left(session: AsyncSession, person: Person, circle: Circle) -> None:
    """The person left `circle`: it is no longer their default, even if they come back."""
    if person.default_circle_id == circle.id:
        choose(session, person, None)


def named(
    entries: list[Entry], typed: str, names: list[str] | None = None, numbered: bool = True
) -> list[Entry]:
    """The entries whose circle `typed` names: its join code; its name (or as `names` shows it, one
    per entry), case aside; else those whose name it is the start of ("Python Online" for
    "Python Online - Lunch Hour"), so one that matches alone is found; else, `numbered`, its
    number in the list the entries were offered in ("2"); else those whose name or course
    has every word typed ("spreadsheets", "excel")."""
    shown = names if names is not None else [circle.name for _, circle in entries]
    typed = typed.strip()
    # "#12", as the circle question's buttons send it: typed after a command too ("/brief #12").
    if len(typed) > 1 and typed[0] == "#" and typed[1:].isdecimal() and len(typed) <= 13:
        return [entry for entry in entries if entry[1].id == int(typed[1:])]
    # Its join code names one circle for sure, where two have the same name ("/delete 4TV4WD4").
    coded = [entry for entry in entries if entry[1].join_code.casefold() == typed.casefold()]
    if coded:
        return coded
    exact = [
        entry
        for entry, name in zip(entries, shown, strict=True)
        if typed.casefold() in {entry[1].name.casefold(), name.casefold()}
    ]
    if exact:
        return exact
    started = [
        entry
        for entry, name in zip(entries, shown, strict=True)
        if starts_with(entry[1].name, typed) or starts_with(name, typed)
    ]
    if started:
        return started
    if typed.isdecimal():
        return [entries[int(typed) - 1]] if numbered and 0 < int(typed) <= len(entries) else []
    return [entry for entry in entries if _has_words(entry[1], typed)]


# A word this long may be the start of one ("spreadsheet" for "Spreadsheets").
_SHORTEST_START = 4


# Translators: words that name a circle meeting online, not in a room ("the online one");
# comma-separated, as people write them.
ONLINE = N_("online, on line, virtual, video call")


def mentioned(entries: list[Entry], typed: str, tr: Translator | None = None) -> list[Entry]:
    """The one entry whose circle's name has a word of `typed` ("la de programacion" for
    "Programación básica"), words shorter than _SHORTEST_START aside; none when no circle's,
    or several circles', name does. Failing that, the one whose venue has such a word ("the
    library one"), or the one circle meeting online for ONLINE's words in `tr`'s language
    ("the online one", walk 14)."""
    said = {plain(word) for word in re.split(r"\W+", typed) if len(plain(word)) >= _SHORTEST_START}

    def one(words_of: Callable[[Circle], set[str]]) -> list[Entry]:
        found = [entry for entry in entries if said & words_of(entry[1])]
        return found if len(found) == 1 else []

    by_venue = one(
        lambda circle: set()
        if is_link(circle.venue)
        else {plain(word) for word in re.split(r"\W+", circle.venue)}
    )
    named = one(lambda circle: {plain(word) for word in re.split(r"\W+", circle.name)})
    if named or by_venue or tr is None:
        return named or by_venue
    phrases = {plain(phrase) for phrase in f"{ONLINE},{tr._(ONLINE)}".split(",")} - {""}
    if not any(phrase in plain(typed) for phrase in phrases):
        return []
    online = [entry for entry in entries if is_link(entry[1].venue)]
    return online if len(online) == 1 else []


def _has_words(circle: Circle, typed: str) -> bool:
    """Whether every word of `typed` is a word of the circle's name or course title, or the
    start of one; a word or two of three letters or fewer alone names nothing ("to", "the")."""
    asked = [plain(word) for word in re.split(r"\W+", typed) if plain(word)]
    if not asked or all(len(word) < _SHORTEST_START for word in asked):
        return False
    own = {plain(word) for word in re.split(r"\W+", f"{circle.name} {circle.course_title}")}
    own.discard("")
    return all(
        word in own or (len(word) >= _SHORTEST_START and any(mine.startswith(word) for mine in own))
        for word in asked
    )


async def still_going(
    session: AsyncSession, entries: list[Entry], after_end: timedelta, now: datetime
) -> list[Entry]:
    """The entries whose circle a command about meetings applies to: one whose last meeting
    ended less than `after_end` ago, or that still meets (meetings.is_over, with a delay). A
    circle whose meetings were all cancelled has ended."""
    ids = [circle.id for _, circle in entries]
    rows = await session.exec(
        select(Meeting.circle_id, func.max(Meeting.ends_at))
        .where(col(Meeting.circle_id).in_(ids), Meeting.status != MeetingStatus.CANCELLED)
        .group_by(col(Meeting.circle_id))
    )
    last: dict[int | None, datetime] = dict(rows.all())
    return [
        entry
        for entry in entries
        if (ended := last.get(entry[1].id)) is not None and ended + after_end > now
    ]


async def ended_early(session: AsyncSession, entries: list[Entry], now: datetime) -> list[Entry]:
    """The entries whose circle has a meeting still planned ahead that was cancelled: one
    closed before its planned end (or with a week off). A facilitator may still mean it,
    right after closing it: it answers that it has finished rather than another circle
    quietly taking the change."""
    return await _with_meetings(
        session,
        entries,
        Meeting.status == MeetingStatus.CANCELLED,
        col(Meeting.starts_at) > now,
    )


async def with_cancelled(session: AsyncSession, entries: list[Entry], number: int) -> list[Entry]:
    """The entries whose circle's meeting `number` is cancelled (what /uncancel can bring
    back, or say it can't)."""
    return await _with_meetings(
        session, entries, Meeting.status == MeetingStatus.CANCELLED, Meeting.number == number
    )


async def have_met(session: AsyncSession, entries: list[Entry], now: datetime) -> list[Entry]:
    """The entries whose circle has held a meeting (one that has ended): a check-in to give."""
    return await _with_meetings(
        session, entries, Meeting.status != MeetingStatus.CANCELLED, col(Meeting.ends_at) <= now
    )


async def meeting_started(
    session: AsyncSession, entries: list[Entry], number: int | None, by: datetime
) -> list[Entry]:
    """The entries whose circle's meeting `number` (any, None) has started by `by`: attendance
    can be taken for it."""
    numbered = (Meeting.number == number,) if number is not None else ()
    return await _with_meetings(
        session,
        entries,
        *numbered,
        Meeting.status != MeetingStatus.CANCELLED,
        col(Meeting.starts_at) <= by,
    )


async def meeting_to_come(
    session: AsyncSession, entries: list[Entry], number: int, now: datetime
) -> list[Entry]:
    """The entries whose circle's meeting `number` is still to come (an RSVP can answer it)."""
    return await _with_meetings(
        session,
        entries,
        Meeting.number == number,
        Meeting.status != MeetingStatus.CANCELLED,
        col(Meeting.starts_at) > now,
    )


async def _with_meetings(
    session: AsyncSession, entries: list[Entry], *conditions: Any
) -> list[Entry]:
    ids = [circle.id for _, circle in entries]
    rows = await session.exec(
        select(Meeting.circle_id).where(col(Meeting.circle_id).in_(ids), *conditions).distinct()
    )
    found = set(rows.all())
    return [entry for entry in entries if entry[1].id in found]


async def meeting_now(
    session: AsyncSession,
    entries: list[Entry],
    now: datetime,
    early: timedelta,
    after_end: timedelta,
    number: int | None = None,
) -> list[Entry]:
    """The entries whose circle has a meeting on now: started (or starting within `early`),
    and not over more than `after_end` ago; with `number`, that meeting. Taking attendance, or
    saying /here, is about that meeting, whichever circle is the person's /default."""
    ids = [circle.id for _, circle in entries]
    query = select(Meeting.circle_id).where(
        col(Meeting.circle_id).in_(ids),
        Meeting.status != MeetingStatus.CANCELLED,
        col(Meeting.starts_at) <= now + early,
        col(Meeting.ends_at) > now - after_end,
    )
    if number is not None:
        query = query.where(Meeting.number == number)
    rows = await session.exec(query)
    on = set(rows.all())
    return [entry for entry in entries if entry[1].id in on]


async def with_member(
    session: AsyncSession, entries: list[Entry], typed: str, roles: frozenset[Role] = frozenset()
) -> list[Entry]:
    """The entries whose circle has a member `typed` names (a name or the start of one, as
    /cofacilitator reads it); all of them when it names someone in several, or in none.
    Where the member has one of `roles` (the command can do something with them: a learner
    made co-facilitator), only those circles: Grace already co-facilitating one circle is
    made co-facilitator of the other without asking which."""
    if not typed.strip() or typed.strip().isdecimal():
        return entries
    found, fitting = [], []
    for entry in entries:
        assert entry[1].id is not None
        roster = await members.roster(session, entry[1].id)
        named = [roster[n - 1] for n in members.called(roster, typed)]
        if named:
            found.append(entry)
        if any(e.membership.role in roles for e in named):
            fitting.append(entry)
    if fitting and len(found) > 1:
        return fitting
    return found if len(found) == 1 else entries
