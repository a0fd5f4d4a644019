"""Circles: creation with validation, joining by code, leaving, the roster and roles."""

from __future__ import annotations

import difflib
import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from sqlalchemy import bindparam
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator, format_day
from bot.chat.keywords import plain
from bot.circles import away, joincodes, meetings, timezones
from bot.dialogue.members import RosterEntry
from bot.dialogue.values import count_in_sentence, parse_date, parse_time
from bot.storage.database import created_here, insert_row, new_row
from bot.storage.models import (
    FACILITATING,
    Account,
    Circle,
    CircleStatus,
    Meeting,
    Membership,
    Person,
    Question,
    Role,
)

MAX_MEETINGS = 52
MIN_DURATION, MAX_DURATION = 15, 480  # minutes
MAX_LEAD_TIME = timedelta(days=2 * 366)  # how far ahead a first meeting may be
ROLE_NAMES = {
    Role.FACILITATOR: N_("facilitator"),
    Role.COFACILITATOR: N_("co-facilitator"),
    Role.LEARNER: N_("learner"),
}

_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}
# Weekday names of every language the bot speaks ("jeudi", "Donnerstag", "alhamisi", "tors"),
# wide and abbreviated, matched without case or accents. English keeps its short forms above.
WEEKDAY_LANGUAGES = ("en", "es", "fr", "de", "sw", "da")


def _plain_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip().rstrip(".")


def _weekday_names() -> dict[str, int]:
    names = {name: index for name, index in _WEEKDAYS.items()}
    for code in WEEKDAY_LANGUAGES:
        days = Locale.parse(code).days
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for index, name in days[context][width].items():
                    names.setdefault(_plain_word(name), index)
    return names


@cache
def _all_weekdays() -> dict[str, int]:
    # Built when first needed: reading six languages' data costs a tenth of a second at every
    # `circlebot` start otherwise.
    return _weekday_names()


def _not_a_weekday(text: str) -> UserError:
    return UserError(
        N_(
            "“%(text)s” is not a weekday I know. Use a day's name or its short form: mon, tue, "
            "wed, thu, fri, sat or sun."
        ),
        text=text,
    )


def parse_weekday(text: str) -> int:
    key = _plain_word(text)
    if key in _all_weekdays():
        return _all_weekdays()[key]
    raise _not_a_weekday(text)


def check_meeting_count(count: int) -> int:
    if not 1 <= count <= MAX_MEETINGS:
        raise UserError(
            N_("The number of meetings must be a whole number from 1 to %(max)d."),
            max=MAX_MEETINGS,
        )
    return count


def check_duration(minutes: int) -> int:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        raise UserError(
            N_("A meeting lasts from %(min)d to %(max)d minutes."),
            min=MIN_DURATION,
            max=MAX_DURATION,
        )
    return minutes


def _whole_number(text: str) -> int:
    text = text.strip()
    return int(text) if text.isdecimal() and len(text) <= 4 else 0


def parse_count(text: str) -> int:
    """A number of meetings in figures or words: "6", "six weeks", "sita", "huit", "vi mødes
    7 gange"."""
    return check_meeting_count(count_in_sentence(text) or 0)


def parse_duration(text: str) -> int:
    return check_duration(_whole_number(text))


# Territories Babel names that are no country a circle meets in.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO"}


def _is_country(code: str) -> bool:
    return (
        len(code) == 2
        and code.isalpha()
        and code not in _NOT_COUNTRIES
        and code in Locale("en").territories
    )


@cache
def _country_names() -> dict[str, str]:
    """Plain country names and codes -> two-letter code: "kenya", "allemagne", "usa", "uk".

    Names in every language the bot speaks (Babel's territory names, so a French reader's
    "Allemagne" works without knowing who typed it), and the three-letter codes and old
    aliases CLDR maps to exactly one country (USA, DEU, KEN, UK)."""
    names: dict[str, str] = {}
    for alias, targets in get_global("territory_aliases").items():
        if alias.isalpha() and len(targets) == 1 and _is_country(targets[0]):
            names.setdefault(plain(alias), targets[0])
    for language in WEEKDAY_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if _is_country(code):
                names.setdefault(plain(name), code)
    return names


