"""The keys of `/newcircle`'s one-line form, in every shipped language: a Spanish facilitator
writes `/nuevocirculo nombre: Excel básico; curso: Excel para todos; día: miércoles; hora:
17:00; lugar: Biblioteca`, a Kenyan one `jina=...`. Each key is a comma-separated list in the
catalogs (the first word is the one shown); the English keys always work, and a key in any
shipped language is read whatever language the bot writes in (an example forwarded by a
colleague keeps its words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain

# Beside a link: a phone number to join by (bot/circles/dialin.py).
LINK = "link"
DIALIN = "dialin"

# Translators: the words for one detail of a new circle, typed before its value in /newcircle's
# one-line form ("name: Python Club; course: ..."); comma-separated, lower case, the first one
# shown in help. Keep them different from the other details' words.
KEYS: dict[str, str] = {
    "name": N_("name, circle name"),
    "course": N_("course, course title"),
    "url": N_("url, course link, website"),
    "venue": N_("venue, place, where"),
    "city": N_("city, town"),
    "country": N_("country, nation"),
    "zone": N_("zone, time zone, timezone"),
    "start": N_("start, first meeting, date"),
    "weekday": N_("weekday, day"),
    "time": N_("time, hour"),
    "meetings": N_("meetings, weeks, number of meetings"),
    "duration": N_("duration, length, minutes"),
    "language": N_("language, circle language"),
    LINK: N_("link, meeting link, online link"),
    # Translators: the first word is the one /edit uses for the dial-in number ("dialin"'s).
    DIALIN: N_("dialin, dial-in, phone, call in"),
}

# "key: value" or "key=value", the key before the first colon or equals sign.
_PAIR = re.compile(r"\s*(?P<key>[^:=\"]{1,40}?)\s*(?P<sep>[:=])\s*(?P<value>.*)", re.DOTALL)
# Pieces of the one-line form written with semicolons or on lines of their own.
_PIECES = re.compile(r"[;\n]+")


def _words(tr: Translator, key: str) -> set[str]:
    listed = f"{key},{KEYS[key]},{tr._(KEYS[key])}"
    return {plain(word) for word in listed.split(",") if plain(word)}


def key_of(typed: str, readers: Sequence[Translator]) -> str | None:
    """The detail (its English key) a typed key names, in any of `readers`' languages (the
    reader's own first), case, accents and spaces aside ("Día" is weekday); None if none."""
    word = plain(typed)
    for tr in readers:
        for key in KEYS:
            if word in _words(tr, key):
                return key
    return None


def shown(tr: Translator, key: str) -> str:
    """The key as the reader is told to type it: the first word of their language's list."""
    return tr._(KEYS[key]).split(",")[0].strip()


def all_shown(tr: Translator) -> str:
    """Every key in the reader's language, as help and refusals list them."""
    return ", ".join(shown(tr, key) for key in KEYS)


# /help newcircle's last line: the one-line form, with the keys in the reader's words.
HELP_LINE = N_(
    "Or give the details in one line, each as key: value, separated by semicolons. "
    "The keys: %(keys)s."
)


def help_line(tr: Translator) -> str:
    return tr._(HELP_LINE, keys=all_shown(tr))


def pairs(text: str, readers: Sequence[Translator]) -> list[tuple[str, str | None]] | None:
    """The details of a line written "key: value; key: value" (or one per line), as (typed key,
    value) pairs, a piece without a key as (piece, None); None when the line is not written so
    (the spaced `key=value` form, or a name alone)."""
    pieces = [piece.strip() for piece in _PIECES.split(text) if piece.strip()]
    first = _PAIR.fullmatch(pieces[0]) if pieces else None
    if first is None or key_of(first["key"], readers) is None:
        return None
    if first["sep"] == "=" and len(pieces) == 1:
        return None  # name="Python Club" course=...: shlex reads that
    found: list[tuple[str, str | None]] = []
    for piece in pieces:
        pair = _PAIR.fullmatch(piece)
        if pair is None:
            found.append((piece, None))
        else:
            found.append((pair["key"], pair["value"].strip().strip('"').strip()))
    return found
