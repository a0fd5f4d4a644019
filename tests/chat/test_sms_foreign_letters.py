"""Kikuyu names (Wanjirũ, Kĩambu) made every SMS that named them UCS-2: 70 characters a part
instead of 160, three times the cost. By SMS, letters none of the bot's languages writes fold
to their GSM-7 look-alikes when only they keep a text out of GSM-7; the letters of our
languages ("reunión", "fête") and other scripts' stay as written."""

from __future__ import annotations

from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Outbound
from bot.chat.rendering import fit
from bot.chat.segments import SMS_CAPABILITIES, fold_foreign_letters, is_gsm7, sms_segments
from bot.core import Core
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones

CATALOGS = Catalogs(LOCALES_DIR)
PHONE = "+254700000001"


def texted(text: str, locale: str = "en") -> list[str]:
    message = Outbound(Address("sms", PHONE), text)
    return [part.text for part in fit(message, SMS_CAPABILITIES, CATALOGS.translator(locale))]


def test_a_kikuyu_name_no_longer_makes_a_text_cost_three_parts() -> None:
    text = (
        "Wanjirũ has joined Kĩambu Readers. Say hello at the next meeting: Thursday at 18:00, "
        "at the Kĩambu library, Room 2. Send NEXT for the details."
    )
    assert sms_segments(text) == 3  # as UCS-2
    [part] = texted(text)
    assert part == text.replace("ũ", "u").replace("ĩ", "i")
    assert is_gsm7(part) and sms_segments(part) == 1


def test_our_languages_letters_and_other_scripts_stay_as_written() -> None:
    # By SMS a Spanish text folds whole, the name's letters and the Spanish accents alike
    # (wave 2, walk C 1): one UCS-2 letter would triple its cost.
    spanish = "Wanjirũ se unió a Kĩambu Readers. Nos vemos en la próxima reunión, el jueves."
    assert texted(spanish, "es") == [
        "Wanjiru se unio a Kiambu Readers. Nos vemos en la proxima reunion, el jueves."
    ]
    assert fold_foreign_letters("Bonne fête, Wanjirũ !") == "Bonne fête, Wanjirũ !"
    # Another script is never turned into Latin letters, nor is a text in it folded.
    assert fold_foreign_letters("Привет, Wanjirũ!") == "Привет, Wanjirũ!"
    assert fold_foreign_letters("Ώρα: Wanjirũ") == "Ώρα: Wanjirũ"


async def test_an_sms_learner_named_wanjiru_reads_her_welcome_in_gsm7(
    chat: Chat, core: Core
) -> None:
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await phones.say(PHONE, "JOIN " + await code_of(core, "Python for Everyone"))
    parts = await phones.texts(PHONE, "Wanjirũ")  # the name question
    assert "Wanjiru" in parts[0].text
    assert all(is_gsm7(part.text) for part in parts), [part.text for part in parts]
