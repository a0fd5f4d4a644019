"""How many SMS a text costs, and how to keep it in the cheap alphabet.

An SMS carries 140 octets. Text that fits the GSM 03.38 alphabet ("GSM-7") is packed as 7-bit
septets: 160 per single message, 153 per part of a concatenated one (the user data header takes 7
septets). One character outside it and the whole message goes as UCS-2: 70 UTF-16 units single,
67 per part. Gateways bill per segment, and a learner on a prepaid feature phone may too, so the
core keeps SMS text inside GSM-7 where typography alone would push it out (`gsm_safe`), or a
name's letters foreign to the reader's language ("Wanjirũ": `fold_foreign_letters`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from bot.chat.messages import Capabilities, Markup

# GSM 03.38 basic character set (one septet each); ESC (0x1B) is not a character a text can hold.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each is ESC + one septet, so it costs two.
GSM7_EXTENSION = frozenset("\f^{}\\[]~|€")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

# Typography with a plain GSM-7 equivalent. Letters are never here: a word keeps its accents even
# when they cost UCS-2 (ê in "fête"), because a changed word is a wrong word.
_GSM_SAFE = {
    "\u2018": "'",  # ‘ left single quote
    "\u2019": "'",  # ’ right single quote / apostrophe (French and English catalogs use it)
    "\u201a": "'",  # ‚ low single quote
    "\u201b": "'",  # ‛
    "\u2032": "'",  # ′ prime
    "\u00b4": "'",  # ´ acute accent on its own
    "`": "'",
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „ German opening quote
    "\u201f": '"',  # ‟
    "\u2033": '"',  # ″
    "\u00ab": '"',  # « (French guillemets; the spaces inside them are handled below)
    "\u00bb": '"',  # »
    "\u2039": "'",  # ‹
    "\u203a": "'",  # ›
    "\u2010": "-",  # ‐ hyphen
    "\u2011": "-",  # ‑ non-breaking hyphen
    "\u2012": "-",  # ‒ figure dash
    "\u2013": "-",  # – en dash
    "\u2014": "-",  # — em dash
    "\u2015": "-",  # ― horizontal bar
    "\u2212": "-",  # − minus sign
    "\u2500": "-",  # ─ box-drawing line (section rules)
    "\u2026": "...",  # …
    "\u00a0": " ",  # no-break space (French puts it before : ; ? !)
    "\u202f": " ",  # narrow no-break space (likewise)
    "\u2007": " ",  # figure space
    "\u2009": " ",  # thin space
    "\u200a": " ",  # hair space
    "\u2002": " ",  # en space
    "\u2003": " ",  # em space
    "\u3000": " ",  # ideographic space
    "\t": " ",  # not in GSM-7; a phone shows no tab stops anyway
    "\u200b": "",  # zero-width space
    "\u200c": "",  # zero-width non-joiner
    "\u200d": "",  # zero-width joiner
    "\u2060": "",  # word joiner
    "\ufeff": "",  # byte order mark / zero-width no-break space
    "\u00ad": "",  # soft hyphen: invisible unless a line breaks there
    "\u2022": "*",  # • bullet
    "\u00b7": "*",  # · middle dot used as a bullet
    "\u2023": "*",  # ‣
    "\u25e6": "*",  # ◦
    "\u2043": "-",  # ⁃ hyphen bullet
    "\u2192": "->",  # →
    "\u2190": "<-",  # ←
    "\u2713": "v",  # ✓
    "\u00d7": "x",  # × (as in "3×")
    "\u2044": "/",  # ⁄ fraction slash
    "\u00a9": "(c)",  # ©
    "\u2122": "(TM)",  # ™
}
_GSM_SAFE_TABLE = str.maketrans(_GSM_SAFE)
# A middle dot inside a word is French inclusive writing ("animateur·rice"): its usual plain
# spelling is a full stop ("animateur.rice"); a "*" there reads as a typo or a footnote.
_INCLUSIVE_DOT = re.compile(r"(?<=\w)\u00b7(?=\w)")
# French guillemets with the spaces inside them ("« Initiation à Excel »"): straight quotes
# hug their words, as they are written (B14: `" Initiation à Excel "`).
_OPENING_GUILLEMET = re.compile("\u00ab[ \u00a0\u202f\u2009]*")
_CLOSING_GUILLEMET = re.compile("[ \u00a0\u202f\u2009]*\u00bb")


def is_gsm7(text: str) -> bool:
    """True when every character of `text` is in the GSM-7 basic or extension table."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def sms_segments(text: str) -> int:
    """How many SMS segments `text` is sent as. An empty text still costs one message."""
    if is_gsm7(text):
        return _segments(text, GSM7_SINGLE, GSM7_PART, lambda char: char in GSM7_EXTENSION)
    return _segments(text, UCS2_SINGLE, UCS2_PART, lambda char: ord(char) > 0xFFFF)


