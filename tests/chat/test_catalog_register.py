"""One register per catalog: Spanish speaks to the reader as "tú" (informal, warm), French as
"vous", never a mix (walkthrough: a reader addressed both ways). Keyword lists are words people
type ("s'il te plaît"), not the bot's voice, and are left out."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from locales import LOCALES_DIR

# The usted forms a Spanish translation slips into most: the pronoun, and, starting a sentence,
# imperatives of the verbs the bot asks with ("Envíe", "Escriba"; mid-sentence, "que vuelva"
# and "un toque" are other words).
USTED = re.compile(
    r"\busted\b|(?:^|[.!?:;¡(]\s*)(envíe|escriba|responda|conteste|elija|"
    r"seleccione|intente|pruebe|indique|use|utilice|toque|pulse|espere|vuelva|haga|diga|"
    r"agregue|añada|cambie|guarde|confirme|díganos|cuéntenos|escríbanos|disculpe|perdone|"
    r"recuerde)\b",
    re.IGNORECASE,
)
# "tu" forms in French: pronouns and possessives.
TU = re.compile(r"\b(tu|toi|ton|ta|tes|te|tien|tienne)\b|\bt['’]", re.IGNORECASE)
# A keyword list: comma-separated words people type ("svp, stp, s'il te plaît").
WORD_LIST = re.compile(r"[^.!?:;()\n%]+(?:, [^.!?:;()\n%]+)+")


def _bot_voice(code: str) -> list[tuple[str, str]]:
    """Each translation the bot says, as (msgid, msgstr), keyword lists left out."""
    with (LOCALES_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=code)
    said = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if WORD_LIST.fullmatch(msgid):
            continue
        strings = [message.string] if isinstance(message.string, str) else message.string or []
        said += [(msgid, string) for string in strings if string]
    return said


@pytest.mark.parametrize(("code", "other_register"), [("es", USTED), ("fr", TU)])
def test_the_reader_is_addressed_one_way(code: str, other_register: re.Pattern[str]) -> None:
    mixed = [(msgid, s) for msgid, s in _bot_voice(code) if other_register.search(s)]
    assert mixed == []


def test_the_check_catches_a_slip() -> None:
    assert USTED.search("Envíe /join y el código.")
    assert TU.search("Envoie /join et ton code.")
    assert not TU.search("Envoyez /join et votre code.")
    assert WORD_LIST.fullmatch("please, pls, plz, in, language, speak, thanks")
