"""The weekly check-in: a 1-5 rating and one open answer per learner per meeting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.chat.messages import Choice
from bot.circles.meetings import local_instant
from bot.dialogue.values import read_count
from bot.rhythm.reflections import clip
from bot.storage.models import CheckIn, Circle, Meeting, MeetingStatus
from prompts import checkin as checkin_prompts

RATINGS = range(1, 6)
NUDGE_AFTER = timedelta(hours=48)


class Timed(Protocol):
    """A meeting's times: a Meeting, or the tick's lighter bot.rhythm.timetable.MeetingTimes."""

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...


def due_at(circle: Circle, meeting: Timed) -> datetime:
    """When a meeting's check-in goes out: N days later at a local time, never before it ends."""
    local_day = meeting.starts_at.astimezone(ZoneInfo(circle.timezone)).date()
    due = local_instant(
        local_day + timedelta(days=circle.checkin_days_after), circle.checkin_time, circle.timezone
    )
    return max(due, meeting.ends_at)


def nudge_at(circle: Circle, checkin: datetime) -> datetime:
    """When the nudge after a check-in goes out: NUDGE_AFTER later at the same local time, so
    a change of the clocks in between doesn't make it an hour early or late (fac 22)."""
    local = checkin.astimezone(ZoneInfo(circle.timezone))
    return local_instant(
        local.date() + timedelta(days=NUDGE_AFTER.days),
        local.time().replace(tzinfo=None),
        circle.timezone,
    )


def gone_out(circle: Circle, meeting: Timed, now: datetime) -> bool:
    """Whether the meeting's check-in has gone out by `now`: until then nobody has been asked
    it, so nobody's silence counts (the digest, /report, the close-out, drifting)."""
    return due_at(circle, meeting) <= now


def rating_choices(tr: Translator) -> list[Choice]:
    """1 to 5, as buttons (or "Reply 1 for hard going, ... or 5 for great" where there are none)."""
    labels = checkin_prompts.RATING_LABELS
    return [Choice(tr._(label), str(n)) for n, label in enumerate(labels, start=1)]


def parse_rating(text: str, tr: Translator | None = None) -> int | None:
    """1 to 5 from the number ("5 !!"), or from the answer's words, in English or the reader's
    language: a label ("good", "bien": buttons show the words, and some people type what they
    read), another word for it ("five", "tano", "pas trop": RATING_WORDS), either with a word
    that softens it ("plutôt bien") or makes it stronger ("very good" is great). Words said
    around it that change nothing are left aside ("it was good", "muy bien gracias":
    RATING_AROUND)."""
    digits = "".join(ch for ch in text if ch.isalnum())
    if digits.isdecimal():  # "5 !!"; a superscript or another script's digit is no rating
        return int(digits) if digits in {str(n) for n in RATINGS} else None
    words = [word for word in (plain(word) for word in text.split()) if word]
    found = _words_rating(words, tr)
    bare = _without_around(words, tr)
    if found is None and bare != words:
        found = _words_rating(bare, tr) or _lone_number(bare)  # "Eine 4.", "it was 5"
    return found


def _lone_number(words: list[str]) -> int | None:
    """The rating `words` (as plain()) are when they are one number of the scale: "4" once the
    words around it are left aside ("Eine 4.", as a German gives a grade)."""
    if len(words) == 1 and words[0] in {str(n) for n in RATINGS}:
        return int(words[0])
    return None


def _without_around(words: list[str], tr: Translator | None) -> list[str]:
    """`words` (as plain()) without the RATING_AROUND words they start or end with: "it was
    good" -> ["good"], "plutôt bien merci" -> ["plutot", "bien"]."""
    listed = checkin_prompts.RATING_AROUND
    phrases = (listed + "," + (tr._(listed) if tr else "")).split(",")
    around = [tuple(plain(word) for word in phrase.split()) for phrase in phrases if phrase.split()]
    changed = True
    while words and changed:
        changed = False
        for phrase in around:
            if tuple(words[: len(phrase)]) == phrase:
                words, changed = words[len(phrase) :], True
            elif len(words) > len(phrase) and tuple(words[-len(phrase) :]) == phrase:
                words, changed = words[: -len(phrase)], True
    return words


