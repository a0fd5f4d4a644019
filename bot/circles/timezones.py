"""IANA time zone names: validation with helpful suggestions, and the zones of a country."""

from __future__ import annotations

import difflib
import re
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import get_timezone_location

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.chat.keywords import plain


@cache
def _zones_by_country() -> dict[str, list[str]]:
    # zone.tab ships with the tzdata package: "CC<TAB>coordinates<TAB>Zone/Name[<TAB>comment]".
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    by_country: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        by_country.setdefault(fields[0], []).append(fields[2])
    return by_country


@cache
def _regions() -> dict[str, list[tuple[str, str]]]:
    """Country -> (zone, the plain name of its region) from zone.tab's comments: in the US
    "Eastern (most areas)" and "Eastern - MI (most areas)" are both ("...", "eastern")."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    regions: dict[str, list[tuple[str, str]]] = {}
    for line in table.splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 4:
            continue
        region = fields[3].split(" - ")[0].split(" (")[0]
        regions.setdefault(fields[0], []).append((fields[2], plain(region)))
    return regions


# What people add to a region's name: "Eastern Time", "Eastern Standard Time", "Central zone".
_TIME_WORDS = ("standardtime", "daylighttime", "timezone", "time", "zone")


# The regions' names as people say them in French and Spanish, as plain(): "heure de l'Est"
# and HNE/HAE in Québec, "hora del centro" (Mexico's official name for its main zone).
_LOCAL_REGIONS = {
    **dict.fromkeys(
        ("heuredelest", "heurenormaledelest", "heureavanceedelest", "hne", "hae",
         "horadeleste", "tiempodeleste", "zonaeste"),
        "eastern",
    ),
    **dict.fromkeys(
        ("heureducentre", "heurenormaleducentre", "hnc", "hac", "horadelcentro",
         "tiempodelcentro", "zonacentro", "horadelcentrodemexico"),
        "central",
    ),
    **dict.fromkeys(
        ("heuredesrocheuses", "hnr", "har", "horadelamontana", "horadelasmontanas"), "mountain"
    ),
    **dict.fromkeys(
        ("heuredupacifique", "hnp", "hap", "horadelpacifico", "tiempodelpacifico"), "pacific"
    ),
    **dict.fromkeys(("heuredelatlantique", "hna", "haa", "horadelatlantico"), "atlantic"),
}  # fmt: skip


def _regional(typed: str, country: str) -> list[str]:
    """The country's zones of the region typed ("Eastern", "Pacific Time", "heure de l'Est"),
    or of its short form ("ET" for EST/EDT), in zone.tab's order (its most populous first)."""
    key = plain(typed)
    for suffix in _TIME_WORDS:
        key = key.removesuffix(suffix) if key != suffix else key
    key = _LOCAL_REGIONS.get(key, key)
    regions = _regions().get(country.upper(), [])
    found = [zone for zone, region in regions if region == key]
    if not found and key == "central":  # Mexico's is "Central Mexico"
        found = [zone for zone, region in regions if region == "centralmexico"]
    if not found and len(key) == 2 and key.endswith("t"):  # ET, CT, PT, MT
        short = {key[0].upper() + "ST", key[0].upper() + "DT"}
        found = [z for z in zones_for_country(country) if _abbreviations(z) & short]
    return found


@cache
def _canonical() -> dict[str, str]:
    """Lower-cased canonical name, and its city ('nairobi', 'new york') -> IANA name.

    Suggestions come only from these, never from old aliases such as 'Brazil/East'.
    """
    every_zone = [zone for zones in _zones_by_country().values() for zone in zones]
    return {"utc": "UTC", **_names_of(every_zone)}


@cache
def _all() -> dict[str, str]:
    """Region/City names the tz database knows, aliases too (US/Eastern), lower-cased.

    Bare legacy names (EST, MST) are left out: they are fixed offsets without daylight saving,
    so a circle in Detroit given "EST" would meet an hour off half the year.
    """
    return {zone.lower(): zone for zone in available_timezones() if "/" in zone}


def _look_alikes(typed: str, names: dict[str, str], n: int) -> list[str]:
    """Zones whose name (or city) looks like what was typed, closest first."""
    key = typed.strip().lower().replace("_", " ")
    found: list[str] = []
    for match in difflib.get_close_matches(key, list(names), n=n * 2, cutoff=0.6):
        if names[match] not in found:
            found.append(names[match])
    return found[:n]


def _abbreviations(zone: str) -> set[str]:
    """What a zone's clocks are called this winter and this summer: {'EST', 'EDT'}, {'EAT'}."""
    year = datetime.now(UTC).year
    return {
        (datetime(year, month, 1, tzinfo=ZoneInfo(zone)).tzname() or "").upper() for month in (1, 7)
    }


def _names_of(zones: list[str]) -> dict[str, str]:
    """Lower-cased name and city ('africa/nairobi', 'nairobi') -> zone, as in _canonical()."""
    names: dict[str, str] = {}
    for zone in zones:
        names[zone.lower()] = zone
        names.setdefault(zone.rsplit("/", 1)[-1].lower().replace("_", " "), zone)
    return names


