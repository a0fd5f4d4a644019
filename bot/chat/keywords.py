"""SMS keywords: the words a feature phone sends instead of slash commands.

Carriers and gateways know STOP and START; learners text YES, NEXT or JOIN AB12CD. Each keyword
is a comma-separated list in the catalogs, so every language adds its own words (Swahili NDIYO,
French OUI) while the English ones keep working. Matching ignores case, accents, spaces and
punctuation ("Stop!", "s t o p", "Sí."), and looks only at the whole message, so a sentence that
starts with "next" is still a sentence.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from babel.lists import format_list

from bot.chat import command_forms
from bot.chat.i18n import N_, Catalogs, Translator
from bot.chat.segments import is_gsm7

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
# Translators: a whole answer that says there is nothing to tell ("nothing special" to "any
# trouble this week?"); comma-separated, thanked briefly and never offered to the facilitator.
NOTHING = N_("NOTHING, NOTHING SPECIAL, NOTHING MUCH, NOT MUCH, NONE, ALL GOOD, NO PROBLEMS")
# Translators: the word before a join code ("JOIN AB12CD"); comma-separated synonyms allowed.
JOIN = N_("JOIN")
# Translators: the word a learner texts to hear about the next meeting.
NEXT = N_("NEXT")
# Translators: the word before a place, course or language to find an open circle
# ("FIND NAIROBI"); comma-separated synonyms allowed.
FIND = N_("FIND")
# Translators: words a learner texts to say they are at the meeting now, and the few words
# they say it with on arriving ("I'm here"); comma-separated.
HERE = N_("HERE, I'M HERE, IM HERE, I AM HERE, AM HERE")
# Translators: words that stop a guided conversation by SMS (where "/cancel" can't be sent).
# Never a carrier's opt-out word (CANCEL, END, QUIT, STOP...): texting one stops every message.
EXIT = N_("EXIT")
# Translators: other words a learner may text for a command, beside its name in the menu;
# comma-separated, in capitals.
ALSO_NAMED = {
    "leave": N_("LEAVE"),
    "survey": N_("SURVEY, FEEDBACK"),
    # People ask for the member list as a list (/liste in French): not /listing (the directory).
    "roster": N_("LIST, MEMBERS"),
}
# Translators: words that agree, read as "yes" when a Yes / No question waits; comma-separated.
AGREE = N_("OK, OKAY, SURE")
# Translators: answers that say there is none ("no", "none", "there isn't one"), read as skip
# where a question may be skipped ("Send skip if there isn't one"); comma-separated.
NONE = N_("NONE, NO, N, NOPE, NOTHING, THERE ISN'T ONE, THERE IS NONE, NO LINK, N/A, NA")
# Translators: greetings a newcomer may text first; comma-separated. Only your language's: they
# tell which language to answer in.
GREETINGS = N_("HI, HELLO, HEY, GOOD MORNING, GOOD EVENING")
# Words that apologise in the shipped languages, plain(): "sorry!" alone, or a sentence
# before the words that matter ("perdon q no habia contestado. quiero aprender...").
SORRY = frozenset({"sorry", "oops", "ups", "hoppla", "undskyld", "perdon", "pardon", "samahani"})

# Translators: words that ask to delete ("delete my data"): with a word of ERASE_WHAT in the
# same short text, the learner is told how to erase everything (/forget); comma-separated.
ERASE_VERBS = N_("DELETE, ERASE, REMOVE, WIPE, FORGET")
# Translators: what a learner asks to have deleted ("my data", "my number"); comma-separated.
ERASE_WHAT = N_("DATA, NUMBER, DETAILS, INFORMATION, INFO, RECORD, EVERYTHING, ALL")

# Translators: each is a command's name in a menu: lower case, one word (letters, digits, - or
# _), at most 32 characters, with the slash. Keep the English word if yours would be odd.
COMMAND_NAMES = {
    "start": N_("/start"),
    "help": N_("/help"),
    "name": N_("/name"),
    "language": N_("/language"),
    "timezone": N_("/timezone"),
    "join": N_("/join"),
    "next": N_("/next"),
    "schedule": N_("/schedule"),
    "leave": N_("/leave"),
    "rsvp": N_("/rsvp"),
    "here": N_("/here"),
    "checkin": N_("/checkin"),
    "reflect": N_("/reflect"),
    "goal": N_("/goal"),
    "skip": N_("/skip"),
    "portfolio": N_("/portfolio"),
    "letter": N_("/letter"),
    "thanks": N_("/thanks"),
    "letters": N_("/letters"),
    "link": N_("/link"),
    "unlink": N_("/unlink"),
    "prefer": N_("/prefer"),
    "forget": N_("/forget"),
    "newcircle": N_("/newcircle"),
    "invite": N_("/invite"),
    "roster": N_("/roster"),
    "attendance": N_("/attendance"),
    "announce": N_("/announce"),
    "linkchat": N_("/linkchat"),
    "unlinkchat": N_("/unlinkchat"),
    "digest": N_("/digest"),
    "reminders": N_("/reminders"),
    "reschedule": N_("/reschedule"),
    "cancel": N_("/cancel"),
    "rhythm": N_("/rhythm"),
    "report": N_("/report"),
    "export": N_("/export"),
    "calendar": N_("/calendar"),
    "team": N_("/team"),
    "cofacilitator": N_("/cofacilitator"),
    "edit": N_("/edit"),
    "uncancel": N_("/uncancel"),
    "addmeeting": N_("/addmeeting"),
    "skipweek": N_("/skipweek"),
    "close": N_("/close"),
    "delete": N_("/delete"),
    "handover": N_("/handover"),
    "stepin": N_("/stepin"),
    "remove": N_("/remove"),
    "find": N_("/find"),
    "default": N_("/default"),
    "sharing": N_("/sharing"),
    "courses": N_("/courses"),
    "survey": N_("/survey"),
    "share": N_("/share"),
    "reply": N_("/reply"),
    "inbox": N_("/inbox"),
    "listing": N_("/listing"),
    "newnumber": N_("/newnumber"),
    "movenumber": N_("/movenumber"),
    "letback": N_("/letback"),
}

# Names a catalog gave a command before renaming it, still read when typed: people type what an
# older message or menu showed them. By language, as plain() writes them; never a name a
# command has now.
FORMER_NAMES: dict[str, dict[str, str]] = {
    # German /teilen (/share) and /freigabe (/sharing) were near-synonyms, and "Freigabe" is
    # also the facilitator's approval of a link: now /linktipp and /mitlesen.
    # /absagen (/cancel) is also what a learner does who can't come ("ich sage ab"): now
    # /abbrechen, the word that stops a conversation too.
    "de": {"teilen": "share", "freigabe": "sharing", "absagen": "cancel"},
    # Swahili /kushiriki (/sharing) was one syllable from /shiriki (/share): now /ruhusa
    # ("permission": may the facilitator read my answers).
    "sw": {"kushiriki": "sharing"},
    # Danish /svar (/rsvp) sat beside /besvar (/reply), two forms of "answer" for different
    # things: now /tilsagn ("a yes to coming", as German /zusage).
    "da": {"svar": "rsvp"},
    # French /partage (/sharing) was one letter from /partager (/share), two unrelated things
    # (B7): now /visibilite (may the facilitator see what I write).
    "fr": {"partage": "sharing"},
}

# What Discord accepts as a command name (its rule, narrowed to what a translation needs).
VALID_NAME = re.compile(r"[-_\w]{1,32}")


def local_name(tr: Translator, command: str) -> str:
    """The command's name in the reader's language, or its English name when there is no valid
    translation."""
    msgid = COMMAND_NAMES.get(command)
    if msgid is None:
        return command
    name = tr._(msgid).strip().lstrip("/").casefold()
    return name if VALID_NAME.fullmatch(name) else command


def former_command(tr: Translator, word: str) -> str | None:
    """The command `word` named in the reader's language before it was renamed (FORMER_NAMES:
    "teilen" is /share in German), or a near form of its name there ("partages", "kujiunga"),
    or None."""
    language = tr.locale.replace("-", "_").split("_")[0]
    typed = plain(word.lstrip("/"))
    former = FORMER_NAMES.get(language, {}).get(typed)
    if former is not None or typed in COMMAND_NAMES:
        return former
    # A near form of a name in the reader's language ("/partages", "KUJIUNGA"): see
    # bot.chat.command_forms.
    names = {command: plain(local_name(tr, command)) for command in COMMAND_NAMES}
    return command_forms.near_command(language, typed, names)


JOIN_CODE = re.compile(r"(?P<word>\S+)\s+(?P<code>[A-Za-z0-9-]{4,12})[.!]?")
# FIND and up to three words ("FIND DAR ES SALAAM"): a longer text starting with "find" is a
# sentence for the facilitator, not a search.
FIND_MOST_WORDS = 3
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
    HERE = "here"
    EXIT = "exit"


LISTS = {
    Keyword.OPT_OUT: OPT_OUT,
    Keyword.OPT_IN: OPT_IN,
    Keyword.HELP: HELP,
    Keyword.YES: YES,
    Keyword.NO: NO,
    Keyword.NEXT: NEXT,
    Keyword.HERE: HERE,
    Keyword.EXIT: EXIT,
}


@dataclass(frozen=True)
class Match:
    keyword: Keyword
    argument: str = ""  # the join code; what to find


# Letters that are not an accent on another (NFKD leaves them whole), as keyboards without
# them write them: "SOG" or "SOEG" for SØG, "hjaelp" for HJÆLP on a phone set to English.
_SPELLED_OUT = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "œ": "oe", "đ": "d", "ł": "l"})


# Kept: the same few hundred words (every language's keywords) are made plain for each
# message read (issue 18).
@functools.lru_cache(maxsize=8192)
def plain(text: str) -> str:
    """Letters and digits only, case- and accent-free: "Sí." -> "si", "S T O P" -> "stop",
    "SØG" -> "sog"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPELLED_OUT))
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def phrases(catalogs: Catalogs, *listings: str) -> frozenset[str]:
    """The comma-separated phrases of `listings` (msgids) in English and every shipped
    language, plain() and none empty: made once per catalogs, not for each message."""

    def build() -> frozenset[str]:
        return frozenset(
            plain(phrase)
            for listing in listings
            for listed in [listing, *catalogs.in_every_language(listing)]
            for phrase in listed.split(",")
        ) - {""}

    return catalogs.derived(("phrases", listings), build)


