"""Walkthrough wave 2 on /newcircle: "enlace: saltar" is no venue (dada 18); the one-line forms
by SMS too (sms 27); backing out in everyday words (sms 42); the circle-language menu in one
order (sms 41); /tilbage inside the set-up (dada 14); a bare hour (dada 16); a course renamed
away no longer offered (dada 15)."""

from __future__ import annotations

import pytest

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_sms_words import Phones

PHONE = "+254711000027"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


@pytest.mark.parametrize("key", ["enlace", "link"])
async def test_enlace_saltar_is_no_link_and_never_the_venue(chat: Chat, key: str) -> None:
    """dada 18: "enlace: saltar" made the circle "en saltar, Lima" and still asked the link."""
    ready = await chat.say(
        "Dada",
        "/nuevocirculo nombre: Excel en la biblioteca; curso: Excel para todos; lugar: "
        "Biblioteca Municipal de Lima; ciudad: Lima; país: PE; fecha: 2/3/2028; hora: 18:00; "
        f"reuniones: 6; {key}: saltar",
        locale_hint="es",
    )
    assert "saltar" not in ready, ready
    assert "Biblioteca Municipal de Lima" in ready and "está listo" in ready, ready


async def test_enlace_beside_a_place_is_the_course_link(chat: Chat) -> None:
    ready = await chat.say(
        "Dada",
        "/nuevocirculo nombre: Excel 2; curso: Excel para todos; lugar: Biblioteca Municipal; "
        "ciudad: Lima; país: PE; fecha: 2/3/2028; hora: 18:00; "
        "enlace: https://edu.gcfglobal.org/es/excel",
        locale_hint="es",
    )
    assert "Biblioteca Municipal" in ready and "está listo" in ready, ready
    assert "edu.gcfglobal.org/es/excel" in ready, ready


@pytest.mark.parametrize(
    "text",
    [
        "NEWCIRCLE name: Kisumu Digital 2; course: Digital Skills; venue: Kisumu National "
        "Library; city: Kisumu; country: KE; start: 2027-02-06; time: 14:00",
        'NEWCIRCLE name="Kisumu Digital 2" course="Digital Skills" venue="Kisumu National '
        'Library" city=Kisumu country=KE start=2027-02-06 time=14:00',
        "KIKUNDIPYA jina: Kisumu Digital 2; kozi: Digital Skills; mahali: Kisumu National "
        "Library; mji: Kisumu; nchi: KE; kuanza: 2027-02-06; saa: 14:00",
    ],
)
async def test_the_one_line_forms_work_by_sms(phones: Phones, text: str) -> None:
    """sms 27: all but a bare NEWCIRCLE got "I didn't catch that"."""
    answer = await phones.say(PHONE, text)
    assert "didn't catch" not in answer and "Sikuelewa" not in answer, answer
    ready = await phones.say(PHONE, "Achieng")  # her name, asked last by SMS
    assert "Kisumu Digital 2" in ready and "Kisumu National Library" in ready, ready


async def test_a_sentence_after_newcircle_by_sms_is_read(phones: Phones) -> None:
    answer = await phones.say(
        PHONE,
        "NEWCIRCLE Kisumu Digital 2, Kisumu National Library, Saturdays 2pm starting "
        "February 6, 6 weeks",
    )
    assert "didn't catch" not in answer, answer
    assert "Kisumu Digital 2" in answer and "Kisumu National Library" in answer, answer


async def test_acha_at_the_name_stops_the_set_up(phones: Phones) -> None:
    """sms 42: "acha" at "Kikundi kinaitwaje?" was read as a skip, "sitaki tena" as the name."""
    await phones.say(PHONE, "KIKUNDIPYA")
    stopped = await phones.say(PHONE, "acha")
    assert "Sawa, nimeacha" in stopped, stopped
    await phones.say(PHONE, "KIKUNDIPYA")
    stopped = await phones.say(PHONE, "sitaki tena")
    assert "Sawa, nimeacha" in stopped, stopped


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "never mind"),
        ("en", "forget it"),
        ("fr", "laisse tomber"),
        ("es", "olvídalo"),
        ("de", "vergiss es"),
        ("da", "glem det"),
        ("sw", "sitaki tena"),
    ],
)
async def test_backing_out_after_an_answer_asks_first(
    chat: Chat, language: str, words: str
) -> None:
    await chat.say("Dada", f"/language {language}")
    await chat.say("Dada", "/newcircle")
    await chat.say("Dada", "Excel Club")
    asked = await chat.say("Dada", words)
    assert "Excel Club" not in asked or "?" in asked, asked
    stopped = await chat.say("Dada", _yes(language))
    assert _stopped(language) in stopped, stopped
    assert "Excel Club" not in await chat.say("Dada", "/mycircles"), "made after all"


