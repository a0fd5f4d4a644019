"""The weekly rhythm, learner side: /rsvp, /here, /checkin, /reflect, /skip, /sharing, and the
answers to the questions the bot asked (a goal, sharing, a rating, a check-in, a reflection)."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.lists import format_list
from sqlmodel import col, select

from bot.chat import keywords, rendering
from bot.chat.errors import UserError
from bot.chat.i18n import N_, Number, Translator, format_day
from bot.chat.keywords import Keyword
from bot.chat.messages import Choice
from bot.circles import circles, defaults, join_notices, meetings, own_zones
from bot.circles.commands import discovery as circle_discovery
from bot.circles.commands import leaving
from bot.circles.erasure import nameless, unnamed_names
from bot.delivery.kinds import MessageKind
from bot.dialogue import confirmations, conversations, members, people
from bot.dialogue.context import Context
from bot.dialogue.registry import Args, usage_of
from bot.dialogue.values import NoSuchDay, number_word, parse_date, parse_number
from bot.letters import commands as letter_commands
from bot.letters import languages, letters
from bot.network import survey as course_survey
from bot.rhythm import absences, attendance, checkins, open_rsvps, questions, reflections, rsvps
from bot.rhythm.commands import announcements
from bot.rhythm.derivation import rsvp_choices
from bot.storage.models import (
    AttendanceSource,
    CheckIn,
    Circle,
    Letter,
    Meeting,
    MeetingStatus,
    Membership,
    OutboxMessage,
    Question,
    QuestionKind,
    Reflection,
    Role,
    Rsvp,
    RsvpAnswer,
)
from prompts import checkin as checkin_prompts
from prompts import goal as goal_prompts
from prompts import onboarding
from prompts import reflection as reflection_prompts
from prompts.library import Phase, by_key, choose, phase_of

ANSWER = N_("yes|no|maybe")  # the /rsvp argument, as shown in its usage
# Translators: answers that say "maybe" to "Will you come?" ("maybe", "not sure"); comma-
# separated. Keep the English ones.
MAYBE = N_("MAYBE, PERHAPS, NOT SURE, MIGHT")
# Translators: more answers that say "maybe" or "I don't know yet" to "Will you come?", as people
# text them every day ("dunno", "idk"; "jsp", "chais pas" in French); comma-separated. Keep
# the English ones.
# "probably, depends if I get off work" (walk fac 2): not a yes yet, asked again before.
MAYBE_EVERYDAY = N_(
    "DON'T KNOW, DONT KNOW, I DON'T KNOW, I DONT KNOW, DUNNO, IDK, NOT SURE YET, PROBABLY"
)
# Said between a maybe and the yes or no it leans to ("peut-être que oui", "capaz que no").
_BEFORE_A_LEANING = frozenset({"que"})


def says_maybe(ctx: Context, text: str) -> bool:
    """Whether `text` is a maybe to "Will you come?" ("Maybe", "peut-être", "labda",
    "vielleicht", "måske", "quizás"), in the reader's language or any shipped one, alone or
    with a little punctuation, with or without its space ("peutetre")."""
    return maybe_and_more(ctx, text) == ""


def maybe_and_more(ctx: Context, text: str) -> str | None:
    """The words after a maybe that opens a reply to "Will you come?" ("maybe, depends on
    work", "labda, nitajaribu kufika", "pas sur, je confirme demain"; A9, B2): "" for a maybe
    alone, None for no maybe, nor one that is a no ("maybe not") or a yes on the way ("might
    be late")."""
    said = [keywords.plain(word) for word in re.findall(r"\w+", text)]
    said = [word for word in said if word]
    listed = ",".join(
        phrase
        for msgid in (MAYBE, MAYBE_EVERYDAY)
        for phrase in [msgid, ctx.tr._(msgid), *ctx.catalogs.in_every_language(msgid)]
    )
    phrases = {
        tuple(keywords.plain(word) for word in re.findall(r"\w+", phrase))
        for phrase in listed.split(",")
    }
    phrases.discard(())
    if "".join(said) in {"".join(phrase) for phrase in phrases}:
        return ""
    opening = max((p for p in phrases if tuple(said[: len(p)]) == p), key=len, default=None)
    if opening is None:
        return None
    rest = said[len(opening) :]
    leaning = rest[1:] if len(rest) > 1 and rest[0] in _BEFORE_A_LEANING else rest
    no = keywords.words(ctx.tr, keywords.NO) | {keywords.plain(ctx.tr._("no"))}
    if leaning[0] in no or says_one_of(ctx, text, LATE_SAID) or says_not_coming(ctx.tr, text):
        return None
    yes = keywords.words(ctx.reader, keywords.YES) | {keywords.plain(ctx.tr._("yes"))}
    if len(leaning) == 1 and leaning[0] in yes:
        return ""  # "peut-être que oui", "labda ndiyo": a maybe leaning to yes is still a maybe
    return " ".join(rest)


def maybe_choice(offered: list[str]) -> str | None:
    """A reminder's Yes ("#12 /rsvp yes 3") made its maybe ("#12 /rsvp maybe 3"): a maybe in
    words answers the meeting asked about, though no button offers it."""
    yes = [p for p in offered if "/rsvp yes" in p]
    return yes[0].replace("/rsvp yes", "/rsvp maybe", 1) if len(yes) == 1 else None


def yes_or_no(tr: Translator, text: str) -> bool | None:
    """True for yes, False for no, in English or the reader's language; None otherwise. Every
    word of the SMS keyword lists counts (Swahili NDIYO and NDIO), and case, accents and
    punctuation do not: people type "si" for "sí" on phones. So do words that agree ("ok",
    "sawa", "d'accord": keywords.AGREE) and a word one letter off a yes or no of two letters or
    more ("Yess!", "ndyo", "ouii"), unless it is as near to both."""
    yes = keywords.words(tr, keywords.YES) | {keywords.plain(tr._("yes"))}
    no = keywords.words(tr, keywords.NO) | {keywords.plain(tr._("no"))} | refusing(tr)
    word = drawn_out(keywords.plain(text), yes | no | agreeing(tr))
    if word in yes or word in agreeing(tr):
        return True
    if word in no:
        return False
    if len(word) < MIN_TYPO_CHARS or number_word(text) is not None:
        return None  # "UNO" is one, never a "no" mistyped (C5)
    near_yes = any(checkins.one_letter_off(word, said) for said in yes if len(said) > 1)
    near_no = any(checkins.one_letter_off(word, said) for said in no if len(said) > 1)
    return near_yes if near_yes != near_no else None


def yes_or_no_anywhere(ctx: Context, text: str) -> bool | None:
    """A lone yes or no in any shipped language ("si", "oui", "ndiyo", "ja"), for someone
    answering in her own language in a circle of another (A42); None for a word that is a yes
    in one language and a no in another, and for more than one word."""
    word = keywords.plain(text)
    if len(word) < 2 or len(text.split()) != 1:  # "o", "s": a letter, in any other language
        return None
    listed = {
        key: ",".join(ctx.catalogs.in_every_language(key)) for key in (keywords.YES, keywords.NO)
    }
    yes, no = ({keywords.plain(w) for w in listed[key].split(",")} for key in listed)
    if (word in yes) == (word in no):
        return None
    return word in yes


# The shortest reply read as a typo of a yes or no ("noo", "ouii"); shorter ones are words.
MIN_TYPO_CHARS = 3


def yes_or_no_in(tr: Translator, text: str) -> bool | None:
    """The yes or no a longer answer gives ("no sorry, working late", "oui je viens", "d'accord,
    oui"): its first word, or the one yes or no word of a short answer (questions.a_sentence).
    A short answer that begins with a word that agrees ("sure why not": keywords.AGREE) is a
    yes when it holds no yes or no. None when it says both ("yes... no, maybe") or neither.
    Words of one letter (Y, N) count only as a whole message (yes_or_no): in a sentence they
    are other words (Spanish "y"). After a first yes, a "but" (BUT_WORDS) starts a remark: "si
    pero mi cel no tiene internet" is a yes ("no puedo temprano, pero sí voy" is both); so
    does all after a yes said with a word that agrees ("si claro ..., no tengo nada que
    esconder")."""
    text = past_mind_changed(tr, text)  # "finalement oui je vien": its "oui je vien" (lang 5)
    yes = keywords.words(tr, keywords.YES) | {keywords.plain(tr._("yes"))}
    no = keywords.words(tr, keywords.NO) | {keywords.plain(tr._("no"))} | refusing(tr)
    agree = agreeing(tr)
    if _only_agreeing(text, agree):
        return True  # "ok pas de souci", "sawa poa": words that agree and nothing else (B1)
    # "can't wait!" (YES_WARMTH) holds no "can't" (NO_EVERYDAY): it says no no.
    words = _without_courtesy(tr, _answer_words(text, yes | no | agree, no), (YES_WARMTH,))
    first = words[0] if words else ""
    if first in yes and len(first) > 1 and words[1:2] and words[1] in agree:
        return True  # "si claro que lo lea..., no tengo nada que esconder": a yes, and more
    if first in yes:
        words = _before_but(tr, words)
    said = {word in yes for word in words if len(word) > 1 and word in yes | no}
    opening = _opening_answer(text, yes, no)
    if opening is not None and said <= {opening}:
        return opening  # "And yes, I will be at...", "Y. still in community room?"
    if said == {False} and _last_word(text) in no and not text.rstrip().endswith(("?", "？")):
        return False  # "je vous ai deja dit que je voyage, donc non": a no to end on
    if not said and first in agree and not questions.a_sentence(text):
        return True  # "sure why not", "sawa basi": short, and a word that agrees first
    if len(said) != 1:
        return None
    if first in yes | no or not questions.a_sentence(text):
        return said.pop()
    if first in agree and said == {True}:
        return True  # "claro, ahí estaré, sí": a word that agrees first, and a yes
    return None


# The most words of a yes or no said as a phrase ("bin dabei", "claro que sí", "jeg kommer").
MAX_PHRASE_WORDS = 3
# Translators: everyday words that say yes or agree ("ya", "yeah", "yep"; "ouais", "eeh",
# "jo"), read as keywords.AGREE is; comma-separated. Keep the English ones.
AGREE_EVERYDAY = N_("YA, YEAH, YEAH SURE, YEP, YUP")
# Translators: words that say yes with emphasis ("definitely", "of course"; "bien sûr",
# "claro que sí", "auf jeden Fall", "bila shaka"), read as a yes wherever a Yes or No waits;
# comma-separated. Keep the English ones.
YES_EMPHATIC = N_("DEFINITELY, ABSOLUTELY, OF COURSE, FOR SURE, CERTAINLY, SURELY")
# A yes or no opening a reply, set apart by a mark, after a word at most: "And yes, I will be
# at...", "Y. still in community room?", "Well no, ...".
_OPENING = re.compile(r"\s*(?P<clause>[^,.!;:?¿¡]+)[,.!;:]")
MAX_OPENING_WORDS = 2


# Translators: everyday words that say no ("nah", "nope", "no thanks", "can't"; "nan", "non
# merci", "peux pas"; "nee", "nö", "kann nicht"), read as a no to a yes-or-no question;
# comma-separated. Keep the English ones.
NO_EVERYDAY = N_("NAH, NAW, NOPE, NO THANKS, NO THANK YOU, NAH THANKS, CANT, CAN'T, CANNOT")


# Everyday no words (NO_EVERYDAY) that are other words in the reader's language, as plain():
# German "nah" is near ("Ziemlich nah!", lang 9), and "na" (NÄ: "nae") opens "na klar", "na ja"
# (lang 16: "na klar" was a survey's no).
_NOT_A_NO = {"de": frozenset({"nah", "na", "nae"})}


def refusing(tr: Translator) -> set[str]:
    """The everyday words that say no (NO_EVERYDAY), in English and the reader's language, as
    plain()."""
    return keywords.words(tr, NO_EVERYDAY) - _NOT_A_NO.get(tr.locale.split("_")[0], frozenset())


def _only_agreeing(text: str, agree: set[str]) -> bool:
    """Whether `text` is words that agree and nothing else ("ok pas de souci", "ok sure"),
    each a word or a phrase of up to MAX_PHRASE_WORDS words."""
    said = [word for word in map(keywords.plain, re.findall(r"[\w']+", text)) if word]
    return _made_of(said, agree, MAX_PHRASE_WORDS)


def _made_of(said: list[str], listed: set[str], longest: int) -> bool:
    """Whether `said` (words, as plain()) is phrases of `listed` (as plain(), each of up to
    `longest` words) and nothing else."""
    at = 0
    while at < len(said):
        spans = range(min(longest, len(said) - at), 0, -1)
        span = next((k for k in spans if "".join(said[at : at + k]) in listed), 0)
        if span == 0:
            return False
        at += span
    return bool(said)


# Translators: phrases that agree though they open with a "no" ("no problem", "no worries";
# "pas de problème", "kein Problem", "hakuna shida"): never a no; comma-separated. Keep the
# English ones.
NO_WORRIES = N_("NO PROBLEM, NO PROBLEMS, NO WORRIES, NO PROB")


def agreeing(tr: Translator) -> set[str]:
    """The words that agree (keywords.AGREE, AGREE_EVERYDAY, YES_EMPHATIC, NO_WORRIES), in
    English and the reader's languages, as plain()."""
    everyday = keywords.words(tr, AGREE_EVERYDAY) | keywords.words(tr, YES_EMPHATIC)
    return keywords.words(tr, keywords.AGREE) | everyday | keywords.words(tr, NO_WORRIES)


def _opening_answer(text: str, yes: set[str], no: set[str]) -> bool | None:
    """The yes or no that ends a reply's first clause of a word or two ("And yes, ...", "Y.
    ..."); a letter alone (Y, N) counts only as the whole clause."""
    found = _OPENING.match(text)
    if found is None:
        return None
    said = [keywords.plain(word) for word in found["clause"].split()]
    if not said or len(said) > MAX_OPENING_WORDS or (len(said[-1]) < 2 and len(said) > 1):
        return None
    return said[-1] in yes if said[-1] in yes | no else None


def _last_word(text: str) -> str:
    """The last word of `text`, as plain()."""
    typed = re.findall(r"\w+", text)
    return keywords.plain(typed[-1]) if typed else ""


# A letter said three times or more ("siii", "jaaa"); twice or more ("noo").
_DRAWN_OUT = re.compile(r"(.)\1{2,}")
_REPEATED = re.compile(r"(.)\1+")


def drawn_out(word: str, listed: set[str]) -> str:
    """`word` as listed when it is a listed word with letters repeated for warmth ("siii",
    "jaaa", "noooo"), else `word`: runs of a letter are cut to two, then to one."""
    if word in listed or len(word) < MIN_TYPO_CHARS:
        return word
    for shorter in (_DRAWN_OUT.sub(r"\1\1", word), _REPEATED.sub(r"\1", word)):
        if shorter in listed:
            return shorter
    return word


def _answer_words(text: str, listed: set[str], no: set[str]) -> list[str]:
    """A reply's words as plain(), read for a yes or no: a phrase of the lists at the start is
    one word ("bin dabei, freu mich" -> "bindabei"); letters drawn out are cut ("siii"); and a
    word said right after a no is part of it ("no voy" is a no, not a no and a yes)."""
    typed = text.split()
    for count in range(min(MAX_PHRASE_WORDS, len(typed)), 1, -1):
        if keywords.plain(" ".join(typed[:count])) in listed:
            typed = [" ".join(typed[:count]), *typed[count:]]
            break
    words: list[str] = []
    for at, raw in enumerate(typed):
        word = drawn_out(keywords.plain(raw), listed)
        after_no = at > 0 and words[-1] in no and typed[at - 1][-1:].isalnum()
        if not (after_no and word in listed):
            words.append(word)
    return words


def says_little_more_than_yes(tr: Translator, text: str) -> bool:
    """Whether a yes says little else ("siii claro que voy!! 🙌", "si, que las lea"): at most
    questions.CHOICE_ANSWER_WORDS words besides its yes and words that agree. Such an answer is
    only the answer; a no's reason, or a longer yes, goes on to the facilitators too."""
    yes = keywords.words(tr, keywords.YES) | {keywords.plain(tr._("yes"))}
    listed = yes | agreeing(tr)
    words = _without_courtesy(tr, _answer_words(past_mind_changed(tr, text), listed, set()))
    if keywords.words(tr, BUT_WORDS) & set(words):
        return False  # "nitakuja lakini nitachelewa kidogo": the "but" is news for them
    return len([w for w in words if w and w not in listed]) <= questions.CHOICE_ANSWER_WORDS


def only_no_again(ctx: Context, text: str) -> bool:
    """Whether a no with words to a guided command's Yes or No ("Leave ...?", "Is this your
    letter?") only says it again ("no, I will stay", "No, es mi respuesta sobre la reunión"):
    it asks nothing, and no "but" (BUT_WORDS) starts a remark."""
    if text.rstrip().endswith(("?", "？")) or asks_a_question(ctx, text):
        return False
    said = {keywords.plain(word) for word in re.findall(r"\w+", text)}
    return not keywords.words(ctx.reader, BUT_WORDS) & said


# Translators: phrases that only say the yes again or thank, after a yes to "Will you come?"
# ("yes I'll be there, thanks"; "oui je serai là, merci"; "sí, ahí estaré, gracias");
# comma-separated. Keep the English ones.
YES_COURTESY = N_(
    "I'll be there, I will be there, I'm coming, I am coming, I'll come, I will come, see you, "
    "see you there, see you then, thanks, thank you, thx"
)
# Translators: friendly words said with a yes to "Will you come?" that ask and tell nothing
# ("yes, looking forward to it"; "oui, j'ai hâte"; "sí, con gusto"); comma-separated, four
# words at most each. Keep the English ones.
YES_WARMTH = N_(
    "looking forward to it, looking forward, can't wait, cannot wait, see you soon, "
    "see you tomorrow, with pleasure, of course"
)
# The most words of a YES_COURTESY phrase ("I will be there").
MAX_COURTESY_WORDS = 4


def _without_courtesy(
    tr: Translator, words: list[str], listed: tuple[str, ...] = (YES_COURTESY, YES_WARMTH)
) -> list[str]:
    """`words` (as plain()) without YES_COURTESY phrases: "oui je serai là, merci" is a yes and
    nothing more, not words for the facilitator's /reply numbers. Or without the phrases of
    the lists `listed`."""
    phrases = set().union(*(keywords.words(tr, msgid) for msgid in listed))
    kept: list[str] = []
    at = 0
    while at < len(words):
        spans = range(min(MAX_COURTESY_WORDS, len(words) - at), 0, -1)
        span = next((k for k in spans if "".join(words[at : at + k]) in phrases), 0)
        if span == 0:
            kept.append(words[at])
        at += span or 1
    return kept


# Translators: words that start a remark after a yes or no ("yes but I'll be late", "sí pero
# llego tarde", "nitakuja lakini nitachelewa"); comma-separated. Keep the English ones.
BUT_WORDS = N_("but, though, although, however")


def _before_but(tr: Translator, words: list[str]) -> list[str]:
    """`words` (as plain()) up to the first "but" (BUT_WORDS): what a yes says before its
    remark."""
    but = keywords.words(tr, BUT_WORDS)
    return next((words[:at] for at, word in enumerate(words) if word in but), words)


# Translators: phrases that say "I can't come" in so many words, read anywhere in a reply to
# "Will you come?" ("nel, no voy a poder, ando de vacaciones"); comma-separated. Only phrases
# that mean nothing else (never a bare "no", nor "I can't" alone). Keep the English ones.
NOT_COMING = N_(
    "can't come, cant come, cannot come, can not come, can't make it, cant make it, cannot "
    "make it, won't come, wont come, will not come, won't make it, wont make it, won't be "
    "there, wont be there, will not be there, not coming, unable to come, not able to come, "
    "not be able to come, can't attend, cannot attend"
)
# Translators: phrases that say "I can't come" with the time it is about ("cant this week,
# grandkids are sick", "siwezi kukam leo"), read as NOT_COMING is; comma-separated. Only phrases
# that mean nothing else. Keep the English ones.
NOT_COMING_NOW = N_(
    "can't this week, cant this week, cannot this week, can't today, cant today, cannot today, "
    "can't tomorrow, cant tomorrow, cannot tomorrow, can't tonight, cant tonight, can't this "
    "time, cant this time, not this week, not this time"
)
# A reply longer than this is a letter about something else, not an answer to "Will you come?".
MOST_RSVP_WORDS = 30


def _phrase_words(text: str) -> list[str]:
    """`text` as plain() words, apostrophes and all punctuation between them ("can't" ->
    "can", "t"), as a phrase of a list is matched."""
    return [word for word in map(keywords.plain, re.split(r"[\W_]+", text)) if word]


def says_not_coming(tr: Translator, text: str) -> bool:
    """Whether a reply says its writer can't come in so many words ("Sorry, I cannot come
    after all", "nel, no voy a poder, ando de vacaciones en Oaxaca"): a NOT_COMING phrase
    anywhere in it, in English or the reader's languages, and no yes besides ("can't come
    early, but yes I'll be there" is neither)."""
    said = _phrase_words(text)
    if not said or len(text.split()) > MOST_RSVP_WORDS:
        return False
    listed = f"{NOT_COMING},{tr._(NOT_COMING)},{NOT_COMING_NOW},{tr._(NOT_COMING_NOW)}"
    phrases = {tuple(_phrase_words(p)) for p in listed.split(",")}
    found = any(
        phrase and tuple(said[at : at + len(phrase)]) == phrase
        for phrase in phrases
        for at in range(len(said) - len(phrase) + 1)
    )
    if not found:
        return False
    yes = keywords.words(tr, keywords.YES) | {keywords.plain(tr._("yes"))}
    no = keywords.words(tr, keywords.NO) | {keywords.plain(tr._("no"))}
    # A yes about another time is no yes now: "... Next week nitakuja" (COMING_UNDONE).
    undone = _phrases(COMING_UNDONE, tr)
    now = [
        sentence
        for sentence in _SENTENCES.findall(text)
        if not any(_find(phrase, _phrase_words(sentence)) for phrase in undone)
        or any(_find(phrase, _phrase_words(sentence)) for phrase in phrases if phrase)
    ]
    words = _answer_words(" ".join(now), yes | no, no)
    return not any(len(word) > 1 and word in yes for word in words)


# Translators: phrases that say "I'll come" in so many words, read near the start of a reply to
# "Will you come?" ("pls I will be late, am coming at 11", "selbstverständlich werde ich morgen
# pünktlich erscheinen"); comma-separated. Only phrases that mean nothing else (never "come"
# alone: "when should I come?"). Keep the English ones.
COMING = N_(
    "I'm coming, im coming, I am coming, am coming, coming late, I'll come, ill come, I will "
    "come, I'll be there, ill be there, I will be there, I'll be late, I will be late, on my "
    "way, count me in, I'll make it, I will make it"
)
# Translators: more phrases that say "I can come" in so many words, read as COMING is ("oh
# wait i mixed up the days, i CAN come tomorrow"); comma-separated. Keep the English ones.
CAN_COME = N_("I can come, i can come, can come, I can make it, can make it, I can be there")
# Translators: goodbyes that say "see you at the meeting" ("see you there"; "à jeudi", "nos
# vemos", "bis dann", "tutaonana", "vi ses"), read as COMING is: a yes to "Will you come?"
# (walk 14, fac 31); comma-separated. Keep the English ones.
SEE_YOU = N_("see you there, see you then, see you soon, see you tomorrow, see you")
# Translators: words that undo an answer given before ("actually yes my shift changed", "me
# confundí, sí voy", "i mixed up the days", "finally yes I'll come": "finalement", "doch",
# "mwishowe", "alligevel"): what follows them is the answer now; never a yes or a no itself;
# comma-separated. Keep the English ones.
MIND_CHANGED = N_(
    "actually, I mixed up, mixed up, my mistake, my bad, I meant, wrong button, changed my "
    "mind, change of plans, plans changed, finally, after all, in the end"
)
# A word, as _phrase_words reads them: letters and digits between anything else.
_WORD = re.compile(r"[^\W_]+")


def past_mind_changed(tr: Translator, text: str) -> str:
    """`text` after the words opening it that undo an earlier answer (MIND_CHANGED):
    "finalement oui je vien" -> "oui je vien", "al final, sí voy" -> "sí voy". `text` itself
    when none opens it, or nothing follows them."""
    typed = [(found, word) for found in _WORD.finditer(text) if (word := keywords.plain(found[0]))]
    said = tuple(word for _, word in typed)
    opening = max(
        (len(phrase) for phrase in _phrases(MIND_CHANGED, tr) if said[: len(phrase)] == phrase),
        default=0,
    )
    if not opening or opening >= len(typed):
        return text
    return text[typed[opening][0].start() :]


# Translators: words that, said in the same sentence, undo a COMING phrase: a negation, a doubt,
# a condition or another time ("I'm not coming", "maybe I'll come", "I'm coming next week");
# comma-separated. Keep the English ones.
COMING_UNDONE = N_(
    "not, never, can't, cannot, won't, don't, maybe, might, perhaps, if, unless, next week, "
    "next time"
)
# A sentence (and the marks ending it): a COMING phrase and what undoes it are read in one.
_SENTENCES = re.compile(r"[^.!?;\n]+[.!?;]*")


def coming_said(tr: Translator, text: str) -> list[str] | None:
    """Whether a reply to "Will you come?" says yes in so many words ("am coming", "I said am
    coming", "...werde ich morgen pünktlich erscheinen. Ich habe ..."): its other words (as
    _phrase_words), or None. A yes is a COMING phrase, in English or the reader's languages,
    in a sentence that starts within the first MOST_RSVP_WORDS words, asks nothing ("...?")
    and holds nothing that undoes it (COMING_UNDONE: "not", "maybe", "next week"); never in a
    reply that says it can't come (says_not_coming)."""
    if says_not_coming(tr, text):
        return None
    phrases = _phrases(COMING, tr) + _phrases(CAN_COME, tr) + _phrases(SEE_YOU, tr)
    undone = _phrases(COMING_UNDONE, tr)
    worries = _phrases(NO_WORRIES, tr)  # "pas de problème, à jeudi": its "pas" undoes nothing
    before = 0
    for sentence in _SENTENCES.findall(text):
        if before >= MOST_RSVP_WORDS:
            break
        said = _without_phrases(_phrase_words(sentence), worries)
        before += len(sentence.split())
        # The longest phrase said: "si puedo ir" (yes, I can go), not its "puedo ir".
        spans = [span for phrase in phrases if (span := _find(phrase, said))]
        found = max(spans, key=lambda span: (span[1] - span[0], -span[0])) if spans else None
        if found is None or sentence.rstrip().endswith(("?", "？")):
            continue
        if any(_undoes(phrase, said, found) for phrase in undone):
            continue
        return _besides(text, sentence, found)
    return None


def yes_opening_a_sentence(tr: Translator, text: str) -> bool:
    """Whether a later sentence of a reply to "Will you come?" opens with a yes and asks
    nothing ("I had a cold but I am better now. Yes I will call in Thursday", fac 15), and no
    sentence of it is a no. A yes word of one letter (Y) is no opening here."""
    sentences = [s for s in _SENTENCES.findall(text) if s.split()]
    if len(sentences) < 2 or len(text.split()) > MOST_RSVP_WORDS:
        return False
    yes = keywords.words(tr, keywords.YES) | {keywords.plain(tr._("yes"))}
    opening = keywords.plain(sentences[0].split()[0])
    said = [yes_or_no_in(tr, sentence) for sentence in sentences]
    opens_with_yes = [
        answer
        for sentence, answer in zip(sentences, said, strict=True)
        if len(first := keywords.plain(sentence.split()[0])) > 1
        and first in yes
        and not sentence.rstrip().endswith(("?", "？"))
    ]
    return opening not in yes and True in opens_with_yes and False not in said


def _without_phrases(said: list[str], phrases: Sequence[tuple[str, ...]]) -> list[str]:
    """`said` with every occurrence of `phrases` taken out."""
    kept: list[str] = []
    at = 0
    while at < len(said):
        span = next((len(p) for p in phrases if tuple(said[at : at + len(p)]) == p), 0)
        if span:
            at += span
            continue
        kept.append(said[at])
        at += 1
    return kept


@functools.lru_cache(maxsize=1024)
def _phrases(listed: str, tr: Translator) -> tuple[tuple[str, ...], ...]:
    """A comma-separated list, in English and the reader's languages, as _phrase_words. Made
    once per list and reader: the yes, no and arrival readers ask for the same few lists on
    every message (issue 18, review)."""
    found = {tuple(_phrase_words(phrase)) for phrase in f"{listed},{tr._(listed)}".split(",")}
    return tuple(phrase for phrase in found if phrase)


def _undoes(phrase: tuple[str, ...], said: list[str], found: tuple[int, int]) -> bool:
    """Whether a COMING_UNDONE `phrase` stands in `said` outside the COMING phrase `found`:
    "si puedo" (if I can) undoes "voy", but is part of "si puedo ir" (yes, I can go)."""
    return any(
        tuple(said[at : at + len(phrase)]) == phrase
        and not (found[0] <= at and at + len(phrase) <= found[1])
        for at in range(len(said) - len(phrase) + 1)
    )


def _find(phrase: tuple[str, ...], said: list[str]) -> tuple[int, int] | None:
    """Where `phrase` stands in `said` (start, end), if it does."""
    for at in range(len(said) - len(phrase) + 1):
        if tuple(said[at : at + len(phrase)]) == phrase:
            return at, at + len(phrase)
    return None


def _besides(text: str, sentence: str, found: tuple[int, int]) -> list[str]:
    """The words of `text` but the phrase `found` in `sentence`."""
    said = _phrase_words(sentence)
    rest = [word for at, word in enumerate(said) if not found[0] <= at < found[1]]
    others = _phrase_words(text.replace(sentence, " ", 1))
    return rest + others


# Translators: the words between a rating and its scale ("4 out of 5", "4 sur 5", "4 kati ya
# 5"), comma-separated. Keep the English ones.
OUT_OF = N_("out of, of")
# A number first, then maybe its scale ("4/5", "4 out of 5"), then maybe words.
_NUMBER_FIRST = re.compile(r"(?P<number>\d{1,2})(?!\d|[.,:]\d)(?P<rest>.*)", re.DOTALL)
_SCALE = re.compile(r"\s*(?:/|(?P<words>\D+?))\s*(?P<scale>\d{1,2})(?!\d)(?P<rest>.*)", re.DOTALL)


def number_and_words(ctx: Context, text: str) -> tuple[int, str] | None:
    """A reply that starts with a number, as a choice's: "5 it was great" -> (5, "it was
    great"), "4/5" or "4 out of 5" (OUT_OF, in any shipped language) -> (4, ""), "1 asante" ->
    (1, "asante"). None when it starts otherwise, or is only a number (a choice picks that
    itself), or is a time or a date ("7:30", "12.5"). A thanks before the number is left aside
    ("merci!! 2 je suis au village" -> (2, "je suis au village"))."""
    found = _NUMBER_FIRST.fullmatch(_thanks_first_aside(ctx, text.strip()))
    if found is None:
        return None
    rest = found["rest"]
    scale = _SCALE.fullmatch(rest)
    if scale is not None and (
        scale["words"] is None or keywords.plain(scale["words"]) in _out_of_words(ctx)
    ):
        rest = scale["rest"]
    rest = rest.strip().lstrip(",.;:!-–—)").strip()
    if rest == found["rest"].strip() and not rest:
        return None
    return int(found["number"]), rest


def _thanks_first_aside(ctx: Context, text: str) -> str:
    """`text` without a thanks (checkins.RATING_AROUND) of a word or two before a number."""
    if text.startswith("/"):
        return text  # "/thanks 1 7" is a command, never a thanks and then choice 1
    typed = text.split()
    for count in (1, 2):
        leading = " ".join(typed[:count])
        if len(typed) > count and typed[count][:1].isdigit():
            if not checkins.says_more(leading, ctx.reader):
                return " ".join(typed[count:])
    return text


def thanks_first(ctx: Context, text: str) -> bool:
    """Whether `text` starts with a thanks and then a number ("merci!! 2 je suis au village"):
    the number is an answer, set apart from the words after it ("2 people are ill" is not)."""
    return _thanks_first_aside(ctx, text.strip()) != text.strip()


def _out_of_words(ctx: Context) -> frozenset[str]:
    return keywords.phrases(ctx.catalogs, OUT_OF)


def share_choices(tr: Translator) -> list[Choice]:
    return [Choice(tr._(goal_prompts.SHARE_YES), "yes"), Choice(tr._(goal_prompts.SHARE_NO), "no")]


def _share_answer(tr: Translator, text: str) -> bool | None:
    """Yes or no to the sharing question: in words, or as the number of its choice, which
    still means it when other choices were offered meanwhile."""
    said = yes_or_no(tr, text)
    if said is not None:
        return said
    return {"1": True, "2": False}.get(keywords.plain(text))


# The sharing question waits this long: it is answered as the welcome is read, or not at all
# (then answers stay private, and /sharing changes that). Waiting longer, it would take the YES
# that answers the first reminder as consent.
SHARE_QUESTION_LIFETIME = timedelta(hours=1)
# Its prompt keys (plain strings, stored: never change them). Asked after the goal is answered,
# a short unclear answer is asked again; asked after the goal is skipped, it never stands in the
# way: only yes or no answers it, and any other message goes on as if nothing waited.
SHARE_KEY = "share"
SHARE_AFTER_SKIP_KEY = "share-after-skip"
# A message of more words than questions.CHOICE_ANSWER_WORDS that is neither yes nor no is no
# answer to the sharing question ("I will be late on Tuesday"): it goes on as if nothing were
# waiting.


async def _ask_sharing(ctx: Context, circle: Circle, key: str = SHARE_KEY) -> None:
    question = await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.SHARE, key, ctx.now
    )
    question.expires_at = ctx.now + SHARE_QUESTION_LIFETIME
    ctx.session.add(question)


def _no_share_answer(ctx: Context, question: Question, text: str) -> bool:
    """Whether `text`, while the sharing question waits, is a message of its own rather than
    an answer (see SHARE_AFTER_SKIP_KEY, questions.CHOICE_ANSWER_WORDS)."""
    if _share_answer(ctx.tr, text) is not None:
        return False
    return question.prompt_key == SHARE_AFTER_SKIP_KEY or questions.a_sentence(text)


# -- /rsvp -----------------------------------------------------------------------------------


async def _meeting_to_answer(ctx: Context, circle: Circle, typed: object) -> Meeting:
    """The meeting "/rsvp yes [MEETING]" answers: the next one; a meeting's number ("3"); or
    a date as the reader writes it ("12/8", "Tuesday", "8 décembre"): a bare number is always
    a meeting's number, a date has a separator or a month's or a weekday's name."""
    assert circle.id is not None
    text = str(typed or "").strip()
    if not text:
        upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
        if upcoming is None:
            raise UserError(N_("%(circle)s has no more meetings planned."), circle=circle.name)
        return upcoming
    if text.isdecimal():
        try:
            number = parse_number(text)
        except ValueError:  # too big for any meeting
            command = ctx.registry.get("rsvp")
            assert command is not None  # this is its handler's
            raise usage_of(command, ctx.tr) from None
        return await meetings.meeting_by_number(ctx.session, circle, number)
    today = ctx.now.astimezone(ZoneInfo(circle.timezone)).date()
    day = parse_date(text, ctx.tr.locale, today)  # unreadable: says how to write one
    meeting = await rsvps.meeting_on(ctx.session, circle, day)
    if meeting is None:
        raise await _no_meeting_on(ctx, circle, day)
    return meeting


def texted_meeting(ctx: Context, raw: str) -> str | None:
    """By SMS, whether the words after RSVP YES name a meeting ("RSVP NDIYO 3", "RSVP NO
    8/12", "RSVP NO TUESDAY"), as _meeting_to_answer reads them; None for a sentence ("RSVP
    yes but late"), which is not a command (bot/core/plain_text.py)."""
    if raw.isdecimal():
        return raw
    try:
        parse_date(raw, ctx.tr.locale)
    except UserError:
        return None
    return raw


# At most this many dates named when a date has no meeting: the next few say enough.
DATES_NAMED = 4


async def _no_meeting_on(ctx: Context, circle: Circle, day: date) -> UserError:
    """The refusal for a date with no meeting, with the next dates that have one."""
    assert circle.id is not None
    to_come = await meetings.still_to_come(ctx.session, circle.id, ctx.now)
    if not to_come:
        return UserError(N_("%(circle)s has no more meetings planned."), circle=circle.name)
    zone = ZoneInfo(circle.timezone)
    dates = [
        format_day(m.starts_at.astimezone(zone), "MMMMd", ctx.tr.locale)
        for m in to_come[:DATES_NAMED]
    ]
    return UserError(
        N_("There's no meeting on %(day)s. Meetings to come: %(dates)s."),
        day=format_day(day, "full", ctx.tr.locale),
        dates=format_list(dates, locale=ctx.tr.locale),
    )


async def rsvp(ctx: Context, args: Args) -> None:
    tr = ctx.tr
    circle, membership = ctx.require_circle()
    if says_maybe(ctx, str(args["answer"])):
        await _maybe(ctx, circle, str(args.get("meeting") or ""))
        return
    typed_maybe = " ".join(str(v) for v in (args["answer"], args.get("meeting")) if v)
    meeting_after = maybe_and_more(ctx, typed_maybe)
    if meeting_after is not None and len(meeting_after.split()) <= 1:
        # "/dispo peut etre", "/rsvp not sure 3": the maybe in two words (B13)
        await _maybe(ctx, circle, meeting_after)
        return
    said = yes_or_no(tr, str(args["answer"]))
    if said is None:
        raise UserError(N_("Please answer /rsvp yes, /rsvp no or /rsvp maybe."))
    typed, reason = _with_reason(ctx, circle, str(args.get("meeting") or ""))
    # The answer as typed, for its reason to go on: not ctx.inbound's text, which is "1" once
    # "which circle?" was asked between (C47).
    typed_answer = " ".join(str(v) for v in (args["answer"], args.get("meeting")) if v)
    meeting = await _meeting_to_answer(ctx, circle, typed)
    if reason:  # "/zusage nein 2 wegen eines Arzttermins": the words go on, as a plain "no" does
        args = {**args, "meeting": typed or None}
    going_on = meeting.starts_at <= ctx.now < meeting.ends_at
    if said and going_on and meeting.status != MeetingStatus.CANCELLED:
        await _on_the_way(ctx, circle, meeting)
        return
    if (
        said
        and meeting.starts_at > ctx.now
        and says_one_of(ctx, ctx.inbound.text, LATE_SAID)
        and await _meeting_today(ctx, circle) == meeting
    ):
        # "si voy pero llego tarde" to the reminder, on the meeting's day: a yes, on the way.
        await rsvps.record(ctx.session, meeting, ctx.person_id, RsvpAnswer.YES, ctx.now)
        await _on_the_way(ctx, circle, meeting)
        return
    if not said and going_on and meeting.status != MeetingStatus.CANCELLED:
        if membership.role == Role.LEARNER:
            await _missing_now(ctx, circle, meeting)
            return
    if meeting.ends_at <= ctx.now and meeting.status != MeetingStatus.CANCELLED:
        await _was_held(ctx, circle, meeting)
        return
    answer = RsvpAnswer.YES if said else RsvpAnswer.NO
    try:
        await rsvps.record(ctx.session, meeting, ctx.person_id, answer, ctx.now)
    except UserError as error:
        if len(ctx.memberships) < 2:
            raise
        # "Meeting 1 has already started": of which circle, for someone in several.
        raise UserError(
            N_("%(circle)s: %(reply)s"),
            circle=await circles.name_for(ctx.session, tr, ctx.person_id, circle),
            reply=tr._(error.message, **error.params),
        ) from None
    when = tr.when(meeting.starts_at, _readers_zone(ctx, circle))
    if said:
        text = tr._(
            "Great, see you at meeting %(number)d, %(when)s!", number=meeting.number, when=when
        )
    elif membership.role in circles.FACILITATING:
        # Someone running the circle can't come: the meeting needs someone to run it, or
        # its learners need to hear of a change; "we'll miss you" answers neither.
        text = tr._(
            "Noted: you can't make meeting %(number)d. Who will run it? If nobody can, send "
            "/cancel %(number)d or /reschedule %(number)d so your learners know.",
            number=meeting.number,
        )
    elif args.get("meeting") is None:  # the next meeting: "/rsvp yes" answers it again
        text = tr._(
            "Thanks for letting us know. We'll miss you at meeting %(number)d. "
            "If plans change, send /rsvp yes.",
            number=meeting.number,
        )
    else:  # a later one, named: "/rsvp yes" alone would answer the next meeting instead
        text = tr._(
            "Thanks for letting us know. We'll miss you at meeting %(number)d. "
            "If plans change, send /rsvp yes %(number)d.",
            number=meeting.number,
        )
    ctx.reply(await _naming(ctx, circle, text))
    if reason:
        await pass_on_too(ctx, typed_answer, circle)


async def _maybe(ctx: Context, circle: Circle, typed: str) -> None:
    """ "/rsvp maybe": noted apart from yes and no, for the facilitator's count; she is
    reminded and asked again as one who hasn't answered."""
    meeting = await _meeting_to_answer(ctx, circle, typed)
    await rsvps.record(ctx.session, meeting, ctx.person_id, RsvpAnswer.MAYBE, ctx.now)
    text = ctx.tr._(
        "Thanks, I've noted a maybe for meeting %(number)d (%(when)s). Tell me when you know:",
        number=meeting.number,
        when=ctx.tr.when(meeting.starts_at, _readers_zone(ctx, circle)),
    )
    # The question stays open: its Yes and No still answer it, now or later.
    ctx.reply(await _naming(ctx, circle, text), choices=rsvp_choices(ctx.tr, circle, meeting))


def _readers_zone(ctx: Context, circle: Circle) -> str:
    """The zone to say `circle`'s meetings in to the writer: an online circle's in her own
    time, as her reminder said it (own_zones); never a group's member's own."""
    return own_zones.zone_for(circle, None if ctx.inbound.is_group else ctx.person.timezone)


def _with_reason(ctx: Context, circle: Circle, text: str) -> tuple[str, str]:
    """The words after "/rsvp no" parted into the meeting they name (a number or a date, or
    none: the next one) and a reason after it ("2 wegen eines Arzttermins", "bin krank"). A
    single word is the meeting's, read as before (an unreadable one is said so)."""
    words = text.split()
    if words[:1] == ["-"]:  # set apart by an SMS keyword's reading: all of it a reason
        return "", " ".join(words[1:])
    if len(words) < 2:  # one word: the meeting, or nothing
        return text, ""
    today = ctx.now.astimezone(ZoneInfo(circle.timezone)).date()
    for count in range(min(len(words), 6), 0, -1):
        if count == 1 and words[0].isdecimal():  # "2 wegen ...": meeting 2 ("3 décembre" isn't)
            return words[0], " ".join(words[1:])
        try:
            parse_date(" ".join(words[:count]), ctx.tr.locale, today)
        except NoSuchDay:
            return " ".join(words[:count]), " ".join(words[count:])
        except UserError:
            continue
        return " ".join(words[:count]), " ".join(words[count:])
    return "", text  # no meeting named: the next one, and all of it a reason


async def _on_the_way(ctx: Context, circle: Circle, meeting: Meeting) -> None:
    """A yes once the meeting has started: they are on their way. Invited in, never told it is
    too late, and the facilitators told, with their words when they wrote some ("sí perdón ya
    voy llegando")."""
    invited = ctx.tr._("We're expecting you! When you arrive, send /here.")
    name, number = ctx.person.display_name, meeting.number
    await _started_answer(
        ctx,
        circle,
        invited,
        lambda reader: reader._(
            "%(name)s is on the way to meeting %(number)d of %(circle)s.",
            name=name,
            number=number,
            circle=circle.name,
        ),
    )


# Translators: what a learner writes on a meeting's day to say they will be late or are on
# their way ("running late", "voy tarde", "nitachelewa"); comma-separated phrases. Keep the
# English ones.
LATE_SAID = N_(
    "running late, I'll be late, I will be late, I'm late, I am late, bit late, small late, "
    "be late, on my way, on the way, coming late, minutes late, mins late, min late"
)
# "I'll be late" is said in a sentence or two; a longer text is about something else.
LATE_MOST_WORDS = 20


async def running_late(ctx: Context, text: str) -> bool:
    """ "voy tarde como 20 min, el bus no pasa", "I will be 20 minutes late, sorry" on the day
    of a meeting of one of the writer's circles: they are on their way (as a yes once the
    meeting started is, _on_the_way): told what to send on arriving, their yes noted, and the
    facilitators told with their words; never a check-in's rating asked for (C4, C7)."""
    if len(text.split()) > LATE_MOST_WORDS or not says_one_of(ctx, text, LATE_SAID):
        return False
    for membership, circle in ctx.memberships:
        if membership.role != Role.LEARNER or circle.id is None:
            continue
        meeting = await _meeting_today(ctx, circle)
        if meeting is None or _names_another_day(ctx, text, circle):
            continue  # "late on Tuesday", said on a Thursday: for Tuesday's circle (fac 13)
        if meeting.starts_at > ctx.now:
            await rsvps.record(ctx.session, meeting, ctx.person_id, RsvpAnswer.YES, ctx.now)
        await _on_the_way(ctx, circle, meeting)
        return True
    return False


def _names_another_day(ctx: Context, text: str, circle: Circle) -> bool:
    """Whether `text` names a weekday, in the reader's language or English, and not today's
    where `circle` meets."""
    today = ctx.now.astimezone(ZoneInfo(circle.timezone)).weekday()
    said = {keywords.plain(word) for word in re.findall(r"\w+", text)}
    return any(
        keywords.plain(name) in said
        for code in {ctx.tr.locale, "en"}
        for day, name in Locale.parse(code).days["format"]["wide"].items()
        if day != today
    )


async def _meeting_today(ctx: Context, circle: Circle) -> Meeting | None:
    """The meeting of `circle` on today's date where it meets, not over yet nor cancelled."""
    assert circle.id is not None
    zone = ZoneInfo(circle.timezone)
    today = ctx.now.astimezone(zone).date()
    return next(
        (
            m
            for m in await meetings.schedule(ctx.session, circle.id)
            if m.status != MeetingStatus.CANCELLED
            and m.ends_at > ctx.now
            and m.starts_at.astimezone(zone).date() == today
        ),
        None,
    )


async def _missing_now(ctx: Context, circle: Circle, meeting: Meeting) -> None:
    """A no once the meeting has started ("sorry I cant come today, my son is sick"): still
    noted, so she counts as missing it with a reason, and the facilitators told, with her
    words; never "too late to answer"."""
    await rsvps.record(ctx.session, meeting, ctx.person_id, RsvpAnswer.NO, ctx.now, during=True)
    missed = ctx.tr._(
        "Thanks for letting us know. We'll miss you at meeting %(number)d.",
        number=meeting.number,
    )
    name, number = ctx.person.display_name, meeting.number
    await _started_answer(
        ctx,
        circle,
        missed,
        lambda reader: reader._(
            "%(name)s can't come to meeting %(number)d of %(circle)s, which has started.",
            name=name,
            number=number,
            circle=circle.name,
        ),
    )


async def _started_answer(
    ctx: Context, circle: Circle, reply: str, news: Callable[[Translator], str]
) -> None:
    """An answer about a meeting that has started (_on_the_way, _missing_now): `reply` to the
    learner, and `news` to the facilitators with her words when she wrote some, said back to
    her in the same reply."""
    ctx.reply(await _naming(ctx, circle, reply))
    typed = ctx.inbound.text.strip()
    words = typed if len(typed.split()) > 1 and not typed.startswith("/") else ""

    def render(reader: Translator) -> str:
        said = news(reader)
        return said + "\n" + words if words else said

    await announcements.pass_on(ctx, circle, MessageKind.FORWARDED_TEXT, render)
    ctx.words_passed_on = True  # with them: the router's pass_on_too must not send them again
    passed = ctx.replies.pop()
    _add_to_last_reply(ctx, passed.text, "\n")


async def _was_held(ctx: Context, circle: Circle, meeting: Meeting) -> None:
    """An answer for a meeting already held (a slow texter, days late): when it was, and the
    next one asked about instead, never "it has already started"."""
    assert circle.id is not None
    local = meeting.starts_at.astimezone(ZoneInfo(circle.timezone))
    day = format_day(local, "MMMEd", ctx.tr.locale, full_weekday=True)
    held = ctx.tr._("Meeting %(number)d was on %(day)s.", number=meeting.number, day=day)
    if held.endswith(".."):  # "samedi 30 janv..": the short month's point ends it (B27)
        held = held[:-1]
    upcoming = await meetings.upcoming(ctx.session, circle.id, ctx.now)
    if upcoming is None:
        ctx.reply(await _naming(ctx, circle, held))
        return
    ahead = ctx.tr._(
        "The next one is meeting %(number)d, %(when)s. Will you come?",
        number=upcoming.number,
        when=ctx.tr.when(upcoming.starts_at, _readers_zone(ctx, circle)),
    )
    prefix = f"#{circle.id} /rsvp"
    choices = [
        Choice(ctx.tr._("Yes"), f"{prefix} yes {upcoming.number}"),
        Choice(ctx.tr._("No"), f"{prefix} no {upcoming.number}"),
    ]
    ctx.reply(await _naming(ctx, circle, held + " " + ahead), choices=choices)


async def _naming(ctx: Context, circle: Circle, text: str) -> str:
    """`text` about `circle`, naming it when the person is in several: a "1" or "no" answers
    one circle's reminder, and they should know which ("Nakuru Learners: We'll miss you")."""
    if len(ctx.memberships) < 2 or circle.name in text:
        return text
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    return ctx.tr._("%(circle)s: %(reply)s", circle=name, reply=text)


# -- /here -----------------------------------------------------------------------------------


async def arrived(ctx: Context, text: str) -> bool:
    """Whether `text` says its writer is at a meeting on right now ("here", "I'm here",
    "nimefika": keywords.HERE), in any chat, as HERE does by SMS: /here, never words for the
    facilitators. At another time such words are no attendance."""
    match = keywords.read(ctx.reader, text)
    here = match is not None and match.keyword is Keyword.HERE
    if not here and not _here_mistyped(ctx, text) and not _only_arriving(ctx, text):
        return False
    return await _meeting_on(ctx)


# Parts of a text set apart by marks ("nimefika, niko hapa", "I'm here! in the room").
_PARTS = re.compile(r"[,;:.!]+|\s[-–]\s")


def _only_arriving(ctx: Context, text: str) -> bool:
    """Whether `text` says its writer arrived and nothing more, in parts set apart by marks
    ("nimefika, niko hapa", sms 21; "I am already here"): each a HERE keyword or an
    IN_THE_ROOM phrase, whole. Such words are no message for the facilitators."""
    if text.rstrip().endswith(("?", "？")):
        return False
    parts = [part for part in _PARTS.split(text) if _phrase_words(part)]
    phrases = _phrases(IN_THE_ROOM, ctx.reader)
    return bool(parts) and all(_an_arrival(ctx, part, phrases) for part in parts)


def _an_arrival(ctx: Context, part: str, phrases: Sequence[tuple[str, ...]]) -> bool:
    """Whether `part` is a HERE keyword or an IN_THE_ROOM phrase, and nothing else, with or
    without the words that change nothing of it (HERE_ALREADY)."""
    for said in (_phrase_words(part), _without_already(ctx, part)):
        match = keywords.read(ctx.reader, " ".join(said))
        if tuple(said) in phrases or (match is not None and match.keyword is Keyword.HERE):
            return True
    return False


def _without_already(ctx: Context, text: str) -> list[str]:
    """`text` as _phrase_words, without the words that change nothing of an arrival
    (HERE_ALREADY): "I am already here" -> "i am here"."""
    already = {word for phrase in _phrases(HERE_ALREADY, ctx.reader) for word in phrase}
    return [word for word in _phrase_words(text) if word not in already]


# The shortest arrival word read with a letter off ("presnte" for PRESENTE): shorter ones
# ("here", "hier", "nipo") are other words with a letter changed ("where", "her").
MIN_HERE_TYPO_CHARS = 5


def _here_mistyped(ctx: Context, text: str) -> bool:
    """Whether `text` is one word one letter off the arrival word the bot taught ("presnte"
    for PRESENTE, smses 13): /here's name or a HERE keyword, of MIN_HERE_TYPO_CHARS or more."""
    typed = keywords.plain(text)
    if len(text.split()) != 1 or text.rstrip().endswith(("?", "？")):
        return False
    taught = keywords.words(ctx.reader, keywords.HERE) | {
        keywords.plain(keywords.local_name(ctx.reader, "here"))
    }
    return any(
        checkins.one_letter_off(typed, word) for word in taught if len(word) >= MIN_HERE_TYPO_CHARS
    )


async def _meeting_on(ctx: Context) -> bool:
    """Whether a meeting of one of the writer's circles is on now (as /here takes it)."""
    for _, circle in ctx.memberships:
        assert circle.id is not None
        try:
            await attendance.happening(ctx.session, circle.id, ctx.now)
        except UserError:
            continue  # no meeting of this circle on now
        return True
    return False


# "im here but phone almost dead", "I'm here, door is locked", "here sorry late": a HERE
# phrase, then a comma or a dash or a word of BUT_AFTER_HERE, and more words.
# Translators: single words that start a remark after "I'm here" ("I'm here but the door is
# locked", "here sorry late"), comma-separated. Keep the English ones.
BUT_AFTER_HERE = N_("but, and, though, sorry")
# Translators: phrases that say, anywhere in a sentence, that the writer is at the meeting now
# ("sorry im late, I'm in the room now", "bin jetzt im zoom"): here, in the room, in the call;
# comma-separated. Only phrases that mean nothing else (never "on my way"). Keep the English.
IN_THE_ROOM = N_(
    "I'm here, im here, I am here, am here, here now, I'm in the room, im in the room, I am in "
    "the room, am in the room, I'm in the call, im in the call, I am in the call, I'm on the "
    "call, im on the call, I'm in the zoom, im in the zoom, I'm on zoom, im on zoom, I'm in the "
    "meeting, im in the meeting, I am in the meeting, I've arrived, I have arrived, just arrived"
)
# Translators: single words said inside "I'm here" that change nothing of it ("I am already
# here", "I'm finally in the room"; "je suis déjà là", "niko hapa tayari"), comma-separated.
# Keep the English ones.
HERE_ALREADY = N_("already, now, finally")
# The most words a HERE phrase has ("I AM HERE").
HERE_WORDS = 4


async def arrived_saying_more(ctx: Context, text: str) -> bool:
    """Whether `text` says its writer is at the meeting on now and then says more ("im here
    but phone almost dead", A29; "YA ESTOY AQUI EN LA SALA", "bin spät dran, bin jetzt im
    zoom"): /here, and the words go on to the facilitators."""
    if _after_here(ctx, text) is not None and await _meeting_on(ctx):
        return True
    if _here_then_where(ctx, text) and await _meeting_on(ctx):
        return True
    said = text.split()
    buts = keywords.phrases(ctx.catalogs, BUT_AFTER_HERE)
    # "llegue tarde pero ya estoy aqui": the remark first, then a HERE phrase after a "but"
    # ending the text (C26).
    at = max((i for i, word in enumerate(said[:-1]) if keywords.plain(word) in buts), default=-1)
    tail = " ".join(said[at + 1 :]).strip(",;:-.!¡ ")
    if 0 < at and len(tail.split()) <= HERE_WORDS and await arrived(ctx, tail):
        return True
    # "desolé je suis en retard, je suis dans la salle maintenant. ...": in a sentence.
    return _says_in_the_room(ctx, text) and await _meeting_on(ctx)


# Translators: single words that start saying where, right after "here" ("HERE at the library
# computer", "here in the back row"), comma-separated. Keep the English ones.
WHERE_AFTER_HERE = N_("at, in, on, from")


def _here_then_where(ctx: Context, text: str) -> bool:
    """Whether `text` opens with a HERE phrase and goes on saying where, with no mark between
    ("HERE at the library computer", fac 34); never a time ("here in 5 min" is not yet)."""
    said = text.split()
    wheres = keywords.phrases(ctx.catalogs, WHERE_AFTER_HERE)
    for end in range(1, min(HERE_WORDS, len(said) - 1) + 1):
        if keywords.plain(said[end]) not in wheres:
            continue
        rest = said[end + 1 :]
        if any(ch.isdigit() for ch in " ".join(rest)) or any(number_word(w) for w in rest):
            return False
        match = keywords.read(ctx.reader, " ".join(said[:end]))
        if match is not None and match.keyword is Keyword.HERE:
            return True
    return False


def _after_here(ctx: Context, text: str) -> str | None:
    """What `text` says after the HERE phrase it opens with ("im here but phone almost dead" ->
    "but phone almost dead"), marked off by a comma, a dash or a word of BUT_AFTER_HERE; None
    when it opens with none. Whether a meeting is on is not asked."""
    said = text.split()
    buts = keywords.phrases(ctx.catalogs, BUT_AFTER_HERE)
    for end in range(1, min(HERE_WORDS, len(said) - 1) + 1):
        head, after = " ".join(said[:end]), said[end]
        marked = head.endswith((",", ";", ":", "-", ".", "!")) or after in ("-", "–")
        if not marked and keywords.plain(after) not in buts:
            continue
        head = head.rstrip(",;:-.!")
        match = keywords.read(ctx.reader, head) if keywords.plain(head) else None
        if match is not None and match.keyword is Keyword.HERE:
            return " ".join(said[end:])
    return None


def _goal_after_arriving(ctx: Context, text: str) -> str:
    """A goal's answer without the arrival it opens with ("je suis arrivé, je veux apprendre
    à vendre en ligne" -> "je veux apprendre à vendre en ligne": issue 16); as typed when it
    opens with none, or says nothing after it."""
    after = _after_here(ctx, text)
    if after is None:
        return text
    words = after.lstrip("-– ").split()
    if words and keywords.plain(words[0]) in keywords.phrases(ctx.catalogs, BUT_AFTER_HERE):
        words = words[1:]  # "I'm here and I want to..."
    return " ".join(words) or text


async def goal_said_arriving(ctx: Context, text: str) -> bool:
    """Whether `text`, an arrival at the meeting and more ("je suis arrivé, je veux apprendre à
    vendre en ligne"), answers the goal question waiting: then the more is the goal, kept as
    any goal is, never a message for the facilitators (issue 16)."""
    if _goal_after_arriving(ctx, text) == text:
        return False
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None or not _asks_the_goal(question):
        return False
    return await answer_waiting(ctx, text)


def _says_in_the_room(ctx: Context, text: str) -> bool:
    """Whether a sentence of `text` says its writer is here (IN_THE_ROOM, in English or the
    reader's languages), asks nothing ("...?") and holds nothing that undoes it (COMING_UNDONE:
    "I'm not in the room yet")."""
    phrases = _phrases(IN_THE_ROOM, ctx.reader)
    undone = _phrases(COMING_UNDONE, ctx.reader)
    for sentence in _SENTENCES.findall(text):
        if sentence.rstrip().endswith(("?", "？")):
            continue
        # "I am already here at the library" (sms 19): its "I am here", "already" aside.
        for said in (_phrase_words(sentence), _without_already(ctx, sentence)):
            found = next((span for phrase in phrases if (span := _find(phrase, said))), None)
            if found is not None and not any(_undoes(p, said, found) for p in undone):
                return True
    return False


async def here(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    meeting = await attendance.happening(ctx.session, circle.id, ctx.now)
    assert meeting.id is not None
    if meeting.starts_at > ctx.now:
        # Here before it starts: coming, whatever was said before (the digest's "Coming").
        await rsvps.record(ctx.session, meeting, ctx.person_id, RsvpAnswer.YES, ctx.now)
    if await attendance.mark(
        ctx.session, meeting.id, ctx.person_id, AttendanceSource.SELF, ctx.now
    ):
        ctx.reply(ctx.tr._("Welcome! You're here for meeting %(number)d.", number=meeting.number))
    else:
        ctx.reply(ctx.tr._("You're already down as here. Enjoy the meeting!"))


# -- /checkin and its answers ------------------------------------------------------------------


async def _missed(ctx: Context, meeting: Meeting) -> bool:
    """Whether the person missed the meeting, as far as we were told (bot/rhythm/absences.py)."""
    assert meeting.id is not None
    return (await absences.of_meetings(ctx.session, [meeting.id])).missed(meeting.id, ctx.person_id)


async def ask_rating(ctx: Context, circle: Circle, meeting: Meeting) -> None:
    await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.RATING, "rating", ctx.now, meeting.id
    )
    missed = await _missed(ctx, meeting)
    ctx.reply(
        ctx.tr._(
            checkin_prompts.RATING_QUESTION_MISSED if missed else checkin_prompts.RATING_QUESTION,
            name=ctx.person.display_name,
            circle=circle.name,
            number=meeting.number,
        ),
        choices=checkins.rating_choices(ctx.tr),
    )


JOINED_AFTER = N_(
    "You joined after meeting %(number)d, so there's nothing to check in about yet. I'll ask "
    "after your first meeting."
)


async def checkin(ctx: Context, args: Args) -> None:
    circle, membership = ctx.require_circle()
    assert circle.id is not None
    meeting = await checkins.open_meeting(ctx.session, circle.id, ctx.now)
    if membership.joined_at >= meeting.ends_at:
        # Held before she joined (smses 29): nothing of hers to rate, nor to be missed at.
        raise UserError(JOINED_AFTER, number=meeting.number)
    earlier = await checkins.of(ctx.session, meeting.id, ctx.person_id) if meeting.id else None
    await ask_rating(ctx, circle, meeting)
    if earlier is not None and earlier.rating is not None:
        # Rated already (walkthrough 8, mix 29: BILAN asked again as if new, and a second
        # number silently replaced the first): said so first; a number still changes it.
        asked = ctx.replies[-1]
        ctx.replies[-1] = replace(
            asked,
            text=ctx.tr._(
                # The name first: "Grupo 2" never runs into the rating (G4, C58).
                "%(circle)s, meeting %(number)d: you rated it %(rating)d of 5 already. To "
                "change it, send a number from 1 to 5.",
                number=meeting.number,
                circle=circle.name,
                rating=earlier.rating,
            )
            + "\n\n"
            + asked.text,
        )


async def _answer_rating(ctx: Context, question: Question, circle: Circle, text: str) -> None:
    rating = checkins.parse_rating(text, ctx.reader)
    if rating is None:
        if not _tries_a_number(text):
            questions.mark_asked_again(question)  # the next words go on (answer_waiting)
            ctx.session.add(question)
        ctx.reply(
            ctx.tr._(checkin_prompts.ASK_AGAIN_RATING), choices=checkins.rating_choices(ctx.tr)
        )
        return
    meeting = await _question_meeting(ctx, question)
    assert meeting.id is not None
    earlier = await checkins.of(ctx.session, meeting.id, ctx.person_id)
    await checkins.record_rating(ctx.session, meeting, ctx.person_id, rating, ctx.now)
    await questions.close(ctx.session, question)
    if earlier is not None and earlier.answer and earlier.prompt_key is None:
        # Its words came first ("lost my job...", kept by _kept_unrated): the open question
        # is answered already, and asking it would put a "see above" in their place.
        ctx.reply(ctx.tr._(checkin_prompts.THANKS_RATING))
        return
    week = await _ask_about_week(ctx, circle, meeting, await _missed(ctx, meeting))
    ctx.reply(ctx.tr._(checkin_prompts.THANKS_RATING) + "\n\n" + week)


def _tries_a_number(text: str) -> bool:
    """Whether a reply that is no rating holds a digit ("7", "4.5"): an attempt at the 1-5,
    asked again however often, never a message."""
    return any(ch.isdigit() for ch in text)


async def _ask_about_week(ctx: Context, circle: Circle, meeting: Meeting, missed: bool) -> str:
    """The check-in question after the rating, now waiting: its words."""
    assert circle.id is not None
    planned = (await meetings.bounds(ctx.session, [circle.id])).get(circle.id)
    last = planned[1] if planned else meeting.number
    phase = checkin_prompts.question_phase(meeting.number, last, missed)
    prompt = choose(
        checkin_prompts.QUESTIONS,
        phase,
        meeting.number,
        circle.id,
        await checkins.prompts_asked(ctx.session, circle.id, meeting.id),
    )
    await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.CHECKIN, prompt.key, ctx.now, meeting.id
    )
    return ctx.tr._(prompt.text)


