"""IANA time zone names: validation with helpful suggestions, and the zones of a country."""

from __future__ import annotations

import difflib
from functools import cache
from importlib import resources
from zoneinfo import available_timezones

from bot.chat.errors import UserError
from bot.chat.i18n import N_


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
def _canonical() -> dict[str, str]:
    """Lower-cased canonical name, and its city ('nairobi', 'new york') -> IANA name.

    Suggestions come only from these, never from old aliases such as 'Brazil/East'.
    """
    names = {"utc": "UTC"}
    for zones in _zones_by_country().values():
        for zone in zones:
            names[zone.lower()] = zone
            names.setdefault(zone.rsplit("/", 1)[-1].lower().replace("_", " "), zone)
    return names


@cache
def _all() -> dict[str, str]:
    """Region/City names the tz database knows, aliases too (US/Eastern), lower-cased.

    Bare legacy names (EST, MST) are left out: they are fixed offsets without daylight saving,
    so a circle in Detroit given "EST" would meet an hour off half the year.
    """
    return {zone.lower(): zone for zone in available_timezones() if "/" in zone}


def closest(typed: str, n: int = 3) -> list[str]:
    key = typed.strip().lower().replace("_", " ")
    names = _canonical()
    found: list[str] = []
    for match in difflib.get_close_matches(key, list(names), n=n * 2, cutoff=0.6):
        if names[match] not in found:
            found.append(names[match])
    return found[:n]


def resolve(typed: str) -> str:
    """The IANA name for what was typed ('africa/nairobi', 'Nairobi', 'UTC'), or UserError."""
    cleaned = typed.strip()
    key = cleaned.lower()
    zone = (
        _canonical().get(key)
        or _canonical().get(key.replace("_", " "))
        or _all().get(key.replace(" ", "_"))
    )
    if zone is not None:
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


def zones_for_country(country_code: str) -> list[str]:
    """The IANA zones used in a country, e.g. ['Africa/Nairobi'] for KE."""
    return list(_zones_by_country().get(country_code.upper(), []))
