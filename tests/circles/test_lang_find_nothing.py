"""/find that finds nothing says so plainly in the reader's language, with what to do instead
(walkthrough lang 38: "chercher Montréal" with no circle there): the nearest circles when the
place is known, circles online when there are some, or starting one."""

from __future__ import annotations

import pytest

from bot.chat.i18n import Catalogs
from bot.chat.keywords import slash_name
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat

CATALOGS = Catalogs(LOCALES_DIR)
ONLINE_CIRCLE = (
    '/newcircle name="Python en ligne" course="Python for Everybody" venue=online '
    "link=https://meet.jit.si/py4e city=Detroit country=US zone=America/Detroit "
    "start=2026-10-29 time=18:00 meetings=6"
)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "I found no open circle for “Montréal”, and no circle anywhere"),
        ("fr", "Je n'ai trouvé aucun cercle ouvert pour « Montréal », et aucun cercle"),
        ("es", "No encontré ningún círculo abierto para “Montréal”, y ahora mismo"),
        ("de", "Kein offener Kreis für „Montréal“ gefunden, und gerade ist nirgends"),
        ("da", "Jeg fandt ingen åben cirkel for “Montréal”, og ingen cirkel"),
        ("sw", "Sikupata kikundi kilicho wazi kwa “Montréal”, na hakuna kikundi"),
    ],
)
async def test_nothing_open_anywhere_suggests_starting_one(
    chat: Chat, language: str, said: str
) -> None:
    answer = await chat.say("Pierre", "/find Montréal", locale_hint=language)
    assert said in answer, answer
    newcircle = slash_name(CATALOGS.translator(language), "newcircle")
    assert f"/{newcircle}" in answer, answer  # what to send, as she types it


async def test_a_city_without_a_circle_lists_the_nearest_and_online_ones(chat: Chat) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is listed now" in await chat.say("Amina", "/listing on")
    # Montréal: a city the time zones know, so the nearest circles are listed.
    near = await chat.say("Pierre", "/chercher Montréal", locale_hint="fr")
    assert near.startswith("Montréal : pas encore de cercle ouvert"), near
    assert "Python for Everyone" in near
    # A course no circle takes, with only circles that meet in a room: where to look instead.
    cooking = await chat.say("Pierre", "/chercher cuisine", locale_hint="fr")
    assert "Je n'ai trouvé aucun cercle ouvert pour « cuisine »" in cooking, cooking
    assert "/chercher et votre pays" in cooking and "/nouveaucercle" in cooking, cooking
    # With a circle online, that is the suggestion: anyone can come.
    assert "is ready" in await chat.say("Omar", ONLINE_CIRCLE)
    assert "is listed now" in await chat.say("Omar", "/listing on")
    cooking = await chat.say("Pierre", "/chercher cuisine", locale_hint="fr")
    assert "/chercher en ligne" in cooking, cooking
    online = await chat.say("Pierre", "/chercher en ligne", locale_hint="fr")
    assert "Python en ligne" in online, online