async def _question_meeting(ctx: Context, question: Question) -> Meeting:
    meeting = await ctx.session.get(Meeting, question.meeting_id) if question.meeting_id else None
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        await questions.close(ctx.session, question)
        raise UserError(N_("That question is no longer open. /checkin asks this week's."))
    return meeting


def _stored(ctx: Context, clipped: bool) -> str:
    if not clipped:
        return ""
    return "\n" + ctx.tr._(
        "Your answer was long, so I kept the first %(limit)s characters.",
        limit=Number(reflections.MAX_ANSWER_CHARS),
    )


# Up to this many words, a check-in answer that starts with no is a short one ("non, rien",
# "no, todo claro"); "Loops made sense." is not.
SHORT_ANSWER_WORDS = 3


async def _answer_checkin(ctx: Context, question: Question, text: str, shown: bool = True) -> None:
    """The open answer is kept (for the digest, if the learner shares). From a learner who
    shares, one that names a facilitator ("Denise, can we go slower?") or asks ("...?") is
    passed on too. A private learner's answer is never passed on unasked (they were promised
    it stays between them and the bot): one key passes it on (offer_to_pass_on), no retyping.
    Words that came with the rating answer no question (`shown` False): none is kept with
    them, so an export does not file them under a question the learner never saw."""
    meeting = await _question_meeting(ctx, question)
    clipped = await checkins.record_answer(
        ctx.session, meeting, ctx.person_id, question.prompt_key if shown else None, text, ctx.now
    )
    await questions.close(ctx.session, question)
    circle = await ctx.session.get_one(Circle, question.circle_id)
    membership = await circles.membership_of(ctx.session, question.circle_id, ctx.person_id)
    shares = membership is not None and membership.shares_answers
    leads = await _facilitators(ctx, circle)
    # A question anywhere in the words ("Can we go slower? Thanks"), not only at their end.
    asks = any(mark in text for mark in ("?", "？", "¿"))
    # "non, rien" is no news to call "really useful": a short answer gets a short thanks.
    said = text.split()
    short = (
        len(said) <= 1
        or (
            len(said) <= SHORT_ANSWER_WORDS
            and keywords.plain(said[0]) in keywords.words(ctx.reader, keywords.NO)
        )
        # "rien de spécial": nothing to thank at length, nor to offer to pass on (B22)
        or keywords.plain(text) in keywords.words(ctx.reader, keywords.NOTHING)
    )
    thanks = checkin_prompts.THANKS_SHORT_ANSWER if short else checkin_prompts.THANKS_ANSWER
    thanked = ctx.tr._(thanks) + _stored(ctx, clipped)
    if await _open_elsewhere(ctx, question, QuestionKind.CHECKIN):
        # Two circles' check-in questions wait (two ratings one morning): say which one
        # these words went to; the next words answer the other.
        name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
        thanked = ctx.tr._("%(circle)s: %(reply)s", circle=name, reply=thanked)
    if await _offer_when_quitting(ctx, circle, text, thanked):
        return  # "creo que ya no voy a seguir": offered to her facilitators, with the ways out
    ctx.reply(thanked)
    names_one = bool(leads) and _names_one(text, leads)
    # Spoken to ("Denise, can we go slower?"), not of ("...la señorita Rosa tiene mucha
    # paciencia"): words about her are the answer, which she reads in the digest (C7).
    if shares and leads and (_addresses_one(text, leads) or asks):
        await pass_on_too(ctx, text, circle)
    elif shares and leads and not short:
        # "I'm lost in the functions": someone will read it (in the digest), so say who.
        readers = await _readers(ctx, circle, membership)
        names = format_list(readers, locale=ctx.tr.locale)
        seen = ctx.tr.ngettext(
            "%(names)s will see it.", "%(names)s will see it.", len(readers), names=names
        )
        if not readers:
            seen = ctx.tr._("It stays between you and me.")
        _add_to_last_reply(ctx, seen)
    elif not shares:
        where = ctx.tr._("It stays between you and me.")
        meant = await _meant_for(ctx, circle, text)
        names = format_list(list(meant.values()), locale=ctx.tr.locale)
        if asks and meant:
            where += " " + ctx.tr._("Is it a question for %(names)s?", names=names)
        elif names_one and meant:
            where += " " + ctx.tr._("Is it meant for %(names)s?", names=names)
        # A problem told in answer to a question about problems ("any trouble with the
        # site?"): someone could help, if she wants them to know (B3).
        trouble = shown and not short and question.prompt_key in checkin_prompts.HELP_WANTED
        if meant and trouble and not (asks or names_one):
            where += " " + ctx.tr._(
                "%(names)s might be able to help with that. Shall I pass it on?", names=names
            )
        if meant and (asks or names_one or trouble):
            last = ctx.replies.pop()
            offer = offer_to_pass_on(ctx, circle, text, list(meant))
            ctx.reply(last.text + "\n" + where, choices=offer)
        else:
            _add_to_last_reply(ctx, where, "\n")


