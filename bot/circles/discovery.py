"""Finding an open circle: the listed circles someone new can still join, near a place, on a
course or in a language, nearest and soonest first.

Open means listed by its facilitator (/listing on), not closed, its sign-up deadline not passed
(the circle's local day) and a meeting still to come; a full circle stays open, with its waiting
list. There are no coordinates: nearest is the same city, then the same country, then the rest.
What this gives /find and the public directory (open_circles) never holds a join code or a
person's name.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy import case, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.keywords import plain
from bot.circles import meetings, places, seats, timezones
from bot.circles.circles import WEEKDAY_LANGUAGES
from bot.storage.models import (
    Circle,
    CircleStatus,
    Meeting,
    MeetingStatus,
    Membership,
    Role,
    WaitingPlace,
)


@dataclass(frozen=True)
class OpenCircle:
    """A circle open to newcomers, as anyone may see it."""

    circle_id: int  # how a newcomer picks it through the bot ("#12 /find"), not a join code
    name: str
    course_title: str
    course_url: str | None
    city: str
    country_code: str
    language: str
    weekday: int  # 0 = Monday
    start_time: time  # local wall time in `timezone`
    timezone: str
    next_meeting: datetime  # UTC
    seats_left: int | None  # None: no limit
    waiting: int  # learners on its waiting list
    signup_deadline: date | None
    # Where its next meeting is held, as typed: a venue, or a link (online); see meetings.venue_of.
    venue: str = ""

    @property
    def full(self) -> bool:
        return self.seats_left == 0


@dataclass(frozen=True)
class Near:
    """Where someone looks for a circle: a city (plain, see keywords.plain), a country code."""

    city: str | None = None
    country: str | None = None
    zone: str | None = None  # roughly where (bot/circles/places.py), for "nearest" beyond it
    venue: str | None = None  # words of where it meets, as asked ("Kibera"): those come first


@dataclass(frozen=True)
class Search:
    """What /find was asked, understood: a place (ranks), a language or a course (filter)."""

    near: Near | None = None
    language: str | None = None  # a language code, "sw"
    course: str | None = None  # words of a course title, "python"
    online: bool = False  # only circles that meet online ("/find online")
    # A language's name that is also words of some circle's name or course ("inglés" for
    # "Inglés básico", C3): those circles are found too, whatever language they speak.
    titled: str | None = None
    # Nothing in `language`: the circles found speak others, each said (dede 42).
    other_languages: bool = False


# -- names of languages and countries, in every language the bot speaks ----------------------


@cache
def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for reader in WEEKDAY_LANGUAGES:
        for code, name in Locale.parse(reader).languages.items():
            if "_" not in code:
                names.setdefault(plain(name), code)
    return names


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for reader in WEEKDAY_LANGUAGES:
        for code, name in Locale.parse(reader).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(plain(name), code)
    return names


def country_name(reader: str, code: str) -> str:
    return str(Locale.parse(reader).territories.get(code, code))


def language_name(reader: str, code: str) -> str:
    try:
        return str(Locale.parse(code).get_display_name(reader) or code)
    except (ValueError, TypeError):
        return code


# A city's spellings without the letters some keyboards lack ("Aarhus" for "Århus", "Muenchen"
# for "München"), and a few names other languages give it: compared as one (wave 2, D43).
_CITY_SPELLED_OUT = (("aa", "a"), ("ae", "a"), ("oe", "o"), ("ue", "u"))
_CITY_NAMES = {
    "munich": "munchen", "copenhagen": "kobenhavn", "kopenhagen": "kobenhavn",
    "cologne": "koln", "vienna": "wien", "nuremberg": "nurnberg", "gothenburg": "goteborg",
    "elsinore": "helsingor", "lisbon": "lisboa", "geneva": "geneve", "genf": "geneve",
}  # fmt: skip


def city_key(city: str) -> str:
    """A city as /find compares it: plain (case and accents aside), without a region after a
    comma ("Cleveland, OH"), its spelled-out letters as one ("Aarhus" is "Århus") and a few
    other languages' names ("Munich" is "München"). What the facilitator typed is shown."""
    first = city.split(",")[0]
    key = plain(first if first.strip() else city)
    for spelled, letter in _CITY_SPELLED_OUT:
        key = key.replace(spelled, letter)
    return _CITY_NAMES.get(key, key)


def _speaks(circle_language: str, language: str) -> bool:
    return circle_language == language or circle_language.startswith(language + "_")


