"""Which of the shipped languages a letter (or a thank-you) is written in, read from its words.

A letter was labelled with its writer's language setting, so an English letter from a Danish
learner in a German circle reached its readers "written in Danish" (D18). The text says it
better: its most common small words ("the", "und", "og", "na") show the language when they
clearly do; otherwise the writer's setting stands.
"""

from __future__ import annotations

import re

# The commonest short words of each shipped language, lower case. Words shared between them
# ("de", "en", "la") count for each: only a clear lead decides.
COMMON_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and is are you your to of it in my with was for this that from have we not be "
        "even if our they what when will all can do at thanks thank".split()
    ),
    "fr": frozenset(
        "le la les et est vous de des un une je nous pour avec pas que qui dans du sur mon "
        "très c'est au aux ce votre vos merci".split()
    ),
    "es": frozenset(
        "el la los las y es de que en un una para con no por mi muy se lo del nos su sus "
        "pero como gracias".split()
    ),
    "de": frozenset(
        "der die das und ist ich nicht ein eine mit zu wir für auf es sie den dem auch sehr "
        "mein euch ihr war danke aus".split()
    ),
    "da": frozenset(
        "og er jeg det ikke en et at til med vi for på som har den de meget min fra var jer "
        "i tak".split()
    ),
    "sw": frozenset(
        "na ni kwa ya wa za la katika sana mimi yangu kama hii kila siku lakini pia tu "
        "habari rafiki asante zenu yenu wote".split()
    ),
}
# A language other than the writer's is taken only with at least this many of its words, and
# more than twice as many as of the writer's own.
ENOUGH_WORDS = 3


def _counts(text: str) -> dict[str, int]:
    words = re.findall(r"[\w']+", text.casefold())
    return {
        language: sum(word in common for word in words) for language, common in COMMON_WORDS.items()
    }


def written_in(text: str, setting: str) -> str:
    """The language `text` is written in: another shipped one only when its words clearly
    say so, else `setting` (the writer's)."""
    counts = _counts(text)
    best = max(counts, key=lambda language: counts[language])
    own = counts.get(setting, 0)
    if best != setting and counts[best] >= ENOUGH_WORDS and counts[best] > 2 * own:
        return best
    return setting


def said_in(text: str, setting: str) -> str | None:
    """The language of a few words written back to a letter, or None when unsure. Thanks are
    short: a Danish account's "Danke schön aus Aarhus!" has too few words to outvote the
    setting, yet it is not Danish (dede 16). The setting counts only when some of the words
    are its own and no other language has more of them."""
    language = written_in(text, setting)
    if language != setting:
        return language
    counts = _counts(text)
    own = counts.get(setting, 0)
    return setting if own and own >= max(counts.values()) else None