def says_more(words: str, tr: Translator | None = None) -> bool:
    """Whether the words sent with a rating ("5 nilifurahi sana") say something beyond the
    words said around one (RATING_AROUND: "4 asante", "5, thanks!"), or the rating again in
    words ("5 super": the open question still follows, frsw 5)."""
    if not any(ch.isdigit() for ch in words) and parse_rating(words, tr) is not None:
        return False  # "4 5" is two ratings (two circles'), read by the caller
    return bool(_without_around([w for w in (plain(word) for word in words.split()) if w], tr))


def _words_rating(words: list[str], tr: Translator | None) -> int | None:
    """The rating a few words (as plain()) give, as parse_rating reads them."""
    if not "".join(words) or len(words) > MAX_RATING_WORDS:
        return None
    ratings = _rating_words(tr)
    # "dificile", "ma o menos": a scale's own word with a letter dropped, added or changed.
    words = [_as_label(word, ratings, tr) for word in words]
    typed = "".join(words)
    found = ratings.get(typed)
    if found is None and len(words) > 1 and _as_label(typed, ratings, tr) != typed:
        found = ratings[_as_label(typed, ratings, tr)]
    if found is not None:
        return found
    milder = _listed(tr, RATING_MILDER)
    for qualifier, rest in _qualified(words):
        if qualifier in milder and rest in ratings:
            return _nearer_the_middle(ratings[rest])  # "ngumu kidogo": hard, a little
    found = _said_twice(words, ratings, tr)
    if found is not None:
        return found
    softer = _listed(tr, checkin_prompts.RATING_SOFTER)
    stronger = _listed(tr, checkin_prompts.RATING_STRONGER)
    for qualifier, rest in _qualified(words):
        rating = ratings.get(rest)
        if rating is None:
            continue
        if qualifier in softer:
            return rating
        if qualifier in stronger:
            return _further_from_the_middle(rating)
    return None


def _said_twice(words: list[str], ratings: dict[str, int], tr: Translator | None) -> int | None:
    """The rating of a few words that each give one and agree ("poa, good", "bien bien"); or,
    when they are a step apart, the one an option shows ("ilikuwa poa, good": poa is okay, and
    good is option 4, which the learner read)."""
    said = [ratings.get(word) for word in words]
    if len(said) < 2 or None in said:
        return None
    found = {rating for rating in said if rating is not None}
    if len(found) == 1:
        return found.pop()
    if max(found) - min(found) > 1:
        return None
    shown = {_label_rating([word], tr) for word in words} - {None}
    return shown.pop() if len(shown) == 1 else None


def leading_rating(text: str, tr: Translator | None = None) -> tuple[int, str] | None:
    """A reply that starts with an option's own words, set apart by punctuation, and says more:
    "muy bien! aprendí mucho" -> (4, "aprendí mucho"), "regular, no vi los videos" -> (2, ...).
    Only the options as shown (RATING_LABELS), maybe with a word that softens or strengthens
    them, or the number as a word ("cinco!! ya entendí los ciclos for"): another RATING_WORDS
    word starts many sentences ("well, I couldn't come"). Words that lead up to it may come
    first (RATING_AROUND), and then the number too: "Ich gebe eine 4. Heute ..." -> (4, ...)."""
    typed = text.split()
    but = _listed(tr, RATING_BUT)
    for count in range(min(MAX_LABEL_WORDS + MAX_AROUND_WORDS, len(typed) - 1), 0, -1):
        last = typed[count - 1]
        said = [plain(word) for word in typed[:count]]
        # "Ich gebe eine 4. Heute ...", "Ich würde sagen: gut, aber ...": words that only
        # lead up to the rating (RATING_AROUND) come first.
        words = [word for word in _without_around(said, tr) if word]
        if not words or len(words) > MAX_LABEL_WORDS:
            continue
        if last[-1:].isalnum() and plain(typed[count]) not in but:
            # "good morning everyone": no mark ends the rating. But "EXCELENTE MIJA GRACIAS",
            # "REGULAR POR LA RODILLA": a label no greeting starts with, opening the reply.
            rating = _label_rating(words, tr) if words == said else None
            if rating in UNMARKED_LABEL_RATINGS or (rating and _a_label_of_words(words, tr)):
                # "ma o menos no entendi los graficos": a label of several words greets no one.
                return stated_number(text) or rating, " ".join(typed[count:])
            continue
        rating = _label_rating(words, tr)
        if rating is None and len(words) == 1:
            rating = _number_word(words[0]) or (_lone_number(words) if words != said else None)
        if rating is not None:
            # "muy bien!! 5", "good. 3": the number typed with a mood word is the rating.
            return stated_number(text) or rating, " ".join(typed[count:])
    return None


