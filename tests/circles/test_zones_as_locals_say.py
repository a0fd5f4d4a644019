"""Zones for circles in Mexico and Québec as locals name them (walkthrough in Spanish and
French): the city CDMX or Montréal suggests its zone, and "hora del centro", "heure de
l'Est" or HNE are read as "Central" and "Eastern" are."""

from __future__ import annotations

import pytest

from bot.circles import timezones
from tests.conftest import Chat


@pytest.mark.parametrize(
    ("typed", "country", "city", "zone"),
    [
        ("hora del centro", "MX", "CDMX", "America/Mexico_City"),
        ("tiempo del centro", "MX", "Guadalajara", "America/Mexico_City"),
        ("heure de l'Est", "CA", "Montréal", "America/Toronto"),
        ("HNE", "CA", "Montréal", "America/Toronto"),
        ("Eastern", "CA", "Montréal", "America/Toronto"),  # not "Toronto or Iqaluit?"
        ("CDMX", "MX", None, "America/Mexico_City"),
        ("hora de CDMX", "MX", None, "America/Mexico_City"),
    ],
)
def test_local_names_for_zones_and_cities_are_read(
    typed: str, country: str, city: str | None, zone: str
) -> None:
    assert timezones.resolve(typed, country=country, city=city) == zone


@pytest.mark.parametrize(
    ("language", "city", "country", "zone"),
    [
        ("es", "CDMX", "México", "America/Mexico_City"),
        ("fr", "Montréal", "Canada", "America/Toronto"),
    ],
)
async def test_the_city_suggests_its_zone(
    chat: Chat, language: str, city: str, country: str, zone: str
) -> None:
    await chat.say("Camila", "/newcircle", locale_hint=language)
    for answer in ("Club de lectura", "Leer juntos", "py4e.com/lessons", "Biblioteca", city):
        await chat.say("Camila", answer, locale_hint=language)
    asked = await chat.say("Camila", country, locale_hint=language)
    assert zone in asked, asked
    assert "America/Chicago" not in asked or zone == "America/Chicago", asked