def _segments(text: str, single: int, part: int, is_wide: Callable[[str], bool]) -> int:
    """Parts of `part` units, a wide character taking two. Phones do not split an escape pair
    or a surrogate pair across parts, so this counts part by part instead of dividing."""
    widths = [2 if is_wide(char) else 1 for char in text]
    if sum(widths) <= single:
        return 1
    parts, used = 1, 0
    for width in widths:
        if used + width > part:
            parts, used = parts + 1, 0
        used += width
    return parts


def max_segments(limit: int) -> int:
    """The segments `limit` GSM-7 characters take: the budget a platform limit of `limit`
    characters gives every message, whatever alphabet it ends up in."""
    return sms_segments("a" * limit)


def gsm_safe(text: str) -> str:
    """`text` with typographic characters replaced by their GSM-7 equivalents.

    Only punctuation, spaces and symbols change; letters stay as written. So a text that was
    UCS-2 only because of a curly apostrophe becomes GSM-7 (160 characters a segment, not 70),
    while "fête" stays UCS-2 and correct.
    """
    text = _CLOSING_GUILLEMET.sub("\u00bb", _OPENING_GUILLEMET.sub("\u00ab", text))
    return _INCLUSIVE_DOT.sub(".", text).translate(_GSM_SAFE_TABLE)


def gsm_lookalike(name: str) -> str:
    """A name written with GSM-7 look-alikes for the letters GSM-7 lacks ("français" ->
    "francais", "Kĩambu" -> "Kiambu"): only for a name the bot itself gives (a language in its
    menu), never for anyone's words. Letters GSM-7 has (é, ñ, ø) stay as they are."""
    written = []
    for char in name:
        if char not in GSM7_BASIC and char not in GSM7_EXTENSION:
            base = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            )
            char = base if base and is_gsm7(base) else char
        written.append(char)
    return "".join(written)


# A learner's words quoted back in a bot text ("You said: "..."") sit between straight double
# quotes once gsm_safe has run; one line at most.
_QUOTED = re.compile(r'"[^"\n]*"')


def _is_emoji(char: str) -> bool:
    """A pictograph, its skin tone or its emoji-style selector: never a letter of a word."""
    code = ord(char)
    if code > 0xFFFF or char in "\ufe0e\ufe0f\u20e3":
        return True
    # The symbol blocks of the BMP (arrows to dingbats: ☀ ❤ ★ ✅); not ° or ©, which a word uses.
    return 0x2190 <= code <= 0x2BFF and unicodedata.category(char) == "So"


def without_emoji(text: str) -> str:
    """`text` with its emoji left out (and the spaces they leave): what a facilitator's words
    would cost by SMS without them (an emoji makes the whole text UCS-2, about three times the
    SMS)."""
    kept = "".join(char for char in text if not _is_emoji(char))
    return "\n".join(" ".join(line.split()) for line in kept.split("\n"))


def _quote_without_emoji(match: re.Match[str]) -> str:
    words = "".join(char for char in match.group(0)[1:-1] if not _is_emoji(char))
    return '"' + " ".join(words.split()) + '"'


def cheaper_quotes(text: str) -> str:
    """`text` with the emoji dropped from the learner's words it quotes, when only that keeps
    it from costing more SMS parts ("...YANGU 🙏" made a one-part goal review UCS-2, two parts).
    Letters are never touched, and nothing outside the quotes: the bot's words stay as written,
    and an emoji that costs nothing extra stays too."""
    if is_gsm7(text):
        return text
    trimmed = _QUOTED.sub(_quote_without_emoji, text)
    return trimmed if sms_segments(trimmed) < sms_segments(text) else text


# The letters the bot's languages write that GSM-7 lacks (the rest of theirs it has: ä, é, ñ,
# ø, ß...): a word keeps its accents even when they cost UCS-2 ("fête", "reunión"), because a
# changed word is a wrong word. A language added whose letters GSM-7 lacks adds them here.
_OUR_LETTERS = frozenset(
    "áíóúÁÍÓÚ"  # Spanish
    "âêîôûëïÿçœÀÂÈÊÎÔÙÛËÏŸŒ"  # French
)


def _folded(char: str) -> str:
    """A Latin letter with a mark GSM-7 lacks and none of our languages writes, as its GSM-7
    look-alike ("ũ" -> "u"); any other character as it is (another script's letters are never
    made Latin ones)."""
    if char in _OUR_LETTERS or is_gsm7(char) or not unicodedata.name(char, "").startswith("LATIN "):
        return char
    return gsm_lookalike(char)