# The most words said before a rating in words that ends a reply ("ya le dije excelente", "I
# already said good", "como ya le dije muy bien"): more, and the reply is about something else.
MAX_WORDS_BEFORE_A_RATING = 4
# Translators: words that turn a rating said after them around ("not good", "pas super", "no
# muy bien", "si nzuri"), so a reply holding one never ends on its rating; comma-separated
# single words, as typed without apostrophes too. Keep the English ones.
RATING_NEGATIONS = N_("not, no, never, isn't, isnt, wasn't, wasnt, don't, dont, didn't, didnt")


def trailing_rating(text: str, tr: Translator | None = None) -> int | None:
    """A short reply that ends on a rating in words after a few other words ("YA LE DIJE
    EXCELENTE", "I already said good"): the rating its last words give, as parse_rating reads
    them (the longest ending that gives one: "ya le dije muy bien" is muy bien's 4, not
    bien's 3). None for a question, a reply with a digit (rating_in_words reads those), one
    of more than MAX_WORDS_BEFORE_A_RATING words before its rating, and one whose other
    words turn it around ("it was not good": RATING_NEGATIONS), nor one opening with a number
    word (leading_rating reads it)."""
    if text.rstrip().endswith(("?", "？")) or any(ch.isdigit() for ch in text):
        return None
    words = [word for word in (plain(word) for word in text.split()) if word]
    if words and _number_word(words[0]) is not None:
        return None  # "mbili, email setup ilikuwa ngumu": the number first is the rating
    negations = _listed(tr, RATING_NEGATIONS)
    for count in range(min(MAX_RATING_WORDS, len(words) - 1), 0, -1):
        before = words[:-count]
        if len(before) > MAX_WORDS_BEFORE_A_RATING:
            return None
        rating = _words_rating(words[-count:], tr)
        if rating is not None:
            return None if negations & set(before) else rating
    return None


# The options whose label opens a reply as its rating with no mark after it ("EXCELENTE PERO
# LA SALA ESTABA MUY FRIA", "REGULAR POR LA RODILLA"): never the middle ones, which greet or
# acknowledge ("good morning", "bien reçu", "okay so...").
UNMARKED_LABEL_RATINGS = frozenset({2, 5})
# Translators: words that start a remark after a rating ("great but we could not read", "super
# aber bisschen schnell"); comma-separated. Keep the English ones.
RATING_BUT = N_("but, though, although, however")


# A word just before a rating's digit in a sentence that gives it ("le pongo un 4 porque...",
# "I'd give it a 4", "eine 4"): an article, in a shipped language, never a word of the scale.
_BEFORE_A_GRADE = frozenset({"a", "un", "una", "une", "ein", "eine", "en", "et", "namba"})
# A clause of a reply: up to a mark that ends it ("war ganz ok, aber ...").
_CLAUSE_END = re.compile(r"[,.;:!?…]+")
# The fewest words of a first clause read for a rating: "well, I couldn't come" is no "well".
MIN_CLAUSE_RATING_WORDS = 2


def rating_in_words(text: str, tr: Translator | None = None) -> int | None:
    """The rating a longer answer to "How was it? 1 to 5" gives in passing: its one digit of
    the scale said as a grade ("creo que le pongo un 4 porque...", "un 5 señorita!!! ya se
    prender...", "its ok. i can follow now. would be 4", "nadhani 4"): after an article, or
    ending a clause, and no other digit in the reply ("I came at 5 with 2 friends" is none);
    else its first clause when that is a rating in words ("war ganz ok, aber die Blende...",
    "det var rigtig hyggeligt, men..."). None otherwise."""
    typed = text.split()
    if any(ch.isdigit() for ch in text):
        return _graded_digit(typed)
    clauses = _CLAUSE_END.split(text.strip())
    if len([c for c in clauses if c.strip()]) < 2:
        return None
    # "war ganz ok, aber die Blende...", "Good afternoon. It was good, four I think. ...": the
    # first few clauses, each a rating in words or none, and those that are agree.
    found = {
        rating
        for clause in clauses[:MAX_RATING_CLAUSES]
        if (rating := _clause_rating(clause, tr)) is not None
    }
    if len(found) != 1:
        return None
    return stated_number(text) or found.pop()  # "vizuri sana, lakini nadhani tatu."


