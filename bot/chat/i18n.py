"""Translation and locale-aware formatting. Every user-facing string goes through a Translator."""

from __future__ import annotations

import functools
import gettext
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import (
    format_date,
    format_time,
    format_timedelta,
    get_timezone_location,
    get_timezone_name,
    match_skeleton,
)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

DEFAULT_LOCALE = "en"

# CLDR puts narrow no-break spaces in times ("6:00\u202fPM"). They are not in the GSM-7 alphabet,
# so one would turn a whole SMS into UCS-2 and halve its length: use plain spaces.
_PLAIN_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where the reader is known."""
    return message


@dataclass(frozen=True)
class Number:
    """A quantity in a message's prose ("2,000 characters"), written the reader's way once the
    reader is known: "2 000" in French, "2.000" in German. Its placeholder is %(name)s."""

    value: int | float

    def __str__(self) -> str:
        return str(self.value)


def format_number(value: int | float, locale: str) -> str:
    """A number as the reader writes it in prose: "2,000", "2 000", "2.000"."""
    return format_decimal(value, locale=locale).translate(_PLAIN_SPACES)


_DATE_WIDTHS = ("full", "long", "medium", "short")
# The day of the month before the month's name, in a French pattern ("d MMMM y").
_FRENCH_DAY = re.compile(r"(?<![d'])d(?= MMM)")
# A weekday's field in a date pattern, abbreviated or not ("E", "EEE", "EEEE").
_WEEKDAY = re.compile(r"E+")


def format_day(day: date, form: str, locale: str, full_weekday: bool = False) -> str:
    """`day` in words, by a width ("full") or a skeleton ("MMMEd"), with plain spaces. The one
    place a day is written: French writes the first of a month "1er janvier", which CLDR's
    patterns (and so Babel) leave as "1 janvier". `full_weekday`: the weekday in full
    ("martes, 22 dic"), where its abbreviation would read as a word ("mar", the sea)."""
    parsed = Locale.parse(locale)
    if form in _DATE_WIDTHS:
        pattern = parsed.date_formats[form].pattern
    else:
        skeletons = parsed.datetime_skeletons
        pattern = skeletons[form if form in skeletons else match_skeleton(form, skeletons)].pattern
    if full_weekday:
        # Outside quoted literals ('de'): every other piece between apostrophes, from the first.
        pieces = pattern.split("'")
        pattern = "'".join(
            _WEEKDAY.sub("EEEE", piece) if at % 2 == 0 else piece for at, piece in enumerate(pieces)
        )
    if parsed.language == "fr" and day.day == 1:
        pattern = _FRENCH_DAY.sub("d'er'", pattern)
    return format_date(day, pattern, locale=parsed).translate(_PLAIN_SPACES)


# Swahili counts the hours from 6 am ("saa nne asubuhi" is 10 am), so 24-hour digits, even
# with the part of day ("saa 10:00 asubuhi"), are read as "saa kumi", 4 am. Swahili time in
# words goes first, the 24-hour clock after a comma: "saa nne asubuhi, 10:00" (not in
# brackets: templates put whole dates in brackets, and notices keep out brackets in brackets;
# the catalog's templates leave "saa" to the time). bot.dialogue.values reads that back.
_SWAHILI_HOURS = (
    "moja mbili tatu nne tano sita saba nane tisa kumi",
    "kumi na moja",
    "kumi na mbili",
)
_SWAHILI_HOUR_WORDS = (*_SWAHILI_HOURS[0].split(), *_SWAHILI_HOURS[1:])
_QUARTER, _HALF, _TO_THE_HOUR = 15, 30, 45


def swahili_time(local: datetime) -> str:
    """A local time as said in Swahili, with the 24-hour clock after it: "saa nne asubuhi,
    10:00", "saa kumi na mbili na nusu jioni, 18:30", "saa tano kasorobo asubuhi, 10:45"."""
    minute = local.minute
    hour = local.hour + (minute == _TO_THE_HOUR)
    word = _SWAHILI_HOUR_WORDS[(hour - 7) % 12]  # 7:00 is saa moja
    tail = {0: "", _QUARTER: " na robo", _HALF: " na nusu", _TO_THE_HOUR: " kasorobo"}.get(
        minute, f" na dakika {minute}"
    )
    part = format_time(local, "B", locale="sw")
    part = "usiku" if part.startswith("saa") else part  # midnight: "saa sita za usiku"
    return f"saa {word}{tail} {part}, {local:%H:%M}"


# Readers who know the tz database's letters for a zone (EAT, EST, CET) where their language's
# CLDR data has none: English's own, and Swahili's (Kenya writes "saa 4 asubuhi EAT"). Others
# get their own language's letters or the zone's city (Translator.zone_name).
_READS_ZONE_LETTERS = frozenset({"en", "sw"})


