"""SMS keywords: the words a feature phone sends instead of slash commands.

Carriers and gateways know STOP and START; learners text YES, NEXT or JOIN AB12CD. Each keyword
is a comma-separated list in the catalogs, so every language adds its own words (Swahili NDIYO,
French OUI) while the English ones keep working. Matching ignores case, accents, spaces and
punctuation ("Stop!", "s t o p", "Sí."), and looks only at the whole message, so a sentence that
starts with "next" is still a sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.chat.i18n import N_, Translator

# Translators: words a learner can text to stop every message (carrier opt-out words). Keep the
# English ones; add your language's, comma-separated, in capitals. Avoid everyday words.
OPT_OUT = N_("STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT")
# Translators: words a learner can text to get messages again after stopping them.
OPT_IN = N_("START, UNSTOP")
# Translators: words a learner can text to ask what this is and how to stop it.
HELP = N_("HELP, INFO")
# Translators: words for yes and no, texted to answer "will you come?"; comma-separated.
YES = N_("YES, Y")
NO = N_("NO, N")
# Translators: the word before a join code ("JOIN AB12CD"); comma-separated synonyms allowed.
JOIN = N_("JOIN")
# Translators: the word a learner texts to hear about the next meeting.
NEXT = N_("NEXT")
# Translators: the word before a place, course or language to find an open circle
# ("FIND NAIROBI"); comma-separated synonyms allowed.
FIND = N_("FIND")

JOIN_CODE = re.compile(r"(?P<word>\S+)\s+(?P<code>[A-Za-z0-9-]{4,12})[.!]?")
# FIND and up to three words ("FIND DAR ES SALAAM"): a longer text starting with "find" is a
# sentence for the facilitator, not a search.
FIND_WHAT = re.compile(r"(?P<word>\S+)(?:\s+(?P<what>\S+(?:\s+\S+){0,2}))?[.!?]?")


class Keyword(StrEnum):
    OPT_OUT = "opt-out"
    OPT_IN = "opt-in"
    HELP = "help"
    YES = "yes"
    NO = "no"
    JOIN = "join"
    NEXT = "next"
    FIND = "find"


LISTS = {
    Keyword.OPT_OUT: OPT_OUT,
    Keyword.OPT_IN: OPT_IN,
    Keyword.HELP: HELP,
    Keyword.YES: YES,
    Keyword.NO: NO,
    Keyword.NEXT: NEXT,
}


@dataclass(frozen=True)
class Match:
    keyword: Keyword
    argument: str = ""  # the join code; what to find


def plain(text: str) -> str:
    """Letters and digits only, case- and accent-free: "Sí." -> "si", "S T O P" -> "stop"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def words(tr: Translator, keyword_list: str) -> set[str]:
    """The English words of a keyword list and the reader's language's."""
    listed = f"{keyword_list},{tr._(keyword_list)}"
    return {word for word in (plain(part) for part in listed.split(",")) if word}


def first_word(tr: Translator, keyword_list: str) -> str:
    """The word to tell a reader to text, in their language ("ANZA" for START in Swahili)."""
    return tr._(keyword_list).split(",")[0].strip()


def read(tr: Translator, text: str, join_words: Iterable[str] = ()) -> Match | None:
    """The keyword a whole message is, if it is one. `join_words`: JOIN as every language
    writes it, also taken before a code (an invitation forwarded in the facilitator's language
    reaches people whose own the bot doesn't know yet: "REJOINDRE AB12CD" is unmistakable)."""
    joined = JOIN_CODE.fullmatch(text.strip())
    every = {plain(word) for listed in join_words for word in listed.split(",")}
    if joined and plain(joined["word"]) in words(tr, JOIN) | every:
        return Match(Keyword.JOIN, joined["code"])
    found = FIND_WHAT.fullmatch(text.strip())
    if found and plain(found["word"]) in words(tr, FIND):
        return Match(Keyword.FIND, (found["what"] or "").rstrip(".!?"))
    word = plain(text)
    if not word:
        return None
    for keyword, keyword_list in LISTS.items():
        if word in words(tr, keyword_list):
            return Match(keyword)
    return None


def action(tr: Translator, word: str, actions: Mapping[str, str]) -> str | None:
    """Which of `actions` (English word -> its msgid) a typed word names, in English or the
    reader's language, case and accents aside ("désactiver" is "desactiver"); None if none."""
    typed = plain(word)
    for english, msgid in actions.items():
        if typed in {english, plain(tr._(msgid))}:
            return english
    return None