def speaks(circle_language: str, reader: str) -> bool:
    """Whether a circle speaks the reader's language (`reader` a locale: "es", "pt_BR")."""
    return _speaks(circle_language, reader.split("_")[0])


def _teaches(course_title: str, course: str) -> bool:
    """Every word asked starts a word of the title ("pyth" finds "Python for Everybody"), a
    plural as its singular ("spreadsheets" finds "Spreadsheet Basics")."""
    title = [plain(word) for word in re.split(r"[\s-]+", course_title)]
    return all(
        any(word.startswith(form) for word in title for form in _singulars(asked))
        for asked in course.split()
    )


def _singulars(word: str) -> tuple[str, ...]:
    """A word asked and, if it looks plural, its singular: "classes" -> "class"."""
    if len(word) > 4 and word.endswith("es"):
        return word, word[:-1], word[:-2]
    if len(word) > 3 and word.endswith("s"):
        return word, word[:-1]
    return (word,)


# Words around what is looked for, in the bot's languages, each plain (keywords.plain): "class",
# "course", "near" say nothing about which circle ("/find spreadsheet class detroit", A14).
FILLER_WORDS = frozenset({
    "class", "classes", "course", "courses", "circle", "circles", "near", "in", "at",
    "cours", "classe", "cercle", "cercles", "pres", "de", "a",
    "clase", "clases", "curso", "cursos", "circulo", "circulos", "cerca", "en",
    "kurs", "kurse", "kreis", "kreise", "bei", "nahe", "im",
    "kursus", "kurser", "hold", "cirkel", "cirkler", "naer", "i", "ved",
    "darasa", "madarasa", "kozi", "kikundi", "vikundi", "karibu", "na", "katika",
})  # fmt: skip


def _without_filler(text: str) -> str:
    """`text` without the words that say nothing about which circle, unless that is all."""
    kept = [word for word in text.split() if plain(word) not in FILLER_WORDS]
    return " ".join(kept) if kept else text


def _meets_at(circle: OpenCircle, text: str) -> bool:
    """Whether every word of `text` is a word of where the circle meets ("Kibera" for
    "Maktaba ya jamii Kibera", B20), whole ("KE" is no "Kenya National Library"); never a
    link."""
    if not circle.venue or meetings.is_link(circle.venue):
        return False
    where = {plain(word) for word in re.split(r"[\s,.;:/()-]+", circle.venue) if plain(word)}
    asked = [plain(word) for word in text.split() if plain(word)]
    return bool(asked) and all(set(_singulars(word)) & where for word in asked)


# What people type for "online", each word plain (keywords.plain), in the bot's languages.
ONLINE_WORDS = frozenset({"online", "en ligne", "en linea", "mtandaoni", "virtual", "virtuel"})


def meets_online(circle: OpenCircle) -> bool:
    """Whether its next meeting is held at a link: anyone anywhere can come."""
    return meetings.is_link(circle.venue)


def _online_asked(text: str) -> tuple[bool, str]:
    """Whether `text` asks for online circles ("online", "python en ligne"), and its other
    words."""
    typed = " " + " ".join(plain(word) for word in text.split() if plain(word)) + " "
    for word in sorted(ONLINE_WORDS, key=len, reverse=True):
        if " " + word + " " in typed:
            return True, " ".join(typed.replace(" " + word + " ", " ", 1).split())
    return False, text


def understand(text: str, listed: Sequence[OpenCircle]) -> Search:
    """What one line of /find means (see _understand), and whether it asks for circles that
    meet online ("/find online", "/find python online")."""
    online, rest = _online_asked(text)
    if not online:
        return _understand(text, listed)
    if not rest or all(plain(word) in FILLER_WORDS for word in rest.split()):
        return Search(online=True)  # "online", "online class", "cours en ligne"
    return replace(_understand(rest, listed), online=True)