# German umlauts and Danish letters as their writers spell them out without them: "naechstes"
# for NÄCHSTES, "paamindelser" for PÅMINDELSER, beside the "nachstes" plain() makes of it.
_UMLAUTS_SPELLED_OUT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "å": "aa", "ø": "oe", "æ": "ae"}
)


def spellings(word: str) -> set[str]:
    """The ways `word` is typed, as plain(): its letters without accents ("nachstes") and, for
    a German umlaut, spelled out ("naechstes")."""
    return {plain(word), plain(word.casefold().translate(_UMLAUTS_SPELLED_OUT))}


def words(tr: Translator, keyword_list: str) -> set[str]:
    """The English words of a keyword list and the reader's language's."""
    listed = f"{keyword_list},{tr._(keyword_list)}"
    return {word for part in listed.split(",") for word in spellings(part) if word}


class _Lists(gettext.NullTranslations):
    """Each comma-separated list in every one of several languages: "YES, Y" is "YES, Y,
    NDIYO, NDIO" for an English reader in a Swahili circle."""

    def __init__(self, translators: Sequence[Translator]) -> None:
        super().__init__()
        self._translators = translators

    def gettext(self, message: str) -> str:
        said = dict.fromkeys(tr.translations.gettext(message) for tr in self._translators)
        return ",".join(said)


