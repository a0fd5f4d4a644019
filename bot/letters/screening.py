"""Screening a letter before it may leave its circle: contact details and a small block list.

A letter travels with a first name and a city, never a way to reach its author. Anything that
looks like contact details holds the letter for a global moderator, with the reason.
"""

from __future__ import annotations

import re

import phonenumbers

from bot.chat.i18n import N_

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Top-level domains a shared link is likely to end in, matched in lower case or all capitals:
# "great.Me and my friends" is a sentence typed without a space after the dot, not a link.
TLDS = "com org net edu gov info io me ly co app dev uk de fr dk es ke ug tz ng zm rw".split()
_LABELS = r"(?<![\w.@-])(?:[\w-]+\.)+"  # "www.", "p2pu.", "knls.go."; not inside an e-mail
_KNOWN_TLD = "(?:" + "|".join(TLDS + [tld.upper() for tld in TLDS]) + r")(?![\w-])"
URL = re.compile(
    "|".join(
        [
            r"(?i:\b(?:https?://|www\.))\S+",  # a scheme or www. is always a link
            _LABELS + _KNOWN_TLD,  # "khanacademy.org", not "nzuri.co-operation"
            _LABELS + r"[a-z]{2,24}/\w",  # a domain with a page: "site.xyz/page", not "3.12/3.13"
        ]
    )
)
# A handle holds dots, never at its end ("@keisha.codes", fac 32; "@ana_b." ends a sentence).
HANDLE = re.compile(r"(?<![\w.])@\w[\w.]*\w")
# Deliberately small: a word here only holds a letter for a moderator, it rejects nothing.
# Under "apps", the apps people move a conversation to (a way to reach the author, said so in
# plain words); by language, rude words.
BLOCKED_WORDS: dict[str, frozenset[str]] = {
    "apps": frozenset({"whatsapp", "telegram", "instagram", "facebook", "tiktok", "snapchat"}),
    "en": frozenset({"fuck", "shit", "bitch", "bastard"}),
    "es": frozenset({"mierda", "puta", "cabrón"}),
    "fr": frozenset({"merde", "putain", "connard"}),
    "de": frozenset({"scheiße", "scheisse", "arschloch"}),
    "sw": frozenset({"malaya", "mjinga"}),
    "da": frozenset({"lort", "kraftedeme"}),
}
APPS = "apps"
# An app's name is a way to reach the author only when the letter points there ("follow me on
# instagram", "agrégame en facebook", "nifuate WhatsApp"); "5 new customers from facebook" is
# a story, not contact details (walkthrough 8, sms 20). Words near the name that point, in the
# shipped languages: asking to be found or written to, or naming an account, page or group.
POINTING_WORDS = frozenset(
    # en
    "me us follow add find message dm contact reach text chat join page group account profile "
    "handle username move come talk write call "
    # es
    "sígueme siguenos síguenos búscame buscanos búscanos agrégame escríbeme contáctame nos "
    "sigue busca agrega escribe cuenta perfil grupo página "
    # fr
    "moi nous suivez suis ajoute ajoutez contactez écrivez écris compte profil groupe "
    # de
    "mich mir uns folgt folge schreib schreibt kontakt konto profil gruppe seite "
    # da
    "mig os følg skriv kontakt gruppe profil side "
    # sw
    "mimi nami sisi nifuate nitafute niandikie tuandikie tuandikiane tuwasiliane nipigie "
    "kikundi ukurasa akaunti".split()
)
POINTING_BEFORE, POINTING_AFTER = 4, 3  # words either side of the app's name
# A letter written in one country may carry a number as another country writes it ("0712 345
# 678" from a Kenyan in a circle set in the US, lang 25): the countries the bot's circles meet
# in are tried too, for numbers long and plainly written as phone numbers (a leading 0 or a
# bracketed area code, nine digits or more), so "2019 2020" or "07.12.2026" is no phone number.
ELSEWHERE = "KE TZ UG RW NG ZM US GB DE AT CH FR BE ES MX CO AR".split()
ELSEWHERE_MIN_DIGITS = 9


class Flag:
    """Stored with the letter as msgids; shown translated to facilitators and moderators."""

    PHONE = N_("a phone number")
    EMAIL = N_("an e-mail address")
    URL = N_("a web address")
    HANDLE = N_("an @handle")
    APP = N_("the name of a chat or social-media app")
    WORD = N_("a rude word")
    # Stored with letters held before the two above were told apart: still shown translated.
    OLD_WORD = N_("a word on the block list")