def fold_foreign_letters(text: str) -> str:
    """`text` with the Latin letters GSM-7 lacks that none of the bot's languages writes (the
    Kikuyu ĩ and ũ of "Wanjirũ", "Kĩambu"; the ã of "João") as their GSM-7 look-alikes, when
    only they keep it out of GSM-7 (emoji in quoted words aside: cheaper_quotes): one name
    would make every text to a circle cost UCS-2's three times as many segments. Otherwise it
    is left as written, since folding a few letters would save nothing."""
    if is_gsm7(text):
        return text
    folded = "".join(_folded(char) for char in text)
    return folded if folded != text and is_gsm7(cheaper_quotes(folded)) else text


_WORD = re.compile(r"\w+")


def fold_own_words(text: str, own_words: frozenset[str]) -> str:
    """`text` with the bot's own words written without the accents GSM-7 lacks ("reunión" ->
    "reunion", "Sí" -> "Si", as feature-phone users write them), when only they keep it out of
    GSM-7: a Spanish reminder is then one SMS, not three. `own_words` are the words of the
    reader's catalog that have such letters (bot.chat.rendering.own_words); a word outside it
    (a name, a circle's name) and anything in quotes (a learner's words quoted back) stay as
    written, and if one of them still needs UCS-2, nothing changes: folding would save nothing.
    """
    if is_gsm7(text) or not own_words:
        return text

    def folded(word: re.Match[str]) -> str:
        return gsm_lookalike(word[0]) if word[0].casefold() in own_words else word[0]

    pieces, at = [], 0
    for quote in _QUOTED.finditer(text):
        pieces.append(_WORD.sub(folded, text[at : quote.start()]))
        pieces.append(quote[0])
        at = quote.end()
    pieces.append(_WORD.sub(folded, text[at:]))
    result = "".join(pieces)
    return result if is_gsm7(result) else text


# Letters GSM-7 lacks whose plain look-alike is more than a stripped accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "ĳ": "ij", "Ĳ": "IJ", "ł": "l", "Ł": "L"})


def fold_to_gsm7(text: str) -> str:
    """`text` as a feature-phone user writes it when only that keeps it in GSM-7: every Latin
    letter GSM-7 lacks as its look-alike ("Alfabetización" -> "Alfabetizacion", "Reunión" ->
    "Reunion", "être" -> "etre"), names, venues and course titles included, and emoji dropped
    from quoted words (cheaper_quotes). Phones show "Alfabetizacion" fine and a reader
    understands it, while one "ó" triples what every text to a circle costs (walk C: 209
    segments for three learners in three weeks). Letters GSM-7 has (é, ñ, ø, ä) stay as they
    are, and so do a learner's words quoted back to her ('You said: "..."'): her own record,
    as she wrote it. When the result would still need UCS-2 (an emoji outside quotes, another
    script, a quoted "fête") the text is left as written: folding a few letters would save
    nothing."""
    if is_gsm7(text):
        return text

    def fold(words: str) -> str:
        return gsm_lookalike(words.translate(_LIGATURES))

    pieces, at = [], 0
    for quote in _QUOTED.finditer(text):
        pieces += [fold(text[at : quote.start()]), quote[0]]
        at = quote.end()
    pieces.append(fold(text[at:]))
    folded = cheaper_quotes("".join(pieces))
    return folded if is_gsm7(folded) else text


def words_gsm_lacks(texts: Iterable[str]) -> frozenset[str]:
    """The words of `texts` (casefolded) with a letter GSM-7 lacks that our languages write."""
    return frozenset(
        word.casefold()
        for text in texts
        for word in _WORD.findall(text)
        if any(char in _OUR_LETTERS for char in word)
    )


# Three GSM-7 parts (3 x 153 = 459 septets) per message: long enough for any reminder, prompt or
# short letter to arrive whole, short enough that a digest or a long letter comes as a few
# messages a feature phone can show and a learner can scroll, instead of one ten-part message
# that some handsets and gateways truncate or drop (many carriers cap concatenation at 4-10 parts).
# max_text_length is in characters; a UCS-2 text (French with ê, an emoji) of 459 characters would
# be 7 parts of 67, so `bot.chat.rendering.fit` also keeps each part within `max_segments(459)` = 3.
SMS_MAX_SEGMENTS = 3
SMS_CAPABILITIES = Capabilities(
    max_text_length=SMS_MAX_SEGMENTS * GSM7_PART,
    buttons=False,
    files=False,
    markup=Markup.PLAIN,
    gsm_safe=True,
    slash_commands=False,  # a feature phone texts RSVP YES, not /rsvp yes
)