def reading(tr: Translator, others: Iterable[Translator]) -> Translator:
    """A translator to read words with (keywords, yes and no, ratings), never to write: every
    list in the reader's language and in `others` (their circles'), since a Kenyan who reads
    English texts NDIYO, TANO or NIMEFIKA. Its locale is the reader's."""
    languages = {tr.locale: tr} | {other.locale: other for other in others}
    if len(languages) == 1:
        return tr
    return Translator(tr.locale, _Lists(list(languages.values())))


# A request to be deleted is a short text ("Please delete my number and my data"), not a letter
# that mentions deleting something.
ERASE_MOST_WORDS = 12


def asks_to_erase(tr: Translator, text: str) -> bool:
    """Whether a short text asks for the sender's data to be deleted: a word of ERASE_VERBS and
    one of ERASE_WHAT ("delete my data", "borren mis datos", "futa namba yangu")."""
    said = [plain(word) for word in re.split(r"[^\w']+", text) if word]
    if not said or len(said) > ERASE_MOST_WORDS:
        return False
    typed = set(said)
    return bool(typed & words(tr, ERASE_VERBS)) and bool(typed & words(tr, ERASE_WHAT))


# Translators: what someone writes who doesn't know what to text the bot ("I do not understand
# what to send"): with a word of HELP in a short text, HELP's answer comes too (sms 33);
# comma-separated, a few words each at most.
NOT_UNDERSTOOD = N_(
    "DON'T UNDERSTAND, DONT UNDERSTAND, DO NOT UNDERSTAND, WHAT TO SEND, WHAT TO TEXT, "
    "WHAT DO I SEND"
)
# A plea for help is short; a longer text says more than that.
HELP_ASKED_MOST_WORDS = 25