def _graded_digit(typed: list[str]) -> int | None:
    """The one digit of the scale among the words `typed`, said as a grade: after an article
    ("un 5 señorita") or ending a clause ("would be 4", "muy bien!! 5"); None when there is
    another digit ("I came at 5 with 2 friends")."""
    with_digits = [at for at, word in enumerate(typed) if any(ch.isdigit() for ch in word)]
    if len(with_digits) != 1:
        return None
    at = with_digits[0]
    raw = typed[at]
    digit = raw.strip("¡!¿?.,;:()\"'*")
    before = plain(typed[at - 1]) if at > 0 else ""
    ends = at == len(typed) - 1 or raw != raw.rstrip("!?.,;:)")
    if digit in {str(n) for n in RATINGS} and (ends or before in _BEFORE_A_GRADE):
        return int(digit)
    return None


def stated_number(text: str) -> int | None:
    """The rating a longer answer states as a number, which wins over its mood words ("It was
    very good but ... Maybe three.", "muy bien!! 5", "good. 3"; sms 13, dada 25): its one digit
    said as a grade (_graded_digit), or a number word from 2 to 5 ending a short clause
    ("Maybe three.", "nadhani tatu."; "one", "uno", "ein" start too many sentences, and "très
    bien" is no three). None when it states none, or two that differ."""
    if any(ch.isdigit() for ch in text):
        return _graded_digit(text.split())
    found = set()
    for clause in _CLAUSE_END.split(text):
        words = [word for word in (plain(word) for word in clause.split()) if word]
        if words and len(words) <= MAX_LABEL_WORDS:
            number = _number_word(words[-1])
            if number is not None and number > 1:
                found.add(number)
    return found.pop() if len(found) == 1 else None


# The clauses of a longer answer read for a rating in words: its opening.
MAX_RATING_CLAUSES = 3


def _clause_rating(clause: str, tr: Translator | None) -> int | None:
    """The rating one clause gives: in words of two or more ("it was good"; "well" alone is
    no rating), or a number word first ("four I think")."""
    typed = clause.split()
    if not typed:
        return None
    if len(typed) >= MIN_CLAUSE_RATING_WORDS:
        rating = parse_rating(clause, tr)
        if rating is not None:
            return rating
    return _number_word(plain(typed[0])) if len(typed) <= MAX_LABEL_WORDS else None


def _number_word(word: str) -> int | None:
    """A rating's number as a word, in any shipped language ("five", "cinco", "tano"), as
    plain(); never a word of two letters, which starts other sentences ("en", "to", "un")."""
    number = read_count(word) if len(word) >= MIN_NUMBER_WORD_CHARS else None
    return number if number in RATINGS else None


MIN_NUMBER_WORD_CHARS = 3


# An option's words at the start of a longer reply: a label of two words and a qualifier.
MAX_LABEL_WORDS = 3
# The most words said before them ("ich würde sagen", "it was").
MAX_AROUND_WORDS = 3


def _label_rating(words: list[str], tr: Translator | None) -> int | None:
    labels: dict[str, int] = {}
    for number, label in enumerate(checkin_prompts.RATING_LABELS, start=1):
        for word in _listed(tr, label):
            labels[word] = number
    for number, label in enumerate(checkin_prompts.RATING_LABELS, start=1):
        for word in _label_heads(tr, label):
            labels.setdefault(word, number)  # "hard": never another label's whole word
    typed = "".join(words)
    found = labels.get(typed)
    if found is None and len(typed) >= MIN_TYPO_LABEL_CHARS:
        # "exelente!!", "ma o menos": a long label with a letter dropped, added or changed.
        near = {n for label, n in labels.items() if one_letter_off(typed, label)}
        found = near.pop() if len(near) == 1 else None
    if found is None and len(words) > 1 and set(words) & set(labels):
        # "muy bien" listed as 4 (RATING_WORDS): said as listed, not "bien" made stronger.
        found = _rating_words(tr).get(typed)
    if found is not None:
        return found
    softer = _listed(tr, checkin_prompts.RATING_SOFTER)
    stronger = _listed(tr, checkin_prompts.RATING_STRONGER)
    milder = _listed(tr, RATING_MILDER)
    for qualifier, rest in _qualified(words):
        rating = labels.get(rest)
        if rating is not None and qualifier in milder:
            return _nearer_the_middle(rating)
        if rating is not None and qualifier in softer:
            return rating
        if rating is not None and qualifier in stronger:
            return _further_from_the_middle(rating)
    return None