# Big cities in countries with several zones that no zone is named after, as plain() and as
# locals write them: CDMX is how everyone in Mexico names its capital.
_OTHER_CITIES = {
    **dict.fromkeys(
        ("cdmx", "df", "ciudaddemexico", "mexicodf", "guadalajara", "puebla", "queretaro",
         "toluca", "zapopan"),
        "America/Mexico_City",
    ),
    **dict.fromkeys(
        ("montreal", "quebec", "villedequebec", "ottawa", "gatineau", "laval", "sherbrooke"),
        "America/Toronto",
    ),
}  # fmt: skip


def _city_zone(country: str | None, city: str | None) -> str | None:
    """The zone named after the circle's city (Nairobi, Detroit), or of a big city named as
    locals write it (CDMX, Montréal), if it is in its country. What follows a comma is the
    state or region, as Americans write their city ("Detroit, MI"): the city is what comes
    before it."""
    name = city.split(",", 1)[0] if city else ""
    zone = _canonical().get(name.strip().lower().replace("_", " ")) if name else None
    zone = zone or (_OTHER_CITIES.get(plain(name)) if name else None)
    if zone is None or (country and zone not in zones_for_country(country)):
        return None  # Paris, Texas is not in Europe/Paris
    return zone


def zone_of_city(country: str | None, city: str | None) -> str | None:
    """The zone the circle's city says (Detroit, CDMX, Montréal), if it is in its country."""
    return _city_zone(country, city)


def closest(
    typed: str, n: int = 3, country: str | None = None, city: str | None = None
) -> list[str]:
    """Zones the person may have meant. Where the circle's country or city is known, its own
    zones come first, and a look-alike far away ("EAT" -> Pacific/Efate for a circle in Kenya)
    is offered only when the place gives no clue."""
    city_zone = _city_zone(country, city)
    country_zones = zones_for_country(country) if country else []
    nearby = list(dict.fromkeys(([city_zone] if city_zone else []) + country_zones))
    regional = _regional(typed, country) if country else []
    if city_zone in regional:  # Detroit's own zone before New York's
        regional = [city_zone, *regional]
    abbreviated = [zone for zone in nearby if typed.strip().upper() in _abbreviations(zone)]
    found = list(dict.fromkeys(regional + abbreviated + _look_alikes(typed, _names_of(nearby), n)))
    # Nothing nearby is called that: the place's own zones are still the likeliest meaning.
    if not found and len(nearby) <= n:
        found = nearby
    elif not found and city_zone:
        found = [city_zone]
    return found[:n] or _look_alikes(typed, _canonical(), n)


# The languages whose names for cities are read ("Le Caire", "København"): the shipped ones.
_CITY_LANGUAGES = ("en", "fr", "es", "de", "sw", "da")
# What people say around a city's name to mean its clocks, in the shipped languages ("heure
# de Dakar", "Dakar time", "saa za Nairobi", "hora de Madrid", "Zeit in Berlin", "tid i
# København"), as plain words; the longest first, so "heure locale de" is not read as "heure".
_BEFORE_CITY = sorted(
    (
        tuple(phrase.split())
        for phrase in (
            "time in",
            "time at",
            "local time in",
            "the time in",
            "heure de",
            "heure d",
            "heure a",
            "heure locale de",
            "l heure de",
            "fuseau horaire de",
            "fuseau de",
            "hora de",
            "hora en",
            "hora local de",
            "zona horaria de",
            "la hora de",
            "saa za",
            "saa ya",
            "saa",
            "zeit in",
            "zeitzone",
            "ortszeit",
            "uhrzeit in",
            "tid i",
            "tidszone",
            "lokal tid i",
        )
    ),
    key=len,
    reverse=True,
)
_AFTER_CITY = sorted(
    (
        tuple(phrase.split())
        for phrase in (
            "time",
            "standard time",
            "local time",
            "time zone",
            "timezone",
            "zeit",
            "ortszeit",
            "tid",
            "saa",
        )
    ),
    key=len,
    reverse=True,
)


@cache
def _cities() -> dict[str, str]:
    """A city's name as plain letters ("dakar", "lecaire", "kobenhavn") -> its zone, from the
    zones' own names and Babel's names for their cities in each shipped language."""
    cities: dict[str, str] = {}
    zones = [zone for zones in _zones_by_country().values() for zone in zones]
    for zone in zones:
        cities.setdefault(plain(zone.rsplit("/", 1)[-1]), zone)
    for language in _CITY_LANGUAGES:
        for zone in zones:
            city = get_timezone_location(zone, locale=language, return_city=True)
            cities.setdefault(plain(city), zone)
    return cities


def _strip(words: list[str], phrases: list[tuple[str, ...]], at_start: bool) -> list[str]:
    for phrase in phrases:
        n = len(phrase)
        part = tuple(words[:n] if at_start else words[-n:])
        if len(words) > n and part == phrase:
            return words[n:] if at_start else words[:-n]
    return words


