"""Attendance: who came to each meeting, ticked by a facilitator or said by the learner."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Translator
from bot.chat.keywords import plain
from bot.storage.models import Attendance, AttendanceSource, Meeting, MeetingStatus

# /here works from a little before the start (people arrive early) to the end.
EARLY_ARRIVAL = timedelta(minutes=30)
# Translators: words said around the names of who came ("came Lucía and Arturo", "only
# Arturo"), skipped when taking attendance by name; comma-separated single words. Never a word
# that says someone did not come.
FILLERS = N_("came, only, just, present, here")


async def present(session: AsyncSession, meeting_id: int) -> set[int]:
    rows = await session.exec(
        select(Attendance.person_id).where(Attendance.meeting_id == meeting_id)
    )
    return set(rows.all())


async def mark(
    session: AsyncSession,
    meeting_id: int,
    person_id: int,
    source: AttendanceSource,
    now: datetime,
) -> bool:
    """Record that someone came. False when they were already marked."""
    if person_id in await present(session, meeting_id):
        return False
    session.add(
        Attendance(meeting_id=meeting_id, person_id=person_id, source=source, recorded_at=now)
    )
    await session.flush()
    return True


async def record(
    session: AsyncSession,
    meeting_id: int,
    came: Iterable[int],
    absent: Iterable[int],
    now: datetime,
) -> set[int]:
    """A facilitator's ticks: `came` are marked here, `absent` unmarked. Returns who is here."""
    rows = {
        row.person_id: row
        for row in (
            await session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id))
        ).all()
    }
    for person_id in set(absent):
        if person_id in rows:
            await session.delete(rows.pop(person_id))
    for person_id in set(came) - set(rows):
        session.add(
            Attendance(
                meeting_id=meeting_id,
                person_id=person_id,
                source=AttendanceSource.FACILITATOR,
                recorded_at=now,
            )
        )
    await session.flush()
    return await present(session, meeting_id)


async def confirm(
    session: AsyncSession, meeting_id: int, person_ids: Iterable[int], now: datetime
) -> None:
    """A facilitator said "done" to a sheet: those the learners marked themselves (/here) are
    now on the facilitator's list too, so the meeting counts as taken (no reminder to take
    it, and whoever is not on it missed it)."""
    wanted = set(person_ids)
    rows = await session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id))
    for row in rows.all():
        if row.person_id in wanted and row.source != AttendanceSource.FACILITATOR:
            row.source = AttendanceSource.FACILITATOR
            session.add(row)
    await _mark_taken(session, meeting_id, now)


async def nobody_came(session: AsyncSession, meeting_id: int, now: datetime) -> None:
    """A facilitator said nobody came: the meeting is taken, with no one present (a 0 in the
    reports, not "not taken")."""
    await _mark_taken(session, meeting_id, now)


async def _mark_taken(session: AsyncSession, meeting_id: int, now: datetime) -> None:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is not None:
        meeting.attendance_taken_at = now
        session.add(meeting)
    await session.flush()


def held(meeting: Meeting, now: datetime) -> bool:
    """Whether the meeting counts in the figures: it has ended, or it is under way and a
    facilitator has taken attendance (who came is known; today's learners are not "missing")."""
    return meeting.ends_at <= now or (
        meeting.starts_at <= now and meeting.attendance_taken_at is not None
    )


async def taken_with_nobody(session: AsyncSession, meeting_ids: Iterable[int]) -> set[int]:
    """The meetings a facilitator marked as taken (attendance_taken_at), whoever came."""
    ids = list(meeting_ids)
    if not ids:
        return set()
    rows = await session.exec(
        select(Meeting.id).where(
            col(Meeting.id).in_(ids), col(Meeting.attendance_taken_at).is_not(None)
        )
    )
    return {m for m in rows.all() if m is not None}


async def taken_by_facilitator(session: AsyncSession, meeting_ids: Iterable[int]) -> set[int]:
    """The meetings a facilitator has ticked attendance for (a learner's /here alone is not
    the whole list), or said nobody came to."""
    ids = list(meeting_ids)
    if not ids:
        return set()
    rows = await session.exec(
        select(Attendance.meeting_id)
        .where(
            col(Attendance.meeting_id).in_(ids),
            Attendance.source == AttendanceSource.FACILITATOR,
        )
        .distinct()
    )
    return set(rows.all()) | await taken_with_nobody(session, ids)