def _understand(text: str, listed: Sequence[OpenCircle]) -> Search:
    """What one line of /find means: a country's or a language's name (in any language the
    bot speaks), a city some open circle is in, words of a course some open circle takes,
    where some open circle meets, or a two-letter code of a country or language some open
    circle is in; else course words (which then find nothing). Words like "class" or "near"
    are left aside."""
    text = _without_filler(text)
    typed = plain(text)
    if not typed:  # nothing asked; or no letter nor digit in it ("☃"), which finds nothing
        return Search(course=text.strip() or None)
    if typed in _country_names() and len(typed) > 2:
        return Search(near=_country(_country_names()[typed]))
    if typed in _language_names() and len(typed) > 2:
        # "BUSCAR INGLES" in Lima: the subject of "Inglés básico" as well as the language.
        titled = any(_teaches(_titles(circle), typed) for circle in listed)
        return Search(language=_language_names()[typed], titled=typed if titled else None)
    for circle in listed:
        if city_key(circle.city) == city_key(text):
            return Search(near=Near(city_key(text), circle.country_code, circle.timezone))
    words = " ".join(plain(word) for word in text.split() if plain(word))
    if any(_teaches(_titles(circle), words) for circle in listed):
        return Search(course=words)
    venue = next((circle for circle in listed if _meets_at(circle, text)), None)
    if venue is not None:  # a neighbourhood or a library some circle meets at: "Kibera"
        return Search(
            near=Near(city_key(venue.city), venue.country_code, venue.timezone, venue=text)
        )
    combined = _combined(text, listed)
    if combined is not None:
        return combined
    zone = places.of_city(typed)
    if zone is not None:  # a city no circle is in yet, with a zone named for it: "Kampala"
        return Search(near=Near(typed, zone.country, zone.zone))
    zone = _city_place(text)
    if zone is not None:  # a city the zones know by name, though none is named for it
        return Search(near=Near(typed, zone.country, zone.zone))
    if len(typed) == 2:
        if any(circle.country_code == typed.upper() for circle in listed):
            return Search(near=_country(typed.upper()))
        if any(_speaks(circle.language, typed) for circle in listed):
            return Search(language=typed)
    return Search(course=words)


def _titles(circle: OpenCircle) -> str:
    """What course words are looked for in: its course's title and its own name (B24: "/find
    kompyuta" finds "Kompyuta kwa Wote")."""
    return circle.course_title + " " + circle.name


def _combined(text: str, listed: Sequence[OpenCircle]) -> Search | None:
    """Several words, a place or a language among them ("englisch leipzig", "python nairobi",
    D66): each for what it names, the others as course words; None if no word names a place
    or a language, or the others find no course."""
    near: Near | None = None
    language: str | None = None
    rest: list[str] = []
    for word in text.split():
        typed = plain(word)
        there = next((c for c in listed if city_key(c.city) == city_key(word)), None)
        if near is None and there is not None:
            near = Near(city_key(word), there.country_code, there.timezone)
        elif language is None and len(typed) > 2 and typed in _language_names():
            language = _language_names()[typed]
        elif typed:
            rest.append(typed)
    if (near is None and language is None) or len(text.split()) < 2:
        return None
    course = " ".join(rest) or None
    if course is not None and not any(_teaches(_titles(circle), course) for circle in listed):
        return None
    return Search(near=near, language=language, course=course)


def _city_place(text: str) -> places.ZonePlace | None:
    """Where a city no zone is named for is, by the zone the time-zone reader gives it
    ("Montréal", "Québec": America/Toronto), so /find lists the circles nearest it."""
    zone = timezones.zone_of_city(None, text)
    return places.of_zone(zone) if zone is not None else None


def _country(code: str) -> Near:
    zone = places.of_country(code)
    return Near(country=code, zone=zone.zone if zone else None)


def place(text: str, listed: Sequence[OpenCircle]) -> Near:
    """A place as the directory's filter gives it: a city, or a country's name or code."""
    typed = plain(text)
    if len(typed) == 2 and typed.isalpha():
        return _country(typed.upper())
    if typed in _country_names():
        return _country(_country_names()[typed])
    for circle in listed:
        if city_key(circle.city) == city_key(text):
            return Near(city_key(text), circle.country_code, circle.timezone)
    zone = places.of_city(typed)
    if zone is not None:
        return Near(typed, zone.country, zone.zone)
    return Near(city=typed)


def _language_code(text: str) -> str:
    typed = plain(text)
    return _language_names().get(typed, text.strip().replace("-", "_"))


# -- the open circles ---------------------------------------------------------------------------


def still_taking_signups(circle: Circle, now: datetime) -> bool:
    """Listed, not closed, and its sign-up deadline (a local day) not passed (the meetings
    still to come are looked up by the caller)."""
    if not circle.listed or circle.status != CircleStatus.ACTIVE:
        return False
    if circle.signup_deadline is None:
        return True
    return circle.signup_deadline >= now.astimezone(ZoneInfo(circle.timezone)).date()