def _without_clock_words(typed: str) -> str:
    """What was typed without the words for a city's clocks around it: "heure de Dakkar" ->
    "dakkar", in plain words."""
    words = [word for word in (plain(w) for w in re.split(r"[\s'’\-]+", typed)) if word]
    words = _strip(_strip(words, _BEFORE_CITY, at_start=True), _AFTER_CITY, at_start=False)
    return " ".join(words)


def _city_named(typed: str) -> str | None:
    """The zone of the city named, alone or with words for its clocks: "Dakar", "heure de
    Dakar", "Dakar time", "saa za Nairobi", "Le Caire"."""
    city = _without_clock_words(typed).replace(" ", "")
    return (_cities().get(city) or _OTHER_CITIES.get(city)) if city else None


def known_city(typed: str) -> bool:
    """Whether `typed` names a city whose zone is known ("Los Angeles", "Dar es Salaam")."""
    return _city_named(typed) is not None


# How many zones an unclear answer is offered, at most (one tap or number each).
SEVERAL = 4


class UnclearZone(UserError):
    """A zone typed that could be one of `suggestions`: offered as choices where a question
    can offer them (the guided /newcircle)."""

    def __init__(self, message: str, zones: list[str], **params: object) -> None:
        super().__init__(message, **params)
        self.zones = zones


def _understood(typed: str, country: str | None, city: str | None) -> str | None:
    """The one zone a region's name or abbreviation means at the circle's place: "Eastern"
    or "ET" in Detroit, US is America/Detroit (not New York's zone, though the clocks agree
    today); "EAT" in Kenya is Africa/Nairobi. UnclearZone when it names several there and
    the city is none of them ("Eastern" in Ann Arbor)."""
    if not country:
        return None
    city_zone = _city_zone(country, city)
    abbreviated = [
        zone for zone in zones_for_country(country) if typed.strip().upper() in _abbreviations(zone)
    ]
    meant = list(dict.fromkeys(_regional(typed, country) + abbreviated))
    if city_zone in meant:
        return city_zone
    if len(meant) > 1:
        offered = meant[:SEVERAL]
        raise UnclearZone(
            N_("“%(zone)s” covers several time zones. Which one is yours?"),
            offered,
            zone=typed.strip(),
        )
    return meant[0] if meant else None


def known(typed: str) -> bool:
    """Whether `typed` names a zone or a zone's city as it is ("Nairobi", "Europe/Berlin")."""
    key = typed.strip().lower()
    return bool(
        _canonical().get(key)
        or _canonical().get(key.replace("_", " "))
        or _all().get(key.replace(" ", "_"))
    )


def resolve(typed: str, country: str | None = None, city: str | None = None) -> str:
    """The IANA name for what was typed ('africa/nairobi', 'Nairobi', 'UTC', or "Eastern"
    where the circle's `country` and `city` say which), or UnclearZone with suggestions, the
    place's own first when known."""
    cleaned = typed.strip()
    key = cleaned.lower()
    zone = (
        _canonical().get(key)
        or _canonical().get(key.replace("_", " "))
        or _all().get(key.replace(" ", "_"))
        or _city_named(cleaned)
        or _understood(cleaned, country, city)
    )
    if zone is not None:
        return zone
    # "heure de Dakkar" looks like Dakar once its words for clocks are set aside; without
    # such words, what was typed is compared as it is ("Amerca/Detriot" keeps its slash).
    bare = _without_clock_words(cleaned)
    looked_for = bare if 0 < len(bare.split()) < len(cleaned.split()) else cleaned
    suggestions = closest(looked_for, country=country, city=city)
    if suggestions:
        raise UnclearZone(
            N_("I don't know the time zone “%(zone)s”. Did you mean %(suggestions)s?"),
            suggestions,
            zone=cleaned,
            suggestions=", ".join(suggestions),
        )
    raise UserError(
        N_(
            "I don't know the time zone “%(zone)s”. Use a name like America/Detroit or "
            "Africa/Nairobi."
        ),
        zone=cleaned,
    )


def zones_for_country(country_code: str) -> list[str]:
    """The IANA zones used in a country, e.g. ['Africa/Nairobi'] for KE."""
    return list(_zones_by_country().get(country_code.upper(), []))


@cache
def one_clock(country_code: str) -> str | None:
    """The zone of a country whose clocks all agree (DK; DE, whose Büsingen keeps Berlin's
    time): nothing to ask. None when its zones differ, or it has none."""
    zones = zones_for_country(country_code)
    if not zones:
        return None
    # Every fortnight over a few years, daylight saving changes included.
    instants = [
        datetime(2025, 1, 1, 12, tzinfo=UTC).timestamp() + day * 86400
        for day in range(0, 6 * 365, 14)
    ]
    clocks = {
        tuple(datetime.fromtimestamp(instant, ZoneInfo(zone)).utcoffset() for instant in instants)
        for zone in zones
    }
    return zones[0] if len(clocks) == 1 else None
