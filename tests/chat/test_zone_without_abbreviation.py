"""A time zone with no letters for it (Bogotá's "-05") is named by its city, in the reader's
language, not shown as "(-0500)" (walkthrough: a circle in Bogotá read "6:00 PM (-0500)")."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat.i18n import Catalogs
from locales import LOCALES_DIR
from tests.conftest import Chat

CATALOGS = Catalogs(LOCALES_DIR)
# Thursday 29 October 2026, 18:00 in Bogotá (UTC-5 all year).
BOGOTA_EVENING = datetime(2026, 10, 29, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "named"),
    [
        ("en", "(Bogotá time)"),
        ("es", "(hora de Bogotá)"),
        ("fr", "(heure de Bogotá)"),
        ("de", "(Ortszeit Bogotá)"),
        ("sw", "(saa za Bogotá)"),
        ("da", "(Bogotá-tid)"),
    ],
)
def test_bogota_is_named_by_its_city_in_the_readers_language(language: str, named: str) -> None:
    when = CATALOGS.translator(language).when(BOGOTA_EVENING, "America/Bogota")
    assert when.endswith(named), when
    assert "-05" not in when


def test_zones_with_letters_keep_them_and_a_bare_offset_reads_as_utc() -> None:
    english = CATALOGS.translator("en")
    assert english.zone_name(BOGOTA_EVENING, "Africa/Nairobi") == "EAT"
    assert english.zone_name(BOGOTA_EVENING, "America/Detroit") == "EDT"
    assert english.zone_name(BOGOTA_EVENING, "America/Lima") == "Lima time"
    assert english.zone_name(BOGOTA_EVENING, "Asia/Kathmandu") == "Kathmandu time"
    assert english.zone_name(BOGOTA_EVENING, "Etc/GMT+5") == "UTC-5"
    assert CATALOGS.translator("es").zone_name(BOGOTA_EVENING, "America/Lima") == "hora de Lima"


async def test_a_circle_in_bogota_reads_its_time_with_the_city(chat: Chat) -> None:
    ready = await chat.say(
        "Lucía",
        '/newcircle name="Python en Bogotá" course="Python for Everybody" '
        'venue="Biblioteca Virgilio Barco" city=Bogotá country=CO zone=America/Bogota '
        "start=2026-10-29 time=18:00 meetings=6",
        locale_hint="es",
    )
    assert "(hora de Bogotá)" in ready, ready
    assert "-0500" not in ready