async def _candidates(session: AsyncSession, now: datetime) -> list[OpenCircle]:
    listed = select(Circle.id).where(col(Circle.listed), Circle.status == CircleStatus.ACTIVE)
    learners = (
        select(Membership.circle_id, func.count().label("n"))
        .where(
            col(Membership.circle_id).in_(listed),
            Membership.role == Role.LEARNER,
            col(Membership.left_at).is_(None),
        )
        .group_by(col(Membership.circle_id))
        .subquery()
    )
    held = case((seats.held(now), 1), else_=0)
    waiting = (
        select(
            WaitingPlace.circle_id,
            func.count().label("n"),
            func.sum(held).label("held"),
        )
        .where(col(WaitingPlace.circle_id).in_(listed))
        .group_by(col(WaitingPlace.circle_id))
        .subquery()
    )
    upcoming = (
        select(Meeting.circle_id, func.min(Meeting.starts_at).label("at"))
        .where(
            col(Meeting.circle_id).in_(listed),
            Meeting.status != MeetingStatus.CANCELLED,
            col(Meeting.starts_at) > now,
        )
        .group_by(col(Meeting.circle_id))
        .subquery()
    )
    rows = await session.exec(
        select(
            Circle,
            upcoming.c.at,
            # Seats taken: by learners, and held for someone offered one.
            func.coalesce(learners.c.n, 0) + func.coalesce(waiting.c.held, 0),
            func.coalesce(waiting.c.n, 0),
        )
        .join(upcoming, upcoming.c.circle_id == Circle.id)
        .outerjoin(learners, learners.c.circle_id == Circle.id)
        .outerjoin(waiting, waiting.c.circle_id == Circle.id)
        .where(
            col(Circle.listed),
            Circle.status == CircleStatus.ACTIVE,
            # Every zone's day has begun by then; the exact local day is checked below.
            or_(
                col(Circle.signup_deadline).is_(None),
                col(Circle.signup_deadline) >= (now - timedelta(days=1)).date(),
            ),
        )
    )
    found = []
    open_ones = rows.all()
    elsewhere = await _held_elsewhere(session, [row[0].id or 0 for row in open_ones], now)
    for circle, at, taken, in_line in open_ones:
        if not still_taking_signups(circle, now):
            continue
        assert circle.id is not None
        left = None if circle.capacity is None else max(0, circle.capacity - int(taken))
        found.append(
            OpenCircle(
                circle_id=circle.id,
                name=circle.name,
                course_title=circle.course_title,
                course_url=circle.course_url,
                city=circle.city,
                country_code=circle.country_code,
                language=circle.language,
                weekday=circle.weekday,
                start_time=circle.start_time,
                timezone=circle.timezone,
                next_meeting=at,
                seats_left=left,
                waiting=int(in_line),
                signup_deadline=circle.signup_deadline,
                venue=elsewhere.get((circle.id, at), circle.venue),
            )
        )
    return found


async def _held_elsewhere(
    session: AsyncSession, circle_ids: list[int], now: datetime
) -> dict[tuple[int, datetime], str]:
    """(circle, start) -> the venue of a meeting to come that is not held at its circle's (see
    meetings.venue_of): where a newcomer would go, when it is the next one."""
    rows = await session.exec(
        select(Meeting.circle_id, Meeting.starts_at, Meeting.venue).where(
            col(Meeting.circle_id).in_(circle_ids),
            col(Meeting.venue).is_not(None),
            col(Meeting.starts_at) > now,
            Meeting.status != MeetingStatus.CANCELLED,
        )
    )
    return {(circle_id, at): venue for circle_id, at, venue in rows.all() if venue}


def tier(circle: OpenCircle, near: Near | None) -> int:
    """0: in the city asked for; 1: in its country, or online (anyone anywhere can come);
    2: elsewhere."""
    if near is None:
        return 2
    if meets_online(circle):
        return 0 if near.city is not None and city_key(circle.city) == near.city else 1
    if near.city is not None and city_key(circle.city) == near.city:
        return 0
    if near.country is not None and circle.country_code == near.country:
        return 0 if near.city is None else 1
    return 2


def distance(circle: OpenCircle, near: Near | None) -> float:
    """How far apart, roughly: between the principal cities of their time zones (infinite
    where either is unknown)."""
    there = places.of_zone(circle.timezone)
    here = places.of_zone(near.zone if near else None)
    if there is None or here is None:
        return math.inf
    return places.distance_km(here, there)