async def happening(session: AsyncSession, circle_id: int, now: datetime) -> Meeting:
    """The meeting someone can say /here to right now."""
    meeting = (
        await session.exec(
            select(Meeting).where(
                Meeting.circle_id == circle_id,
                Meeting.status != MeetingStatus.CANCELLED,
                col(Meeting.starts_at) <= now + EARLY_ARRIVAL,
                col(Meeting.ends_at) > now,
            )
        )
    ).first()
    if meeting is None:
        raise UserError(N_("There's no meeting on right now. You can say /here during a meeting."))
    return meeting


async def latest_started(session: AsyncSession, circle_id: int, now: datetime) -> Meeting:
    """The meeting attendance is usually about: the one on now, or the last one."""
    meeting = (
        await session.exec(
            select(Meeting)
            .where(
                Meeting.circle_id == circle_id,
                Meeting.status != MeetingStatus.CANCELLED,
                col(Meeting.starts_at) <= now + EARLY_ARRIVAL,
            )
            .order_by(col(Meeting.starts_at).desc())
        )
    ).first()
    if meeting is None:
        raise UserError(N_("No meeting has taken place yet, so there's no attendance to take."))
    return meeting


async def counts_by_meeting(session: AsyncSession, meeting_ids: list[int]) -> dict[int, int]:
    if not meeting_ids:
        return {}
    rows = await session.exec(
        select(Attendance.meeting_id).where(col(Attendance.meeting_id).in_(meeting_ids))
    )
    counted: dict[int, int] = dict.fromkeys(meeting_ids, 0)
    for meeting_id in rows.all():
        counted[meeting_id] += 1
    return counted


async def taken(session: AsyncSession, meeting_ids: list[int]) -> set[int]:
    """The meetings someone recorded attendance for (ticked, or a learner's /here). For the
    others nobody knows who came: shown as "not taken", never as 0."""
    if not meeting_ids:
        return set()
    rows = await session.exec(
        select(Attendance.meeting_id).where(col(Attendance.meeting_id).in_(meeting_ids)).distinct()
    )
    # "Nobody came" leaves no row but is taken all the same.
    return set(rows.all()) | await taken_with_nobody(session, meeting_ids)


@dataclass(frozen=True)
class Ticks:
    """A facilitator's answer to the attendance sheet: numbers on it (1-based), ticked or
    unticked (-2), and whether they are done."""

    came: set[int]
    unticked: set[int]
    done: bool


def read_ticks(tr: Translator, text: str, count: int) -> Ticks | None:
    """'1 3', '-2', 'done', or numbers then done ('1 done', '1, 3 done'): ticks and finishing
    in one message. None when a word is neither done nor a number on the sheet."""
    words = text.replace(",", " ").casefold().split()
    done_words = {"done", tr._("done").casefold()}
    done = bool(words) and words[-1] in done_words
    if done:
        words = words[:-1]
    elif not words:
        return None
    came: set[int] = set()
    unticked: set[int] = set()
    for word in words:
        number = word.removeprefix("-")
        # Length first: a number of any size is refused before int() reads it.
        if not (number.isdecimal() and len(number) <= 4 and 1 <= int(number) <= count):
            return None
        (unticked if word.startswith("-") else came).add(int(number))
    return Ticks(came=came, unticked=unticked - came, done=done)


# Translators: words in a sentence on the attendance sheet that say someone did NOT come
# ("bea wasn't there", "otis hakuja", "søren var syg"), comma-separated, as typed without
# apostrophes too. Said near a name, they untick it.
ABSENT_WORDS = N_(
    "not, no, wasn't, wasnt, didn't, didnt, couldn't, couldnt, absent, missing, sick, ill, away"
)
# Translators: words that say why someone was away, said after a name on the attendance
# sheet ("Koffi was travelling", "Koffi voyageait", "Koffi war verreist"), comma-separated
# single words: travel, holiday, work, being busy or excused. Never a word for being there.
AWAY_WORDS = N_(
    "travelling, traveling, travelled, traveled, travel, trip, holiday, holidays, vacation, "
    "work, working, busy, excused"
)
# Translators: words said after a name on the attendance sheet and before the place where
# that one was instead ("Rehema was in Nairobi", "Rehema était à Nairobi", "Rehema alikuwa
# Nairobi"), comma-separated, a phrase of up to three words. Never one that is said of the
# meeting's own place ("was at the library" is kept as came only by its "the").
ELSEWHERE = N_("was in, was at, were in, were at, is in, is at, stayed in, went to, was away in")
# Translators: other small words said around names on the attendance sheet ("came too, late",
# "was there as well"), comma-separated single words: never a name, never read as one.
SENTENCE_WORDS = N_(
    "too, also, late, early, was, were, there, is, the, but, oops, wait, arrived, with, "
    "my, our, came, in, on, time, today, well, as, again"
)
# Translators: words said between "everyone" and the names of who did NOT come on the
# attendance sheet ("everyone except Moussa", "tout le monde sauf Moussa", "wote isipokuwa
# Zawadi"), comma-separated, a phrase of a few words where your language says it so. Keep the
# English ones.
EXCEPT = N_("except, but, apart from, besides, minus, other than")
# A word said this close to a name (in words, same clause) says that one didn't come.
_ABSENT_BEFORE = 2
_ABSENT_AFTER = 3
# A typed word this long that starts like one of a name's words, alone on the sheet, is that
# name ("juanita" for Juana).
_SHARED_START = 4


