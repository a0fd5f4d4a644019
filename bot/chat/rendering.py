"""Fitting one Outbound to one platform's capabilities, in one place for every feature.

Choices become numbered text where there are no buttons; text longer than the platform allows is
split on line boundaries (then on spaces, then anywhere). On SMS (`Capabilities.gsm_safe`) the
text is kept in the GSM-7 alphabet where only typography would leave it, and each part stays
within a number of SMS segments, not only a number of characters. Where the platform reads
markup in plain text (`Capabilities.escape`, Discord's Markdown), each part is escaped here and
measured escaped. A command the text quotes is named as the reader sends it: by its name in their
language where they type slash commands ("/confirmar"), as a word to text where they don't
("CONFIRMAR"), both in bot.chat.keywords.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from babel import Locale, UnknownLocaleError
from babel.lists import format_list

from bot.chat import keywords, segments
from bot.chat.i18n import Translator
from bot.chat.messages import Address, Capabilities, Choice, LengthUnit, Outbound
from bot.chat.segments import SMS_CAPABILITIES


def text_length(text: str, unit: LengthUnit) -> int:
    if unit is LengthUnit.UTF16:
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def _cut_fitting(text: str, most: int, fits: Callable[[str], bool]) -> tuple[str, str]:
    """The longest head of `text` that `fits` (which holds for every shorter head too),
    preferring to end at a line break, then a space; no head longer than `most` code points
    fits."""
    # The longest fitting head, by bisection: an SMS measure looks at the whole head each time.
    low, high = 0, min(len(text), most)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle]):
            low = middle
        else:
            high = middle - 1
    end = low
    if end == 0:  # a single character wider than the limit: no split can fit
        raise ValueError("limit is narrower than one character")
    if end == len(text):
        return text, ""
    # A line break, unless it leaves most of the room unused (every SMS part is paid for).
    line = text.rfind("\n", 0, end + 1)
    if line >= end // 2:
        return text[:line], text[line + 1 :]
    for boundaries in (_line_or_sentence_ends, _spaces_outside_numbers, _spaces):
        at = max((at for at in boundaries(text, end) if at > 0), default=0)
        if at > 0:
            return text[:at], text[at + 1 :]
    return text[:end], text[end:]


# A sentence ends at . ! ? or … (a closing quote or bracket may follow) before a space and a
# capital: "jeu. 12 nov.", "8 août" and a list's "3. Week 3" are not sentence ends.
_SENTENCE_END = re.compile(r"[.!?…][\"'»”)\]]*( )(?=\S)")
# A list's number at the start of a line ("3. Week 3"): not a sentence's end.
_LIST_NUMBER = re.compile(r"(?:^|\n)\d+$")


def _line_or_sentence_ends(text: str, end: int) -> Iterable[int]:
    """Where a cut reads best: a line break, or the space after a sentence."""
    yield text.rfind("\n", 0, end + 1)
    for match in _SENTENCE_END.finditer(text, 0, end + 1):
        after = match.end(1)
        if _LIST_NUMBER.search(text, 0, match.start()):
            continue
        if after < len(text) and text[after].isupper():
            yield match.start(1)


def _spaces_outside_numbers(text: str, end: int) -> Iterable[int]:
    """Spaces between words with no digit beside them: a date ("dimanche 8 août 2027", "Nov 12,
    6:00 PM") or an amount is never cut across two messages."""
    for at in range(min(end, len(text) - 2), 0, -1):
        if text[at] == " " and not text[at - 1].isdigit() and not text[at + 1].isdigit():
            yield at
            return


def _spaces(text: str, end: int) -> Iterable[int]:
    yield text.rfind(" ", 0, end + 1)


def _split(
    text: str, limit: int, fits: Callable[[str], bool], finish: Callable[[str], str]
) -> list[str]:
    """`text` cut into heads that each `fits`, each passed through `finish`; blank ones dropped."""
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[str] = []
    rest = text
    while rest:
        head, rest = _cut_fitting(rest, limit, fits)
        if head.strip():
            parts.append(finish(head))
    return parts or [""]


def split_text(text: str, limit: int, unit: LengthUnit = LengthUnit.CHARACTERS) -> list[str]:
    # A code point is at least one unit, so no head longer than `limit` code points can fit.
    return _split(text, limit, lambda head: text_length(head, unit) <= limit, lambda head: head)


def split_sms(text: str, limit: int) -> list[str]:
    """`text` in parts of at most `limit` characters and at most as many SMS segments as
    `limit` GSM-7 characters take. The segment bound is what matters when a part is UCS-2
    (a French "fête", an emoji): there 459 characters would be 7 segments, not 3."""
    budget = segments.max_segments(max(limit, 1))

    def fits(head: str) -> bool:
        return len(head) <= limit and segments.sms_segments(head) <= budget

    # A trailing line break would cost a septet and show as a blank line on a phone.
    return _split(text, limit, fits, str.rstrip)


def split_escaped(
    text: str, limit: int, escape: Callable[[str], str], unit: LengthUnit
) -> list[str]:
    """`text` in parts, each escaped for its platform and within `limit` once escaped (every
    escaped character may cost two, so the cut is measured on the escaped part)."""
    return _split(text, limit, lambda head: text_length(escape(head), unit) <= limit, escape)


def beginning(text: str, limit: int) -> str:
    """`text` up to `limit` characters, cut at the last space before it, then "..."."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[: limit + 1] else text[:limit]
    return cut.rstrip(" ,;:.-") + "..."


# A learner's own words quoted back to them by SMS (their goal, their look back at it): the
# beginning says which, and keeps the message to a segment or two; the whole is in their
# portfolio.
QUOTE_BY_TEXT_CHARS = 60


# Not _SENTENCE_END above (the cut of a long text), which this name would hide.
_BETWEEN_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def _without_apologies(words: str, limit: int) -> str:
    """`words` without a first sentence that only apologises while they are longer than
    `limit` ("perdon q no habia contestado. quiero aprender a hacer un presupuesto para la
    casa": the goal comes after it, C12). Any other first sentence stays: it is where her
    goal starts, and a quote of only her last sentence read as a goal misremembered."""
    while len(words) > limit:
        first, *rest = _BETWEEN_SENTENCES.split(words, maxsplit=1)
        if not rest or keywords.plain(first.split()[0]) not in keywords.SORRY:
            break
        words = rest[0]
    return words


def quoted(words: str, by_text: bool = False) -> str:
    """A learner's words as a sentence of the bot's quotes them ('you said: "%(goal)s".'): on
    one line, their own closing full stop left to the sentence's (never '"online.".'), and by
    SMS (`by_text`) only their beginning."""
    words = " ".join(words.split())
    if by_text:
        words = beginning(_without_apologies(words, QUOTE_BY_TEXT_CHARS), QUOTE_BY_TEXT_CHARS)
    if words.endswith(".") and not words.endswith(".."):
        words = words[:-1]
    return words


def choices_as_text(message: Outbound, tr: Translator) -> str:
    """The message's choices as one line under its text: "Reply 1 for Yes or 2 for No." One
    line, not a numbered list, because on SMS every character counts (see bot/chat/segments.py)."""
    options = [
        # Translators: one option in "Reply 1 for Yes or 2 for No"; keep it short (SMS).
        tr._("%(number)d for %(label)s", number=number, label=choice.label)
        for number, choice in enumerate(message.choices, start=1)
    ]
    either = format_list(options, style="or", locale=tr.locale)
    return message.text + "\n" + tr._("Reply %(options)s.", options=either)


@functools.lru_cache(maxsize=32)
def _catalog_words(translations: object, locale: str) -> frozenset[str]:
    """The words of a catalog's translations, and of its language's day and month names, that
    GSM-7 lacks a letter of ("reunión", "sábado"); one set per catalog, kept."""
    catalog = getattr(translations, "_catalog", {})
    texts = [text for value in catalog.values() for text in _texts(value)]
    try:
        language = Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        return segments.words_gsm_lacks(texts)
    for kind in (language.days, language.months):
        for context in kind.values():
            for names in context.values():
                texts.extend(names.values())
    return segments.words_gsm_lacks(texts)


def _texts(value: object) -> list[str]:
    """A catalog entry's translations: one, or one per plural form."""
    return [value] if isinstance(value, str) else [t for t in value if isinstance(t, str)]  # type: ignore[attr-defined]


def own_words(tr: Translator) -> frozenset[str]:
    """The bot's own words in the reader's language that GSM-7 lacks a letter of: what an SMS
    may write without accents (segments.fold_own_words). None for a translator that only
    reads (keywords.reading)."""
    return _catalog_words(tr.translations, tr.locale)


# A piece of a place that is its street address: a house number, then the street.
_STREET = re.compile(r"\d+[A-Za-z]?\s+\w")


def _pieces(venue: str) -> list[str]:
    return [piece.strip() for piece in venue.split(",") if piece.strip()]


def without_street(venue: str) -> str:
    """A place without its street address ("Campbell Branch Library, Detroit - community
    room"): on a repeat by SMS the address goes first, the room stays (fac 5)."""
    if "://" in venue or "," not in venue:
        return venue
    return ", ".join(p for p in _pieces(venue) if not _STREET.match(p)) or venue


def short_venue(venue: str, before: str | None = None) -> str:
    """A place as named on a repeat by SMS: its first piece ("Campbell Branch Library" of
    "Campbell Branch Library, 8733 W Vernor Hwy, Detroit - community room"). The learner has
    had the whole address in the welcome and in /next; a link stays whole (it is the place).
    `before`: where the meeting before it was; a piece that is new since then (the room a
    change just added) stays too, but a street address never: the first piece alone read as
    "nothing changed" (fac 5)."""
    if "://" in venue or "," not in venue:
        return venue
    first, *rest = _pieces(venue) or [venue]
    known = {piece.casefold() for piece in _pieces(before if before is not None else venue)}
    new = [p for p in rest if p.casefold() not in known and not _STREET.match(p)]
    return ", ".join([first, *new])


def first_fitting(
    forms: Iterable[str], tr: Translator, choices: Iterable[Choice] = (), most: int = 1
) -> str:
    """The first of `forms` (longest first) that `most` SMS carry with its `choices` (one
    unless told), as fit sends it to a reader of `tr`; the last (shortest) when none does."""
    offered = tuple(choices)
    form = ""
    for form in forms:
        if sms_parts(form, offered, tr) <= most:
            return form
    return form


def sms_parts(text: str, choices: Iterable[Choice], tr: Translator) -> int:
    """The SMS parts `text` and its `choices` cost a reader of `tr`, as fit sends them."""
    message = Outbound(Address("", ""), text, tuple(choices))  # the address plays no part
    return sum(segments.sms_segments(part.text) for part in fit(message, SMS_CAPABILITIES, tr))


def fit(message: Outbound, capabilities: Capabilities, tr: Translator) -> list[Outbound]:
    """The messages to actually send for `message` on a platform with `capabilities`."""
    text = message.text
    choices = message.choices
    if choices and not capabilities.buttons:
        text = choices_as_text(message, tr)
        choices = ()
    attachments = message.attachments
    if attachments and not capabilities.files:
        # A file name means nothing on a feature phone: say where the file can be had.
        pointer = tr.ngettext(
            "(To get the file too, link a chat app: send /link.)",
            "(To get the files too, link a chat app: send /link.)",
            len(attachments),
        )
        text = "\n".join([text, pointer])
        attachments = ()
    if capabilities.slash_commands:
        text = keywords.for_slash_commands(tr, text)  # "/rsvp" as /help shows it: "/confirmar"
    else:
        text = keywords.for_texting(tr, text)
    text = text.replace(keywords.VERBATIM, "")
    if capabilities.gsm_safe:
        # Once, on everything the reader will see (choices and file names included), so each
        # part is counted in the alphabet it will really be sent in. A name's letters none of
        # our languages writes ("Wanjirũ") fold when only they would make it UCS-2.
        text = segments.cheaper_quotes(segments.fold_foreign_letters(segments.gsm_safe(text)))
        # The bot's own Spanish and French words without the accents that alone would make
        # it UCS-2, three times the SMS (sms 8, mix 23).
        text = segments.fold_own_words(text, own_words(tr))
        # Then, if a name, a venue or a course title still keeps it UCS-2, the whole text as a
        # feature-phone user writes it ("Alfabetizacion"): one accent must not triple the cost
        # of every text to a circle (walk C 1, 2, 6, 10, 20, 24).
        text = segments.fold_to_gsm7(text)
        parts = split_sms(text, capabilities.max_text_length)
    elif capabilities.escape is not None:
        parts = split_escaped(
            text, capabilities.max_text_length, capabilities.escape, capabilities.length_unit
        )
    else:
        parts = split_text(text, capabilities.max_text_length, capabilities.length_unit)
    fitted = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        key = message.idempotency_key
        fitted.append(
            replace(
                message,
                text=part,
                # Buttons and files ride on the last part, after all the text they refer to.
                choices=choices if last else (),
                attachments=attachments if last else (),
                idempotency_key=f"{key}#{index}" if key and len(parts) > 1 else key,
            )
        )
    return fitted
