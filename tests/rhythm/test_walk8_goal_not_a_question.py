"""A question or a "don't understand" is no goal: the goal question is explained, with an
example, and still waits. Walkthrough 8 (sms 2, mix 4): Don Hernando's "QUE HAY QUE HACER" was
kept as his goal and read back to him at the end; Nadia's "euh je comprends pas, c'est en
quelle langue ?" too."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones

PHONE = "+573001112233"


async def test_a_question_in_capitals_by_sms_is_explained_not_kept(chat: Chat, core: Core) -> None:
    await chat.say("Luz", DETROIT_CIRCLE + " language=es")
    phone = Phones(core, platform="sms")
    await phone.say(PHONE, "UNIRME " + await code_of(core, "Python for Everyone"))
    await phone.say(PHONE, "HERNANDO")
    explained = await phone.say(PHONE, "QUE HAY QUE HACER")
    assert "Tu meta es lo que te gustaría sacar" in explained
    kept = await phone.say(PHONE, "APRENDER A HACER LAS CUENTAS DEL ARRIENDO")
    # By SMS the thanks is shortened to fit one part with the sharing question (walk C8).
    assert kept.startswith("¡Gracias!") and "Tu meta es lo que" not in kept, kept
    assert "¿Puede Luz leer tus respuestas escritas?" in kept
    assert "CUENTAS DEL ARRIENDO" in await phone.say(PHONE, "PORTAFOLIO")


@pytest.mark.parametrize(
    "typed", ["euh je comprends pas, c'est en quelle langue ?", "what should I write?"]
)
async def test_not_understanding_is_no_goal(chat: Chat, core: Core, typed: str) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Nadia", "/join " + await code_of(core, "Python for Everyone"))
    reply = await chat.say("Nadia", typed)
    assert "I'll remind you" not in reply and "rappellerai" not in reply
    assert "/skip" in reply


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("fr", "je sais pas trop, on verra", "Pas de souci, rien ne presse."),
        ("da", "ved ikke helt, mit barnebarn sagde jeg skulle prøve", "Det er helt fint"),
        ("en", "dunno really, we'll see", "That's fine, you don't need one yet."),
    ],
)
async def test_no_goal_yet_is_kept_as_none(
    chat: Chat, core: Core, language: str, typed: str, said: str
) -> None:
    """B8, D9: "je sais pas trop, on verra" was kept as Moussa's goal, then quoted back to him
    in the final week ("How close did you get?") and in his portfolio. Now: fine, no goal, and
    how to set one later; the sharing question still follows."""
    await chat.say("Amina", DETROIT_CIRCLE + f" language={language}")
    await chat.say("Moussa", "/join " + await code_of(core, "Python for Everyone"))
    reply = await chat.say("Moussa", typed)
    assert said in reply, reply
    assert "Thank you, I'll remind" not in reply and "\n\n" in reply, reply  # sharing next
    assert typed not in await chat.say("Moussa", "/portfolio")


async def test_a_goal_that_starts_unsure_is_kept(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Nadia", "/join " + await code_of(core, "Python for Everyone"))
    reply = await chat.say("Nadia", "I don't know Excel at all and want to make a budget")
    assert "I'll remind you of it near the end." in reply, reply