# Names people use that CLDR doesn't give as a territory's name ("United States of America").
_OTHER_NAMES = {
    plain(name): code
    for code, names in (
        (
            "US",
            "United States of America, America, Amerika, U.S., États-Unis d'Amérique, "
            "Estados Unidos de América, Vereinigte Staaten von Amerika, Amerikas Forenede Stater",
        ),
        ("GB", "Great Britain, Britain, England, Scotland, Wales, Northern Ireland"),
        ("CI", "Ivory Coast"),
        ("CD", "DRC, DR Congo"),
    )
    for name in names.split(", ")
}
# "the United States", "le Sénégal", "la France", "die Schweiz".
_ARTICLES = re.compile(r"^(the|le|la|les|l'|el|los|die|der|das)\s*", re.IGNORECASE)


def parse_country(text: str) -> str:
    """A country as two letters (US), three (USA) or its name in any language the bot speaks
    ("Kenya", "Sénégal", "Allemagne", "United States of America"); a name one letter off
    ("Senagal") too."""
    code = text.strip().upper()
    if _is_country(code):
        return code
    typed = plain(_ARTICLES.sub("", text.strip()))
    found = _country_names().get(typed) or _OTHER_NAMES.get(typed) or _OTHER_NAMES.get(plain(text))
    if found is None and len(typed) > 4:
        close = difflib.get_close_matches(typed, list(_country_names()), n=1, cutoff=0.85)
        found = _country_names()[close[0]] if close else None
    if found is not None:
        return found
    raise UserError(
        N_("“%(text)s” is not a country code I know. Use two letters, like US, KE or DE."),
        text=text,
    )


