"""A new texter's language (walkthrough lang 41: "hola quiero unirme" from Mexico was answered
in English): guessed from the first text's words, then from the number's country, then the
default; when the words didn't say it, the first reply says in one line how to change it."""

from __future__ import annotations

from bot.core import Core
from tests.core.test_sms_words import Phones

MEXICO = "+525512345678"
FRANCE = "+33612345678"
KENYA = "+254711000009"


async def said(phones: Phones, number: str, text: str) -> str:
    return "\n".join(reply.text for reply in await phones.texts(number, text))


async def test_words_then_country_then_default_and_one_line_to_switch(core: Core) -> None:
    phones = Phones(core, platform="sms")
    # Words first: a Spanish greeting is answered in Spanish, with no line to switch.
    hola = await said(phones, MEXICO, "hola quiero unirme")
    assert hola.startswith("¡Hola! Soy circlebot"), hola
    assert "idioma" not in hola.casefold(), hola

    # No word says which: the number's country does (Mexico: Spanish; France: French), and
    # the reply ends with how to switch, named as texted (IDIOMA, LANGUE). Once only.
    quiero = await said(phones, "+525512345600", "quiero unirme al grupo")
    assert quiero.startswith("¡Hola! Soy circlebot"), quiero
    assert quiero.endswith("¿Otro idioma? Envia IDIOMA."), quiero  # sms 8: GSM-7
    again = await said(phones, "+525512345600", "quiero unirme al grupo")
    assert again.startswith("¡Hola! Soy circlebot") and "¿Otro idioma?" not in again, again
    french = await said(phones, FRANCE, "euh ?")
    assert french.startswith("Je n'ai pas compris"), french
    assert french.endswith("Une autre langue ? Envoyez LANGUE."), french

    # An English word from a Mexican number is answered in English. Kenya reads two of the
    # bot's languages: the default (English), with the line, until the words say otherwise.
    english = await said(phones, "+525512345601", "how do I join?")
    assert english.startswith("Hi! I'm circlebot") and "Another language" not in english
    kenyan = await said(phones, KENYA, "hmm")
    assert kenyan.startswith("I didn't catch that"), kenyan
    assert kenyan.endswith("Another language? Send LANGUAGE."), kenyan
    swahili = await said(phones, KENYA, "habari")
    assert swahili.startswith("Habari!") and "Another language" not in swahili, swahili
