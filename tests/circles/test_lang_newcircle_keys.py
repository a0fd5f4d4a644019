"""/newcircle in one line with its keys in the facilitator's language (walkthrough lang 8): a
Spanish facilitator writes "nombre: ...; curso: ...; día: ...; hora: ..." and gets her circle;
/help names the keys in her words; the dial-in number has one name in a language's replies."""

from __future__ import annotations

from bot.chat.i18n import Catalogs
from bot.chat.keywords import plain
from bot.circles import detail_keys
from locales import LOCALES_DIR
from tests.conftest import Chat

CATALOGS = Catalogs(LOCALES_DIR)
SPANISH_LINE = (
    "/nuevocirculo nombre: Excel básico; curso: Excel para todos; día: miércoles; hora: 17:00; "
    "lugar: Biblioteca Vasconcelos; ciudad: Ciudad de México; país: México; "
    "zona: America/Mexico_City; inicio: 2026-11-04"
)


async def test_a_spanish_one_line_newcircle_makes_the_circle(chat: Chat) -> None:
    ready = await chat.say("Lucía", SPANISH_LINE, locale_hint="es")
    assert "Tu círculo Excel básico está listo" in ready, ready
    assert "cada miércoles a las 17:00" in ready and "Biblioteca Vasconcelos" in ready, ready

    # Keys in another shipped language work too, with = as well as a colon.
    ready = await chat.say(
        "Pierre",
        "/nouveaucercle nom=Tableurs; cours=Excel; lieu=Médiathèque; ville=Lyon; pays=FR; "
        "fuseau=Europe/Paris; début=2026-11-05; heure=18:30",
        locale_hint="fr",
    )
    assert "Tableurs" in ready and "18:30" in ready, ready

    # Help shows the one-line form with her language's keys; a wrong key lists them too.
    help_text = await chat.say("Lucía", "/ayuda nuevocirculo", locale_hint="es")
    assert "Las claves: nombre, curso, web, lugar, ciudad, país" in help_text, help_text
    refused = await chat.say("Lucía", "/nuevocirculo nombre: Excel; color: azul", locale_hint="es")
    assert "No entiendo “color”" in refused and "las claves son: nombre, curso" in refused


async def test_the_dial_in_has_one_spanish_name(chat: Chat) -> None:
    ready = await chat.say(
        "Lucía",
        '/newcircle name="Excel básico" course="Excel" venue="Biblioteca Vasconcelos" '
        "city=Puebla country=MX zone=America/Mexico_City start=2026-11-04 time=17:00",
        locale_hint="es",
    )
    assert "está listo" in ready, ready
    tip = await chat.say("Lucía", "/editar enlace https://meet.jit.si/excel", locale_hint="es")
    # The tip names the word /editar takes, and that word works.
    assert "/editar telefono NÚMERO" in tip and "dialin" not in tip, tip
    done = await chat.say("Lucía", "/editar telefono +52 55 1234 5678", locale_hint="es")
    assert "+52 55 1234 5678" in done, done
    assert "O llama al +52 55 1234 5678" in await chat.say("Lucía", "/proxima", locale_hint="es")


def test_no_key_word_names_two_details_in_any_language() -> None:
    """A key read in every language must name one detail: "land" is the country in German and
    Danish alike, never the venue somewhere else."""
    named: dict[str, str] = {}
    for code in CATALOGS.locales:
        tr = CATALOGS.translator(code)
        for key, msgid in detail_keys.KEYS.items():
            for word in f"{key},{msgid},{tr._(msgid)}".split(","):
                typed = plain(word)
                assert named.setdefault(typed, key) == key, (code, word, named[typed], key)


async def test_a_date_under_dia_is_the_start_and_web_saltar_skips_the_link(chat: Chat) -> None:
    """C8: "día: 2027-01-29" is the first meeting's date, not a weekday in English codes;
    "web: saltar" skips the link, as the guided question says to send; a word that is no
    day at all is refused with the reader's own day names."""
    ready = await chat.say(
        "Rosa",
        "/nuevocirculo nombre: Inglés básico 2; curso: Inglés; web: saltar; lugar: Biblioteca; "
        "ciudad: Lima; país: PE; zona: America/Lima; día: 2027-01-29; hora: 19:00; "
        "reuniones: 6",
        locale_hint="es",
    )
    assert "Tu círculo Inglés básico 2 está listo" in ready, ready
    assert "cada viernes a las 19:00" in ready and "29 de enero de 2027" in ready, ready
    refused = await chat.say(
        "Rosa",
        "/nuevocirculo nombre: Inglés 3; curso: Inglés; lugar: Biblioteca; ciudad: Lima; "
        "país: PE; zona: America/Lima; inicio: 2027-01-29; día: juevs; hora: 19:00",
        locale_hint="es",
    )
    assert "lun, mar, mié, jue, vie, sáb o dom" in refused, refused
    assert "mon, tue" not in refused, refused