def _a_label_of_words(words: list[str], tr: Translator | None) -> bool:
    """Whether `words` (as plain()) are a whole rating label of several words, maybe with a
    letter off ("mas o menos", "ma o menos", "so lala", "hard going")."""
    if len(words) < 2:
        return False
    typed = "".join(words)
    labels = {word for label in checkin_prompts.RATING_LABELS for word in _listed(tr, label)}
    return typed in labels or (
        len(typed) >= MIN_TYPO_LABEL_CHARS and any(one_letter_off(typed, label) for label in labels)
    )


# The shortest label read with a typo ("exelente"): shorter ones are other words.
MIN_TYPO_LABEL_CHARS = 7


def _as_label(typed: str, ratings: dict[str, int], tr: Translator | None) -> str:
    """`typed` (as plain()) as the one rating label (RATING_LABELS, its words joined) it is
    one letter off ("dificile" -> "difficile", "maomenos" -> "masomenos"); else `typed`."""
    if typed in ratings or len(typed) < MIN_TYPO_LABEL_CHARS:
        return typed
    labels = {
        word
        for label in checkin_prompts.RATING_LABELS
        for word in _listed(tr, label)
        if len(word) >= MIN_TYPO_LABEL_CHARS
    }
    near = [label for label in labels if one_letter_off(typed, label)]
    return near[0] if len(near) == 1 else typed


# Translators: words that take an answer one step towards the middle ("hard, a little" is
# so-so: "ngumu kidogo", "un peu difficile"); comma-separated.
RATING_MILDER = N_("A LITTLE, A BIT, SLIGHTLY, SOMEWHAT, A LITTLE BIT")


