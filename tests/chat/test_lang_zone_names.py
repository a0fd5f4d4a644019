"""One rule for naming a time zone, whatever the reader's language (walkthrough lang 30: a
circle in Québec read "EST" in French while one in Lyon read a French name): letters only
where the reader's language writes some for it, else the zone's city in their words; and a
season across a clock change named the same way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat.i18n import Catalogs
from locales import LOCALES_DIR
from tests.conftest import Chat

CATALOGS = Catalogs(LOCALES_DIR)
WINTER = datetime(2026, 12, 9, 23, 0, tzinfo=UTC)
SUMMER = datetime(2027, 6, 9, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "toronto", "paris"),
    [
        ("en", "EST", "CET"),
        ("sw", "EST", "CET"),  # the tz database's letters, as Kenya writes EAT
        ("fr", "heure de Toronto", "heure de Paris"),
        ("es", "hora de Toronto", "CET"),  # Spanish CLDR has letters for Central Europe
        ("de", "Ortszeit Toronto", "MEZ"),
        ("da", "Toronto-tid", "CET"),
    ],
)
def test_a_zone_is_named_by_letters_the_reader_knows_or_by_its_city(
    language: str, toronto: str, paris: str
) -> None:
    tr = CATALOGS.translator(language)
    assert tr.zone_name(WINTER, "America/Toronto") == toronto
    assert tr.zone_name(WINTER, "Europe/Paris") == paris
    # Across a clock change, a city-named zone keeps its name: no long CLDR name for one
    # circle and letters for the next.
    if language == "fr":
        assert tr.zone_name_over([WINTER, SUMMER], "America/Toronto") == toronto
        assert tr.zone_name_over([WINTER, SUMMER], "Europe/Paris") == paris


async def test_a_french_reader_sees_quebec_and_lyon_named_alike(chat: Chat) -> None:
    quebec = await chat.say(
        "Sylvie",
        '/newcircle name="Tableurs Québec" course="Excel" venue="Bibliothèque Gabrielle-Roy" '
        "city=Québec country=CA zone=America/Toronto start=2026-12-02 time=18:00 meetings=6",
        locale_hint="fr",
    )
    lyon = await chat.say(
        "Pierre",
        '/newcircle name="Tableurs Lyon" course="Excel" venue="Médiathèque Lyon" '
        "city=Lyon country=FR zone=Europe/Paris start=2026-12-02 time=18:00 meetings=6",
        locale_hint="fr",
    )
    assert "(heure de Toronto)" in quebec and "EST" not in quebec, quebec
    assert "(heure de Paris)" in lyon and "CET" not in lyon, lyon