@dataclass(frozen=True)
class SheetWords:
    """The word lists a sentence on the sheet is read with (bot.chat.keywords.words)."""

    fillers: frozenset[str]
    absent: frozenset[str]
    everyone: frozenset[str]
    both: frozenset[str]  # everyone, on a sheet of two ("both", "beide", "les deux")
    nobody: frozenset[str]
    done: frozenset[str]
    # EXCEPT's words and phrases (as plain()): after "everyone", the names that follow in the
    # clause did not come.
    but: frozenset[str] = frozenset()
    # The number of people on the sheet in words ("trois", "three", "tatu"): "les trois sont
    # venus" is everyone, when the sentence names no one.
    all_of: frozenset[str] = frozenset()
    # ELSEWHERE's phrases (as plain()), and the words never a place after them ("was in
    # time", "alikuwa hapa"): "X was in Nairobi" says X didn't come.
    elsewhere: frozenset[str] = frozenset()
    no_place: frozenset[str] = frozenset()


@dataclass(frozen=True)
class SheetSentence:
    """What a sentence on the attendance sheet says: sheet numbers (1-based) ticked and
    unticked, whether nobody came or it is done; names it has that the sheet hasn't, each with
    the sheet's name it is most like ("" if none)."""

    came: set[int]
    unticked: set[int]
    done: bool
    nobody: bool
    unknown: list[tuple[str, str]]

    @property
    def understood(self) -> bool:
        return bool(self.came or self.unticked or self.nobody or self.unknown)


def _shared_start(one: str, other: str) -> int:
    n = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        n += 1
    return n


def _place_after(
    tokens: list[str], after: Iterable[int], said: SheetWords, known: Iterable[str]
) -> str:
    """The place said after a name with ELSEWHERE ("was in Nairobi"), or "": the word right
    after the phrase, when it is no small word and no name on the sheet ("was in time")."""
    words = set(known) | said.no_place
    for at in after:
        for k in (3, 2, 1):
            if at + k < len(tokens) and plain("".join(tokens[at : at + k])) in said.elsewhere:
                word = plain(tokens[at + k])
                if word and not word.isdecimal() and word not in words:
                    return tokens[at + k]
    return ""