async def _facilitators(ctx: Context, circle: Circle) -> list[str]:
    """The names of the circle's facilitators, as learners know them."""
    assert circle.id is not None
    return [
        entry.person.display_name
        for entry in await members.roster(ctx.session, circle.id)
        if entry.membership.role in circles.FACILITATING and entry.person.id != ctx.person_id
    ]


async def _readers(ctx: Context, circle: Circle, membership: Membership | None) -> list[str]:
    """The facilitators who read what the learner (`membership`) writes in check-ins: those
    she said yes to; a co-facilitator added since waits for her yes (A6)."""
    assert circle.id is not None
    if membership is None or not membership.shares_answers:
        return []
    return [
        entry.person.display_name
        for entry in await members.roster(ctx.session, circle.id)
        if entry.membership.role in circles.FACILITATING
        and entry.person.id != ctx.person_id
        and membership.shared_with(entry.membership.leads_from())
    ]


async def _named_facilitators(ctx: Context, circle: Circle) -> str | None:
    """The circle's facilitators by name ("Otieno", "Amina and Otieno"), for a texted reply
    to say whom it means (sms 35: "tu facilitador/a" where the bot knows Otieno; by text,
    where a learner met the bot without its buttons and menus, a name is the plainest), and
    everywhere once a co-facilitator helps (A5: "your facilitator" read as one person, where
    two read); None elsewhere, and when none has a name of their own yet."""
    named = await _facilitator_names(ctx, circle)
    return format_list(named, locale=ctx.tr.locale) if named else None


async def _facilitator_names(ctx: Context, circle: Circle) -> list[str]:
    """The names _named_facilitators joins ([] where it gives None)."""
    unnamed = unnamed_names(ctx.catalogs)
    facilitators = await _facilitators(ctx, circle)
    if not ctx.platforms.keywords(ctx.inbound.platform) and len(facilitators) < 2:
        return []
    return [name for name in facilitators if name not in unnamed]


def _shares_named(tr: Translator, names: list[str]) -> str:
    """The thanks for a yes to sharing, naming who will read: its verb agrees with them (D4:
    "Sabine und Felix sieht")."""
    return tr.ngettext(
        "Thanks! From now on, %(names)s will see what you write in check-ins.",
        "Thanks! From now on, %(names)s will see what you write in check-ins.",
        len(names),
        names=format_list(names, locale=tr.locale),
    )


# Each with the facilitators' names where the bot knows them (_named_facilitators).
SHARE_QUESTION_NAMED = N_(
    "May %(names)s read your written answers? Your 1-5 ratings are always shared."
)
SHARING_ON_NAMED = N_(
    "%(names)s can read what you write in check-ins for %(circle)s. To keep your answers "
    "private, send /sharing off."
)
SHARING_OFF_NAMED = N_(
    "What you write in check-ins for %(circle)s stays between you and me (your 1-5 ratings "
    "are shared). To let %(names)s read it, send /sharing on."
)
SHARING_DONE_NAMED = N_(
    "Done: %(names)s can read what you write in check-ins for %(circle)s from now on. Send "
    "/sharing off to keep it private again."
)


async def _share_question(ctx: Context, circle: Circle | None) -> str:
    """The sharing question's words, naming the facilitators where the bot knows them."""
    names = await _named_facilitators(ctx, circle) if circle is not None else None
    if names is None:
        return ctx.tr._(goal_prompts.SHARE_QUESTION)
    return ctx.tr._(SHARE_QUESTION_NAMED, names=names)


async def _meant_for(ctx: Context, circle: Circle, text: str) -> dict[int, str]:
    """The facilitators a private learner's words may be offered to, by person id: all of
    them, but where there are several, not one the words speak about without speaking to
    ("Honestly Dede explains too much"): a complaint is never offered to its subject."""
    assert circle.id is not None
    leads = {
        entry.person.id: entry.person.display_name
        for entry in await members.roster(ctx.session, circle.id)
        if entry.membership.role in circles.FACILITATING
        and entry.person.id is not None
        and entry.person.id != ctx.person_id
    }
    if len(leads) < 2:
        return leads
    about = {
        person_id: name
        for person_id, name in leads.items()
        if _names_one(text, [name]) and not _addresses_one(text, [name])
    }
    return {person_id: name for person_id, name in leads.items() if person_id not in about}


async def circle_addressed(ctx: Context, text: str, besides: int | None = None) -> int | None:
    """The one circle of the sender's (other than `besides`) whose facilitator her words name
    ("DON PEDRO EL LUNES NO VOY..."), where they name no facilitator of `besides`: the circle
    they are a message about (C49). None when they name none, or several circles' leads."""
    if not questions.a_sentence(text):
        return None
    named: set[int] = set()
    for _, circle in await circles.active_memberships(ctx.session, ctx.person_id):
        assert circle.id is not None
        leads = [
            entry.person.display_name
            for entry in await members.roster(ctx.session, circle.id)
            if entry.membership.role in circles.FACILITATING and entry.person.id != ctx.person_id
        ]
        if leads and _names_one(text, leads):
            if circle.id == besides:
                return None  # words to this question's own facilitator: as before
            named.add(circle.id)
    return named.pop() if len(named) == 1 else None


async def former_circle_addressed(ctx: Context, text: str) -> Circle | None:
    """The circle the sender left as a learner whose facilitator her words name ("hola
    Mette, ... puedo volver al grupo?"): the last she left, where several. None when they
    name none."""
    if not questions.a_sentence(text):
        return None
    for circle in await circles.left_as_learner(ctx.session, ctx.person_id):
        assert circle.id is not None
        leads = [
            entry.person.display_name
            for entry in await members.roster(ctx.session, circle.id)
            if entry.membership.role in circles.FACILITATING and entry.person.id != ctx.person_id
        ]
        if leads and _names_one(text, leads):
            return circle
    return None


def _names_one(text: str, names: list[str]) -> bool:
    """Whether `text` names one of `names` by its first word ("Denise, ...", "Otieno wiki")."""
    said = {keywords.plain(word) for word in text.split()}
    return any(keywords.plain(name.split()[0]) in said for name in names if name.split())


def _add_to_last_reply(ctx: Context, line: str, joint: str = " ") -> None:
    """`line` added to the last reply (one SMS rather than two, where it fits)."""
    last = ctx.replies[-1]
    ctx.replies[-1] = replace(last, text=last.text + joint + line)


# -- /reflect, goals -----------------------------------------------------------------------


