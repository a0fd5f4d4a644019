"""Roughly where a circle is, without asking anyone for coordinates: the principal city of its
time zone, as the tz database's zone.tab gives it (tzdata, already a dependency). Close enough
to tell that Kampala is nearer Nairobi than Detroit is."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.chat.keywords import plain

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class ZonePlace:
    zone: str
    country: str  # ISO 3166 code
    latitude: float
    longitude: float


def _degrees(text: str, whole_digits: int) -> float:
    """One ISO 6709 part, "+0117" or "-03649" or "+013604": sign, degrees, minutes[, seconds]."""
    sign = -1.0 if text[0] == "-" else 1.0
    digits = text[1:]
    degrees = int(digits[:whole_digits])
    minutes = int(digits[whole_digits : whole_digits + 2])
    seconds = int(digits[whole_digits + 2 :] or 0)
    return sign * (degrees + minutes / 60 + seconds / 3600)


def _coordinates(text: str) -> tuple[float, float]:
    split = max(text.rfind("+"), text.rfind("-"))
    latitude, longitude = text[:split], text[split:]
    return _degrees(latitude, 2), _degrees(longitude, 3)


def _zone_table() -> str:
    try:
        return resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@cache
def zones() -> dict[str, ZonePlace]:
    """Every zone of zone.tab by name (one line per country it serves; the first wins)."""
    found: dict[str, ZonePlace] = {}
    for line in _zone_table().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, coordinates, zone = line.split("\t")[:3]
        latitude, longitude = _coordinates(coordinates)
        found.setdefault(zone, ZonePlace(zone, country, latitude, longitude))
    return found


@cache
def _by_city() -> dict[str, ZonePlace]:
    """Zones by their city's name, plain: "daressalaam" -> Africa/Dar_es_Salaam."""
    return {
        plain(zone.rsplit("/", 1)[-1].replace("_", " ")): place for zone, place in zones().items()
    }


@cache
def _by_country() -> dict[str, ZonePlace]:
    first: dict[str, ZonePlace] = {}
    for place in zones().values():
        first.setdefault(place.country, place)
    return first


def of_zone(zone: str | None) -> ZonePlace | None:
    return None if zone is None else zones().get(zone)


def of_city(city: str) -> ZonePlace | None:
    """The zone named for a city ("Nairobi", "Dar es Salaam"), if one is."""
    return _by_city().get(plain(city))


def of_country(country: str) -> ZonePlace | None:
    """A country's first zone in zone.tab: where it is, roughly (its capital, most often)."""
    return _by_country().get(country.upper())


def distance_km(a: ZonePlace, b: ZonePlace) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(a.latitude), math.radians(b.latitude)
    dphi = phi2 - phi1
    dlambda = math.radians(b.longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