def ranked(
    found: Iterable[OpenCircle], search: Search, *, reader_language: str | None = None
) -> list[OpenCircle]:
    """The circles the search asks for: the same city, then the same country, then the rest,
    each nearest first (by time zone); then those in the reader's language; then the
    soonest."""
    chosen = [
        circle
        for circle in found
        if (
            search.language is None
            or _speaks(circle.language, search.language)
            or (search.titled is not None and _teaches(_titles(circle), search.titled))
        )
        and (search.course is None or _teaches(_titles(circle), search.course))
        and (not search.online or meets_online(circle))
    ]
    return sorted(
        chosen,
        key=lambda circle: (
            search.near is None
            or search.near.venue is None
            or not _meets_at(circle, search.near.venue),
            tier(circle, search.near),
            distance(circle, search.near),
            reader_language is not None and not _speaks(circle.language, reader_language),
            circle.next_meeting,
            circle.circle_id,
        ),
    )


async def find(
    session: AsyncSession,
    now: datetime,
    text: str,
    *,
    near: Near | None = None,
    reader_language: str | None = None,
) -> tuple[Search, list[OpenCircle]]:
    """/find TEXT understood, and the open circles it finds in order. `near`: where the person
    is when the text names no place (their circle's city)."""
    found = await _candidates(session, now)
    search = understand(text, found)
    if search.near is None and near is not None:
        search = replace(search, near=near)
    chosen = ranked(found, search, reader_language=reader_language)
    if not chosen and search.language is not None:
        # None in the language asked, some in another ("SUCHEN englisch python" and a Python
        # circle in Danish): those, said so, rather than "none found" (dede 42).
        wider = replace(search, language=None, titled=None)
        chosen = ranked(found, wider, reader_language=reader_language)
        search = replace(search, other_languages=bool(chosen))
    return search, chosen


async def asked_in_a_sentence(session: AsyncSession, now: datetime, text: str) -> str | None:
    """The /find words a newcomer's sentence comes down to ("Hallo, ich suche einen Kurs in
    München zum Thema Fotografie": "München fotografie"), when a word of it is the city or a
    place where some open circle meets; None when it names none (walk dede 22, smses 2: such
    a sentence got the welcome, not the circle it asked for)."""
    listed = await _candidates(session, now)
    words = [word.strip(",.;:!?¿¡()\"'") for word in text.split()]
    words = [word for word in words if len(plain(word)) > 2]
    for circle in listed:
        place = next((w for w in words if city_key(w) == city_key(circle.city)), None)
        # A neighbourhood or library it meets at ("Miraflores"): /find is asked its city.
        near = place or next((circle.city for w in words if _meets_at(circle, w)), None)
        if near is None:
            continue
        topic = [w for w in words if w != place and _teaches(_titles(circle), plain(w))]
        return " ".join([near, *(plain(w) for w in topic[:1])])
    return None


async def open_counts(session: AsyncSession, now: datetime) -> tuple[int, int]:
    """How many circles are open for sign-ups, and how many of them meet online: what to
    suggest when a search finds none."""
    found = await _candidates(session, now)
    return len(found), sum(1 for circle in found if meets_online(circle))


async def open_circles(
    session: AsyncSession,
    now: datetime,
    *,
    place: str | None = None,
    course: str | None = None,
    language: str | None = None,
    limit: int = 50,
) -> list[OpenCircle]:
    """The open circles for the public directory, nearest `place` first (a city, or a country's
    name or code: it orders, it does not leave out), only those taking `course` (words of its
    title) and in `language` (a code or a name), soonest first. No join code, no names."""
    found = await _candidates(session, now)
    search = Search(
        near=place_of(place, found),
        language=_language_code(language) if language and language.strip() else None,
        course=" ".join(plain(w) for w in course.split() if plain(w)) if course else None,
    )
    return ranked(found, search)[: max(0, min(limit, 1000))]


def place_of(text: str | None, found: Sequence[OpenCircle]) -> Near | None:
    return place(text, found) if text and plain(text) else None


async def is_open(session: AsyncSession, circle: Circle, now: datetime) -> bool:
    """Whether /find offers `circle` now."""
    return still_taking_signups(circle, now) and await meets_again(session, circle, now)


async def meets_again(session: AsyncSession, circle: Circle, now: datetime) -> bool:
    """Whether a meeting of `circle` is still to start: without one, /find never offers it."""
    assert circle.id is not None
    to_come = (
        await session.exec(
            select(Meeting.id)
            .where(
                Meeting.circle_id == circle.id,
                Meeting.status != MeetingStatus.CANCELLED,
                col(Meeting.starts_at) > now,
            )
            .limit(1)
        )
    ).first()
    return to_come is not None