async def reflect(ctx: Context, args: Args) -> None:
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    held = await meetings.held(ctx.session, circle.id, ctx.now)
    week = held[-1].number if held else 1
    phase = phase_of(week, circle.meeting_count)
    if held and held[-1].number == circle.meeting_count and held[-1].ends_at <= ctx.now:
        phase = Phase.AFTER
    used = await reflections.answered_keys(
        ctx.session, ctx.person_id, circle.id, QuestionKind.REFLECTION
    )
    prompt = choose(reflection_prompts.PROMPTS, phase, week, circle.id, used)
    await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.REFLECTION, prompt.key, ctx.now
    )
    ctx.reply(
        ctx.tr._(prompt.text)
        + "\n"
        + ctx.tr._("(Your answer goes in your portfolio. /skip if you'd rather not.)")
    )


async def ask_goal(ctx: Context, circle: Circle, planned: Sequence[Meeting] | None = None) -> str:
    """At joining: what the learner hopes for. Returns the question, for the welcome.

    Where the platform gives no name (SMS), the welcome asks for the name instead, and one
    question at a time: the name question waits (a GOAL question under onboarding.NAME_KEY),
    and the goal question follows its answer (_answer_name, after_name)."""
    assert circle.id is not None
    if name_unknown(ctx):
        await questions.ask(
            ctx.session,
            ctx.person_id,
            circle,
            QuestionKind.GOAL,
            onboarding.NAME_KEY,
            ctx.now,
            planned=planned,
        )
        return ""
    return await _ask_goal_question(ctx, circle, planned)


def name_unknown(ctx: Context) -> bool:
    """Whether the welcome asks the person's name: their platform gives none (SMS), and they
    haven't said it yet (in another circle, or with /name): one SMS saved."""
    return ctx.inbound.display_name is None and ctx.person.display_name in unnamed_names(
        ctx.catalogs
    )


async def _ask_goal_question(
    ctx: Context, circle: Circle, planned: Sequence[Meeting] | None = None
) -> str:
    """The goal question, now waiting; "" when the learner already has a goal there.
    `planned`: the circle's meetings, if read already (questions.lapse_time)."""
    assert circle.id is not None
    if await reflections.goal_of(ctx.session, ctx.person_id, circle.id):
        return ""
    await questions.ask(
        ctx.session,
        ctx.person_id,
        circle,
        QuestionKind.GOAL,
        goal_prompts.GOAL_KEY,
        ctx.now,
        planned=planned,
    )
    return ctx.tr._(goal_prompts.GOAL_QUESTION, circle=circle.name)


# The goal question asked again by /goal (GOAL by SMS): its answer replaces the goal, and the
# sharing question, answered at joining, does not follow.
GOAL_CHANGE_KEY = "goal-change"
GOAL_NOW = N_(
    'Your goal for %(circle)s: "%(goal)s". What is your new goal? Send it, or /skip to keep '
    "this one."
)
GOAL_CHANGED = N_(
    'Your goal for %(circle)s is now: "%(goal)s". I\'ll remind you of it near the end.'
)


async def goal(ctx: Context, args: Args) -> None:
    """/goal: the goal changed at once ("/goal learn Excel", "GOAL learn Excel" by SMS), or,
    alone, the goal as it stands and the question for a new one (sms 16)."""
    circle, _ = ctx.require_circle()
    assert circle.id is not None
    typed = str(args.get("goal") or "").strip()
    if typed:
        await _change_goal(ctx, circle, typed)
        return
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    current = await reflections.goal_of(ctx.session, ctx.person_id, circle.id)
    await questions.ask(
        ctx.session, ctx.person_id, circle, QuestionKind.GOAL, GOAL_CHANGE_KEY, ctx.now
    )
    if current:
        said = rendering.quoted(current, ctx.by_text)
        ctx.reply(ctx.tr._(GOAL_NOW, circle=name, goal=said))
    else:
        ctx.reply(ctx.tr._(goal_prompts.GOAL_QUESTION, circle=name))


async def _change_goal(ctx: Context, circle: Circle, text: str) -> None:
    """`text` is the learner's goal in `circle` now; the goal question, if it waits, is
    answered."""
    assert circle.id is not None
    clipped = await reflections.save(
        ctx.session,
        ctx.person_id,
        circle.id,
        QuestionKind.GOAL,
        goal_prompts.GOAL_KEY,
        text,
        ctx.now,
    )
    waiting = await ctx.session.exec(
        select(Question).where(
            Question.person_id == ctx.person_id,
            Question.circle_id == circle.id,
            Question.kind == QuestionKind.GOAL,
            col(Question.prompt_key).in_([goal_prompts.GOAL_KEY, GOAL_CHANGE_KEY]),
        )
    )
    for question in waiting.all():
        await questions.close(ctx.session, question)
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    said = rendering.quoted(text, ctx.by_text)
    ctx.reply(ctx.tr._(GOAL_CHANGED, circle=name, goal=said) + _stored(ctx, clipped))


async def _pass_on_before_the_goal(ctx: Context, circle: Circle, asked: str) -> None:
    """A practical question typed at the goal question goes on to the facilitators; the goal
    question is asked again after saying so."""
    before = len(ctx.replies)
    await announcements.pass_on(ctx, circle, MessageKind.FORWARDED_TEXT, _words(ctx, circle, asked))
    passed = ctx.replies.pop().text if len(ctx.replies) > before else ""
    again = ctx.tr._(goal_prompts.GOAL_QUESTION, circle=circle.name)
    ctx.reply("\n\n".join(filter(None, [passed, again])))


def _asks_the_name(question: Question) -> bool:
    return question.kind == QuestionKind.GOAL and question.prompt_key == onboarding.NAME_KEY


def _asks_the_goal(question: Question) -> bool:
    return question.kind == QuestionKind.GOAL and question.prompt_key == goal_prompts.GOAL_KEY


async def _answer_name(ctx: Context, question: Question, circle: Circle, text: str) -> None:
    """The name asked at joining by SMS: the learner is called so, then asked the goal. A
    sentence is no name ("Ich verstehe kein Spanisch!"): the question is asked again. A name
    and then a language asked for ("Otis. english please") gives both."""
    switched = ""
    said = re.split(r"(?<=[.,;!])\s+", text.strip(), maxsplit=1)
    code = _language_asked(ctx, said[1]) if len(said) == 2 else None
    if code is not None and not _looks_like_a_name(said[0]):
        # "no entiendo nada, en español por favor": a plea, not a name: the language it asks
        # for, and the name asked again in it (walkthrough 8, mix 5).
        _speak(ctx, code, True, circle)
        return
    if code is not None and not _not_a_name(ctx, said[0]):
        ctx.person.locale = code
        ctx.tr = ctx.catalogs.translator(code)
        switched = ctx.tr._("From now on I'll write to you in English.")
        text = said[0]
    if _not_a_name(ctx, text) and (other := _written_in_another(ctx, text)) is not None:
        # "Sorry I dont understand swahili well. My name is Achieng": answered in the language
        # she wrote (sms 4), with the name her last sentence gives, else asked again in it.
        named = _named_at_the_end(ctx, text)
        if named is None:
            _speak(ctx, other, True, circle)
            return
        ctx.person.locale = other
        ctx.tr = ctx.catalogs.translator(other)
        switched = ctx.tr._("From now on I'll write to you in English.")
        text = named
    if _not_a_name(ctx, text):
        # The language hint only when a language is named ("no English"): a sentence in the
        # bot's own language ("My name is Halima Abdi but everyone calls me...") needs none.
        said_so = NOT_A_NAME if _names_a_language(ctx, text) else JUST_THE_NAME
        ctx.reply(ctx.tr._(said_so) + "\n\n" + ctx.tr._(onboarding.ASK_NAME_SMS))
        return
    name = people.name_case(people.clean_name(_without_opening(ctx, text), ""))
    name = name or ctx.person.display_name
    ctx.person.display_name = name
    ctx.session.add(ctx.person)
    await ctx.session.flush()
    await join_notices.renamed(ctx)  # the facilitator's join notice, if it waits, names them
    await questions.close(ctx.session, question)
    goal = await _ask_goal_question(ctx, circle)
    ctx.reply(greeted(ctx, name, goal, switched))


def greeted(ctx: Context, name: str, goal: str, switched: str = "") -> str:
    """The answer to a name said: glad to meet them, and the goal question after it. By SMS in
    one text where it can be (walk C8: 162 characters, two): one line break between, and
    without "That's what your circle will see" where it makes two."""
    said = [switched, ctx.tr._(onboarding.NAME_FIRST, name=name), goal]
    if not ctx.by_text:
        return "\n\n".join(filter(None, said))
    brief = [switched, ctx.tr._(onboarding.NAME_FIRST_SHORT, name=name), goal]
    return rendering.first_fitting(
        ("\n".join(filter(None, said)), "\n".join(filter(None, brief))), ctx.tr
    )


def _written_in_another(ctx: Context, text: str) -> str | None:
    """The shipped language other than the reader's that a sentence is written in: clearly,
    by its small words ("why do you need my name?"), or by the one language whose words for
    not understanding it holds ("Sorry I dont understand swahili well"); else None."""
    written = languages.written_in(text, ctx.tr.locale)
    if written != ctx.tr.locale:
        return written
    said = _spaced_words(text)
    pleading = {
        code
        for code in ctx.catalogs.locales
        for plea in ctx.catalogs.translator(code)._(LANGUAGE_PLEAS).split(",")
        if plea.strip() and _spaced_words(plea) in said
    }
    return pleading.pop() if len(pleading) == 1 and ctx.tr.locale not in pleading else None


def _named_at_the_end(ctx: Context, text: str) -> str | None:
    """The last sentence of `text` where it gives a name after an opening ("... My name is
    Achieng"), else None."""
    last = re.split(r"(?<=[.!?])\s+", text.strip())[-1]
    if keywords.plain(_without_opening(ctx, last)) == keywords.plain(last):
        return None
    return None if _not_a_name(ctx, last) else last


def _spaced_words(text: str) -> str:
    """`text`'s words as plain(), between spaces, to find a phrase in as whole words."""
    return " " + " ".join(keywords.plain(word) for word in re.findall(r"\w+", text)) + " "


def _looks_like_a_name(text: str) -> bool:
    """Whether words before a language asked for are a name ("Otis.", "Mama Halima,"): one
    word, or a few each begun with a capital, not all in capitals ("NO ENTIENDO")."""
    named = re.findall(r"\w+", text)
    if len(named) == 1:
        return True
    if not named or len(named) > 3 or text.isupper():
        return False
    return all(word[0].isupper() for word in named)


NOT_A_NAME = N_("That looks like a sentence, not a name. To change my language, send /language.")
JUST_THE_NAME = N_("Just your name is enough here: a word or two.")
# A first name, maybe with a family name or two: more words than this make a sentence.
MOST_NAME_WORDS = 3


def _not_a_name(ctx: Context, text: str) -> bool:
    """Whether the answer to the name question is a sentence, not a name: more than a few
    words, a question, an exclamation of more than one word, or a language's name ("no
    English", "Ich verstehe kein Spanisch!")."""
    said = _without_opening(ctx, text)
    words = said.split()
    stripped = text.strip()
    if len(words) > MOST_NAME_WORDS or stripped.endswith(("?", "？")):
        return True
    if stripped.endswith("!") and len(words) > 1:
        return True
    return _names_a_language(ctx, text)


def _names_a_language(ctx: Context, text: str) -> bool:
    """Whether the answer names a shipped language ("no English", "Kiswahili tafadhali")."""
    names = _language_names(ctx)
    said = _without_opening(ctx, text)
    return any(keywords.plain(word) in names for word in re.findall(r"\w+", said))


NAME_OPENINGS = people.NAME_OPENINGS


def _without_opening(ctx: Context, text: str) -> str:
    """The name in "naitwa Neema", "je m'appelle Fatou" or "my name is Neema" (NAME_OPENINGS,
    in every language): the words after the opening, without the full stop or a filler around
    it ("ni Otis bana": people.said_name)."""
    return people.name_in(ctx.catalogs, text)


