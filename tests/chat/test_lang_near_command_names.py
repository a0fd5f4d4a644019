"""Near forms of a localized command name (walkthrough: French, Danish and Swahili learners
typed /partages, /tilmelding, /kujiunga and were told "unknown command"): a form whose stem
is one command's is that command; where two commands share a stem the exact name is needed,
and the unknown answer suggests the closest."""

from __future__ import annotations

import pytest

from bot.chat.i18n import Catalogs
from bot.chat.keywords import former_command
from locales import LOCALES_DIR
from tests.conftest import Chat

CATALOGS = Catalogs(LOCALES_DIR)


@pytest.mark.parametrize(
    ("language", "typed", "command"),
    [
        ("fr", "rejoins", "join"),
        ("fr", "prochain", "next"),
        ("fr", "présents", "here"),
        ("fr", "membre", "roster"),
        ("fr", "trouver", "find"),
        ("da", "tilmelding", "join"),
        ("da", "deltager", "roster"),
        ("da", "invitere", "invite"),
        ("sw", "kujiunga", "join"),
        ("sw", "kutafuta", "find"),
        ("es", "unirse", "join"),
        ("es", "busca", "find"),
        ("es", "horarios", "schedule"),
        ("de", "suche", "find"),
        ("de", "teilnehmer", "roster"),
        # /partage is /visibilite now (B7): /partages is only /partager's.
        ("fr", "partages", "share"),
        # Two commands share the stem: no guess.
        ("sw", "kushirikiana", None),
    ],
)
def test_a_near_form_names_its_command(language: str, typed: str, command: str | None) -> None:
    assert former_command(CATALOGS.translator(language), typed) == command


async def test_near_forms_run_the_command_and_others_get_the_closest(chat: Chat) -> None:
    found = await chat.say("Pierre", "/trouver Nairobi", locale_hint="fr")
    assert "Je ne connais pas" not in found, found
    joined = await chat.say("Wanjiru", "/kujiunga", locale_hint="sw")
    assert "Sijui" not in joined and "/jiunge" in joined, joined
    unknown = await chat.say("Pierre", "/partagez", locale_hint="fr")
    assert "Je ne connais pas" not in unknown, unknown  # /partager
    unknown = await chat.say("Wanjiru", "/kushirikiana", locale_hint="sw")
    assert unknown.startswith("Sijui /kushirikiana. Ulimaanisha /shiriki"), unknown