def one_letter_off(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one letter added, dropped or changed."""
    if abs(len(typed) - len(word)) > 1 or typed == word:
        return False
    if len(typed) == len(word):
        return sum(a != b for a, b in zip(typed, word, strict=True)) == 1
    shorter, longer = sorted((typed, word), key=len)
    return any(longer[:at] + longer[at + 1 :] == shorter for at in range(len(longer)))


def _nearer_the_middle(rating: int) -> int:
    return rating + 1 if rating < 3 else rating - 1 if rating > 3 else rating


def _further_from_the_middle(rating: int) -> int:
    if rating == 3:
        return rating
    return max(rating - 1, 1) if rating < 3 else min(rating + 1, 5)


# A rating in words is a word or a few ("pas trop", "vizuri sana", "really not bad").
MAX_RATING_WORDS = 4


def _listed(tr: Translator | None, msgid: str) -> set[str]:
    """The words of a comma-separated list, in English and the reader's language, as plain()."""
    listed = msgid + "," + (tr._(msgid) if tr else "")
    return {word for word in (plain(part) for part in listed.split(",")) if word}


def _rating_words(tr: Translator | None) -> dict[str, int]:
    """Every word (as plain()) that gives a rating: the labels, then RATING_WORDS."""
    found: dict[str, int] = {}
    for number, listed in enumerate(checkin_prompts.RATING_WORDS, start=1):
        for word in _listed(tr, listed):
            found.setdefault(word, number)
    for number, label in enumerate(checkin_prompts.RATING_LABELS, start=1):
        for word in _listed(tr, label):
            found[word] = number  # a label as shown is what it says, whatever else lists it
    for number, label in enumerate(checkin_prompts.RATING_LABELS, start=1):
        for word in _label_heads(tr, label):
            found.setdefault(word, number)  # "hard" for "hard going", unless listed otherwise
    return found


# The first word of a label of several words says it alone from this many letters on ("hard"
# for "hard going"; A8).
MIN_LABEL_HEAD_CHARS = 4


def _label_heads(tr: Translator | None, label: str) -> set[str]:
    """The first word, as plain(), of a rating label (RATING_LABELS) of several words, in
    English and the reader's language ("hard" for "hard going")."""
    listed = label + "," + (tr._(label) if tr else "")
    return {
        plain(part.split()[0])
        for part in listed.split(",")
        if len(part.split()) > 1 and len(plain(part.split()[0])) >= MIN_LABEL_HEAD_CHARS
    }


def _qualified(words: list[str]) -> list[tuple[str, str]]:
    """(qualifier, the rest) for each way of reading one or two words at either end of a short
    answer as its qualifier: "tres bien" -> ("tres", "bien"); "vizuri sana" -> ("sana", ...)."""
    splits = []
    for count in (1, 2):
        if count < len(words):
            splits.append(("".join(words[:count]), "".join(words[count:])))
            splits.append(("".join(words[-count:]), "".join(words[:-count])))
    return splits


async def open_meeting(session: AsyncSession, circle_id: int, now: datetime) -> Meeting:
    """The meeting whose check-in is open: the last one that has ended, until the next starts."""
    held = (
        await session.exec(
            select(Meeting)
            .where(
                Meeting.circle_id == circle_id,
                Meeting.status != MeetingStatus.CANCELLED,
                col(Meeting.starts_at) <= now,
            )
            .order_by(col(Meeting.starts_at).desc())
        )
    ).first()
    if held is None:
        raise UserError(
            N_("Your circle hasn't met yet. The first check-in comes after the first meeting.")
        )
    if held.ends_at > now:
        raise UserError(
            N_(
                "The meeting is on right now. I'll ask how it went afterwards, "
                "or send /checkin then."
            )
        )
    return held


async def of(session: AsyncSession, meeting_id: int, person_id: int) -> CheckIn | None:
    return (
        await session.exec(
            select(CheckIn).where(CheckIn.meeting_id == meeting_id, CheckIn.person_id == person_id)
        )
    ).first()


async def _row(session: AsyncSession, meeting: Meeting, person_id: int, now: datetime) -> CheckIn:
    """The person's check-in for the meeting, new if they have not answered yet."""
    assert meeting.id is not None
    return await of(session, meeting.id, person_id) or CheckIn(
        circle_id=meeting.circle_id,
        meeting_id=meeting.id,
        person_id=person_id,
        answered_at=now,
        updated_at=now,
    )


async def record_rating(
    session: AsyncSession, meeting: Meeting, person_id: int, rating: int, now: datetime
) -> CheckIn:
    assert rating in RATINGS
    checkin = await _row(session, meeting, person_id, now)
    checkin.rating = rating
    checkin.updated_at = now
    session.add(checkin)
    await session.flush()
    return checkin


async def record_answer(
    session: AsyncSession,
    meeting: Meeting,
    person_id: int,
    prompt_key: str | None,
    text: str,
    now: datetime,
) -> bool:
    """Store the open answer, to the question `prompt_key` (None: words sent with the rating,
    to no question). True when it was shortened to the stored limit."""
    checkin = await _row(session, meeting, person_id, now)
    checkin.answer, clipped = clip(text)
    checkin.prompt_key = prompt_key
    checkin.updated_at = now
    session.add(checkin)
    await session.flush()
    return clipped


@dataclass(frozen=True)
class WeekStats:
    asked: int
    answered: int
    average: float | None


async def for_meetings(session: AsyncSession, meeting_ids: list[int]) -> dict[int, list[CheckIn]]:
    found: dict[int, list[CheckIn]] = {meeting_id: [] for meeting_id in meeting_ids}
    if meeting_ids:
        rows = await session.exec(select(CheckIn).where(col(CheckIn.meeting_id).in_(meeting_ids)))
        for row in rows.all():
            found[row.meeting_id].append(row)
    return found


def stats(checkins: list[CheckIn], learner_ids: list[int]) -> WeekStats:
    mine = [c for c in checkins if c.person_id in set(learner_ids)]
    ratings = [c.rating for c in mine if c.rating is not None]
    average = sum(ratings) / len(ratings) if ratings else None
    return WeekStats(len(learner_ids), len(mine), average)


async def prompts_asked(
    session: AsyncSession, circle_id: int, except_meeting: int | None
) -> set[str]:
    """The open questions this circle has answered in other weeks, so a week repeats none."""
    rows = await session.exec(
        select(CheckIn.prompt_key).where(
            CheckIn.circle_id == circle_id,
            CheckIn.meeting_id != except_meeting,
            col(CheckIn.prompt_key).is_not(None),
        )
    )
    return {key for key in rows.all() if key}
