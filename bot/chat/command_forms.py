"""Near forms of a command's local name: what people type when they remember the word but not
its form. French learners type /partages or /rejoins, Danes /tilmelding or /invitere, Kenyans
/kujiunga (the infinitive of /jiunge). A typed word whose stem is the stem of exactly one
command's name in the reader's language names that command; two commands sharing a stem
(French /partage and /partager) are never guessed between: the exact name is needed there.
"""

from __future__ import annotations

from collections.abc import Mapping

# Endings that change a word's form but not what it names (verb, plural, noun): taken off one
# at a time, the longest that fits first.
_ENDINGS: dict[str, tuple[str, ...]] = {
    "fr": ("ez", "er", "es", "e", "s", "x"),
    "es": (
        *("arse", "erse", "irse", "me", "te", "se", "ar", "er", "ir"),
        *("as", "es", "os", "s", "o", "a", "e"),
    ),
    "de": ("ende", "en", "er", "e", "n", "s", "t"),
    "da": ("ning", "ing", "ere", "er", "en", "e", "s"),
    "sw": ("a", "e", "i"),
}
# Prefixes that mark a form, not a meaning: Swahili's infinitive ("kujiunga" for /jiunge).
_PREFIXES: dict[str, tuple[str, ...]] = {"sw": ("ku",)}
# Forms no ending explains ("rejoins" for /rejoindre), by language, as plain() writes them,
# each the command's English name.
IRREGULAR: dict[str, dict[str, str]] = {
    "fr": {
        "rejoins": "join",
        "rejoint": "join",
        "rejoignez": "join",
        "rejoindre": "join",
        "trouver": "find",
        "trouve": "find",
        "recherche": "find",
        "rechercher": "find",
    },
    "es": {"unete": "join", "unirse": "join", "unir": "join", "unirte": "join"},
    "de": {"teilnehmer": "roster", "beitritt": "join", "hilf": "help"},
    "da": {"tilmelding": "join", "hjaelpe": "help", "dele": "share"},
    "sw": {"jiunga": "join", "kujiunga": "join", "saidia": "help", "nisaidie": "help"},
}
# A stem shorter than this says too little to pick a command by.
_SHORTEST_STEM = 4


def stem(language: str, word: str) -> str:
    """`word` (as plain() writes it) without the endings and prefixes of its form."""
    for prefix in _PREFIXES.get(language, ()):
        if word.startswith(prefix) and len(word) - len(prefix) >= _SHORTEST_STEM:
            word = word[len(prefix) :]
    endings = sorted(_ENDINGS.get(language, ()), key=len, reverse=True)
    stripped = True
    while stripped:
        stripped = False
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= _SHORTEST_STEM:
                word = word[: -len(ending)]
                stripped = True
                break
    # A doubled last consonant is one ("slette" is /slet, "glemme" /glem).
    if len(word) > _SHORTEST_STEM and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def near_command(language: str, typed: str, names: Mapping[str, str]) -> str | None:
    """The command (English name) `typed` is a near form of, in `language`; `names`: each
    command's name in that language, as plain() writes it. None when no one command fits."""
    irregular = IRREGULAR.get(language, {}).get(typed)
    if irregular is not None:
        return irregular
    if language not in _ENDINGS or len(typed) < _SHORTEST_STEM:
        return None
    wanted = stem(language, typed)
    fitting = {command for command, name in names.items() if stem(language, name) == wanted}
    return fitting.pop() if len(fitting) == 1 else None