# Translators: a time zone with no abbreviation, named by its city, in brackets after a
# meeting's time: "Thursday at 6:00 PM (Bogotá time)".
ZONE_BY_CITY = N_("%(city)s time")


def _utc_offset(local: datetime) -> str:
    """The offset from UTC as people write it: "UTC-5", "UTC+5:45", "UTC"."""
    minutes = int((local.utcoffset() or timedelta()).total_seconds()) // 60
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


# French words that lose their "e" before a vowel ("d'Amélie", "qu'Omar"), right before a
# value; and the first letters that make them do so (not h, whose names often keep "de").
_BEFORE_A_VALUE = re.compile(r"\b(?P<word>[Dd]e|[Qq]ue) (?P<placeholder>%\((?P<name>\w+)\)s)")
_ELIDING = re.compile(r"[aeiouàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


@dataclass(frozen=True)
class Translator:
    locale: str
    translations: gettext.NullTranslations

    def _(self, message: str, **params: object) -> str:
        text = self.translations.gettext(message)
        return self._elided(text, params) % self._written(params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: object) -> str:
        text = self.translations.ngettext(singular, plural, n)
        return self._elided(text, params) % self._written({"n": n, **params})

    def _elided(self, text: str, params: dict[str, object]) -> str:
        """`text` with French "de" and "que" elided before a value that starts with a vowel:
        "de la part d'Amélie", "qu'Omar", never "de Amélie"."""
        if not self.locale.startswith("fr") or "%(" not in text:
            return text

        def elide(found: re.Match[str]) -> str:
            value = str(params.get(found["name"], ""))
            if not _ELIDING.match(value):
                return found[0]
            return found["word"][:-1] + "'" + found["placeholder"]

        return _BEFORE_A_VALUE.sub(elide, text)

    def _written(self, params: dict[str, object]) -> dict[str, object]:
        """`params` with each Number written the reader's way."""
        return {
            key: self.number(value.value) if isinstance(value, Number) else value
            for key, value in params.items()
        }

    def number(self, value: int | float) -> str:
        return format_number(value, self.locale)

    def date(self, day: datetime, zone: str) -> str:
        return format_day(day.astimezone(ZoneInfo(zone)), "full", self.locale)

    def weekday(self, instant: datetime, zone: str) -> str:
        return format_date(instant.astimezone(ZoneInfo(zone)), "EEEE", locale=self.locale)

    def time(self, instant: datetime, zone: str) -> str:
        local = instant.astimezone(ZoneInfo(zone))
        if Locale.parse(self.locale).language == "sw":
            return swahili_time(local)
        return format_time(local, "short", locale=self.locale).translate(_PLAIN_SPACES)

    def zone_name(self, instant: datetime, zone: str) -> str:
        """The zone's name at `instant`, by one rule wherever a zone is named: letters where
        the reader's language writes some for it (CLDR's: "EST" in English, "MEZ" in German;
        the tz database's "EAT", "CET" for English and Swahili readers), else its city in the
        reader's language ("heure de Paris"), never another language's letters (a French
        reader was shown "EST")."""
        local = instant.astimezone(ZoneInfo(zone))
        name = get_timezone_name(local, width="short", locale=self.locale)
        if name[:1] not in "+-":
            return name
        abbreviation = local.tzname() or ""
        if abbreviation.isalpha() and Locale.parse(self.locale).language in _READS_ZONE_LETTERS:
            return abbreviation
        # No letters for it the reader knows (Bogotá is "-0500" everywhere): the city people
        # know it by, or for a bare offset zone (Etc/GMT+5), the offset ("UTC-5").
        if zone.startswith("Etc/") or zone == "UTC":
            return _utc_offset(local)
        city = get_timezone_location(zone, locale=self.locale, return_city=True)
        return self._(ZONE_BY_CITY, city=city)

    def zone_name_over(self, instants: list[datetime], zone: str) -> str:
        """One name for the clocks at all of `instants`: their name ("EAT", "EST") where it is
        the same for each, else the zone's name in every season ("Eastern Time"), so a season
        across a daylight-saving change is not given the first meeting's ("EDT")."""
        names = {self.zone_name(instant, zone) for instant in instants}
        if len(names) <= 1:
            return names.pop() if names else zone
        name = get_timezone_name(
            ZoneInfo(zone),
            width="long",
            zone_variant="generic",
            locale=self.locale,
        )
        return name.translate(_PLAIN_SPACES)

    def when(self, instant: datetime, zone: str) -> str:
        """A meeting time as the reader says it, in the circle's zone."""
        return _when(self, instant, zone)

    def weekday_at(self, instant: datetime, zone: str) -> str:
        """A time within the coming week, as short as it can be said: "Thursday at 6:00 PM"."""
        return self._(
            "%(weekday)s at %(time)s",
            weekday=self.weekday(instant, zone),
            time=self.time(instant, zone),
        )

    def duration(self, delta: timedelta) -> str:
        text = format_timedelta(delta, locale=self.locale, threshold=1.1)
        return text.translate(_PLAIN_SPACES)


def short_when(tr: Translator, instant: datetime, zone: str) -> str:
    """One meeting's date and time, short but with its weekday in full, as a notice about that
    one meeting says them: "Thursday, Feb 18, 5:30 PM"; "martes, 22 dic, 18:30", never "mar,"
    (the sea) in a sentence."""
    local = instant.astimezone(ZoneInfo(zone))
    day = format_day(local, "MMMEd", tr.locale, full_weekday=True)
    return ", ".join([day, tr.time(instant, zone)])



@functools.lru_cache(maxsize=1024)
def _when(tr: Translator, instant: datetime, zone: str) -> str:
    """Translator.when, memoised: the same few meetings are written for every /next and
    every welcome (issue 18: a tenth of a /next's time went to Babel)."""
    return tr._(
        "%(date)s at %(time)s (%(zone)s)",
        date=tr.date(instant, zone),
        time=tr.time(instant, zone),
        zone=tr.zone_name(instant, zone),
    )


@functools.lru_cache(maxsize=32)
def _compiled(po_path: Path, mtime_ns: int, code: str) -> bytes:
    """A .po file compiled to .mo bytes. Memoised on the file's modification time, so a process
    that builds several cores (the tests, the benches) parses each file once, and an edited
    file is compiled again. Kept on disk too, named by the .po's content: parsing the six
    catalogs is about half a second of every process's start (each `circlebot` command, each
    worker), and a cache named by content can never be stale."""
    source = po_path.read_bytes()
    cached = _cache_dir() / f"{code}-{hashlib.sha256(source).hexdigest()[:32]}.mo"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    catalog = read_po(io.BytesIO(source), locale=code)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    compiled = buffer.getvalue()
    try:  # a read-only or full disk only costs the next start the parse again
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(compiled)
        partial.replace(cached)  # whole or not at all, for processes starting together
        for older in cached.parent.glob(f"{code}-*.mo"):  # one per language, not one per edit
            if older != cached:
                older.unlink(missing_ok=True)
    except OSError:
        pass
    return compiled


def _cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "circlebot-catalogs"


_Made = TypeVar("_Made")


class Catalogs:
    """The shipped catalogs, compiled in memory from the .po files at start-up."""

    def __init__(self, locales_dir: Path, domain: str = "messages") -> None:
        self._translators: dict[str, Translator] = {}
        for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{domain}.po")):
            code = po_path.parent.parent.name
            compiled = _compiled(po_path, po_path.stat().st_mtime_ns, code)
            translations = Translations(fp=io.BytesIO(compiled), domain=domain)
            self._translators[code] = Translator(code, translations)
        if DEFAULT_LOCALE not in self._translators:
            self._translators[DEFAULT_LOCALE] = Translator(
                DEFAULT_LOCALE, gettext.NullTranslations()
            )
        # negotiate's answers: each message asks several times, for the same few preferences.
        self._negotiated: dict[tuple[str | None, ...], str] = {}
        # What derived() made, by its key.
        self._derived: dict[Hashable, Any] = {}

    @property
    def locales(self) -> list[str]:
        return sorted(self._translators)

    def negotiate(self, *preferences: str | None) -> str:
        """The first preference we ship (matching 'fr-CA' to 'fr'), else English."""
        found = self._negotiated.get(preferences)
        if found is None:
            if len(self._negotiated) >= 4096:  # hints are the platforms': never without bound
                self._negotiated.clear()
            found = self._negotiated[preferences] = self._negotiate(preferences)
        return found

    def _negotiate(self, preferences: tuple[str | None, ...]) -> str:
        for preference in preferences:
            if not preference:
                continue
            try:
                wanted = Locale.parse(preference.replace("-", "_"))
            except (UnknownLocaleError, ValueError):
                continue
            for candidate in (str(wanted), wanted.language):
                if candidate in self._translators:
                    return candidate
        return DEFAULT_LOCALE

    def translator(self, *preferences: str | None) -> Translator:
        return self._translators[self.negotiate(*preferences)]

    def derived(self, key: Hashable, build: Callable[[], _Made]) -> _Made:
        """What `build` makes of these catalogs alone (something that never changes, such as
        a set of words in every language), made once for `key`, a fixed name: not built anew
        for each message (issue 18: a lone word's yes and no in every language)."""
        if key not in self._derived:
            self._derived[key] = build()
        made: _Made = self._derived[key]
        return made

    def in_every_language(self, msgid: str) -> list[str]:
        """`msgid` as each shipped language writes it."""
        return [translator._(msgid) for translator in self._translators.values()]