def read_sentence(text: str, names: list[str], said: SheetWords) -> SheetSentence:
    """Names, numbers and "nobody" inside a sentence ("carlos came too, late", "zawadi
    alikuja, otis hakuja", "ingen, søren var syg", "oops no bea wasnt there -1"): a name is a
    whole name, a word of one that only one learner has ("pedro" for don Pedro), or a longer
    start only one has ("juanita" for Juana); a word that says someone didn't come unticks
    the name beside it. A capitalised word that is no name (or any unknown word in a short
    answer) is a name the sheet hasn't, with the nearest name on the sheet."""
    count = len(names)
    full = {plain(name): n for n, name in enumerate(names, 1) if name}
    by_word: dict[str, set[int]] = {}
    for n, name in enumerate(names, 1):
        for word in name.split():
            if len(plain(word)) >= 2:
                by_word.setdefault(plain(word), set()).add(n)
    known = (
        said.fillers
        | said.absent
        | said.everyone
        | said.both
        | said.done
        | said.nobody
        | said.but
        | said.all_of
    )
    # "tout le monde", "kila mtu", "les deux": everyone in one word or a few.
    everyone = said.everyone | (said.both if count == 2 else frozenset())

    def spans(tokens: list[str], words: frozenset[str], at: int) -> int:
        """How many tokens from `at` say one of `words` (a phrase of up to three), or 0."""
        return next((k for k in (3, 2, 1) if plain("".join(tokens[at : at + k])) in words), 0)

    every_token = [t for t in re.split(r"[^\w'’-]+", text) if t.strip("-'’")]
    # "tout le monde sauf Moussa", "sauf Moussa, tous": EXCEPT's words count only beside an
    # "everyone" ("Mariam came but Awa was late" unticks no one).
    says_everyone = any(spans(every_token, everyone, at) for at in range(len(every_token)))
    said_all_of = False

    def who(word: str) -> int | None:
        if word in full:
            return full[word]
        if len(by_word.get(word, ())) == 1:
            return next(iter(by_word[word]))
        if len(word) >= _SHARED_START and word not in known:
            near = {
                n
                for own, ns in by_word.items()
                if _shared_start(word, own) >= _SHARED_START
                for n in ns
            }
            if len(near) == 1:
                return next(iter(near))
        return None

    came: set[int] = set()
    unticked: set[int] = set()
    unknown: list[tuple[str, str]] = []
    places: set[str] = set()  # "Nairobi" of "Rehema was in Nairobi": no name the sheet lacks
    done = nobody = False
    short = len(text.split()) <= 3
    clauses = [c for c in re.split(r"[,;.!?\n]+|\s+-\s+", text) if c.strip()]
    if plain(text) in said.done:
        return SheetSentence(set(), set(), True, False, [])
    for index, clause in enumerate(clauses):
        tokens = [t for t in re.split(r"[^\w'’-]+", clause) if t.strip("-'’")]
        plains = [plain(t) for t in tokens]
        if plain(clause) in said.done:
            done = True
            continue
        if index == 0 and (
            plain(clause) in said.nobody
            or (any(p in said.nobody for p in plains) and all(p in known for p in plains))
        ):
            nobody = True
            continue
        found: list[tuple[int, int]] = []  # (token position, sheet number)
        excepted: set[int] = set()  # token positions after "except"
        excepting = False
        at = 0
        while at < len(tokens):
            token, word = tokens[at], plains[at]
            said_everyone = spans(tokens, everyone, at)
            if said_everyone:
                came.update(range(1, count + 1))
                at += said_everyone
                continue
            said_but = spans(tokens, said.but, at) if says_everyone else 0
            if said_but:
                excepting = True
                at += said_but
                continue
            if excepting:
                excepted.add(at)
            if word in said.all_of:
                said_all_of = True
                at += 1
                continue
            pair = plain("".join(tokens[at : at + 2])) if at + 1 < len(tokens) else ""
            if pair in full:
                found.append((at, full[pair]))
                at += 2
                continue
            if any(ch.isnumeric() for ch in token):
                number = token.removeprefix("-")
                if not (number.isdecimal() and len(number) <= 4 and 1 <= int(number) <= count):
                    # A number not on the sheet: nothing is ticked, as with numbers alone.
                    return SheetSentence(set(), set(), False, False, [])
                away = token.startswith("-") or excepting  # "tous sauf 3"
                (unticked if away else came).add(int(number))
            elif word in said.done:
                done = True
            elif (listed := who(word)) is not None:
                found.append((at, listed))
            elif (
                word
                and word not in known
                and not word.isdecimal()
                # "no vino", "pas venue": the verb after a "not", no name (sms 30).
                and not (at > 0 and plains[at - 1] in said.absent and token.islower())
            ):
                guess = difflib.get_close_matches(word, list(by_word), n=1, cutoff=0.6)
                named = token[:1].isupper() and at > 0
                if guess or named or short:
                    shown = ""
                    if guess:
                        shown = next(
                            names[n - 1] for n in sorted(by_word[guess[0]]) if names[n - 1]
                        )
                    unknown.append((token, shown))
            at += 1
        spots = [position for position, _ in found]
        for i, (position, n) in enumerate(found):
            start = max(spots[i - 1] + 1 if i else 0, position - _ABSENT_BEFORE)
            end = min(
                spots[i + 1] if i + 1 < len(spots) else len(plains), position + 1 + _ABSENT_AFTER
            )
            near = plains[start:position] + plains[position + 1 : end]
            place = _place_after(tokens, range(position + 1, end), said, known | by_word.keys())
            if place:
                places.add(place)
            away = position in excepted or bool(place) or any(w in said.absent for w in near)
            (unticked if away else came).add(n)
    unknown = [(token, like) for token, like in unknown if token not in places]
    if said_all_of and not (came or unticked):
        # "les trois sont venus", "vinieron los tres": everyone, and its words no names.
        came.update(range(1, count + 1))
        unknown = []
    if not (came or unticked or short):
        unknown = []  # a question or a story with no name of the sheet in it: no names at all
    return SheetSentence(came - unticked, unticked, done, nobody and not came, unknown)