def asks_for_help(tr: Translator, text: str) -> bool:
    """Whether a short text asks for HELP in a sentence: a word of HELP and a phrase of
    NOT_UNDERSTOOD ("I need help please, I do not understand what to send", "msaada, sielewi
    nitume nini")."""
    said = _said_words(text)
    if len(said.split()) > HELP_ASKED_MOST_WORDS:
        return False
    return bool(_found(_ways_said(tr, HELP), said)) and bool(
        _found(_ways_said(tr, NOT_UNDERSTOOD), said)
    )


# Translators: words that ask when or where ("when is", "what time"): with a word of
# MEETING_WORDS in a short text, it is answered with the next meeting (/next); comma-separated,
# a few words each at most.
WHEN_WORDS = N_("WHEN, WHAT TIME, WHERE")
# Translators: what a learner calls a meeting of the circle ("class", "session"); comma-separated.
MEETING_WORDS = N_("MEETING, CLASS, CIRCLE, SESSION, GROUP")
# A question about the next meeting is short; a longer text says more than that.
WHEN_MOST_WORDS = 16


def whole_words(text: str) -> str:
    """`text` as plain() words one space apart, a space at each end: a phrase made so is found
    with `in` as whole words ("where" never inside "nowhere")."""
    return " " + " ".join(filter(None, map(plain, re.findall(r"\w+", text)))) + " "


def _said_words(text: str) -> str:
    """`text` as its words, lower case and without accents, one space apart, with a space at
    each end: a phrase of the catalogs is found with `in`, as whole words."""
    bare = "".join(
        c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)
    )
    return " " + " ".join(re.findall(r"\w+", bare)) + " "


def asks_when_next(tr: Translator, text: str) -> bool:
    """Whether a short text asks when or where the circle meets ("when is next class", "a que
    hora es mañana la clase?", "c quand la prochaine?"): the bot knows, and answers it with
    /next (walk C 25, A 50, sms 17)."""
    said = _said_words(text)
    if len(said.split()) > WHEN_MOST_WORDS:
        return False
    asked = _found(_ways_said(tr, WHEN_WORDS), said)
    if not asked:
        return False
    if _found(_ways_said(tr, MEETING_WORDS), said):
        return True
    nexts = _found(_ways_said(tr, NEXT_WORDS), said)
    return bool(nexts) and _only_small_words_beside(said, asked | nexts)


def _ways_said(tr: Translator, listed: str) -> set[str]:
    """The phrases of `listed` in English and `tr`'s language, as _said_words writes them,
    each as typed without its letters too: "hvornaar", "moede", "mode" for HVORNÅR, MØDE."""
    listed_too = f"{listed},{tr._(listed)}".split(",")
    phrases = {_said_words(typed) for p in listed_too for typed in _typed_ways(p)}
    return {p for p in phrases if p.strip()}


def _found(phrases: set[str], said: str) -> set[str]:
    return {p for p in phrases if p in said}


# Translators: the word for "next" in "when is the next one?" ("c quand la prochaine?"), in
# each of its forms; comma-separated. With a word of WHEN_WORDS and only small words beside
# them, it asks for the next meeting.
NEXT_WORDS = N_("NEXT, NEXT ONE")
# "when's the next one?", "wann ist das nächste?": no more words than this, and none longer
# than LONGEST_SMALL_WORD beside the question's own ("when is the next assignment due?" says
# more, and goes to a person).
NEXT_ALONE_MOST_WORDS = 6
LONGEST_SMALL_WORD = 3


