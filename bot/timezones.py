"""IANA time zone names: validation with helpful suggestions."""

from __future__ import annotations

import difflib
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from bot.errors import UserError
from bot.i18n import N_


@cache
def _zones() -> dict[str, str]:
    """Lower-cased name (and last component, e.g. 'nairobi') -> canonical IANA name."""
    names: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if zone.startswith(("Etc/", "SystemV/")) or "/" not in zone:
            continue
        names[zone.lower()] = zone
        names.setdefault(zone.rsplit("/", 1)[-1].lower().replace("_", " "), zone)
    return names


def closest(typed: str, n: int = 3) -> list[str]:
    key = typed.strip().lower().replace("_", " ")
    zones = _zones()
    matches = difflib.get_close_matches(key, list(zones), n=n * 2, cutoff=0.6)
    found: list[str] = []
    for match in matches:
        if zones[match] not in found:
            found.append(zones[match])
    return found[:n]


def resolve(typed: str) -> str:
    """The canonical IANA name for what was typed ('africa/nairobi', 'Nairobi'), or UserError."""
    cleaned = typed.strip()
    zones = _zones()
    zone = zones.get(cleaned.lower()) or zones.get(cleaned.lower().replace("_", " "))
    if zone is not None:
        ZoneInfo(zone)
        return zone
    suggestions = closest(cleaned)
    if suggestions:
        raise UserError(
            N_("I don't know the time zone “%(zone)s”. Did you mean %(suggestions)s?"),
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


def zones_for_country(country_code: str) -> list[str]:
    """The IANA zones used in a country, e.g. ['Africa/Nairobi'] for KE."""
    return list(_zones_by_country().get(country_code.upper(), []))
