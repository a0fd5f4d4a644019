"""The language a phone number's country most likely reads, for a first text whose words say
none: a number from Mexico (+52) is answered in Spanish, one from France (+33) in French. Only
where the country has one language the bot ships (Kenya writes English and Swahili, Canada
English and French: there the words decide, else the deployment's default)."""

from __future__ import annotations

from collections.abc import Collection

from babel.languages import get_official_languages

from bot.circles.phone_numbers import region_of


def language_of_number(number: str, shipped: Collection[str]) -> str | None:
    """The one shipped language of the country of `number` (E.164), or None."""
    if not number.startswith("+"):
        return None
    region = region_of(number)
    if not region:
        return None
    spoken = [code for code in get_official_languages(region, de_facto=True) if code in shipped]
    return spoken[0] if len(spoken) == 1 else None