def _only_small_words_beside(said: str, phrases: set[str]) -> bool:
    """Whether `said` holds nothing but `phrases` and small words ("the", "la", "ist das")."""
    if len(said.split()) > NEXT_ALONE_MOST_WORDS:
        return False
    for phrase in sorted(phrases, key=len, reverse=True):
        said = said.replace(phrase, " ")
    return all(len(word) <= LONGEST_SMALL_WORD for word in said.split())


def _typed_ways(phrase: str) -> set[str]:
    """A phrase as feature phones type it: as written, its Danish and German letters spelled
    out ("møde" as "moede") or left bare ("mode")."""
    folded = phrase.casefold()
    return {folded, folded.translate(_UMLAUTS_SPELLED_OUT), folded.translate(_BARE_LETTERS)}


_BARE_LETTERS = str.maketrans({"ø": "o", "æ": "a", "œ": "oe", "ß": "ss"})


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
    if word in words(tr, JOIN) | every:
        return Match(Keyword.JOIN)  # JOIN alone: the code is missing (plain_text says so)
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


# -- what an SMS reader is told to text ----------------------------------------------------------

# Words quoted after a command's name ("/rsvp yes", "/sharing off", "/team add"), as msgids: on
# SMS they are written in capitals with the command ("RSVP YES"), like every keyword.
ARGUMENT_WORDS = (
    "yes",
    "no",
    "on",
    "off",
    "approve",
    "reject",
    "withdraw",
    "new",
    "add",
    "leave",
    "weekly",
    "checkin",
    "digest",
    "letters",
    "remove",
)
# A command quoted in a text: "/rsvp", maybe followed by a word ("/rsvp yes"). Not a path or a
# link ("https://x/y", "2026/10/29"), which have a letter, digit or slash just before.
QUOTED = re.compile(r"(?<![\w/:.])/(?P<name>[^\W\d_][\w-]*)(?:(?P<space>[ \t]+)(?P<word>\w+))?")


def texted(word: str) -> str:
    """`word` in capitals as a feature phone sends it in GSM-7: an accented capital GSM-7 lacks
    loses its accent ("PRÓXIMA" -> "PROXIMA"; matching ignores accents anyway)."""
    letters = []
    for char in word.upper():
        if not is_gsm7(char):
            char = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
        letters.append(char)
    return "".join(letters)


def command_word(tr: Translator, command: str) -> str | None:
    """The word a reader texts for `command` ("HUDHURIA" for /rsvp in Swahili); None when that
    word is a carrier's STOP or START (texting CANCEL would stop every message), so the command
    keeps its slash."""
    word = texted(local_name(tr, command))
    carrier = words(tr, OPT_OUT) | words(tr, OPT_IN)
    return None if plain(word) in carrier else word


# A command's usage line as /help and refusals write it: "/rsvp yes|no [MEETING]".
_USAGE = re.compile(
    r"(?<![\w/:.])/[^\W\d_][\w-]*(?:[ \t]+(?:\[(?:[^\[\]\n]|\[[^\[\]\n]*\])+\]|[\w|-]+))+"
)
_OPTIONAL = re.compile(r"[ \t]+\[([^\[\]\n]+)\]")
_ALTERNATIVES = re.compile(r"[\w-]+(?:\|[\w-]+)+")


def _plain_usage(tr: Translator, usage: str) -> str:
    """A usage line in words a basic phone's user reads: "/rsvp yes|no [MEETING]" -> "/rsvp YES
    or NO". Bars and brackets mean nothing to him; the example beside it shows what is optional
    ("RSVP YES 3")."""

    def ored(alternatives: str) -> str:
        words = [texted(word) for word in alternatives.split("|")]
        return format_list(words, style="or", locale=tr.locale)

    def optional(bracketed: re.Match[str]) -> str:
        inside = bracketed[1]
        return " " + ored(inside) if "|" in inside else ""  # [ON|OFF] -> ON or OFF

    shown = _OPTIONAL.sub(optional, _OPTIONAL.sub(optional, usage))  # "[LINK [NOTE]]": twice
    return _ALTERNATIVES.sub(lambda a: ored(a[0]), shown)


