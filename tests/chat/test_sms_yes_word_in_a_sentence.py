"""By SMS a command is quoted as its word in capitals, and its argument too ("CONFIRMAR SI 2"):
a yes-word that only goes on with the sentence ("Envía /letter si quieres escribir una": "if")
stays as written, else "CARTA SI" reads as a command to text, which the bot does not know."""

from __future__ import annotations

from bot.chat.i18n import Catalogs
from bot.chat.keywords import for_texting
from locales import LOCALES_DIR


def texted(language: str, text: str) -> str:
    return for_texting(Catalogs(LOCALES_DIR).translator(language), text)


def test_the_letter_skipped_by_sms_says_if_you_like_not_carta_si() -> None:
    tr = Catalogs(LOCALES_DIR).translator("es")
    said = for_texting(
        tr,
        tr._("OK, no letter this time; nothing is kept. Send /letter if you'd like to write one."),
    )
    assert "CARTA si quieres" in said


def test_a_yes_word_after_a_command_that_takes_none_stays_a_word_of_the_sentence() -> None:
    assert texted("es", "Envía /join y el código.") == "Envía UNIRME y el código."
    assert texted("es", "/skip si prefieres no responder.") == "SALTAR si prefieres no responder."
    assert texted("en", "/team no longer shows it.") == "TEAM no longer shows it."


def test_the_answer_of_a_reminder_is_still_in_capitals() -> None:
    assert texted("es", "envía /rsvp sí 2") == "envía CONFIRMAR SI 2"
    assert texted("en", "Send /rsvp no 3 or /sharing off.") == "Send RSVP NO 3 or SHARING OFF."
