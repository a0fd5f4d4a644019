"""USSD screens: what one holds, and longer content cut into pages.

A screen answers "CON text" (the phone waits for an input) or "END text" (the session is over).
Every screen fits what a phone shows (`fits`): the text is put in the GSM alphabet's typography
first, then counted as the network sends it. Content longer than a screen is cut into pages at
word boundaries; "0 More" goes to the next page, "00 Back" to the one before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from adapters.platforms.ussd_platform import SCREEN_SEPTETS, SCREEN_UCS2_UNITS
from bot.chat.i18n import N_, Translator
from bot.chat.segments import GSM7_EXTENSION, gsm_safe, is_gsm7

MORE = "0"
BACK = "00"
MORE_LABEL = N_("More")
BACK_LABEL = N_("Back")


def length(text: str) -> tuple[int, int]:
    """(what `text` takes on a screen, what a screen holds), in the unit it is sent in."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENSION else 1 for ch in text), SCREEN_SEPTETS
    return len(text.encode("utf-16-le")) // 2, SCREEN_UCS2_UNITS


def fits(text: str) -> bool:
    used, room = length(text)
    return used <= room


@dataclass(frozen=True)
class Option:
    """One numbered line of a screen: what to type, and what it does (without a key, a line
    that stays whole: "Type your answer:")."""

    key: str
    label: str

    @property
    def line(self) -> str:
        return (self.key + " " + self.label) if self.key else self.label


@dataclass(frozen=True)
class Screen:
    text: str
    end: bool = False

    @property
    def body(self) -> str:
        """The callback's answer."""
        return ("END " if self.end else "CON ") + self.text


def _words(text: str) -> list[str]:
    """`text` as words, each with the space or line break before it (the first without)."""
    pieces: list[str] = []
    for number, line in enumerate(text.split("\n")):
        for index, word in enumerate(line.split(" ")):
            sep = ("\n" if number else "") if index == 0 else " "
            pieces.append(sep + word)
    return pieces


def _cut(piece: str, page: str, footer: str) -> tuple[str, str]:
    """As much of an over-long `piece` as fits on `page` before `footer`, and the rest."""
    low, high = 0, len(piece)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(page + piece[:middle] + footer):
            low = middle
        else:
            high = middle - 1
    return piece[:low], piece[low:]


def pages(
    tr: Translator,
    text: str,
    options: Sequence[Option] = (),
    *,
    back_first: bool = False,
    back_last: bool = True,
) -> list[str]:
    """`text` and its options cut into screens that each fit, with room kept on each for the
    way on ("0 More") and back ("00 Back": on the first page only when `back_first`, on the
    last unless not `back_last`, for a last page that ends the session). An option is never
    split; the text flows into as many pages as it needs."""
    text = gsm_safe(text.strip())
    options = [Option(o.key, gsm_safe(o.label)) for o in options]
    more = "\n" + Option(MORE, gsm_safe(tr._(MORE_LABEL))).line
    back = "\n" + Option(BACK, gsm_safe(tr._(BACK_LABEL))).line
    reserve = more + back  # the most a footer takes, so any page can have one
    pieces = _words(text) if text else []
    pieces += [("\n" if pieces or i else "") + o.line for i, o in enumerate(options)]
    whole = ("".join(pieces) + (back if back_first and back_last else "")).strip("\n")
    if fits(whole):  # one screen: no room kept for a way on
        return [whole]
    found: list[str] = []
    page = ""
    index = 0
    while index < len(pieces):
        piece = pieces[index] if page else pieces[index].lstrip("\n ")
        if fits(page + piece + reserve):
            page += piece
            index += 1
        elif page:  # the next word or option starts a page
            found.append(page)
            page = ""
        else:  # one word longer than a page (a link): cut where the page ends
            head, rest = _cut(piece, "", reserve)
            if not head:  # cannot happen with a real footer; never loop on it
                head, rest = piece[:1], piece[1:]
            found.append(head)
            pieces[index] = rest
    if page or not found:
        found.append(page)
    screens = []
    for number, content in enumerate(found):
        last = number == len(found) - 1
        footer = "" if last else more
        if (number > 0 or back_first) and (back_last or not last):
            footer += back
        screens.append((content + footer).strip("\n"))
    return screens


def clamp(page: int, count: int) -> int:
    return max(0, min(page, count - 1))