# The commands whose argument is a yes or no ("/rsvp yes"): after any other, a yes-word is the
# sentence going on ("/letter si quieres", "/join y el código", "/team no longer"), never
# written in capitals as if it were typed with the command ("CARTA SI": C20).
YES_OR_NO_ARGUMENT = frozenset({"rsvp"})


def for_texting(tr: Translator, text: str) -> str:
    """`text` as a reader without slash commands (SMS) can act on it: each command it quotes as
    the word to text, in the reader's language, its argument word in capitals too ("send
    /rsvp ndiyo" -> "send HUDHURIA NDIYO"), and usage lines in plain words. The one place
    replies and reminders change for SMS (bot.chat.rendering.fit), so no message is written
    twice."""
    text = _USAGE.sub(lambda usage: _plain_usage(tr, usage[0]), text)
    names = {name: name for name in COMMAND_NAMES}
    names.update({local_name(tr, name): name for name in COMMAND_NAMES})
    yes_or_no = words(tr, YES) | words(tr, NO)
    arguments = {plain(w) for msgid in ARGUMENT_WORDS for w in (msgid, tr._(msgid))}

    def replaced(quoted: re.Match[str]) -> str:
        command = names.get(quoted["name"].casefold())
        after = quoted["word"]
        if command == "cancel" and not (after and (after.isdigit() or after.isupper())):
            # "/cancel" that stops a conversation: its SMS word is EXIT, never the carrier's
            # CANCEL (which would stop every message). "/cancel MEETING" keeps its slash.
            return texted(first_word(tr, EXIT)) + (quoted["space"] + after if after else "")
        word = command_word(tr, command) if command is not None else None
        if word is None:
            return quoted[0]
        if after is None:
            return word
        if plain(after) in arguments - (set() if command in YES_OR_NO_ARGUMENT else yes_or_no):
            after = texted(after)
        elif command in YES_OR_NO_ARGUMENT and plain(after) in yes_or_no:
            after = texted(after)
        return word + quoted["space"] + after

    return QUOTED.sub(replaced, text)


# Put before a command that must stay as written, in a text written in another language than
# its reader's ("English: /language en" in the language menu, "/join" in an English invitation
# a German facilitator forwards: wave 2, B30, D60); rendering.fit takes it out.
VERBATIM = "\u2060"


def for_slash_commands(tr: Translator, text: str) -> str:
    """`text` as a reader with slash commands types them back: each command it quotes by its
    English name is named as /help names it for them ("envía /rsvp sí 2" -> "envía /confirmar
    sí 2"); what follows is kept as written (the catalogs translate argument words already).
    The English name still works when sent (bot.dialogue.registry.Registry.named). The one
    place replies and reminders change for these readers (bot.chat.rendering.fit), as
    for_texting is for SMS, so no catalog writes a command's local name by hand."""

    def replaced(quoted: re.Match[str]) -> str:
        english = quoted["name"]
        if quoted.start() and text[quoted.start() - 1] == VERBATIM:
            return quoted[0]  # in another language's words, as written
        if english not in COMMAND_NAMES:
            return quoted[0]  # not a command ("/Nairobi"), or already in the reader's words
        return "/" + slash_name(tr, english) + quoted[0][len(english) + 1 :]

    return QUOTED.sub(replaced, text)


TAPPABLE = re.compile(r"[a-z0-9_]{1,32}")


def slash_name(tr: Translator, command: str) -> str:
    """The command's name as a reply shows it: in the reader's language, as Telegram makes a
    command link of it (Latin letters, digits and _ only: "/próxima" would be a link to "/pr").
    Accents go ("proxima", "hjaelp": the router reads names accent-blind), and a name that is
    still not one is given in English."""
    name = local_name(tr, command)
    # Umlauts and Danish letters spelled out as their readers do ("/uebersicht", "/soeg"):
    # "/ubersicht" and "/sog" read as misspellings, or as another word.
    spelled = name.casefold().translate(_UMLAUTS_SPELLED_OUT).translate(_SPELLED_OUT)
    folded = unicodedata.normalize("NFKD", spelled)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("-", "_")
    return folded if TAPPABLE.fullmatch(folded) else command