def screen(text: str, language: str, country_code: str) -> list[str]:
    """What in `text` needs a moderator's eyes (empty when nothing does)."""
    flags = []
    if _phone_numbers(text, country_code):
        flags.append(Flag.PHONE)
    if EMAIL.search(text):
        flags.append(Flag.EMAIL)
    if URL.search(text):
        flags.append(Flag.URL)
    if HANDLE.search(text):
        flags.append(Flag.HANDLE)
    words = set(re.findall(r"\w+", text.casefold()))
    if pointed_apps(text):
        flags.append(Flag.APP)
    rude = BLOCKED_WORDS.get(language, frozenset()) | BLOCKED_WORDS["en"]
    if words & rude:
        flags.append(Flag.WORD)
    return flags


def _phone_numbers(text: str, country_code: str) -> list[tuple[int, int]]:
    """Where phone numbers are in `text`: as the circle's country writes them, or plainly as
    another country does."""
    spans = {
        (found.start, found.end)
        for found in phonenumbers.PhoneNumberMatcher(text, country_code.upper())
    }
    for region in ELSEWHERE:
        spans |= {
            (found.start, found.end)
            for found in phonenumbers.PhoneNumberMatcher(text, region)
            if found.raw_string[0] in "0+("
            and sum(char.isdigit() for char in found.raw_string) >= ELSEWHERE_MIN_DIGITS
        }
    return sorted(spans)


def pointed_apps(text: str) -> list[str]:
    """The apps named in `text` as where to find the author (a pointing word near the app's
    name), as written: "instagram" in "Follow me on instagram!"."""
    found = list(re.finditer(r"\w+", text))
    said = [word[0].casefold() for word in found]
    return [
        found[at][0]
        for at, word in enumerate(said)
        if word in BLOCKED_WORDS[APPS]
        and POINTING_WORDS.intersection(
            said[max(0, at - POINTING_BEFORE) : at + POINTING_AFTER + 1]
        )
    ]


def taken_out(text: str, details: list[str]) -> list[str]:
    """What taking `details` out of `text` takes: them, and an app named as where to find the
    author ("Follow me on instagram! I'm @keisha.codes there.", fac 32), which would hold the
    letter still."""
    return details + pointed_apps(text) if details else []


def contact_details(text: str, country_code: str) -> list[str]:
    """The phone numbers, e-mail and web addresses and @handles in `text`, as written, in the
    order they come: what its author may have taken out rather than write the letter again."""
    spans = _phone_numbers(text, country_code)
    for pattern in (EMAIL, URL, HANDLE):
        spans += [found.span() for found in pattern.finditer(text)]
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if kept and start < kept[-1][1]:  # an @handle inside an e-mail address: one
            kept[-1] = (kept[-1][0], max(end, kept[-1][1]))
        else:
            kept.append((start, end))
    # A link's \S+ takes the sentence's full stop too ("see www.p2pu.org."): it stays.
    return [text[start:end].rstrip(".,;:!?)") for start, end in kept]


# Where a letter's sentences end: after . ! ? and a space, or at a line break (kept, with the
# sentence, by the capturing group).
_SENTENCE_BREAK = re.compile(r"((?<=[.!?])\s+|\n+)")


def _sentences(text: str) -> list[tuple[str, str]]:
    """`text`'s sentences, each with the break before it ("" for the first)."""
    pieces = _SENTENCE_BREAK.split(text)
    return [(pieces[at - 1] if at else "", pieces[at]) for at in range(0, len(pieces), 2)]


def carrying(text: str, details: list[str]) -> list[str]:
    """The sentences of `text` that hold `details`, as written: what taking them out takes."""
    return [
        sentence.strip()
        for _, sentence in _sentences(text)
        if any(detail in sentence for detail in details)
    ]


def without_their_sentences(text: str, details: list[str]) -> str:
    """`text` without the sentences that hold `details`: "Call me at 0712 345 678!" with the
    number gone would still invite a call (dada 8: "Ring til mig ...:, Bente"), so the whole
    sentence goes, and with it no stray punctuation. A line break between what is left stays
    one (the stronger of the breaks around a sentence taken out)."""
    kept: list[str] = []
    pending = ""  # the break before the next sentence kept
    for before, sentence in _sentences(text):
        if not pending or ("\n" in before and "\n" not in pending):
            pending = before
        if any(detail in sentence for detail in details) or not sentence.strip():
            continue
        kept.append((pending if kept else "") + sentence.strip())
        pending = ""
    return "".join(kept).strip()