async def after_name(ctx: Context) -> str:
    """After /name: the name question, if it waits, is answered; the goal question that
    follows it, or ""."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None or not _asks_the_name(question):
        return ""
    circle = await ctx.session.get(Circle, question.circle_id)
    await questions.close(ctx.session, question)
    return await _ask_goal_question(ctx, circle) if circle is not None else ""


async def _answer_writing(
    ctx: Context, question: Question, circle: Circle, text: str, checked: bool = False
) -> None:
    """A goal, a reflection or a goal review: kept in the portfolio. A question asked with the
    goal ("... can I bring my own laptop?") is for the facilitators, and the goal is kept
    without it: it waits (_hold) until the sharing question after the goal is answered, then
    goes on to them, or is offered to them with one key (_release_held). A reflection that
    looks like a message to the facilitators ("Amélie je pourrai pas venir") is asked about
    first (`checked` False: _ask_if_a_message)."""
    kind = QuestionKind(question.kind)
    if (
        kind in (QuestionKind.REFLECTION, QuestionKind.GOAL_REVIEW)
        and not checked
        and await _ask_if_a_message(ctx, question, circle, text)
    ):
        return
    asked, goal, puzzled = "", text, False
    if kind is QuestionKind.GOAL:
        text = _goal_after_arriving(ctx, text)  # "je suis arrivé, je veux apprendre..."
        asked, goal, puzzled = _questions_with_goal(ctx, text)
    if kind is QuestionKind.GOAL and (
        puzzled
        or says_one_of(ctx, text, NOT_UNDERSTOOD)
        or not any(ch.isalnum() for ch in text)  # "?", "...": never a goal (smses 29)
    ):
        # "QUE HAY QUE HACER", "c'est en quelle langue ?": no goal, a question about the
        # question; it is explained, with an example, and still waits (walkthrough 8, sms 2).
        ctx.reply(ctx.tr._(GOAL_EXPLAINED, circle=circle.name))
        return
    if kind is QuestionKind.GOAL and asked and not goal:
        # "do i need to bring my own laptop?" (wave 2, A3): a question for the facilitators,
        # passed on at once; the goal question still waits.
        await _pass_on_before_the_goal(ctx, circle, asked)
        return
    if kind is QuestionKind.GOAL and not asked and states_a_circumstance(ctx, text):
        # "I do not have a smartphone" (fac 33): news for the facilitators, no aim; the goal
        # question still waits.
        await _pass_on_before_the_goal(ctx, circle, text)
        return
    if kind is QuestionKind.GOAL and question.prompt_key == GOAL_CHANGE_KEY:
        await _change_goal(ctx, circle, text)  # a new goal: sharing was answered at joining
        return
    if (
        kind is QuestionKind.GOAL
        and question.prompt_key == goal_prompts.GOAL_KEY
        and len(text.split()) <= MOST_WRONG_CIRCLE_WORDS
        and says_one_of(ctx, text, WRONG_CIRCLE)
    ):
        # "oh nein falsch, ich wollte leipzig!" just after joining (wave 2, D67): no goal, a
        # way out; the goal question still waits if she stays.
        ctx.reply(ctx.tr._(WRONG_CIRCLE_WAY_OUT, circle=circle.name))
        return
    if (
        kind is QuestionKind.GOAL
        and len(text.split()) <= MOST_SAME_GOAL_WORDS
        and says_one_of(ctx, text, SAME_GOAL)
    ):
        # "LO MISMO Q ANTES", "same as before": the goal of her last circle (wave 2, C59).
        goal = await _previous_goal(ctx, question.circle_id) or goal
    # "je sais pas trop, on verra" at joining (B8, D9): no goal yet, never one quoted back to
    # her in the final week; /goal sets one whenever it comes.
    no_goal = (
        kind is QuestionKind.GOAL
        and question.prompt_key == goal_prompts.GOAL_KEY
        and no_goal_yet(ctx, text)
    )
    clipped = (
        False
        if no_goal
        else await reflections.save(
            ctx.session,
            ctx.person_id,
            question.circle_id,
            kind,
            question.prompt_key,
            goal or text,
            ctx.now,
            question.meeting_id,
        )
    )
    await questions.close(ctx.session, question)
    if kind is QuestionKind.GOAL:
        await _ask_sharing(ctx, circle)
        asking = await _share_question(ctx, circle)
        stored = _stored(ctx, clipped)
        thanks = (
            ctx.tr._(NO_GOAL_YET_THANKS)
            if no_goal
            else ctx.tr._("Thank you, I'll remind you of it near the end.")
        ) + stored
        if ctx.by_text:
            # One SMS where it can be (walk C8: 168 characters in English, 192 in Spanish).
            said = rendering.first_fitting(
                (thanks + "\n" + asking, ctx.tr._("Thank you!") + stored + "\n" + asking),
                ctx.tr,
                share_choices(ctx.tr),
            )
        else:
            said = thanks + "\n\n" + asking
        ctx.reply(said, choices=share_choices(ctx.tr))
        if asked and goal:
            _hold(ctx, circle, asked)
    else:
        ctx.reply(
            ctx.tr._("Thank you. It's in your portfolio (/portfolio).") + _stored(ctx, clipped)
        )


# A sentence, up to its end (". ", "? ", "! ") or the message's.
_SENTENCE = re.compile(r"[^.!?？]+[.!?？]*")


# Translators: what people write when they don't understand what they are asked ("no
# entiendo", "what should I write?"), comma-separated phrases. Keep the English ones.
NOT_UNDERSTOOD = N_(
    "don't understand, dont understand, do not understand, what do you mean, what should I "
    "write, what do I do, what do I have to do"
)


def names_what_was_hard(ctx: Context, text: str) -> bool:
    """Whether a "don't understand" (NOT_UNDERSTOOD) names what was not understood, with no
    question's word after it ("ma o menos no entendi los graficos"): said of the week, at a
    check-in, it is an answer to keep, not someone lost at the question ("no entiendo qué
    tengo que responder")."""
    if text.rstrip().endswith(("?", "？")):
        return False
    said = [word for word in map(keywords.plain, re.findall(r"[\w'’]+", text)) if word]
    for phrase in keywords.phrases(ctx.catalogs, NOT_UNDERSTOOD):
        for start, end in itertools.combinations(range(len(said) + 1), 2):
            if "".join(said[start:end]) == phrase:
                rest = set(said[end:])
                return bool(rest) and not rest & _question_words(ctx)
    return False


GOAL_EXPLAINED = N_(
    "Your goal is what you'd like to get out of %(circle)s, in your own words, for example "
    '"to keep my shop\'s accounts in a spreadsheet". What is yours? Or send /skip.'
)


# Translators: the words a practical question starts with ("do I need to bring a laptop?",
# "where do we meet?"), comma-separated; a sentence ending in "?" that starts otherwise is a
# hesitant statement ("maybe automate my excel lists?"), kept with the goal. Keep the English.
QUESTION_OPENINGS = N_(
    "do, does, did, can, could, should, shall, will, would, is, are, am, may, must, how, what, "
    "when, where, who, which, why, whats, wheres"
)
# Said before a question's first word ("and where do we meet?", "euh, c'est où ?").
_BEFORE_A_QUESTION = frozenset(
    {"and", "also", "so", "ok", "oh", "sorry", "btw", "euh", "et", "y", "und", "og", "na", "pia",
     "alors", "bon", "pues", "hi"}
)  # fmt: skip
# A practical question has at least this many words ("what?" is puzzlement, not a question).
PRACTICAL_QUESTION_WORDS = 3
# The most words of a question's detail said after it ("hes 10.", "it's for my son.").
QUESTION_DETAIL_WORDS = 3


def _question_words(ctx: Context) -> frozenset[str]:
    return keywords.phrases(ctx.catalogs, QUESTION_OPENINGS)


def _practical(ctx: Context, sentence: str) -> bool:
    """Whether a sentence ending in "?" is a practical question for the facilitators ("do i
    need to bring my own laptop?"): it starts with a question's word (QUESTION_OPENINGS)."""
    words = [keywords.plain(word) for word in re.findall(r"[\w'’-]+", sentence)]
    words = [word for word in words if word]
    if len(words) < PRACTICAL_QUESTION_WORDS:
        return False
    first = words[1] if words[0] in _BEFORE_A_QUESTION else words[0]
    return first in _question_words(ctx)


def _asks_something(ctx: Context, sentence: str) -> bool:
    """Whether a sentence ending in "?" asks something (a question's word anywhere in it: "c'est
    en quelle langue ?", "kwani lazima niseme?"), not a hesitant statement ("vllt meine excel
    listen automatisieren?")."""
    words = {keywords.plain(word) for word in re.findall(r"[\w'’-]+", sentence)}
    return bool(words & _question_words(ctx))


def asks_a_question(ctx: Context, text: str) -> bool:
    """Whether `text` asks something of the facilitators: a sentence ending in "?" that asks
    ("do I need a laptop?"), or one opening with a question's word without its "?" ("Do I need
    to bring my own computer"); a greeting or "I hope I am doing this right" asks nothing."""
    sentences = re.findall(r"[^.!?\n]+[.!?]*", text)
    return any(
        (s.rstrip().endswith("?") and _asks_something(ctx, s)) or _practical(ctx, s)
        for s in sentences
    )


def _questions_with_goal(ctx: Context, text: str) -> tuple[str, str, bool]:
    """A goal's answer read (wave 2, A3 and D8): the practical questions in it, joined; the
    goal without them (the whole text when none is: "weiß nicht genau... vllt meine excel
    listen automatisieren?" is one hesitant goal, kept whole, D24); and whether it is all
    puzzled questions about the question itself ("c'est en quelle langue ?")."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    practical = [s for s in sentences if s.endswith(("?", "？")) and _practical(ctx, s)]
    if practical:
        # Beside a practical question, every other question asks the facilitators too ("Before
        # I answer - is there parking at the library?", fac 3): none of it is a goal.
        practical = [
            s
            for s in sentences
            if s in practical or (s.endswith(("?", "？")) and _asks_something(ctx, s))
        ]
        # A few words right after a question, before more, are its detail ("can i bring my
        # son? hes 10. i want to learn excel"): they go with it, not into the goal (issue 16).
        for before, sentence, after in zip(sentences, sentences[1:], sentences[2:], strict=False):
            if (
                before in practical
                and sentence not in practical
                and after not in practical
                and len(sentence.split()) <= QUESTION_DETAIL_WORDS
            ):
                practical.insert(practical.index(before) + 1, sentence)
        # A question's second half, a question without its "?" ("...every week? and will it
        # be recorded"): it goes with the first, never into the goal (fac 36).
        for before, sentence in itertools.pairwise(sentences):
            if before in practical and sentence not in practical and _practical(ctx, sentence):
                practical.insert(practical.index(before) + 1, sentence)
        return " ".join(practical), " ".join(s for s in sentences if s not in practical), False
    puzzled = bool(sentences) and all(
        s.endswith(("?", "？")) and _asks_something(ctx, s) for s in sentences
    )
    return "", text, puzzled


# Translators: what someone says who joined the wrong circle by mistake ("oops, wrong
# circle"), comma-separated phrases. Keep the English ones.
WRONG_CIRCLE = N_(
    "wrong circle, wrong group, wrong one, by mistake, not this circle, not this one, joined "
    "the wrong"
)
MOST_WRONG_CIRCLE_WORDS = 10
WRONG_CIRCLE_WAY_OUT = N_(
    "No problem. To leave %(circle)s, send /leave; /find shows the other open circles. If you "
    "stay, what do you hope to get out of it?"
)


# Translators: what a returning learner says to keep the goal of her last circle ("same as
# before"), comma-separated phrases; as SMS spells them too. Keep the English ones.
# Translators: what people answer to "What do you hope to get out of the circle?" when they
# have no goal yet ("je sais pas trop, on verra", "ved ikke helt"); comma-separated phrases,
# matched at the start of a short answer. Not a plain "I don't know" ("I don't know Excel at
# all" is a goal).
NO_GOAL_YET = N_(
    "don't really know, dont really know, not really sure, not sure yet, no idea yet, "
    "no idea really, dunno, we'll see, well see, i don't know yet, i dont know yet, "
    "i don't know really, not sure really"
)
# A longer answer starting so may still hold a goal.
MOST_NO_GOAL_WORDS = 10
NO_GOAL_YET_THANKS = N_(
    "That's fine, you don't need one yet. If a goal comes to you, send /goal and I'll remind "
    "you of it near the end."
)


def no_goal_yet(ctx: Context, text: str) -> bool:
    """Whether a short answer to the goal question starts by saying there is none yet."""
    if len(text.split()) > MOST_NO_GOAL_WORDS:
        return False
    typed = keywords.plain(text)
    return any(typed.startswith(phrase) for phrase in keywords.phrases(ctx.catalogs, NO_GOAL_YET))


# Translators: how an answer to "What do you hope to get out of the circle?" starts that only
# states a circumstance ("I don't have a smartphone"; "no tengo", "sina"), comma-separated
# phrases. Keep the English ones.
CIRCUMSTANCE = N_("I don't have, I dont have, I do not have, I haven't got, I have no")
# A longer answer starting so may hold an aim too ("I have no computer, so I want to...").
MOST_CIRCUMSTANCE_WORDS = 8
# "I have no idea", "no tengo ni idea": no goal yet, not news for the facilitators.
_NO_IDEA = frozenset({"idea", "clue", "idee", "ahnung", "anelse", "wazo"})


def states_a_circumstance(ctx: Context, text: str) -> bool:
    """Whether a short answer to the goal question only states a circumstance (CIRCUMSTANCE):
    one sentence, no aim in it."""
    said = [word for word in map(keywords.plain, re.findall(r"[\w'’]+", text)) if word]
    if not said or len(said) > MOST_CIRCUMSTANCE_WORDS or len(_SENTENCE.findall(text)) > 1:
        return False
    if _NO_IDEA & set(said) or no_goal_yet(ctx, text):
        return False
    typed = "".join(said)
    return any(typed.startswith(phrase) for phrase in keywords.phrases(ctx.catalogs, CIRCUMSTANCE))


SAME_GOAL = N_("same as before, same as last time, same goal, same again, like before")
# A longer answer saying "same" is a goal of its own ("do the same as my daughter does").
MOST_SAME_GOAL_WORDS = 6


async def _previous_goal(ctx: Context, circle_id: int) -> str | None:
    """The goal the learner gave in her latest other circle, if any."""
    found = await ctx.session.exec(
        select(Reflection.text)
        .where(
            Reflection.person_id == ctx.person_id,
            Reflection.circle_id != circle_id,
            Reflection.kind == QuestionKind.GOAL,
            Reflection.prompt_key == goal_prompts.GOAL_KEY,
        )
        .order_by(col(Reflection.updated_at).desc())
        .limit(1)
    )
    return found.first()


def _asked_in(text: str) -> str:
    """The sentences of `text` that ask something (end with "?"), joined; "" when none do."""
    found = [s.strip() for s in _SENTENCE.findall(text) if s.strip().endswith(("?", "？"))]
    return " ".join(found)


def _without(text: str, asked: str) -> str:
    """`text` without the sentences that ask something (_asked_in)."""
    if not asked:
        return text
    kept = [s.strip() for s in _SENTENCE.findall(text) if not s.strip().endswith(("?", "？"))]
    return " ".join(s for s in kept if s)


async def _answer_share(ctx: Context, question: Question, text: str) -> None:
    said = _share_answer(ctx.tr, text)
    circle = await ctx.session.get(Circle, question.circle_id)
    if said is None:
        ctx.reply(await _share_question(ctx, circle), choices=share_choices(ctx.tr))
        return
    membership = await circles.membership_of(ctx.session, question.circle_id, ctx.person_id)
    if membership is not None and membership.shares_answers and circle is not None:
        # Asked because a co-facilitator was added: her yes covers the new one too, her no
        # leaves it with those she said yes to (A6).
        await questions.close(ctx.session, question)
        await _answer_newcomer_sharing(ctx, circle, membership, said)
        return
    if membership is not None:
        if said and not membership.shares_answers:
            membership.shares_since = ctx.now  # anything written before, while private, stays
            membership.consent_at = ctx.now
        membership.shares_answers = said
        ctx.session.add(membership)
    await questions.close(ctx.session, question)
    change = ctx.tr._("You can change this any time with /sharing.")
    names = await _facilitator_names(ctx, circle) if circle is not None else []
    if said:
        shares = (
            _shares_named(ctx.tr, names)
            if names
            else ctx.tr._("Thanks! Your facilitator will see what you write in check-ins.")
        )
        ctx.reply(shares + " " + change)
    else:
        ctx.reply(ctx.tr._("Fine: your written answers stay between you and me.") + " " + change)
    await _release_held(ctx, question.circle_id, said)


async def _answer_newcomer_sharing(
    ctx: Context, circle: Circle, membership: Membership, said: bool
) -> None:
    """A sharing learner's yes or no to a co-facilitator added since she said yes."""
    assert circle.id is not None
    roster = await members.roster(ctx.session, circle.id)
    agreed = membership.consent_at or membership.shares_since or membership.joined_at
    leads = [e for e in roster if e.membership.role in circles.FACILITATING]
    new = [e.person.display_name for e in leads if e.membership.leads_from() > agreed]
    kept = [e.person.display_name for e in leads if e.membership.leads_from() <= agreed]
    change = ctx.tr._("You can change this any time with /sharing.")
    if said:
        membership.consent_at = ctx.now
        ctx.session.add(membership)
        ctx.reply(_shares_named(ctx.tr, [e.person.display_name for e in leads]) + " " + change)
        return
    ctx.reply(
        ctx.tr._(
            "Fine: %(new)s won't see what you write in check-ins; %(kept)s still will.",
            new=format_list(new or ["-"], locale=ctx.tr.locale),
            kept=format_list(kept or ["-"], locale=ctx.tr.locale),
        )
        + " "
        + change
    )


# -- /sharing ------------------------------------------------------------------------------------

SHARING = {"on": N_("on"), "off": N_("off")}


async def sharing(ctx: Context, args: Args) -> None:
    """/sharing shows whether the facilitator may read the person's written answers in this
    circle, with the Yes and No that change it (_sharing_choices); /sharing on and /sharing off
    change it too (the welcome says they can, any time)."""
    tr = ctx.tr
    circle, membership = ctx.require_circle()
    typed = args.get("switch")
    name = await circles.name_for(ctx.session, tr, ctx.person_id, circle)
    if membership.role in circles.FACILITATING and circle.id is not None:
        # Nothing of hers to share: how many learners share with her (G4, A40).
        learners = [
            entry.membership
            for entry in await members.roster(ctx.session, circle.id)
            if entry.membership.role == Role.LEARNER
        ]
        ctx.reply(
            tr.ngettext(
                "You help run %(circle)s, so there's nothing of yours to share. Each learner "
                "chooses whether you read their written check-ins: %(n)d of %(total)d does.",
                "You help run %(circle)s, so there's nothing of yours to share. Each learner "
                "chooses whether you read their written check-ins: %(n)d of %(total)d do.",
                sum(m.shares_answers for m in learners),
                circle=name,
                total=len(learners),
            )
        )
        return
    leads = await _named_facilitators(ctx, circle)
    if typed is None and leads:
        said = SHARING_ON_NAMED if membership.shares_answers else SHARING_OFF_NAMED
        # Sharing on: only those she said yes to read it (a co-facilitator added since waits).
        readers = await _readers(ctx, circle, membership)
        if membership.shares_answers and readers:
            leads = format_list(readers, locale=tr.locale)
        ctx.reply(tr._(said, names=leads, circle=name), choices=_sharing_choices(tr, circle))
        return
    if typed is None:
        if membership.shares_answers:
            ctx.reply(
                tr._(
                    "Your facilitator can read what you write in check-ins for %(circle)s. "
                    "To keep your answers private, send /sharing off.",
                    circle=name,
                ),
                choices=_sharing_choices(tr, circle),
            )
        else:
            ctx.reply(
                tr._(
                    "What you write in check-ins for %(circle)s stays between you and me (your "
                    "1-5 ratings are shared). To let your facilitator read it, send /sharing on.",
                    circle=name,
                ),
                choices=_sharing_choices(tr, circle),
            )
        return
    action = _sharing_action(tr, str(typed))
    if action is None:
        command = "/" + keywords.local_name(tr, "sharing")
        raise UserError(
            N_("Please send %(on)s or %(off)s."),
            on=command + " " + tr._(SHARING["on"]),
            off=command + " " + tr._(SHARING["off"]),
        )
    was_sharing = membership.shares_answers
    if action == "on" and not membership.shares_answers:
        membership.shares_since = ctx.now  # from now on: what was written before stays private
    if action == "on":
        membership.consent_at = ctx.now  # to everyone who runs it now
    membership.shares_answers = action == "on"
    conversations.offer(ctx.conversation, [])  # the question's Yes and No are answered
    ctx.session.add(membership)
    # The question at joining is answered now.
    waiting = await ctx.session.exec(
        select(Question).where(
            Question.person_id == ctx.person_id,
            Question.circle_id == circle.id,
            Question.kind == QuestionKind.SHARE,
        )
    )
    answered = waiting.all()
    for question in answered:
        await questions.close(ctx.session, question)
    if membership.shares_answers and leads:
        ctx.reply(tr._(SHARING_DONE_NAMED, names=leads, circle=name))
    elif membership.shares_answers:
        ctx.reply(
            tr._(
                "Done: your facilitator can read what you write in check-ins for %(circle)s "
                "from now on. Send /sharing off to keep it private again.",
                circle=name,
            )
        )
    elif was_sharing:
        # What she had shared is hidden too (digest, export): said so, not "from now on" (D15).
        ctx.reply(
            tr._(
                "Done: what you write in check-ins for %(circle)s stays between you and me, and "
                "so does what you had already shared. Send /sharing on to share what you write "
                "next.",
                circle=name,
            )
        )
    else:
        ctx.reply(
            tr._(
                "Done: what you write in check-ins for %(circle)s stays between you and me from "
                "now on. Send /sharing on to share it again.",
                circle=name,
            )
        )
    if answered and circle.id is not None:
        await _release_held(ctx, circle.id, membership.shares_answers)


def _sharing_choices(tr: Translator, circle: Circle) -> list[Choice]:
    """The joining question's Yes and No under /sharing alone, so nobody has to guess the word
    to retype it with: picked (by number, label or a yes or no), they send /sharing yes or no.
    Their own payloads: the question's "yes" and "no" answer only a sharing question waiting.
    Aimed at `circle` ("#12 /sharing no"): the answer, and any words passed on with it, are
    about the circle asked about, never the default or another one."""
    return [
        Choice(choice.label, f"#{circle.id} /sharing {choice.payload}")
        for choice in share_choices(tr)
    ]


def _sharing_action(tr: Translator, typed: str) -> str | None:
    """The on or off /sharing's word gives: the word itself in English or the reader's
    language, or a yes or no ("/partage non"), which people answer a question with."""
    action = keywords.action(tr, typed, SHARING)
    if action is None:
        said = yes_or_no(tr, typed)
        action = None if said is None else ("on" if said else "off")
    return action


# -- answering whatever is waiting --------------------------------------------------------------


# Commands that end something (leaving the circle): a message naming one while a question waits
# runs nothing and is not kept either; the learner is asked to send it with its slash (which
# asks again before acting).
CONFIRM_FIRST = frozenset({"leave"})


# Commands whose name alone is something people just say: "Thanks!" ("Asante!", "Merci !") is
# a thank-you to whoever wrote, an answer or words passed on, not /thanks (a list of letters).
SAID_ALONE = frozenset({"thanks"})


def _command_word(ctx: Context, text: str) -> str | None:
    """The command a whole message names, as plain SMS reads one: a keyword ("JOIN AB12CD",
    "NEXT", "HELP") or one word naming a command that needs nothing more ("NEWCIRCLE",
    "portfolio"). None for anything else, and for yes and no, which answer questions."""
    match = keywords.read(ctx.reader, text)
    if match is not None:
        return {
            Keyword.JOIN: "/join " + match.argument if match.argument else None,
            Keyword.NEXT: "/next",
            Keyword.HELP: "/help",
            Keyword.HERE: "/here",
        }.get(match.keyword)
    if " " in text.strip():
        return None
    command = ctx.registry.get(keywords.plain(text))
    if command is None or any(arg.required for arg in command.args) or command.name in SAID_ALONE:
        return None
    return "/" + command.name


async def command_instead(ctx: Context, text: str) -> str | None:
    """While a question waits, the command a message names (see _command_word), to run instead
    of keeping the word as an answer; the question keeps waiting. None when no question waits,
    or for a command in CONFIRM_FIRST (answer_waiting asks about that one)."""
    command = _command_word(ctx, text)
    if command is None or command[1:].split()[0] in CONFIRM_FIRST:
        return None
    if await questions.waiting(ctx.session, ctx.person_id, ctx.now) is None:
        return None
    return command


QUESTION_CAN_WAIT = N_(
    "OK! My question can wait: write your answer whenever you like, or send /skip."
)


def _acknowledges(ctx: Context, question: Question, text: str) -> bool:
    """Whether `text`, while a question waiting for words waits, is only a word that agrees
    ("ok", "poa", "sawa": keywords.AGREE), in English or any shipped language: an
    acknowledgement (of a notice, say), never a written answer."""
    return _only_a_word_of(ctx, question, text, keywords.AGREE)


GREETED_QUESTION_CAN_WAIT = N_(
    "Hi %(name)s! My question can wait: write your answer whenever you like, or send /skip."
)
# The same to someone with no name of their own yet (erasure.nameless): never "Hi Circle
# member!", nor her phone number.
GREETED_UNNAMED_QUESTION_CAN_WAIT = N_(
    "Hi! My question can wait: write your answer whenever you like, or send /skip."
)


def _greets(ctx: Context, question: Question, text: str) -> bool:
    """Whether `text`, while a question waiting for words waits, is only a greeting ("HOLA",
    "habari", "hi!"), in English or any shipped language: never a written answer (C48)."""
    return _only_a_word_of(ctx, question, text, keywords.GREETINGS)


def _only_a_word_of(ctx: Context, question: Question, text: str, listing: str) -> bool:
    """Whether `text` is only one of `listing`'s words, in any shipped language, while a
    question waiting for written words (not a name, not a reply) waits."""
    if question.kind not in questions.WRITTEN_ANSWERS or question.kind == QuestionKind.REPLY:
        return False
    if _asks_the_name(question):
        return False
    typed = keywords.plain(text)
    return bool(typed) and typed in keywords.phrases(ctx.catalogs, listing)


# Translators: what people text, alone, to skip a question ("skip", "pass"), comma-separated;
# your language's everyday words, as anyone writes them ("spring over", "acha"). Keep the
# English ones.
SKIP_WORDS = N_("skip, skip it, pass")


def skips(ctx: Context, text: str) -> bool:
    """Whether the whole message skips the question waiting: a skip word (SKIP_WORDS) or the
    name of /skip, in English or any shipped language, however spaced ("spring over" for
    SPRINGOVER): never kept as the answer."""
    typed = keywords.plain(text)
    said = keywords.phrases(
        ctx.catalogs, keywords.COMMAND_NAMES.get("skip", "skip"), SKIP_WORDS, "skip"
    )
    return bool(typed) and typed in said


async def answer_waiting(ctx: Context, text: str, offered: Sequence[str] = ()) -> bool:
    """Treat free text as the answer to the question waiting. False when none is (a number
    soon after a rating question lapsed still answers it: _late_rating). While other choices
    are `offered` (a reminder's Yes and No, by payload), a rating question asked before them
    takes only its number: "4" on the morning of the meeting is the week's rating (C26), words
    are about the choices."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None:
        return not ctx.inbound.is_group and await _late_rating(ctx, text)
    if not _a_rating(ctx, text) and await _behind_choices(ctx, question, list(offered)):
        return False
    if skips(ctx, text):
        await _skip(ctx, question)
        return True
    command = _command_word(ctx, text)
    if command is not None:  # never an answer (the router runs the others: command_instead)
        ctx.reply(
            ctx.tr._(
                "%(word)s is also a command, so I didn't keep it as your answer. To run it, "
                "send %(command)s. Or write your answer, or send /skip.",
                word=text.strip(),
                command=command,
            )
        )
        return True
    kind = QuestionKind(question.kind)
    if kind is QuestionKind.REPLY and await _noticed_since(ctx, question):
        return False  # words after another circle's newer notice are about that circle
    if kind in questions.WRITTEN_ANSWERS and NUMBER_ALONE.fullmatch(text.strip(" .!")):
        # A number on its own is never words to keep or pass on: it is another circle's
        # rating still open ("3" then "5" to two check-ins), else a choice, a change to the
        # rating just given (rate_again), or nothing.
        rating = await _other_rating(ctx, question)
        if rating is None and _replies_to_a_facilitator(question):
            # "3" after the facilitator's answer to her message: the week's rating the bot
            # asked for and still waits for, in that same circle too (A10).
            rating = _in_turn(await _open_ratings(ctx))
        if rating is None:
            return False
        question, kind = rating, QuestionKind.RATING
    elif kind is QuestionKind.RATING:
        question = await _rating_in_turn(ctx, question)  # one morning's two: the first first
    elif (
        kind is QuestionKind.REPLY
        and question.prompt_key == course_survey.WORDS_PROMPT
        and checkins.rating_in_words(text, ctx.reader) is not None
        and (rating := _in_turn(await _open_ratings(ctx))) is not None
    ):
        # The last meeting's check-in and the course survey, both open (B11): a sentence
        # with its number rates the meeting ("it was lovely, I'd give it a 4"); a number
        # alone is the survey's.
        question, kind = rating, QuestionKind.RATING
    if _acknowledges(ctx, question, text):
        # "poa" to a notice, "ok": not what they learned this week, nor their goal.
        ctx.reply(ctx.tr._(QUESTION_CAN_WAIT))
        return True
    if _greets(ctx, question, text):
        # "HOLA" is how a message starts, not a check-in's answer (C48): greeted back.
        name = ctx.person.display_name
        if nameless(name, ctx.catalogs):
            ctx.reply(ctx.tr._(GREETED_UNNAMED_QUESTION_CAN_WAIT))
        else:
            ctx.reply(ctx.tr._(GREETED_QUESTION_CAN_WAIT, name=name))
        return True
    if kind is QuestionKind.SHARE and _no_share_answer(ctx, question, text):
        return False  # for the facilitator, say: the question keeps waiting
    if kind in (QuestionKind.RATING, QuestionKind.CHECKIN) and await leaving.asked_in_words(
        ctx, question.circle_id, text
    ):
        return True  # "please take me off the group": asked to leave, not the week's words
    if (
        kind is QuestionKind.RATING
        and questions.a_sentence(text)
        and checkins.parse_rating(text, ctx.reader) is None
        and checkins.rating_in_words(text, ctx.reader) is None
        and checkins.trailing_rating(text, ctx.reader) is None
        and (written := await _written_open(ctx)) is not None
    ):
        # A sentence is no rating: it answers the question in words still open from before
        # (the goal review: "YA MANDO FOTOS A MI HIJA", C34), not "send a number from 1 to 5".
        question, kind = written, QuestionKind(written.kind)
    if kind is QuestionKind.RATING and checkins.parse_rating(text, ctx.reader) is None:
        if _says_absent(ctx, text):  # "sikuja", "je n'étais pas là": no rating to give
            await _answer_missed(ctx, question)
            return True
        if _declines(ctx, text):  # "nej tak", "no thanks": this week's is skipped, kindly
            await _decline_rating(ctx, question)
            return True
        trailing = checkins.trailing_rating(text, ctx.reader)
        if trailing is not None:  # "I ALREADY SAID GOOD" (C5): the rating, no words to keep
            await _rated_in_words(ctx, question, trailing, str(trailing))
            return True
        in_words = checkins.rating_in_words(text, ctx.reader)
        if in_words is not None:  # "creo que le pongo un 4 porque...", "war ganz ok, aber..."
            await _rated_in_words(ctx, question, in_words, text)
            return True
        if questions.a_sentence(text) and await _kept_unrated(ctx, question, text):
            return True  # "lost my job last week...": the check-in's words, not a message
    if (
        kind is QuestionKind.RATING
        and checkins.parse_rating(text, ctx.reader) is None
        and (
            questions.a_sentence(text)
            # Asked again once already: words now are a message ("hello", "uko?", "asante").
            or (questions.asked_again(question) and not _tries_a_number(text))
        )
    ):
        return False  # a message, not a rating: it goes on, and the rating still waits
    circle = await ctx.session.get(Circle, question.circle_id)
    assert circle is not None
    if kind is QuestionKind.GOAL and (code := _language_asked(ctx, text)) is not None:
        _speak(ctx, code, _asks_the_name(question), circle)  # "English please", "Kiingereza"
        return True
    if _asks_the_name(question):
        await _answer_name(ctx, question, circle, text)
    elif kind is QuestionKind.RATING:
        await _rate(ctx, question, circle, text)
    elif kind is QuestionKind.CHECKIN:
        if await circle_addressed(ctx, text, question.circle_id) is not None:
            return False  # "DON PEDRO, el lunes no voy": a message to him, never filed (C49)
        if await rate_again(ctx, text):
            return True  # "non plutot 3" after the rating: a new one, not the week's words
        await _answer_checkin(ctx, question, text)
    elif kind is QuestionKind.SHARE:
        await _answer_share(ctx, question, text)
    elif kind is QuestionKind.REPLY:
        left = await circles.left_lately(ctx.session, ctx.person_id, ctx.now)
        if left is not None and left[1].id == question.circle_id:
            # "nataka kurudi" to her facilitator's goodbye: the way back too (lang 11).
            ctx.reply(circles.came_back(ctx.tr, *left))
        await announcements.pass_on_reply(ctx, question, text)
    else:
        await _answer_writing(ctx, question, circle, text)
    return True


NUMBER_ALONE = re.compile(r"\d{1,9}")
# Questions a sentence answers even when a rating was asked after them (C34).
_ANSWERED_IN_A_SENTENCE = (QuestionKind.GOAL_REVIEW, QuestionKind.REFLECTION)


async def _written_open(ctx: Context) -> Question | None:
    """The newest goal review or reflection still waiting for the person's words."""
    found = await ctx.session.exec(
        select(Question)
        .where(
            Question.person_id == ctx.person_id,
            col(Question.kind).in_(_ANSWERED_IN_A_SENTENCE),
            (col(Question.expires_at).is_(None)) | (col(Question.expires_at) > ctx.now),
        )
        .order_by(col(Question.asked_at).desc(), col(Question.id).desc())
    )
    return found.first()


async def _behind_choices(ctx: Context, question: Question, offered: list[str]) -> bool:
    """Whether `question` is a rating kept open behind other choices offered since (a
    reminder's Yes / No: lapse_older_questions keeps it until its week ends)."""
    if not offered or question.kind != QuestionKind.RATING or _owns(question, offered):
        return False
    offered_at = await _offered_at(ctx, offered)
    return offered_at is not None and offered_at > question.asked_at


def _a_rating(ctx: Context, text: str) -> bool:
    """Whether `text` is a rating on its own ("4", "5.", "good", "tano")."""
    return checkins.parse_rating(text.strip(" .!"), ctx.reader) is not None


# A rating read from words ("creo que le pongo un 4 porque...", "vizuri asante", "ngumu kidogo,
# ..."): said back, with the way to change it, so a guess is never silent (B6).
RATING_READ_CHANGE = N_(
    "I noted %(rating)d out of 5 for this week: send another number to change it."
)


async def check_in_rated(ctx: Context, picked: str | None) -> int | None:
    """The rating a choice picked from words gives, when it answers a check-in's rating
    question (not the survey's 1-5): to say it back (say_rating_read)."""
    if picked is None or not picked.split() or not picked.split()[-1].isdecimal():
        return None
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None or question.kind != QuestionKind.RATING:
        return None
    return int(picked.split()[-1])


async def say_rating_read(ctx: Context, at: int, rating: int) -> None:
    """The reply at `at` starts by saying the rating read from words, and how to change it:
    that invitation stands until the week's check-in closes (_note_rating_read)."""
    if len(ctx.replies) <= at:
        return
    reply = ctx.replies[at]
    read = ctx.tr._(RATING_READ_CHANGE, rating=rating)
    ctx.replies[at] = replace(reply, text=read + " " + reply.text)
    await _note_rating_read(ctx, rating)


# Where a conversation notes the rating just read from words (say_rating_read): its meeting,
# and until when "send another number to change it" stands.
RATING_READ = "rating-read"


async def _note_rating_read(ctx: Context, rating: int) -> None:
    """The check-in just rated `rating` in this message, noted for rate_again: its rating may be
    changed by a number, or a correction ("non plutot 3"), until the next meeting starts, as
    a rating question asked now would lapse (questions.lapse_time), even once nothing waits."""
    if ctx.conversation.flow:
        return
    rated = (
        await ctx.session.exec(
            select(CheckIn).where(
                CheckIn.person_id == ctx.person_id,
                CheckIn.rating == rating,
                CheckIn.updated_at == ctx.now,
            )
        )
    ).first()
    if rated is None:
        return
    until = await questions.lapse_time(ctx.session, rated.circle_id, ctx.now)
    noted = {"meeting": rated.meeting_id, "until": until.isoformat()}
    ctx.conversation.data = {**ctx.conversation.data, RATING_READ: noted}


async def _meeting_rated_from_words(ctx: Context) -> Meeting | None:
    """The meeting whose rating was read from words lately (_note_rating_read), while the
    invitation to change it stands."""
    noted = ctx.conversation.data.get(RATING_READ)
    if not isinstance(noted, dict) or ctx.conversation.flow:
        return None
    if datetime.fromisoformat(str(noted.get("until"))) <= ctx.now:
        return None
    meeting_id = noted.get("meeting")
    return await ctx.session.get(Meeting, meeting_id) if isinstance(meeting_id, int) else None


# Words at the rating question that give no rating: kept as the check-in's words, the number
# still asked for.
RATING_WORDS_KEPT = N_("Thanks, I kept that with your check-in.")
RATING_STILL_ASKED = N_("To rate your week, send a number from 1 to 5.")
# Translators: what a learner writes, in a sentence, to say she is about to drop out of the
# circle ("im prob gonna drop", "creo que ya no voy a seguir"); comma-separated phrases, matched
# case, accents and spaces aside. Not single short words that hide in others ("quit" in "quite").
QUITTING = N_(
    "gonna drop, going to drop, drop out, dropping out, i quit, gonna quit, going to quit, "
    "quitting, give up, giving up, won't continue, wont continue, not going to continue, "
    "can't continue, cant continue, stop coming, not coming anymore, leave the circle, "
    "leaving the circle"
)
# Words saying she may drop out, at a check-in: her facilitators are offered the words (one
# key, as any private words), with the ways to step back that keep her choice (A4, C6).
QUITTING_OFFER = N_(
    "Sorry it's hard right now. Shall I tell %(names)s? You can also pause these questions "
    "with /checkin off, or leave the circle with /leave."
)


def quitting(ctx: Context, text: str) -> bool:
    """Whether `text` says its writer is about to drop out (QUITTING, any shipped language)."""
    return says_one_of(ctx, text, QUITTING)


async def _offer_when_quitting(ctx: Context, circle: Circle, text: str, said: str) -> bool:
    """`said` (the thanks for words kept) with the offer to tell the facilitators, when `text`
    says she may drop out and there is someone to tell: True when so answered."""
    if not quitting(ctx, text):
        return False
    meant = await _meant_for(ctx, circle, text)
    if not meant:
        return False
    names = format_list(list(meant.values()), locale=ctx.tr.locale)
    ctx.reply(
        said + " " + ctx.tr._(QUITTING_OFFER, names=names),
        choices=offer_to_pass_on(ctx, circle, text, list(meant)),
    )
    return True


# Words this long after the check-in was asked are about something else ("Sorry, I'm working
# late on Thursday"): from a learner who shares, a message. A private learner's stay private.
CHECKIN_WORDS_FRESH = timedelta(days=3)


async def _rated_in_words(ctx: Context, question: Question, rating: int, text: str) -> None:
    """A rating found in a longer answer (checkins.rating_in_words): the rating, and the
    whole answer kept as the check-in's words, private or shared as the learner chose (never
    passed on against a private choice), in place of asking the open question."""
    circle = await ctx.session.get_one(Circle, question.circle_id)
    besides = [word for word in text.split() if not any(ch.isdigit() for ch in word)]
    if len(besides) <= 1:  # "nadhani 4": the rating, and its open question still to ask
        before = len(ctx.replies)
        await _rate(ctx, question, circle, str(rating))
        await say_rating_read(ctx, before, rating)
        return
    meeting = await _question_meeting(ctx, question)
    await checkins.record_rating(ctx.session, meeting, ctx.person_id, rating, ctx.now)
    await questions.close(ctx.session, question)
    await _ask_about_week(ctx, circle, meeting, await _missed(ctx, meeting))
    written = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    assert written is not None and written.kind == QuestionKind.CHECKIN  # just asked
    before = len(ctx.replies)
    await _answer_checkin(ctx, written, await _with_earlier_words(ctx, meeting, text), False)
    await say_rating_read(ctx, before, rating)


async def _with_earlier_words(ctx: Context, meeting: Meeting, text: str) -> str:
    """`text` after the words kept with this check-in before its rating (_kept_unrated)."""
    assert meeting.id is not None
    earlier = await checkins.of(ctx.session, meeting.id, ctx.person_id)
    if earlier is None or not earlier.answer or earlier.prompt_key is not None:
        return text
    return earlier.answer + "\n" + text


async def _kept_unrated(ctx: Context, question: Question, text: str) -> bool:
    """Words at the rating question that give no rating ("lost my job last week so its been
    rough..."): the answer to the check-in, kept with it (private or shared as the learner
    chose), and the number asked for again. False for a learner who shares and asks her
    facilitators something or names one ("Amina, is it the same room?"), or writes days
    after the check-in (CHECKIN_WORDS_FRESH): that is a message, and goes on as one."""
    circle = await ctx.session.get_one(Circle, question.circle_id)
    membership = await circles.membership_of(ctx.session, question.circle_id, ctx.person_id)
    shares = membership is not None and membership.shares_answers
    leads = await _facilitators(ctx, circle)
    asks = text.rstrip().endswith(("?", "？"))
    stale = question.asked_at < ctx.now - CHECKIN_WORDS_FRESH
    if shares and leads and (asks or _names_one(text, leads) or stale):
        return False
    meeting = await _question_meeting(ctx, question)
    words = await _with_earlier_words(ctx, meeting, text)
    clipped = await checkins.record_answer(
        ctx.session, meeting, ctx.person_id, None, words, ctx.now
    )
    readers = await _readers(ctx, circle, membership)
    if shares and readers:
        names = format_list(readers, locale=ctx.tr.locale)
        where = ctx.tr.ngettext(
            "%(names)s will see it.", "%(names)s will see it.", len(readers), names=names
        )
    else:
        where = ctx.tr._("It stays between you and me.")
    kept = ctx.tr._(RATING_WORDS_KEPT) + " " + where + _stored(ctx, clipped)
    if await _offer_when_quitting(ctx, circle, text, kept):
        return True  # "im prob gonna drop": not asked for a 1-5 now
    meant = await _meant_for(ctx, circle, text) if not shares else {}
    if meant and (asks or _names_one(text, leads)):
        # A private learner's question: hers to pass on with one key, as _answer_checkin
        # offers it; the number is asked for after.
        names = format_list(list(meant.values()), locale=ctx.tr.locale)
        offer = ctx.tr._("Is it a question for %(names)s?", names=names)
        ctx.reply(kept + " " + offer, choices=offer_to_pass_on(ctx, circle, text, list(meant)))
        return True
    ctx.reply(kept + " " + ctx.tr._(RATING_STILL_ASKED))
    return True


async def _noticed_since(ctx: Context, question: Question) -> bool:
    """Whether a notice about another circle (a cancellation, a reminder) reached this chat
    after `question` was asked: the learner's words are about that one now."""
    notice = await questions.newest_notice(
        ctx.session, ctx.inbound.platform, ctx.inbound.chat_id, ctx.now
    )
    return notice is not None and notice[0] != question.circle_id and notice[1] > question.asked_at


async def _open_elsewhere(
    ctx: Context, question: Question, kind: QuestionKind | None = None
) -> bool:
    """Whether a question (of `kind`) of another circle than `question`'s still waits for the
    person."""
    query = select(Question.id).where(
        Question.person_id == ctx.person_id,
        Question.circle_id != question.circle_id,
        (col(Question.expires_at).is_(None)) | (col(Question.expires_at) > ctx.now),
    )
    if kind is not None:
        query = query.where(Question.kind == kind)
    return (await ctx.session.exec(query)).first() is not None


def _replies_to_a_facilitator(question: Question) -> bool:
    """Whether `question` waits for words to the facilitators (an announcement's or a
    facilitator's answer's "Reply here"): never for a number."""
    return question.kind == QuestionKind.REPLY and question.prompt_key in (
        announcements.REPLY_PROMPT,
        announcements.REPLIED_PROMPT,
    )


async def _other_rating(ctx: Context, newest: Question) -> Question | None:
    """The rating question still open in another circle than `newest`'s that a number
    answers next (_in_turn)."""
    return _in_turn(await _open_ratings(ctx, newest.circle_id))


# Rating questions asked within this of each other came together (one morning's check-ins of
# two circles): numbers answer them in the order they came ("4" then "5", or "4 5"), as they
# are read. Asked further apart, a number answers the newest (the one just read).
RATINGS_ASKED_TOGETHER = timedelta(hours=6)


async def rating_open(ctx: Context) -> bool:
    """Whether a week's rating question still waits for the person, newest or not."""
    return bool(await _open_ratings(ctx))


async def _open_ratings(ctx: Context, other_than: int | None = None) -> list[Question]:
    """The person's rating questions still open (in another circle than `other_than`), in the
    order they were asked."""
    query = select(Question).where(
        Question.person_id == ctx.person_id,
        Question.kind == QuestionKind.RATING,
        (col(Question.expires_at).is_(None)) | (col(Question.expires_at) > ctx.now),
    )
    if other_than is not None:
        query = query.where(Question.circle_id != other_than)
    found = await ctx.session.exec(query.order_by(col(Question.asked_at), col(Question.id)))
    return list(found.all())


def _in_turn(ratings: list[Question]) -> Question | None:
    """Of `ratings` (in the order asked), the one a number answers: the first of those asked
    together with the newest."""
    if not ratings:
        return None
    newest = ratings[-1].asked_at
    return next(q for q in ratings if q.asked_at >= newest - RATINGS_ASKED_TOGETHER)


async def _rating_in_turn(ctx: Context, waiting: Question) -> Question:
    """The rating question a reply answers when `waiting`, the newest, is one: the first of
    those asked together with it (two circles' check-ins one morning)."""
    return _in_turn(await _open_ratings(ctx)) or waiting


async def _rate(ctx: Context, question: Question, circle: Circle, text: str) -> None:
    """The rating answered. When a question of another circle waits too (two check-ins one
    morning), or the person is in several circles at all (mix 8: the second of two answers
    came unlabelled once the first circle's questions were done), the thanks says which
    circle and meeting this number went to, and so which privacy choice her words keep."""
    before = len(ctx.replies)
    await _answer_rating(ctx, question, circle, text)
    several = len(await circles.active_memberships(ctx.session, ctx.person_id)) > 1
    if before < len(ctx.replies) and (several or await _open_elsewhere(ctx, question)):
        meeting = await ctx.session.get(Meeting, question.meeting_id)
        name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
        reply = ctx.replies[before]
        said = (
            ctx.tr._(RATED_MEETING_OF, circle=name, number=meeting.number, reply=reply.text)
            if meeting is not None
            else ctx.tr._("%(circle)s: %(reply)s", circle=name, reply=reply.text)
        )
        ctx.replies[before] = replace(reply, text=said)


# The thanks for a rating, when another circle's question waits too: which one it went to.
RATED_MEETING_OF = N_("%(circle)s, meeting %(number)d: %(reply)s")
# A second rating for a meeting already rated, while its check-in question waits.
RATING_CHANGED = N_(
    "I changed your rating for meeting %(number)d of %(circle)s from %(before)d to %(after)d."
)
RATING_UNCHANGED = N_("%(circle)s, meeting %(number)d: you rated it %(rating)d of 5 already.")


# Translators: words said with a number to change a rating just given ("no, rather 3", "make
# it a 3"; "non plutôt 3", "eher 3", "bali 3"); comma-separated. Keep the English ones.
RATING_CORRECTION = N_(
    "rather, rather a, instead, make it, make it a, more like, more like a, I'd say, I would "
    "say, let's say, sorry"
)
# The most words of a phrase of RATING_CORRECTION or MIND_CHANGED ("je me suis trompé").
MAX_CORRECTION_WORDS = 4


def rating_corrected(ctx: Context, text: str) -> int | None:
    """The rating a correction gives ("non plutot 3", "no, 3", "eher 3", "hapana 3"): one
    number from 1 to 5, and words that only correct (a no, RATING_CORRECTION, MIND_CHANGED),
    in English or the reader's language. None for a number alone (rate_again reads it), and
    for words that say more ("non j'ai 3 enfants")."""
    said = _phrase_words(text)
    numbers = [at for at, word in enumerate(said) if word.isdecimal()]
    if len(numbers) != 1 or len(said) == 1:
        return None
    rating = checkins.parse_rating(said[numbers[0]], ctx.reader)
    no = keywords.words(ctx.reader, keywords.NO) | {keywords.plain(ctx.tr._("no"))}
    phrases = _phrases(RATING_CORRECTION, ctx.reader) + _phrases(MIND_CHANGED, ctx.reader)
    correcting = no | refusing(ctx.reader) | {"".join(phrase) for phrase in phrases}
    words = said[: numbers[0]] + said[numbers[0] + 1 :]
    return rating if _made_of(words, correcting, MAX_CORRECTION_WORDS) else None


async def rate_again(ctx: Context, text: str) -> bool:
    """A number alone, or a correction (rating_corrected: "non plutot 3"), while the check-in
    question after a rating waits, no other rating does and no choices were on offer for it
    (answer_waiting and the router read it first): a new rating for that meeting ("4", then
    "3"), said so, never "nothing is waiting" nor words to keep. The check-in question keeps
    waiting. So too with nothing waiting while a rating read from words may be changed
    (_meeting_rated_from_words). False when it is no rating ("7") or the meeting has none
    yet, and in a group chat (a rating is said privately)."""
    if ctx.inbound.is_group:
        return False
    alone = NUMBER_ALONE.fullmatch(text.strip(" .!"))
    rating = checkins.parse_rating(text, ctx.reader) if alone else rating_corrected(ctx, text)
    if rating is None:
        return False
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None:
        meeting = await _meeting_rated_from_words(ctx)
    elif question.kind == QuestionKind.CHECKIN and question.meeting_id is not None:
        meeting = await ctx.session.get(Meeting, question.meeting_id)
    else:
        return False
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return False
    given = (
        await ctx.session.exec(
            select(CheckIn.rating).where(
                CheckIn.meeting_id == meeting.id, CheckIn.person_id == ctx.person_id
            )
        )
    ).first()
    if given is None:
        return False
    circle = await ctx.session.get_one(Circle, meeting.circle_id)
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    if given == rating:
        ctx.reply(ctx.tr._(RATING_UNCHANGED, number=meeting.number, circle=name, rating=rating))
        return True
    await checkins.record_rating(ctx.session, meeting, ctx.person_id, rating, ctx.now)
    ctx.reply(
        ctx.tr._(RATING_CHANGED, number=meeting.number, circle=name, before=given, after=rating)
    )
    return True


# A rating question lapses when the next meeting starts; a number that comes this soon after
# (the nudge read in the morning, answered in the evening: lang 37) still answers it.
LATE_RATING_GRACE = timedelta(days=1)
LATE_RATING_TAKEN = N_("Thanks, got it! That's your rating for meeting %(number)d of %(circle)s.")


async def _late_rating(ctx: Context, text: str) -> bool:
    """A number alone with nothing waiting, soon after the person's latest rating question
    lapsed (LATE_RATING_GRACE) and its meeting still unrated: that meeting's rating, said
    so, never "nothing is waiting". The open question after it is not asked: its week is
    over."""
    rating = checkins.parse_rating(text, ctx.reader)
    if rating is None or not NUMBER_ALONE.fullmatch(text.strip(" .!")):
        return False
    found = await ctx.session.exec(
        select(Question)
        .where(
            Question.person_id == ctx.person_id,
            Question.kind == QuestionKind.RATING,
            col(Question.expires_at) <= ctx.now,
            col(Question.expires_at) > ctx.now - LATE_RATING_GRACE,
        )
        .order_by(col(Question.asked_at).desc(), col(Question.id).desc())
    )
    question = found.first()
    if question is None or question.meeting_id is None:
        return False
    meeting = await ctx.session.get(Meeting, question.meeting_id)
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return False
    given = await checkins.of(ctx.session, question.meeting_id, ctx.person_id)
    if given is not None and given.rating is not None:
        return False
    circle = await ctx.session.get_one(Circle, question.circle_id)
    await checkins.record_rating(ctx.session, meeting, ctx.person_id, rating, ctx.now)
    await questions.close(ctx.session, question)
    name = await circles.name_for(ctx.session, ctx.tr, ctx.person_id, circle)
    ctx.reply(ctx.tr._(LATE_RATING_TAKEN, number=meeting.number, circle=name))
    note_late_rating(ctx, text)  # words just after it are check-in words: offer_late_words
    return True


# A check-in answered later than this after it was sent is no news to tell anyone about (the
# last meeting's stays open two weeks at most).
CLOSED_CHECKIN_TOLD_FOR = timedelta(days=14)
# A rating said in words is short ("It was very nice, 5"); a longer text says more than that.
RATING_LIKE_MOST_WORDS = 8
CHECKIN_CLOSED = N_(
    "Thank you! That check-in has closed, so I couldn't keep this answer. It's good to hear "
    "from you."
)


async def rating_after_closed(ctx: Context, text: str) -> bool:
    """A rating-like answer ("4", "It was very nice, 5", "ilikuwa nzuri, nne") with nothing
    waiting, days after the person's latest check-in closed unanswered (lapsed, or the course
    survey took its place: sms 40): she is told, kindly, that it has closed; never "I didn't
    understand" nor "which circle?"."""
    if not _rating_like(ctx, text):
        return False
    sent = await ctx.session.exec(
        select(OutboxMessage.idempotency_key)
        .where(
            col(OutboxMessage.idempotency_key).like(
                f"{MessageKind.CHECKIN}|meeting:%|person:{ctx.person_id}|%"
            ),
            col(OutboxMessage.created_at) > ctx.now - CLOSED_CHECKIN_TOLD_FOR,
        )
        .order_by(col(OutboxMessage.created_at).desc(), col(OutboxMessage.id).desc())
    )
    key = sent.first()
    if key is None:
        return False
    meeting = await ctx.session.get(Meeting, int(key.split("|")[1].removeprefix("meeting:")))
    if meeting is None or meeting.id is None:
        return False
    membership = await circles.membership_of(ctx.session, meeting.circle_id, ctx.person_id)
    if membership is None or membership.checkins_paused:
        return False  # "/checkin off": the 1-5 offered before answers nothing now
    given = await checkins.of(ctx.session, meeting.id, ctx.person_id)
    if given is not None and given.rating is not None:
        return False
    ctx.reply(ctx.tr._(CHECKIN_CLOSED))
    return True


def _rating_like(ctx: Context, text: str) -> bool:
    """Whether a short text is a rating given as a number, alone or with a few words ("4",
    "ilikuwa nzuri, nne", "It was very nice, 5"); never mood words alone ("Ok, see you
    Thursday", "Great, thank you!": words for the facilitators, not a late rating)."""
    if len(text.split()) > RATING_LIKE_MOST_WORDS:
        return False
    if text.strip().isdecimal():
        return checkins.parse_rating(text, ctx.reader) is not None
    return checkins.stated_number(text) is not None


# Translators: what people text instead of a rating when they missed the meeting; comma-
# separated. Keep the English ones.
ABSENT_WORDS = N_(
    "I didn't come, I did not come, I wasn't there, I was not there, I missed it, I couldn't "
    "come, I was absent, didn't come, wasn't there, absent"
)
# Translators: more of what people text instead of a rating when they missed the meeting ("I
# could not come", "je n'ai pas pu venir", "sikuweza kufika"); comma-separated. Keep the
# English ones.
ABSENT_WORDS_MORE = N_(
    "I could not come, could not come, I could not make it, I couldn't make it, I wasn't able "
    "to come, I was not able to come"
)
# A message of more words than this is a message, even if it says one was away.
MAX_ABSENT_WORDS = 8


def _says_absent(ctx: Context, text: str) -> bool:
    """Whether `text` says its writer wasn't at the meeting (ABSENT_WORDS, ABSENT_WORDS_MORE,
    in any language)."""
    if len(text.split()) > MAX_ABSENT_WORDS:
        return False
    return says_one_of(ctx, text, ABSENT_WORDS) or says_one_of(ctx, text, ABSENT_WORDS_MORE)


def says_one_of(ctx: Context, text: str, phrases: str) -> bool:
    """Whether `text` holds one of `phrases` (a msgid listing them, comma-separated), in
    English or any shipped language, case and accents aside."""
    typed = keywords.plain(text)
    return any(phrase in typed for phrase in keywords.phrases(ctx.catalogs, phrases))


def _declines(ctx: Context, text: str) -> bool:
    """Whether `text` says no and little else ("nej", "no thanks", "hapana asante"): to "How
    did the meeting go?" that is declining to answer, not a rating."""
    if len(text) <= MAX_DECLINE_CHARS and yes_or_no(ctx.reader, text) is False:
        return True
    return not questions.a_sentence(text) and yes_or_no_in(ctx.reader, text) is False


# A no alone is short; longer, it is read as a no with words (yes_or_no_in).
MAX_DECLINE_CHARS = 20


# After the circle's last meeting there is no "this week" to speak of (lang 36).
RATING_DECLINED_LAST = N_("That's fine, we'll leave it there.")
MISSED_LAST = N_("We missed you at the last meeting.")


async def _the_last(ctx: Context, question: Question) -> bool:
    """Whether `question` is about its circle's last meeting (as planned now)."""
    if question.meeting_id is None:
        return False
    meeting = await ctx.session.get(Meeting, question.meeting_id)
    planned = (await meetings.bounds(ctx.session, [question.circle_id])).get(question.circle_id)
    return meeting is not None and (planned is None or meeting.number >= planned[1])


async def _decline_rating(ctx: Context, question: Question) -> None:
    """The rating question closes with nothing saved, and the open question is not asked."""
    last = await _the_last(ctx, question)
    await questions.close(ctx.session, question)
    conversations.offer(ctx.conversation, [])  # its 1-5 answer nothing now
    ctx.reply(ctx.tr._(RATING_DECLINED_LAST if last else checkin_prompts.RATING_DECLINED))


async def _answer_missed(ctx: Context, question: Question) -> None:
    """No rating from someone who wasn't there: the rating question closes, the meeting is
    noted as missed (absences.told), and they are asked about their week instead (as after a
    meeting they were known to miss); after the last meeting, the closing questions."""
    meeting = await _question_meeting(ctx, question)
    last = await _the_last(ctx, question)
    await questions.close(ctx.session, question)
    # Her facilitators see she missed it (C4): never "haven't heard from her" in the digest.
    await absences.told(ctx.session, meeting, ctx.person_id, ctx.now)
    circle = await ctx.session.get_one(Circle, question.circle_id)
    week = await _ask_about_week(ctx, circle, meeting, missed=True)
    missed = ctx.tr._(MISSED_LAST) if last else ctx.tr._("We missed you this week.")
    ctx.reply(missed + "\n\n" + week)


# Translators: words said around a language's name to ask for it ("English please", "en
# français svp"), comma-separated. Keep the English ones.
LANGUAGE_WORDS = N_("please, pls, plz, in, language, speak, thanks")
# Translators: more words said around a language's name to ask for it ("instructions in Spanish
# please", "write to me in French"), comma-separated. Keep the English ones.
LANGUAGE_WORDS_MORE = N_("instructions, messages, explanations, write, text, me, to")
# A longer answer naming a language is about something else ("I want to learn English").
MAX_LANGUAGE_REQUEST_WORDS = 5
# Translators: what people say when they ask for another language in a sentence ("sorry can
# you write in English please?", "je comprends pas, en français svp"), comma-separated: a
# sentence naming one language with one of these asks for it ("learn English please" does not:
# no "please" here). Keep the English ones.
LANGUAGE_PLEAS = N_("can you, could you, don't understand, dont understand")
# Translators: more ways to ask for another language in a sentence ("can I get these messages
# in English?", "naweza kupata hizi messages kwa English?"), comma-separated. Keep the English
# ones.
LANGUAGE_PLEAS_MORE = N_("can I get, could I get, can I have, how do I get, I would like, I want")
# A sentence longer than this naming a language is about something else, even with "please".
MAX_LANGUAGE_PLEA_WORDS = 16


def _language_asked(ctx: Context, text: str) -> str | None:
    """The shipped language an answer asks for ("English please", "Kiingereza", "en français
    svp"): its name, in any shipped language, with at most a few polite words around it. None
    for anything else ("to learn English" is a goal)."""
    typed = [keywords.plain(word) for word in re.findall(r"\w+", text)]
    if not typed or len(typed) > MAX_LANGUAGE_PLEA_WORDS:
        return None
    names = _language_names(ctx)
    polite = {
        keywords.plain(word)
        for words in (LANGUAGE_WORDS, LANGUAGE_WORDS_MORE)  # "instrucciones en español" (A42)
        for listed in [words, *ctx.catalogs.in_every_language(words)]
        for word in re.findall(r"\w+", listed)
    }
    asked = {names[word] for word in typed if word in names}
    if (
        len(asked) == 1
        and len(typed) <= MAX_LANGUAGE_REQUEST_WORDS
        and all(word in names or word in polite for word in typed)
    ):
        return asked.pop()
    # In a sentence, the language asked for comes after "in", "en", "auf"...: "my Spanish is
    # not great, can you text me in English?"; "Ich verstehe kein Spanisch" asks for none.
    after = itertools.pairwise(typed)
    asked = {names[word] for before, word in after if word in names and before in polite}
    if len(asked) != 1:
        return None
    # A plea in a sentence: "sorry can you write in english please?" (wave 2, D9, B5).
    pleas = {
        " ".join(keywords.plain(word) for word in re.findall(r"\w+", plea))
        for pleas_listed in (LANGUAGE_PLEAS, LANGUAGE_PLEAS_MORE)
        for listed in [pleas_listed, *ctx.catalogs.in_every_language(pleas_listed)]
        for plea in listed.split(",")
        if plea.strip()
    }
    said = " " + " ".join(typed) + " "
    if not any(f" {plea} " in said for plea in pleas):
        return None
    if _more_than_the_language(typed, names, polite, pleas):
        return None  # "Ich will bessere E-Mails auf Englisch schreiben für meine Arbeit"
    return asked.pop()


# Words of their own a plea holds around the language it asks for: "these" in "can I get these
# messages in English?". More make a sentence about something else (a goal).
MOST_OTHER_PLEA_WORDS = 1


def _more_than_the_language(
    typed: list[str], names: dict[str, str], polite: set[str], pleas: set[str]
) -> bool:
    """Whether a sentence with a plea and a language's name says more than asking for it
    (lang 2): words of its own between the plea and the language ("ich will bessere E-Mails
    auf Englisch"), or after the language ("... in English for my work"). Only polite words,
    message words and pleas may be there ("can you text me in English please?")."""
    plea_words = {word for plea in pleas for word in plea.split()}
    known = polite | plea_words | set(names)
    at = max(i for i in range(1, len(typed)) if typed[i] in names and typed[i - 1] in polite)
    starts = [
        i + len(plea.split())
        for plea in pleas
        for i in range(at)
        if typed[i : i + len(plea.split())] == plea.split()
    ]
    between = typed[max(starts) : at - 1] if starts and max(starts) < at else []
    after = typed[at + 1 :]
    return any(
        sum(word not in known for word in words) > MOST_OTHER_PLEA_WORDS
        for words in (between, after)
    )


# Names people use for a shipped language that Babel doesn't give: in much of Latin America
# and Spain, Spanish is "castellano".
_OTHER_LANGUAGE_NAMES = {"castellano": "es", "castilian": "es"}


def _language_names(ctx: Context) -> dict[str, str]:
    """Each shipped language's name in every shipped language, as plain(): its code."""
    names: dict[str, str] = {}
    for code in ctx.catalogs.locales:
        for reader in ctx.catalogs.locales:
            names[keywords.plain(Locale.parse(code).get_display_name(reader) or code)] = code
    for name, code in _OTHER_LANGUAGE_NAMES.items():
        if code in ctx.catalogs.locales:
            names[name] = code
    return names


def language_named(ctx: Context, text: str) -> str | None:
    """The shipped language a short answer names, in any shipped language ("English",
    "Kiingereza", "en français svp"): for the language menu (see _language_asked)."""
    return _language_asked(ctx, text)


def _speak(ctx: Context, code: str, name_asked: bool, circle: Circle) -> None:
    """Switch to the language asked for (as /language does) and ask the question again in it:
    it still waits."""
    ctx.person.locale = code
    ctx.session.add(ctx.person)
    ctx.tr = tr = ctx.catalogs.translator(code)
    if name_asked:
        again = tr._(onboarding.ASK_NAME_SMS)
    else:
        again = tr._(goal_prompts.GOAL_QUESTION, circle=circle.name)
    ctx.reply(tr._("From now on I'll write to you in English.") + "\n\n" + again)


async def question_again(ctx: Context) -> tuple[str, list[Choice]]:
    """The joining question still waiting (the name, the goal, the sharing question), asked
    again in `ctx.tr`'s language with its choices, after /language changed it: the next
    answer goes to it (dada 4). ("", []) when none of those waits."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None:
        return "", []
    circle = await ctx.session.get(Circle, question.circle_id)
    if circle is None:
        return "", []
    if _asks_the_name(question):
        if ctx.by_text:
            return ctx.tr._(onboarding.ASK_NAME_SMS), []
        return ctx.tr._("What should the group call you? Send /name and your first name."), []
    if _asks_the_goal(question):
        return ctx.tr._(goal_prompts.GOAL_QUESTION, circle=circle.name), []
    if question.kind == QuestionKind.SHARE:
        return await _share_question(ctx, circle), share_choices(ctx.tr)
    return "", []


# The choices each kind of question offers itself (a reminder's Yes and No are not the sharing
# question's): while they are offered, its own question is the one asked last.
_OWN_CHOICES = {
    QuestionKind.RATING: [str(n) for n in checkins.RATINGS],
    QuestionKind.SHARE: ["yes", "no"],
}
# How many of the latest messages to a chat are searched for the choices it was offered.
_LATEST_MESSAGES = 50


async def _offered_at(ctx: Context, payloads: list[str]) -> datetime | None:
    """When the choices with `payloads` were sent to this chat (the newest message offering
    them); None if none of its latest messages did."""
    offering = await _offering(ctx, payloads)
    # Offered again in a reply no outbox row keeps (the console's): then, not weeks ago (B17).
    times = [offering[0]] if offering else []
    if (noted := conversations.offered_at(ctx.conversation, payloads)) is not None:
        times.append(noted)
    return max(times) if times else None


async def offered_in(ctx: Context, payloads: list[str]) -> str | None:
    """The language the choices with `payloads` were offered in (the newest message offering
    them to this chat), if known."""
    offering = await _offering(ctx, payloads) if payloads else None
    return offering[1] if offering else None


async def _offering(ctx: Context, payloads: list[str]) -> tuple[datetime, str | None, str] | None:
    """When the choices with `payloads` were sent to this chat, in which language, and in
    what kind of message."""
    rows = await ctx.session.exec(
        select(OutboxMessage.created_at, OutboxMessage.payload, OutboxMessage.kind)
        .where(
            OutboxMessage.platform == ctx.inbound.platform,
            OutboxMessage.chat_id == ctx.inbound.chat_id,
        )
        .order_by(col(OutboxMessage.id).desc())
        .limit(_LATEST_MESSAGES)
    )
    for created_at, payload, kind in rows.all():
        sent = [choice[1] for choice in payload.get("choices") or [] if len(choice) > 1]
        if sent == payloads:
            locale = payload.get("locale")
            return created_at, locale if isinstance(locale, str) else None, kind
    return None


async def _offered_text(ctx: Context, payloads: list[str]) -> str | None:
    """The text of the message to this chat that asked the question whose choices have
    `payloads`: the newest one the bot sent of itself (a reminder), else the first reply that
    offered them. A reply that only offered them again ("Thanks, I've passed that on... Reply 1
    for Yes or 2 for No") is never the question (C18)."""
    rows = await ctx.session.exec(
        select(OutboxMessage.kind, OutboxMessage.payload)
        .where(
            OutboxMessage.platform == ctx.inbound.platform,
            OutboxMessage.chat_id == ctx.inbound.chat_id,
        )
        .order_by(col(OutboxMessage.id).desc())
        .limit(_LATEST_MESSAGES)
    )
    replies: list[str] = []
    for kind, payload in rows.all():
        sent = [choice[1] for choice in payload.get("choices") or [] if len(choice) > 1]
        if sent == payloads and isinstance(payload.get("text"), str):
            if kind != MessageKind.REPLY:
                return str(payload["text"])
            replies.append(str(payload["text"]))
    return replies[-1] if replies else None


# Where a conversation notes the choices whose question HELP showed again: a second HELP is
# for the words to text.
_HELP_SHOWN = "help-shown"
# Translators: HELP by SMS while a question waits for a number: the question again, then its
# choices ("Reply 1 for Yes or 2 for No"). "/help" is shown as the word to text.
QUESTION_AGAIN = N_("My question to you: %(question)s Or send /help again for the words to text.")


async def help_with_the_question(ctx: Context) -> bool:
    """HELP while the choices of a question wait (a reminder's "Will you come?"): that
    question is asked again with its choices, which still answer it, instead of the list of
    words; a second HELP gets the list. False when no such question waits."""
    remembered = ctx.conversation.choices
    shown = [Choice(c[1], c[0]) for c in remembered if not isinstance(c, str) and len(c) > 1]
    if ctx.conversation.flow or not shown or len(shown) != len(remembered):
        return False
    payloads = [choice.payload for choice in shown]
    if ctx.conversation.data.get(_HELP_SHOWN) == payloads or await choices_lapsed(ctx, payloads):
        return False
    if await open_rsvps.lapsed(ctx.session, payloads, ctx.now):
        return False  # "Will you come?" to a meeting that has started: the words to text (C18)
    asked = await _offered_text(ctx, payloads)
    if asked is None:
        return False
    ctx.conversation.data = {**ctx.conversation.data, _HELP_SHOWN: payloads}
    ctx.reply(ctx.tr._(QUESTION_AGAIN, question=asked.strip()), choices=shown)
    return True


# Choices offered longer ago than this answer nothing: a survey's 1-5 from February is not
# what "BEFEHLE" in April answers (a week's questions lapse sooner: questions.lapse_time).
CHOICES_LIFETIME = questions.LAST_QUESTION_LIFETIME
# Where a conversation with no guided command going on notes the choices it offered again
# for words that didn't pick one, and when: they are offered again once, not for every text.
_OFFERED_AGAIN = "offered_again"


async def choices_lapsed(ctx: Context, payloads: list[str]) -> bool:
    """Whether the choices with `payloads` were offered longer ago than CHOICES_LIFETIME (the
    course survey's 1-5: questions.SURVEY_SCALE_KEPT_FOR, it names no deadline: A15; the
    circles /find found: circle_discovery.FOUND_KEPT_FOR)."""
    offered_at = await _offered_at(ctx, payloads)
    return offered_at is not None and ctx.now - offered_at > await _lifetime(ctx, payloads)


async def _lifetime(ctx: Context, payloads: list[str]) -> timedelta:
    """How long the choices with `payloads` answer (see choices_lapsed)."""
    step = course_survey.step_offered(payloads)
    if step is not None and step[1] == course_survey.RATING:
        return questions.SURVEY_SCALE_KEPT_FOR
    if circle_discovery.offers_circles(payloads):
        # A seat offered to someone waiting (the same "#12 /find") is held for her: not a
        # search's listing.
        offering = await _offering(ctx, payloads)
        if offering is None or offering[2] != MessageKind.SEAT_OFFERED:
            return circle_discovery.FOUND_KEPT_FOR
    return CHOICES_LIFETIME


async def may_offer_again(ctx: Context, payloads: list[str]) -> bool:
    """Whether words that picked none of the choices with `payloads` may get them offered again
    ("Sorry, I didn't catch that."): once, unless they were offered anew since (a new week's
    rating). After that, words go on as if nothing waited (to the facilitators, say)."""
    noted = ctx.conversation.data.get(_OFFERED_AGAIN)
    if ctx.conversation.flow or not isinstance(noted, dict) or noted.get("choices") != payloads:
        return True
    offered_at = await _offered_at(ctx, payloads)
    return offered_at is not None and offered_at > datetime.fromisoformat(str(noted.get("at")))


def offering_again(ctx: Context, payloads: list[str]) -> None:
    """Note that the choices with `payloads` are offered again now (see may_offer_again)."""
    if not ctx.conversation.flow:
        noted = {"choices": payloads, "at": ctx.now.isoformat()}
        ctx.conversation.data = {**_kept_held(ctx.conversation.data), _OFFERED_AGAIN: noted}


def _owns(question: Question, payloads: list[str]) -> bool:
    return _OWN_CHOICES.get(QuestionKind(question.kind)) == payloads


def only_about_sharing(payloads: list[str], text: str) -> bool:
    """Whether words answering the sharing question's Yes / No are about that alone ("si claro
    que lo lea la señora rosa, no tengo nada que esconder"): nothing for the facilitator's
    inbox, unless they ask something ("...?") or say more in a sentence of its own ("Yes,
    that's fine. Amina is very kind.": walkthrough 8)."""
    asks = text.rstrip().endswith(("?", "？"))
    sentences = [s for s in _SENTENCE.findall(text) if s.strip()]
    return sharing_offered(payloads) and not asks and len(sentences) <= 1


_SHARING_CHOICE = re.compile(r"(?:#\d{1,12} )?/sharing (?P<answer>yes|no)")


def sharing_offered(payloads: list[str]) -> bool:
    """Whether the choices offered are the sharing question's Yes / No: the joining question's
    own, or /sharing's (_sharing_choices, "#12 /sharing yes")."""
    answers = [m["answer"] for p in payloads if (m := _SHARING_CHOICE.fullmatch(p))]
    return payloads == _OWN_CHOICES[QuestionKind.SHARE] or (
        len(payloads) == 2 and answers == ["yes", "no"]
    )


async def sharing_choices_answered(ctx: Context, payloads: list[str]) -> bool:
    """Whether `payloads` are the sharing question's Yes / No and no sharing question waits."""
    if payloads != _OWN_CHOICES[QuestionKind.SHARE]:
        return False
    open_one = await ctx.session.exec(
        select(Question.id).where(
            Question.person_id == ctx.person_id,
            Question.kind == QuestionKind.SHARE,
            (col(Question.expires_at).is_(None)) | (col(Question.expires_at) > ctx.now),
        )
    )
    return open_one.first() is None


async def own_choices_answered(ctx: Context, payloads: list[str]) -> bool:
    """Whether `payloads` are a kind of question's own choices (the sharing question's) and
    no question of that kind waits now: answered in words ("si"), they answer nothing more and
    must not be offered again (a later "2" would be read against them)."""
    kinds = [kind for kind, own in _OWN_CHOICES.items() if own == payloads]
    if not kinds:
        return False
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    return question is None or QuestionKind(question.kind) not in kinds


def _stays(question: Question, payloads: list[str]) -> bool:
    """Whether `question` keeps waiting whatever choices come after it: its own, or a REPLY
    one, which asks nothing but where words go (an announcement's, the survey's circle)."""
    return (
        _owns(question, payloads)
        or question.kind == QuestionKind.REPLY
        # The final week's goal review is answered in a sentence, never by a Yes/No's 1 or 2:
        # a day-late answer still reaches the portfolio after the next day's reminder.
        or question.kind == QuestionKind.GOAL_REVIEW
        # The letter invitation's yes (letters.write_choice) asks nothing of it: words still
        # answer it, once asked whether they are the letter (letter_or_answer).
        or letters.invited_to_write(payloads) is not None
    )


async def lapse_older_questions(ctx: Context, payloads: list[str]) -> None:
    """A reply answers the question asked last. The choices offered now (a reminder's Yes and
    No, a menu) were asked after any question still waiting for words from before them: those
    lapse quietly, so "2" or "non désolé" is never a week-old check-in's rating (/checkin asks
    it again). A question that offers these choices itself (the rating's 1-5) stays, and so
    does a REPLY one (see _stays)."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None or _stays(question, payloads):
        return
    offered_at = await _offered_at(ctx, payloads)
    if offered_at is None:
        return
    older = await ctx.session.exec(
        select(Question).where(
            Question.person_id == ctx.person_id, col(Question.asked_at) < offered_at
        )
    )
    about = aimed_circle(payloads)
    for lapsed in older.all():
        # Choices about one circle (a reminder's "#12 /rsvp yes 3") leave another circle's
        # question answerable: a Yes/No from one circle never wipes the other's rating. A
        # rating stays until its week ends (C26: "Reply when you can"), answered only by its
        # number while the newer choices wait (answer_waiting).
        if lapsed.kind == QuestionKind.RATING:
            continue
        if not _stays(lapsed, payloads) and about in (None, lapsed.circle_id):
            await questions.close(ctx.session, lapsed)


_RSVP_CHOICE = re.compile(r"(?:#\d{1,12} )?/rsvp (?:yes|no)\b")


def rsvp_offered(payloads: list[str]) -> bool:
    """Whether the choices offered are a meeting's Yes and No (a reminder's)."""
    return bool(payloads) and all(_RSVP_CHOICE.match(p) for p in payloads)


# A thumbs-up alone (any skin tone, any number of them) to "Will you come?": a yes.
_THUMBS_UP = re.compile(r"(?:\U0001F44D[\U0001F3FB-\U0001F3FF]?\uFE0F?\s*)+")


def thumbs_up(text: str) -> bool:
    """Whether `text` is only thumbs-up emoji ("👍", "👍👍"): a yes to a meeting's Yes / No."""
    return bool(_THUMBS_UP.fullmatch(text.strip()))


def _yes_and_no(payloads: list[str]) -> bool:
    """Whether the choices offered are one Yes and one No (a reminder's, the sharing question's)."""
    said = [word for p in payloads for word in p.casefold().split() if word in ("yes", "no")]
    return len(payloads) == 2 and sorted(said) == ["no", "yes"]


# After words passed on to the facilitators while a Yes / No waits ("mmm no se, creo que si"):
# the choices follow it, as "Reply 1 for Yes or 2 for No."
YES_OR_NO_STILL_WAITS = N_("That went to them as a message: your answer isn't noted yet.")


def yes_or_no_still_waits(ctx: Context, shown: list[Choice]) -> bool:
    """After words went on to the facilitators while a Yes / No waits: the learner is told
    they went as a message, and the choices, still open, are shown again in the same reply.
    False when `shown` is no Yes / No."""
    if not _yes_and_no([choice.payload for choice in shown]) or not ctx.replies:
        return False
    last = ctx.replies[-1]
    ctx.replies[-1] = replace(
        last, text=last.text + " " + ctx.tr._(YES_OR_NO_STILL_WAITS), choices=tuple(shown)
    )
    return True


# A yes in a word or two ("actually yes my shift changed") changes a No given this recently;
# later, only a yes in so many words does ("i CAN come tomorrow"): a "yes" days on may answer
# something else.
RSVP_CORRECTED_WITHIN = timedelta(hours=2)


def _coming_after_all(tr: Translator, text: str) -> tuple[bool, bool]:
    """Whether a reply says yes after a No (`said`), and whether in so many words (`phrased`,
    coming_said) rather than a yes word (yes_or_no_in). What follows words that undo an
    earlier answer (MIND_CHANGED: "ah no perdon me confundi, si voy a ir") is read first, so
    the "no" before them is not its answer; then the whole. A question says neither."""
    if text.rstrip().endswith(("?", "？")) or says_not_coming(tr, text):
        return False, False
    said = _phrase_words(text)
    markers = _phrases(MIND_CHANGED, tr)
    ends = [found[1] for phrase in markers if (found := _find_last(phrase, said))]
    no = keywords.words(tr, keywords.NO) | {keywords.plain(tr._("no"))}
    if len(said) > 2 and said[0] in no and said[1] in no:
        ends.append(2)  # "NO NO, SI VOY A IR": a no said twice undoes the answer read (C5)
    readings = [" ".join(said[max(ends) :]), text] if ends else [text]
    for reading in filter(None, readings):
        if coming_said(tr, reading) is not None:
            return True, True
        if yes_or_no_in(tr, reading) is True:
            return True, False
    return False, False


def _names_its_day(ctx: Context, circle: Circle, meeting: Meeting, text: str) -> bool:
    """Whether `text` names the weekday `meeting` falls on, as a word of its own ("mercredi
    prochain"; not "Mondays")."""
    weekday = meeting.starts_at.astimezone(ZoneInfo(circle.timezone)).weekday()
    day = Locale.parse(ctx.tr.locale).days["format"]["wide"][weekday]
    return keywords.plain(day) in {keywords.plain(word) for word in re.findall(r"\w+", text)}


def _find_last(phrase: tuple[str, ...], said: list[str]) -> tuple[int, int] | None:
    """Where `phrase` stands last in `said` (start, end), if it does."""
    for at in range(len(said) - len(phrase), -1, -1):
        if tuple(said[at : at + len(phrase)]) == phrase:
            return at, at + len(phrase)
    return None


async def changed_mind(ctx: Context, text: str) -> str | None:
    """A learner who said yes to a circle's next meeting writes, with nothing waiting, that
    they can't come after all ("Sorry, I cannot come after all, my daughter is sick"): their
    No for that meeting, as the reminder's No sends it ("#12 /rsvp no 3"). One who said no
    writes that they can come after all ("actually yes my shift changed", "me confundi, si
    voy a ir"): their Yes (_coming_after_all, RSVP_CORRECTED_WITHIN). None otherwise: the
    words go on as a message, and nothing else changes."""
    if ctx.inbound.is_group or text.lstrip().startswith("/"):
        return None  # people talking in a group talk to each other
    not_coming = says_not_coming(ctx.reader, text)
    coming, phrased = (False, False) if not_coming else _coming_after_all(ctx.reader, text)
    if not (not_coming or coming):
        return None
    waiting = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    # "what would make it easy to come back?" is answered in such words; a reply window (the
    # facilitator's answer, an announcement's) only takes words to pass on, as the change does.
    if waiting is not None and waiting.kind not in (QuestionKind.RATING, QuestionKind.REPLY):
        return None
    changing: list[str] = []
    for membership, circle in ctx.memberships:
        if membership.role != Role.LEARNER or circle.id is None:
            continue
        meeting = await meetings.upcoming(ctx.session, circle.id, ctx.now)
        if meeting is None or meeting.id is None:
            continue
        given = (
            await ctx.session.exec(
                select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.person_id == ctx.person_id)
            )
        ).first()
        said = RsvpAnswer(given.answer) if given is not None else None
        if not_coming and (
            said is RsvpAnswer.YES or (said is None and _names_its_day(ctx, circle, meeting, text))
        ):
            # Also before any answer, when it names the day: "je serai pas là mercredi
            # prochain" is the No (B17); "I can't come on Mondays" is only a message.
            changing.append(f"#{circle.id} /rsvp no {meeting.number}")
        lately = given is not None and given.answered_at >= ctx.now - RSVP_CORRECTED_WITHIN
        if coming and said is RsvpAnswer.NO and (phrased or lately):
            changing.append(f"#{circle.id} /rsvp yes {meeting.number}")
    return changing[0] if len(changing) == 1 else None