def parse_language(text: str) -> str:
    try:
        return str(Locale.parse(text.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        raise UserError(
            N_("“%(text)s” is not a language code I know. Use one like en, es, fr or sw."),
            text=text,
        ) from None


# A word that looks like a web address: a scheme, or a dotted host ending in letters.
_LINK_LIKE = re.compile(r"^(https?://\S+|(?:[\w-]+\.)+[a-z]{2,}(?:[/?#]\S*)?)$", re.IGNORECASE)


def link_in(text: str) -> str | None:
    """The first word of `text` that looks like a web address, with https:// when typed
    without ("py4e.com i think" -> "https://py4e.com"); None if no word does."""
    for word in text.split():
        word = word.strip("<>()[]\"'“”,;")
        if _LINK_LIKE.match(word):
            return word if "://" in word else "https://" + word
    return None


def parse_url(text: str) -> str:
    """A web address; one typed without its scheme ("www.py4e.com") is taken as https://, and
    words around it ("py4e.com i think") are left out."""
    typed = link_in(text) or text.strip()
    parsed = urlparse(typed)
    if parsed.scheme in ("http", "https") and parsed.netloc and len(typed) <= 500:
        return typed
    raise UserError(N_("Please give the course link as a web address starting with https://."))


def _text(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        cleaned = " ".join(text.split())
        if not cleaned:
            raise UserError(N_("This can't be empty."))
        if len(cleaned) > limit:
            raise UserError(N_("Please keep this under %(limit)d characters."), limit=limit)
        return cleaned

    return parse


# Words that stay small inside a place's name ("Dar es Salaam", "Rio de Janeiro").
_SMALL_WORDS = {"es", "de", "da", "do", "dos", "das", "del", "la", "le", "les", "du", "des", "am"}


# The two letters of a US state or a Canadian province, as written after a city ("Cleveland,
# OH"): typed lower-case ("cleveland oh"), they are capitals, not a word (A17).
_STATES = set(
    "al ak az ar ca co ct dc fl ga hi id il in ia ks ky ma md me mi mn ms mo mt ne nv nh nj "
    "nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy ab bc mb nb nl ns nt nu on pe "
    "qc sk yt".split()
)


def parse_city(text: str) -> str:
    """A city or town as typed, with capitals when it was typed all lower-case ("detroit" ->
    "Detroit"; "cleveland oh" -> "Cleveland, OH"): it travels on every notice and letter. Any
    capital typed is kept ("McAllen")."""
    city = _text(120)(text)
    if city != city.lower():
        return city
    words = city.split(" ")
    state = None
    if len(words) > 1 and words[-1] in _STATES and words[-2].rstrip(","):
        state = words.pop().upper()
        words[-1] = words[-1].rstrip(",")
    named = " ".join(
        word
        if i and word in _SMALL_WORDS
        else "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
        for i, word in enumerate(words)
    )
    return f"{named}, {state}" if state else named


class Field(StrEnum):
    """The fields of a new circle, by the key used in `/newcircle key=value`."""

    NAME = "name"
    COURSE = "course"
    URL = "url"
    VENUE = "venue"
    CITY = "city"
    COUNTRY = "country"
    ZONE = "zone"
    START = "start"
    WEEKDAY = "weekday"
    TIME = "time"
    MEETINGS = "meetings"
    DURATION = "duration"
    LANGUAGE = "language"


PARSERS: dict[Field, Callable[[str], object]] = {
    Field.NAME: _text(120),
    Field.COURSE: _text(200),
    Field.URL: parse_url,
    Field.VENUE: _text(200),
    Field.CITY: parse_city,
    Field.COUNTRY: parse_country,
    Field.ZONE: timezones.resolve,
    Field.START: parse_date,
    Field.WEEKDAY: parse_weekday,
    Field.TIME: parse_time,
    Field.MEETINGS: parse_count,
    Field.DURATION: parse_duration,
    Field.LANGUAGE: parse_language,
}
REQUIRED = (
    Field.NAME,
    Field.COURSE,
    Field.VENUE,
    Field.CITY,
    Field.COUNTRY,
    Field.ZONE,
    Field.START,
    Field.TIME,
)
DEFAULT_MEETINGS = 6
DEFAULT_DURATION = 90


def parse_field(field: Field, text: str) -> object:
    return PARSERS[field](text)


@dataclass(frozen=True)
class CircleDraft:
    name: str
    course_title: str
    venue: str
    city: str
    country_code: str
    timezone: str
    start_date: date
    start_time: time
    language: str
    course_url: str | None = None
    weekday: int | None = None  # default: the start date's weekday
    meeting_count: int = DEFAULT_MEETINGS
    duration_minutes: int = DEFAULT_DURATION

    @classmethod
    def from_fields(cls, values: dict[Field, object], language: str) -> CircleDraft:
        return cls(
            name=str(values[Field.NAME]),
            course_title=str(values[Field.COURSE]),
            venue=str(values[Field.VENUE]),
            city=str(values[Field.CITY]),
            country_code=str(values[Field.COUNTRY]),
            timezone=str(values[Field.ZONE]),
            start_date=values[Field.START],  # type: ignore[arg-type]
            start_time=values[Field.TIME],  # type: ignore[arg-type]
            language=str(values.get(Field.LANGUAGE, language)),
            course_url=values.get(Field.URL),  # type: ignore[arg-type]
            weekday=values.get(Field.WEEKDAY),  # type: ignore[arg-type]
            meeting_count=values.get(Field.MEETINGS, DEFAULT_MEETINGS),  # type: ignore[arg-type]
            duration_minutes=values.get(Field.DURATION, DEFAULT_DURATION),  # type: ignore[arg-type]
        )


async def create(
    session: AsyncSession,
    now: datetime,
    rng: random.Random,
    facilitator: Person,
    draft: CircleDraft,
) -> Circle:
    """A new circle with its facilitator and every meeting materialised."""
    zone = timezones.resolve(draft.timezone)
    weekday = draft.start_date.weekday() if draft.weekday is None else draft.weekday
    first_day = meetings.first_meeting_date(draft.start_date, weekday)
    check_meeting_count(draft.meeting_count)
    check_duration(draft.duration_minutes)
    if not 0 <= weekday <= 6:
        raise _not_a_weekday(str(weekday))
    first_start = meetings.local_instant(first_day, draft.start_time, zone)
    if first_start <= now:
        raise UserError(N_("The first meeting can't be in the past."))
    if first_start > now + MAX_LEAD_TIME:
        raise UserError(N_("The first meeting should be within the next two years."))
    assert facilitator.id is not None
    circle = Circle(
        name=draft.name,
        course_title=draft.course_title,
        course_url=draft.course_url,
        venue=draft.venue,
        city=draft.city,
        country_code=draft.country_code,
        timezone=zone,
        language=draft.language,
        weekday=weekday,
        start_time=draft.start_time,
        duration_minutes=draft.duration_minutes,
        meeting_count=draft.meeting_count,
        start_date=first_day,
        join_code=await joincodes.unused_code(session, rng),
        created_at=now,
    )
    session.add(circle)
    await session.flush()
    assert circle.id is not None
    session.add(
        Membership(
            circle_id=circle.id,
            person_id=facilitator.id,
            role=Role.FACILITATOR,
            joined_at=now,
            facilitated=True,
        )
    )
    session.add_all(meetings.plan(circle))
    await session.flush()
    return circle


class JoinOutcome(StrEnum):
    JOINED = "joined"
    ALREADY_MEMBER = "already_member"
    UNKNOWN_CODE = "unknown_code"
    SLOW_DOWN = "slow_down"
    CLOSED = "closed"  # closed, or over: no meeting going on or still to come
    # Taken off by a facilitator (/remove): the code doesn't bring them back, the facilitator
    # does (/letback); leaving on one's own doesn't count.
    REMOVED = "removed"


@dataclass(frozen=True)
class JoinResult:
    outcome: JoinOutcome
    circle: Circle | None = None
    wait: timedelta | None = None
    # JOINED: the circle's meetings, read to see it is not over (meetings.schedule).
    planned: list[Meeting] | None = None
    # JOINED again after leaving: when she had left (she is welcomed back, not as new).
    away_since: datetime | None = None


async def join(
    session: AsyncSession,
    now: datetime,
    person: Person,
    account: Account,
    typed_code: str,
    found: Circle | None = None,
) -> JoinResult:
    """Join by code. Wrong codes are counted per account and slow further tries down.
    `found`: the circle the code names, if the caller looked it up already."""
    assert account.id is not None and person.id is not None
    # Lock the account row so simultaneous tries from one account are counted one at a time
    # (PostgreSQL; SQLite already has one writer at a time, and no statement is needed there).
    if session.get_bind().dialect.name != "sqlite":
        await session.exec(select(Account.id).where(Account.id == account.id).with_for_update())
    # Someone new this message (people.identify) has tried no code and joined nothing yet.
    new = created_here(session, Person, person.id)
    wait = None if new else await joincodes.wait_before_next_try(session, account.id, now)
    if wait is not None:
        return JoinResult(JoinOutcome.SLOW_DOWN, wait=wait)
    code = joincodes.normalize(typed_code)
    # Look-alikes (S for 5) are read either way (joincodes.readings).
    circle = found if found is not None and found.join_code in joincodes.readings(code) else None
    if circle is None:
        circle = await joincodes.circle_by_code(session, code)
    if circle is None:
        await joincodes.record_wrong_code(session, account.id, now)
        return JoinResult(JoinOutcome.UNKNOWN_CODE)
    if circle.status != CircleStatus.ACTIVE:
        return JoinResult(JoinOutcome.CLOSED, circle)
    assert circle.id is not None and person.id is not None  # both stored rows
    membership = None if new else await membership_of(session, circle.id, person.id)
    if membership is not None and membership.left_at is None:
        return JoinResult(JoinOutcome.ALREADY_MEMBER, circle)
    if membership is not None and membership.removed_at is not None:
        return JoinResult(JoinOutcome.REMOVED, circle)
    # Read whole, once: the welcome tells of the next meeting and those held (issue 18).
    planned = await meetings.schedule(session, circle.id)
    if meetings.upcoming_of(planned, now) is None:  # is_over: no meeting going on or to come
        return JoinResult(JoinOutcome.CLOSED, circle)
    away_since = None
    if membership is None:
        joined = new_row(
            Membership, circle_id=circle.id, person_id=person.id, role=Role.LEARNER, joined_at=now
        )
        await insert_row(session, joined)  # a plain INSERT (issue 18)
    else:  # coming back after /leave
        # The first join stands (lang 29, 31): the meetings she came to before leaving stay
        # hers, in the report and in "the group has met N times" for those who join later.
        # The time away is kept (issue 16): the meetings held meanwhile are not hers.
        away_since = away.come_back(session, membership, now)
        membership.role = Role.LEARNER
        session.add(membership)
        await session.flush()
    return JoinResult(JoinOutcome.JOINED, circle, planned=planned, away_since=away_since)


async def membership_of(session: AsyncSession, circle_id: int, person_id: int) -> Membership | None:
    params = {"circle_id": circle_id, "person_id": person_id}
    return (await session.exec(_MEMBERSHIP, params=params)).first()


# Built once: a join binds only the circle and the person.
_MEMBERSHIP = select(Membership).where(
    Membership.circle_id == bindparam("circle_id"), Membership.person_id == bindparam("person_id")
)


async def active_memberships(
    session: AsyncSession, person_id: int, roles: tuple[Role, ...] = tuple(Role)
) -> list[tuple[Membership, Circle]]:
    """The person's current circles, most recently joined first."""
    rows = await session.exec(
        select(Membership, Circle)
        .join(Circle, col(Circle.id) == Membership.circle_id)
        .where(
            Membership.person_id == person_id,
            col(Membership.left_at).is_(None),
            col(Membership.role).in_(roles),
            Circle.status == CircleStatus.ACTIVE,
        )
        .order_by(col(Membership.joined_at).desc(), col(Membership.id).desc())
    )
    return [(membership, circle) for membership, circle in rows.all()]


# A learner who left a circle this lately, writing again, is still known as one of its own.
LEFT_LATELY = timedelta(days=60)


async def left_lately(
    session: AsyncSession, person_id: int, now: datetime
) -> tuple[Membership, Circle] | None:
    """The circle the person last left as a learner (/leave) within LEFT_LATELY, if it is still
    going and its join code still brings her back (not taken off it with /remove)."""
    rows = await session.exec(
        select(Membership, Circle)
        .join(Circle, col(Circle.id) == Membership.circle_id)
        .where(
            Membership.person_id == person_id,
            col(Membership.left_at) >= now - LEFT_LATELY,
            col(Membership.removed_at).is_(None),
            Membership.role == Role.LEARNER,
            Circle.status == CircleStatus.ACTIVE,
        )
        .order_by(col(Membership.left_at).desc(), col(Membership.id).desc())
    )
    for membership, circle in rows.all():
        assert circle.id is not None
        if not await meetings.is_over(session, circle.id, now):
            return membership, circle
    return None


async def left_as_learner(session: AsyncSession, person_id: int) -> list[Circle]:
    """The circles the person left as a learner (/leave, not /remove), the last left first."""
    rows = await session.exec(
        select(Circle)
        .join(Membership, col(Circle.id) == Membership.circle_id)
        .where(
            Membership.person_id == person_id,
            col(Membership.left_at).is_not(None),
            col(Membership.removed_at).is_(None),
            Membership.role == Role.LEARNER,
        )
        .order_by(col(Membership.left_at).desc(), col(Membership.id).desc())
    )
    return list(rows.all())


# To a learner who left a circle still going and writes again (left_lately): when, and its
# join code, in her private chat.
CAME_BACK = N_(
    "You left %(circle)s on %(date)s. You're welcome back any time: send /join %(code)s."
)


def came_back(tr: Translator, membership: Membership, circle: Circle) -> str:
    """CAME_BACK for `membership`, left `circle` lately (left_lately)."""
    assert membership.left_at is not None
    return tr._(
        CAME_BACK,
        circle=circle.name,
        # "October 30": within LEFT_LATELY, so no year; short for one SMS.
        date=format_day(
            membership.left_at.astimezone(ZoneInfo(circle.timezone)).date(), "MMMMd", tr.locale
        ),
        code=circle.join_code,
    )


async def leave(session: AsyncSession, now: datetime, membership: Membership) -> None:
    if membership.role == Role.FACILITATOR:
        raise UserError(
            N_(
                "You facilitate this circle, so you can't leave it. Hand it to a co-facilitator "
                "with /handover NAME, or end it with /close."
            )
        )
    membership.left_at = now
    session.add(membership)
    # Questions from a circle you left are not waiting for you any more.
    await session.exec(
        delete(Question).where(
            col(Question.circle_id) == membership.circle_id,
            col(Question.person_id) == membership.person_id,
        )
    )


def members_called(entries: list[RosterEntry], who: str) -> list[int]:
    """The roster numbers (from 1) of the members `who` means: the one with that number, else
    those whose name is written exactly so (case aside), else those whose name matches without
    case or accents ("Elodie" for Élodie)."""
    who = who.strip()
    if who.isdecimal() and 1 <= int(who) <= len(entries):
        return [int(who)]
    numbered = list(enumerate(entries, start=1))
    exact = [n for n, e in numbered if e.person.display_name.casefold() == who.casefold()]
    if exact:
        return exact
    return [n for n, e in numbered if plain(who) and plain(e.person.display_name) == plain(who)]


def find_member(entries: list[RosterEntry], who: str) -> RosterEntry:
    """A roster entry by its number in the roster or by name (members_called); several of that
    name are refused here (commands that can ask which one use members_called)."""
    matches = members_called(entries, who)
    if len(matches) == 1:
        return entries[matches[0] - 1]
    if matches:
        raise UserError(
            N_("More than one member is called %(name)s. Use their number from /roster."),
            name=who.strip(),
        )
    raise UserError(N_("No one called %(name)s is in this circle. See /roster."), name=who.strip())


async def make_cofacilitator(session: AsyncSession, entry: RosterEntry, now: datetime) -> None:
    if entry.membership.role != Role.LEARNER:
        raise UserError(
            N_("%(name)s already helps facilitate this circle."), name=entry.person.display_name
        )
    entry.membership.role = Role.COFACILITATOR
    entry.membership.facilitated = True
    # Learners who share said yes to those running it before now (Membership.shared_with).
    entry.membership.leads_since = now
    session.add(entry.membership)


async def facilitating_accounts(
    session: AsyncSession, platform: str, external_id: str | None = None
) -> list[tuple[str, str | None, str | None, str]]:
    """(address, the person's language, the account's language hint, the circle's language) of
    each account on `platform` (only `external_id`'s, when given) whose person facilitates an
    active circle: one row per such circle."""
    statement = (
        select(Account.address, Person.locale, Account.locale_hint, Circle.language)
        .join(Person, col(Person.id) == Account.person_id)
        .join(Membership, col(Membership.person_id) == Account.person_id)
        .join(Circle, col(Circle.id) == Membership.circle_id)
        .where(
            Account.platform == platform,
            col(Membership.left_at).is_(None),
            col(Membership.role).in_(FACILITATING),
            Circle.status == CircleStatus.ACTIVE,
        )
    )
    if external_id is not None:
        statement = statement.where(Account.external_id == external_id)
    return list((await session.exec(statement)).all())


async def facilitated(session: AsyncSession, person_id: int) -> list[Circle]:
    """The active circles the person facilitates or co-facilitates."""
    return [c for _, c in await active_memberships(session, person_id, FACILITATING)]


def distinct_names(tr: Translator, listed: Sequence[Circle], *, group: bool = False) -> list[str]:
    """How to name each of `listed` wherever a person picks among them or is told which one a
    command acted on: its name where that is unique; beside another of the same name, the date
    of its first meeting too; and where that is the same as well (a circle made twice), its
    join code, which no other circle has. In a group chat (`group`), where a join code must
    never be shown, its number instead (the one "#12 /command" aims at)."""
    dated = [
        _with_first_date(tr, circle)
        if _shared(circle.name, [c.name for c in listed])
        else circle.name
        for circle in listed
    ]
    return [
        (
            tr._("%(circle)s (no. %(number)d)", circle=circle.name, number=circle.id)
            if group
            else tr._("%(circle)s (code %(code)s)", circle=circle.name, code=circle.join_code)
        )
        if _shared(name, dated)
        else name
        for circle, name in zip(listed, dated, strict=True)
    ]


def _shared(name: str, names: list[str]) -> bool:
    return sum(other.casefold() == name.casefold() for other in names) > 1


def _with_first_date(tr: Translator, circle: Circle) -> str:
    first = meetings.planned_start(circle, 1)
    return tr._(
        "%(circle)s (from %(date)s)", circle=circle.name, date=tr.date(first, circle.timezone)
    )


async def name_for(
    session: AsyncSession, tr: Translator, person_id: int, circle: Circle, *, group: bool = False
) -> str:
    """The circle's name as `person_id` can tell it from their other circles (distinct_names;
    `group`: shown in a group chat)."""
    theirs = [c for _, c in await active_memberships(session, person_id)]
    if circle.id not in {c.id for c in theirs}:
        theirs.append(circle)
    return distinct_names(tr, theirs, group=group)[[c.id for c in theirs].index(circle.id)]


def role_name(tr: Translator, role: str) -> str:
    return tr._(ROLE_NAMES[Role(role)])
