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
