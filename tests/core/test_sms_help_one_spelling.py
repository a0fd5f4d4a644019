"""HELP by SMS names each word one way (walkthrough lang 5): "Escribe PRÓXIMA ..." then "Palabras
que puedes enviar: PROXIMA, ..." and French SUIVANT beside PROCHAINE were two spellings, two
words, for one thing. Each word is the one the list of words names, without accents a feature
phone's GSM-7 lacks."""

from __future__ import annotations

import re

import pytest

from bot.chat import keywords
from bot.chat.i18n import Catalogs
from bot.chat.segments import SMS_CAPABILITIES, is_gsm7
from bot.core import Core
from locales import LOCALES_DIR
from tests.conftest import Chat
from tests.core.test_sms_words import Phones, joined

PHONE = "+254711000001"
CAPITALS = re.compile(r"\b[^\W\d_a-zß-ÿ]{3,}\b")  # words in capitals: what to text


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


@pytest.mark.parametrize("language", ["en", "es", "fr", "de", "sw", "da"])
async def test_help_by_sms_names_next_one_way(chat: Chat, phones: Phones, language: str) -> None:
    await joined(chat, phones, PHONE, language)
    await phones.say(PHONE, "/skip")
    await phones.say(PHONE, "2")
    texts = [reply.text for reply in await phones.texts(PHONE, "HELP")]
    tr = Catalogs(LOCALES_DIR).translator(language)
    next_words = keywords.words(tr, keywords.NEXT) | keywords.spellings(
        keywords.local_name(tr, "next")
    )
    said = {word for text in texts for word in CAPITALS.findall(text)}
    meaning_next = {word for word in said if keywords.plain(word) in next_words}
    assert len(meaning_next) == 1, (meaning_next, texts)
    assert all(is_gsm7(word) for word in said), texts