def _yes(language: str) -> str:
    return {"en": "yes", "fr": "oui", "es": "sí", "de": "ja", "da": "ja", "sw": "ndiyo"}[language]


def _stopped(language: str) -> str:
    return {
        "en": "OK, I've stopped",
        "fr": "D'accord, j'arrête",
        "es": "De acuerdo, paré",
        "de": "Okay, ich habe aufgehört",
        "da": "OK, jeg er stoppet",
        "sw": "Sawa, nimeacha",
    }[language]


async def test_a_course_renamed_away_is_no_longer_offered(chat: Chat) -> None:
    """dada 15: a sentence typed as the course once, then corrected with /edit course, was
    still offered as a course of its own at the next /newcircle."""
    sentence = "It is the course Getting started with the computer"
    ready = await chat.say(
        "Dada",
        f'/newcircle name="Computer Club" course="{sentence}" venue="Odense Library" '
        "city=Odense country=DK zone=Europe/Copenhagen start=2027-02-03 time=17:00",
    )
    assert "is ready" in ready, ready
    await chat.say("Dada", "/edit course Getting started with the computer")
    for who in ("Dada", "Mads"):
        await chat.say(who, "/newcircle")
        asked = await chat.say(who, "Computer Club 2")
        assert "Getting started with the computer" in asked, asked
        assert sentence not in asked, asked
        await chat.say(who, "/cancel")


async def test_the_circle_language_menu_keeps_one_order(chat: Chat) -> None:
    """sms 41: the menu put the reader's language first, so "6 for Kiswahili" in English was
    French in Swahili."""
    menus = []
    for who, language in (("Achieng", "en"), ("Otieno", "sw")):
        await chat.say(who, f"/language {language}")
        await chat.say(who, "/newcircle")
        for answer in ("Kisumu Digital", "Digital Skills", "/skip", "Kisumu Library", "Kisumu"):
            await chat.say(who, answer)
        for answer in ("KE", "Africa/Nairobi", "2027-02-06", "14:00"):
            await chat.say(who, answer)
        menus.append(await chat.say(who, "/skip"))  # the number of meetings: the language next
    english, swahili = menus
    assert "5 for français, or 6 for Kiswahili" in english, english
    assert "5 (français) au 6 (Kiswahili)" in swahili, swahili


@pytest.mark.parametrize(
    ("language", "back", "name_question"),
    [("da", "/tilbage", "Hvad hedder cirklen?"), ("en", "/back", "What's the circle called?")],
)
async def test_back_with_a_slash_goes_back_in_the_set_up(
    chat: Chat, language: str, back: str, name_question: str
) -> None:
    """dada 14: the intro says send "tilbage" to change the last answer; /tilbage (also the
    name of /stepin) answered about stepping back into a circle."""
    await chat.say("Dada", f"/language {language}")
    await chat.say("Dada", "/newcircle")
    await chat.say("Dada", "Computer Club")
    again = await chat.say("Dada", back)
    assert name_question in again, again


async def test_edit_time_takes_a_bare_evening_hour(chat: Chat) -> None:
    """dada 16: "/rediger tid 18" was "not a time I can read"; the set-up took "kl 17"."""
    await chat.say("Dada", "/language da")
    ready = await chat.say(
        "Dada",
        '/newcircle name="Computer Club" course="Computer" venue="Odense Library" '
        "city=Odense country=DK zone=Europe/Copenhagen start=2027-02-03 time=17:00",
    )
    assert "17.00" in ready, ready
    asked = await chat.say("Dada", "/rediger tid 18")
    assert "klokkeslæt" not in asked and "18.00" in asked, asked
    refused = await chat.say("Dada", "/rediger tid 6")  # morning or evening? still asked for
    assert "klokkeslæt" in refused, refused