def aimed_circle(payloads: list[str]) -> int | None:
    """The one circle every choice offered is about ("#12 /rsvp yes 3"), else None."""
    found = {m["circle"] for p in payloads if (m := _AIMED.match(p))}
    if len(found) != 1 or any(not _AIMED.match(p) for p in payloads):
        return None
    return int(found.pop())


_AIMED = re.compile(r"#(?P<circle>\d{1,12}) /")


async def asked_since(ctx: Context, payloads: list[str]) -> bool:
    """Whether a question waiting for words was asked after the choices with `payloads` (an
    announcement's reply after a reminder): a sentence is for it, not a pick of the choices."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None or _owns(question, payloads):
        return False
    offered_at = await _offered_at(ctx, payloads)
    return offered_at is None or question.asked_at >= offered_at


async def words_go_to_the_facilitators(ctx: Context) -> bool:
    """Whether the question waiting is a "Reply here" (an announcement's, a facilitator's
    answer's): whatever else a message answers, its words go on to the facilitators."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    return question is not None and _replies_to_a_facilitator(question)


# -- a letter sent straight back to its invitation ---------------------------------------------

IS_IT_THE_LETTER = N_("Is this your letter to a new circle?")


def _is_it_choices(tr: Translator) -> list[Choice]:
    return [Choice(tr._("Yes"), "yes"), Choice(tr._("No"), "no")]


async def letter_or_answer(ctx: Context, text: str, payloads: list[str]) -> bool:
    """Words that could be a letter (a sentence a letter may be), while the letter invitation's
    choice is offered (letters.write_choice) and no conversation goes on: the learner is asked
    whether they are the letter, rather than have them kept as the answer to a question waiting
    (the goal review) or passed on to the facilitators. False for anything else."""
    circle_id = letters.invited_to_write(payloads)
    if ctx.conversation.flow or not questions.a_sentence(text):
        return False
    lately = False
    if circle_id is None:
        # Its choice gone (next morning's check-in came after it), a long text that is no
        # rating, to a recent invitation not yet answered, is still asked about (walkthrough 8,
        # sms 19: Don Hernando's letter went to his facilitator as a message).
        circle_id = await _invited_lately(ctx, text)
        lately = circle_id is not None
    if circle_id is None:
        return False
    if not any(c.id == circle_id for m, c in ctx.memberships if m.role == Role.LEARNER):
        return False
    if not lately and await _asked_after_invitation(ctx, circle_id):
        return False  # a question asked after the invitation (a new circle's goal) comes first
    try:
        letters.check_text(text)
    except UserError:
        return False
    conversations.begin(
        ctx.conversation,
        letter_commands.FLOW,
        {"circle": circle_id, "words": text},
        ctx.now,
        letter_commands.CONFIRMING,
    )
    ctx.reply(ctx.tr._(IS_IT_THE_LETTER), choices=_is_it_choices(ctx.tr))
    return True


# How long after a letter invitation a long text may still be the letter, its choice gone.
LETTER_STILL_AWAITED = timedelta(days=3)


async def _invited_lately(ctx: Context, text: str) -> int | None:
    """The circle whose letter invitation reached the person within LETTER_STILL_AWAITED, when
    they wrote no letter since and what waits now asks for a number (the 1-5), which `text`
    is not; else None."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is not None and question.kind != QuestionKind.RATING:
        return None  # words are for the question asked in words
    if checkins.parse_rating(text, ctx.reader) is not None or text.rstrip().endswith("?"):
        return None
    learning = {c.id: c for m, c in ctx.memberships if m.role == Role.LEARNER and c.id}
    keys = {
        str(letters.invitation_key(circle_id, ctx.person_id)): circle_id for circle_id in learning
    }
    if not keys:
        return None
    rows = await ctx.session.exec(
        select(OutboxMessage.idempotency_key, OutboxMessage.created_at).where(
            col(OutboxMessage.idempotency_key).in_(list(keys)),
            col(OutboxMessage.created_at) > ctx.now - LETTER_STILL_AWAITED,
        )
    )
    invited = sorted(((at, keys[key]) for key, at in rows.all()), reverse=True)
    if not invited:
        return None
    at, circle_id = invited[0]
    wrote = await ctx.session.exec(
        select(Letter.id).where(Letter.author_id == ctx.person_id, col(Letter.created_at) >= at)
    )
    return None if wrote.first() is not None else circle_id


async def _asked_after_invitation(ctx: Context, circle_id: int) -> bool:
    """Whether the question waiting for words was asked after the letter invitation went."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None:
        return False
    invited_at = (
        await ctx.session.exec(
            select(OutboxMessage.created_at).where(
                OutboxMessage.idempotency_key
                == str(letters.invitation_key(circle_id, ctx.person_id))
            )
        )
    ).first()
    return invited_at is not None and question.asked_at >= invited_at


async def letter_confirmed(ctx: Context, text: str) -> None:
    """The answer to "Is this your letter?" (letter_or_answer): yes, the words are the letter
    and its signature is asked; no (or /skip), they go where they would have gone: the
    question waiting, else the facilitators."""
    words = str(ctx.conversation.data.get("words", ""))
    said = False if text.casefold() in {"skip", ctx.tr._("skip").casefold()} else None
    said = yes_or_no(ctx.tr, text) if said is None else said
    if said is None:
        said = yes_or_no_in(ctx.tr, text)  # "No, es mi respuesta sobre la reunión." (smses 15)
    if said is None:
        ctx.reply(ctx.tr._(IS_IT_THE_LETTER), choices=_is_it_choices(ctx.tr))
        return
    if said:
        await letter_commands.take_text(ctx, words)
        return
    circle = await ctx.session.get(Circle, ctx.conversation.data.get("circle"))
    conversations.finish(ctx.conversation, ctx.now)
    if await answer_waiting(ctx, words) or circle is None:
        return
    name, about = ctx.person.display_name, circle.name
    await announcements.pass_on(
        ctx,
        circle,
        MessageKind.FORWARDED_TEXT,
        lambda reader: reader._(
            "%(name)s wrote about %(circle)s:\n%(text)s", name=name, circle=about, text=words
        ),
    )


# A clause of a reply, with the marks that end it: the look back at the goal is what is left
# once the clause that answers "Will you come?" is taken out.
_CLAUSE = re.compile(r"[^,;.!?\n]+[,;.!?\n]*")


async def goal_look_back_waits(ctx: Context) -> bool:
    """Whether the final week's look back at the goal ("How close did you get?") is the newest
    question waiting for the person's words: "goal yangu nimeweza excel kiasi" answers it, and
    is no GOAL to set (sms 20)."""
    question = await _written_open(ctx)
    return question is not None and question.kind == QuestionKind.GOAL_REVIEW


async def look_back_too(ctx: Context, text: str, picked: str, payloads: list[str]) -> bool:
    """A reminder's Yes picked from a sentence that first answers the final week's look back
    at the goal, asked in that circle before the reminder ("Nimefikia lengo langu kidogo, na
    nitakuja Jumatano", "j'ai presque atteint mon objectif, et je viendrai samedi": B21,
    B22): what comes before the yes is the look back, kept in the portfolio, and the reply
    says both. False, and nothing kept, when the yes comes first ("yes I'll be there, I'll
    bring snacks"), for a No (its words are most often its reason), when nothing is left
    besides the answer, or the words ask something or speak to a facilitator: those go on
    as a message, as before."""
    if not rsvp_offered(payloads) or picked not in payloads or "/rsvp yes" not in picked:
        return False
    question = await _written_open(ctx)
    if question is None or question.kind != QuestionKind.GOAL_REVIEW:
        return False
    aimed = aimed_circle(payloads)
    if aimed is not None and aimed != question.circle_id:
        return False
    circle = await ctx.session.get_one(Circle, question.circle_id)
    leads = await _facilitators(ctx, circle)
    if "?" in text or asks_a_question(ctx, text) or _addresses_one(text, leads):
        return False
    look_back = _without_the_rsvp(ctx, text)
    if not look_back or not checkins.says_more(look_back, ctx.reader) or not ctx.replies:
        return False
    before = len(ctx.replies)
    await _answer_writing(ctx, question, circle, look_back, checked=True)
    if len(ctx.replies) == before + 1 and not ctx.replies[before - 1].choices:
        kept = ctx.replies.pop()
        _add_to_last_reply(ctx, kept.text, "\n")
    return True


def _without_the_rsvp(ctx: Context, text: str) -> str:
    """The clauses of `text` before the first that answers "Will you come?" ("na nitakuja
    Jumatano", "oui"); "" when the first one does, or none does."""
    kept: list[str] = []
    for clause in _CLAUSE.findall(text):
        if (
            coming_said(ctx.reader, clause) is not None
            or says_not_coming(ctx.reader, clause)
            or yes_or_no(ctx.reader, clause.strip(" ,;.!?\n")) is not None
        ):
            return "".join(kept).strip().rstrip(",;").strip()
        kept.append(clause)
    return ""


async def pass_on_too(ctx: Context, text: str, circle: Circle | None = None) -> None:
    """A learner's answer that says more than the answer ("no sorry, working late"; a check-in
    answer meant for the facilitator) goes on to the facilitators as well, and the learner is
    told so in the same reply. `circle`: the one it is about (else the one a command just
    acted on, else their default circle)."""
    if ctx.words_passed_on:
        return  # the handler passed them on already (a yes after the start: _on_the_way)
    if circle is None and ctx.circle is not None:
        circle = ctx.circle
    if circle is None:
        memberships = await circles.active_memberships(ctx.session, ctx.person_id)
        if not memberships:
            return
        circle = defaults.default_circle(ctx.person, memberships)[0][1]
    assert circle.id is not None
    membership = await circles.membership_of(ctx.session, circle.id, ctx.person_id)
    if membership is None or membership.role != Role.LEARNER or not ctx.replies:
        return
    before = len(ctx.replies)
    await announcements.pass_on(ctx, circle, MessageKind.FORWARDED_TEXT, _words(ctx, circle, text))
    if len(ctx.replies) == before + 1:
        passed = ctx.replies.pop()
        asked = ctx.replies[before - 1]
        if asked.choices:
            # The next question waits for an answer: it stays last, what's left on the screen.
            ctx.replies[before - 1] = replace(asked, text=passed.text + "\n" + asked.text)
        else:
            _add_to_last_reply(ctx, passed.text, "\n")


def _words(ctx: Context, circle: Circle, text: str) -> Callable[[Translator], str]:
    """A learner's words about `circle`, as their facilitators read them passed on."""
    name, about = ctx.person.display_name, circle.name
    if ctx.platforms.keywords(ctx.inbound.platform):
        return lambda reader: reader._(
            "%(name)s texted about %(circle)s:\n%(text)s", name=name, circle=about, text=text
        )
    return lambda reader: reader._(
        "%(name)s wrote about %(circle)s:\n%(text)s", name=name, circle=about, text=text
    )


# -- words offered to the facilitators with one key ---------------------------------------------

# A private learner's words that look meant for the facilitators (a question in a check-in,
# the questions asked with a goal) are offered to them with one key ("Reply 1 for Yes, pass
# it on"): never passed on unasked, never to be typed again. The flow holds the words (data
# "words") for their circle ("circle"); any other message lets the offer go, and is read as
# if none was made (router: the offer never holds the learner's next words).
PASS_ON_FLOW = "pass-on"
PASS_IT_ON = N_("Yes, pass it on")
KEEP_IT = N_("No, keep it private")
STAYS_PRIVATE = N_("OK, it stays between you and me.")


def offer_to_pass_on(
    ctx: Context, circle: Circle, words: str, only: list[int] | None = None
) -> list[Choice]:
    """`words` held for `circle`'s facilitators (`only` these, by person id, when given) until
    the learner says: the choice to offer."""
    data: dict[str, object] = {"circle": circle.id, "words": words}
    if only is not None:
        data["only"] = only
    conversations.begin(ctx.conversation, PASS_ON_FLOW, data, ctx.now)
    # Both ways offered (wave 2, D8): "no" is as much an answer as "yes".
    return [
        Choice(ctx.tr._(PASS_IT_ON), confirmations.YES),
        Choice(ctx.tr._(KEEP_IT), confirmations.NO),
    ]


# The most words of a no in words to the offer ("non merci", "hapana, iwe siri"): a longer
# message that starts with a no says something new, and is read as a message of its own.
MOST_OFFER_NO_WORDS = 5


def _pass_on_said(ctx: Context, text: str) -> bool | None:
    """Yes to the offer (its number, its label, a yes word) or no; None for anything else. A
    word that only agrees ("ok", "poa") is no yes here: it may just acknowledge, and the
    words are private until the learner says otherwise. A yes or no in words ("ndio
    tafadhali", "oui stp", "ya, pásale nomás", "non merci") answers it (B3, C11): read as a
    message of its own, the yes went to the facilitator instead of the words it agreed to."""
    if conversations.picked(ctx.conversation, text) == confirmations.YES:
        return True
    typed = keywords.plain(text)
    yes = keywords.words(ctx.reader, keywords.YES) | {keywords.plain(ctx.tr._(PASS_IT_ON))}
    if typed in {confirmations.YES, "1"} | yes:
        return True
    if typed in {confirmations.NO, "2"} | keywords.words(ctx.reader, keywords.NO):
        return False
    if typed in agreeing(ctx.reader) or text.rstrip().endswith(("?", "？")):
        return None  # "ok" alone; "ndio, lakini ni nani atajua?" asks something new
    said = yes_or_no_in(ctx.reader, text)
    if said is False and len(text.split()) > MOST_OFFER_NO_WORDS:
        return None
    return said


def answers_the_offer(ctx: Context, text: str) -> bool:
    """Whether `text` answers the offer to pass words on (PASS_ON_FLOW) going on."""
    return _pass_on_said(ctx, text) is not None


async def pass_on_answer(ctx: Context, text: str) -> None:
    """The answer to the offer: yes passes the words held on; anything else (a no, /skip)
    keeps them private."""
    said = _pass_on_said(ctx, text)
    words = str(ctx.conversation.data.get("words", ""))
    circle = await ctx.session.get(Circle, ctx.conversation.data.get("circle"))
    only = ctx.conversation.data.get("only")
    conversations.finish(ctx.conversation, ctx.now)
    if not said or circle is None or not words:
        ctx.reply(ctx.tr._(STAYS_PRIVATE))
        return
    chosen = [int(p) for p in only] if isinstance(only, list) else None
    words_of = _words(ctx, circle, words)
    await announcements.pass_on(ctx, circle, MessageKind.FORWARDED_TEXT, words_of, chosen)


# Where the questions asked with a goal wait (in the conversation's data, with no flow going
# on) for the sharing question that follows the goal: the learner's words reach the
# facilitators only once she has said whether they may read what she writes.
_HELD = "held-for-facilitators"


def _hold(ctx: Context, circle: Circle, words: str) -> None:
    held = {"circle": circle.id, "words": words, "at": ctx.now.isoformat()}
    ctx.conversation.data = {**ctx.conversation.data, _HELD: held}


def _kept_held(data: dict[str, object]) -> dict[str, object]:
    """What of a conversation's data holds words waiting (_hold), to keep when it changes."""
    return {_HELD: data[_HELD]} if _HELD in data else {}


async def _release_held(ctx: Context, circle_id: int, shares: bool) -> None:
    """The sharing question of `circle_id` is answered: the goal's questions held (_hold) go on
    to the facilitators if the learner shares, else they are offered with one key."""
    held = ctx.conversation.data.get(_HELD)
    if not isinstance(held, dict) or ctx.conversation.flow:
        return
    ctx.conversation.data = {k: v for k, v in ctx.conversation.data.items() if k != _HELD}
    words = str(held.get("words") or "")
    at = datetime.fromisoformat(str(held.get("at")))
    circle = await ctx.session.get(Circle, circle_id)
    if held.get("circle") != circle_id or ctx.now - at > SHARE_QUESTION_LIFETIME:
        return  # another circle's, or the question lapsed long ago: not news any more
    if circle is None or not words or not ctx.replies:
        return
    if shares:
        await pass_on_too(ctx, words, circle)
        return
    leads = await _facilitators(ctx, circle)
    if not leads:
        return
    last = ctx.replies.pop()
    offer = ctx.tr._(
        "Your goal had a question for %(names)s: shall I pass it on?",
        names=format_list(leads, locale=ctx.tr.locale),
    )
    ctx.reply(last.text + "\n" + offer, choices=offer_to_pass_on(ctx, circle, words))


# -- words just after a late rating -------------------------------------------------------------

# A rating sent after its check-in closed ("4", then "me cuesta el certificado digital..."):
# the words that follow are check-in words. From a learner who keeps her answers private they
# are never passed on unasked: she is told the check-in had closed and offered one key.
LATE_RATING = "late-rating"
LATE_WORDS_WITHIN = timedelta(hours=1)
LATE_WORDS_PRIVATE = N_(
    "That check-in had closed, so I didn't keep this with it. It stays between you and me: "
    "is it meant for %(names)s?"
)


def note_late_rating(ctx: Context, text: str) -> None:
    """A lone rating that found no question waiting: noted, for offer_late_words."""
    if checkins.parse_rating(text, ctx.reader) is not None and not ctx.conversation.flow:
        ctx.conversation.data = {**ctx.conversation.data, LATE_RATING: ctx.now.isoformat()}


async def offer_late_words(ctx: Context, membership: Membership, circle: Circle, text: str) -> bool:
    """Whether `text`, from a private learner of `circle` just after a late rating, was held
    and offered to the facilitators with one key instead of passed on."""
    noted = ctx.conversation.data.get(LATE_RATING)
    if not isinstance(noted, str) or ctx.conversation.flow:
        return False
    ctx.conversation.data = {k: v for k, v in ctx.conversation.data.items() if k != LATE_RATING}
    if membership.role != Role.LEARNER or membership.shares_answers:
        return False
    if ctx.now - datetime.fromisoformat(noted) > LATE_WORDS_WITHIN:
        return False
    meant = await _meant_for(ctx, circle, text)
    if not meant:
        return False
    names = format_list(list(meant.values()), locale=ctx.tr.locale)
    offer = offer_to_pass_on(ctx, circle, text, list(meant))
    ctx.reply(ctx.tr._(LATE_WORDS_PRIVATE, names=names), choices=offer)
    return True


# -- a reflection that looks like a message -----------------------------------------------------

# "Amélie je pourrai pas venir, mon fils est malade", sent after /reflect: asked whether it is
# a message for the facilitators before it is filed in the portfolio, where they never see it.
# The flow holds the words ("words") and the reflection question ("question"), which waits on.
MESSAGE_OR_ANSWER_FLOW = "message-or-answer"
IS_IT_A_MESSAGE = N_("Is this a message for %(names)s? If not, I'll keep it as your answer.")
QUESTION_STILL_OPEN = N_("My question is still open: answer it whenever you like, or send /skip.")


async def _ask_if_a_message(ctx: Context, question: Question, circle: Circle, text: str) -> bool:
    """Whether `text`, answering a reflection or a goal review, looks meant for the
    facilitators (it starts by naming one, says its writer can't come, or only asks something:
    "huh? so is it approved or not??", D37, B13): then the learner is asked, and True."""
    leads = await _facilitators(ctx, circle)
    asks = bool(_asked_in(text)) and not _without(text, _asked_in(text))
    # Named first, she may be spoken to ("Amina, ...", "Hola Carmen", "Amina can we meet
    # earlier") or spoken of ("Carmen explica muy bien, gracias": a reflection, C11).
    named = _addresses_one(text, leads) and (
        _speaks_to(ctx, text, leads)
        or asks_a_question(ctx, text)
        or coming_said(ctx.reader, text) is not None
    )
    if not leads or not (
        named or says_not_coming(ctx.reader, text) or asks or await _overtaken(ctx, question)
    ):
        return False
    data = {"circle": circle.id, "words": text, "question": question.id}
    conversations.begin(ctx.conversation, MESSAGE_OR_ANSWER_FLOW, data, ctx.now)
    ctx.reply(
        ctx.tr._(IS_IT_A_MESSAGE, names=format_list(leads, locale=ctx.tr.locale)),
        choices=confirmations.choices(ctx.tr),
    )
    return True


# A goal review or reflection asked longer ago than this, with other things said in the chat
# since (a guided command of hers, the facilitator's answer, a letter's review, a
# cancellation), is no longer what the learner's next words surely answer (A18, C27).
OVERTAKEN_AFTER = timedelta(hours=12)
# Said after the question by more than this: not part of asking it.
OVERTAKEN_GAP = timedelta(minutes=5)
# What, sent after such a question, is what the learner read last instead.
_OVERTAKING = frozenset(
    {
        MessageKind.FACILITATOR_REPLY,
        MessageKind.ANNOUNCEMENT,
        MessageKind.LETTER_DECISION,
        MessageKind.LETTER_THANKS,
        MessageKind.MEETING_CANCELLED,
        MessageKind.MEETING_MOVED,
    }
)


async def _overtaken(ctx: Context, question: Question) -> bool:
    """Whether `question`, asked OVERTAKEN_AFTER ago or longer, was followed in this chat by a
    message about something else (_OVERTAKING): words now may answer that one instead."""
    if ctx.now - question.asked_at < OVERTAKEN_AFTER:
        return False
    if question.asked_at + OVERTAKEN_GAP < ctx.conversation.updated_at < ctx.now:
        return True  # a guided command of hers since (/letter): she has moved on
    found = await ctx.session.exec(
        select(OutboxMessage.id)
        .where(
            OutboxMessage.platform == ctx.inbound.platform,
            OutboxMessage.chat_id == ctx.inbound.chat_id,
            col(OutboxMessage.created_at) > question.asked_at + OVERTAKEN_GAP,
            col(OutboxMessage.kind).in_([str(kind) for kind in _OVERTAKING]),
        )
        .limit(1)
    )
    return found.first() is not None


# Within this many first words, a name is someone spoken to ("Amélie, ...", "Hi Amina").
ADDRESS_WORDS = 2


def _addresses_one(text: str, names: list[str]) -> bool:
    """Whether `text` speaks to one of `names`: a first name among its first words."""
    said = {keywords.plain(word) for word in text.split()[:ADDRESS_WORDS]}
    return any(keywords.plain(name.split()[0]) in said for name in names if name.split())


def _speaks_to(ctx: Context, text: str, names: list[str]) -> bool:
    """Whether `text` speaks to one of `names`, not of her: her first name set apart by a mark
    ("Amina, ...", "Amina: ..."), after a greeting ("Hi Amina", "Habari Wanjiru"), or alone."""
    firsts = {keywords.plain(name.split()[0]) for name in names if name.split()}
    typed = text.split()[: ADDRESS_WORDS + 1]
    greetings = keywords.phrases(ctx.catalogs, keywords.GREETINGS)
    for at, word in enumerate(typed):
        if keywords.plain(word) not in firsts:
            continue
        if at + 1 == len(text.split()) or word.rstrip()[-1:] in ",:!;":
            return True
        if at > 0 and keywords.plain(typed[at - 1]) in greetings:
            return True
    return False


async def message_or_answer(ctx: Context, text: str) -> None:
    """The answer to IS_IT_A_MESSAGE: yes, the words go on to the facilitators and the
    reflection question waits on; no, they are the reflection."""
    said = confirmations.read(ctx.tr, text)
    data = ctx.conversation.data
    circle = await ctx.session.get(Circle, data.get("circle"))
    if said is None and circle is not None:
        leads = format_list(await _facilitators(ctx, circle), locale=ctx.tr.locale)
        ctx.reply(ctx.tr._(IS_IT_A_MESSAGE, names=leads), choices=confirmations.choices(ctx.tr))
        return
    words = str(data.get("words", ""))
    question = await ctx.session.get(Question, data.get("question"))
    conversations.finish(ctx.conversation, ctx.now)
    if circle is None:
        return
    if said:
        await announcements.pass_on(
            ctx, circle, MessageKind.FORWARDED_TEXT, _words(ctx, circle, words)
        )
        if question is not None:
            _add_to_last_reply(ctx, ctx.tr._(QUESTION_STILL_OPEN), "\n")
        return
    if question is None:  # skipped or lapsed meanwhile: nothing to keep the words as
        ctx.reply(ctx.tr._("OK, I've stopped. Nothing was saved."))
        return
    await _answer_writing(ctx, question, circle, words, checked=True)


async def keep_as_open_answer(ctx: Context, text: str) -> bool:
    """The words after a rating ("5 it was great, we built a loop") answer the check-in's open
    question that the rating just brought: kept as its answer, in place of asking it. False
    when no such question waits (the words are passed on instead)."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None or question.kind != QuestionKind.CHECKIN or not ctx.replies:
        return False
    if NUMBER_ALONE.fullmatch(text.strip(" .!")):
        # "4 5" to two circles' check-ins: the second number rates the other one. With no
        # other rating open it is no words to keep ("4 5" for "4 out of 5").
        rating = await _other_rating(ctx, question)
        if rating is not None and checkins.parse_rating(text, ctx.reader) is not None:
            circle = await ctx.session.get_one(Circle, rating.circle_id)
            await _rate(ctx, rating, circle, text.strip(" .!"))
        return True
    ctx.replies.pop()  # "Thanks, got it!" and the open question, answered already
    await _answer_checkin(ctx, question, text, shown=False)
    return True


async def still_waiting(ctx: Context) -> None:
    """After words went on to the facilitators while the rating question waits: they went as a
    message, not into the check-in, which still waits for its number."""
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is not None and question.kind == QuestionKind.RATING and ctx.replies:
        _add_to_last_reply(ctx, ctx.tr._(checkin_prompts.RATING_STILL_WAITS))


async def _skip(ctx: Context, question: Question) -> None:
    await questions.close(ctx.session, question)
    conversations.offer(ctx.conversation, [])  # its choices answer nothing now
    circle = await ctx.session.get(Circle, question.circle_id)
    if _asks_the_name(question):  # the goal question comes next, as after a name
        goal = await _ask_goal_question(ctx, circle) if circle is not None else ""
        ctx.reply("\n\n".join(filter(None, [ctx.tr._(onboarding.NAME_SKIPPED), goal])))
        return
    skipped = (
        ctx.tr._("OK, skipped. Your earlier answer stays.")
        if await _answered_before(ctx, question)
        else ctx.tr._("OK, skipped. No answer is saved for that one.")
    )
    if question.kind == QuestionKind.SHARE:  # answers stay private: a goal's question is offered
        ctx.reply(skipped)
        await _release_held(ctx, question.circle_id, False)
        return
    if _asks_the_goal(question) and circle is not None:
        # Skipping the goal is not saying no to sharing: that question still comes.
        await _ask_sharing(ctx, circle, SHARE_AFTER_SKIP_KEY)
        ctx.reply(
            skipped + "\n\n" + await _share_question(ctx, circle),
            choices=share_choices(ctx.tr),
        )
        return
    ctx.reply(skipped)


async def _answered_before(ctx: Context, question: Question) -> bool:
    """Whether the skipped question already has the person's written answer, kept as it was: a
    check-in opened again (/checkin) for the same meeting, or a reflection asked again."""
    if question.kind == QuestionKind.CHECKIN and question.meeting_id is not None:
        row = await checkins.of(ctx.session, question.meeting_id, ctx.person_id)
        return row is not None and bool(row.answer)
    if question.kind == QuestionKind.GOAL and question.prompt_key == GOAL_CHANGE_KEY:
        return bool(await reflections.goal_of(ctx.session, ctx.person_id, question.circle_id))
    if question.kind == QuestionKind.REFLECTION:
        found = await ctx.session.exec(
            select(Reflection.id).where(
                Reflection.person_id == ctx.person_id,
                Reflection.circle_id == question.circle_id,
                Reflection.kind == QuestionKind.REFLECTION,
                Reflection.prompt_key == question.prompt_key,
            )
        )
        return found.first() is not None
    return False


async def skip(ctx: Context, args: Args) -> None:
    question = await questions.waiting(ctx.session, ctx.person_id, ctx.now)
    if question is None:
        ctx.reply(ctx.tr._("There's no question waiting for you, so nothing to skip."))
        return
    await _skip(ctx, question)


def prompt_text(tr: Translator, kind: QuestionKind, key: str) -> str | None:
    """The words of a stored prompt, for the portfolio."""
    library = {
        QuestionKind.CHECKIN: checkin_prompts.QUESTIONS,
        QuestionKind.REFLECTION: reflection_prompts.PROMPTS,
    }.get(kind)
    prompt = by_key(library, key) if library else None
    return tr._(prompt.text) if prompt else None


# "Oh good, I can come on Friday!" counts for a meeting this close, at most (a week and a day:
# the next one, and a moved one's new day).
COMING_BY_DAY_WITHIN = timedelta(days=8)


async def note_coming_by_day(ctx: Context, text: str) -> None:
    """Words passed on with nothing asked that say the learner can or can't come on the day
    her next meeting falls ("Oh good, I can come on Friday!" after a meeting moved there):
    that is her answer to "Will you come?", noted and said, so the digest counts it and the
    reminder does not ask again (A19). Said of another day, they are only passed on."""
    yes = coming_said(ctx.tr, text) is not None
    if not yes and not says_not_coming(ctx.tr, text):
        return
    for membership, circle in ctx.memberships:
        if membership.role != Role.LEARNER or circle.id is None:
            continue
        upcoming = next(
            (
                m
                for m in await meetings.schedule(ctx.session, circle.id)
                if m.status != MeetingStatus.CANCELLED and m.starts_at > ctx.now
            ),
            None,
        )
        if (
            upcoming is None
            or upcoming.starts_at - ctx.now > COMING_BY_DAY_WITHIN
            or not _names_its_day(ctx, circle, upcoming, text)
        ):
            continue
        answer = RsvpAnswer.YES if yes else RsvpAnswer.NO
        await rsvps.record(ctx.session, upcoming, ctx.person_id, answer, ctx.now)
        noted = (
            ctx.tr._(
                "I've noted that you're coming to meeting %(number)d, %(when)s.",
                number=upcoming.number,
                when=ctx.tr.when(upcoming.starts_at, _readers_zone(ctx, circle)),
            )
            if yes
            else ctx.tr._(
                "I've noted that you can't come to meeting %(number)d, %(when)s.",
                number=upcoming.number,
                when=ctx.tr.when(upcoming.starts_at, _readers_zone(ctx, circle)),
            )
        )
        _add_to_last_reply(ctx, noted)
        return
