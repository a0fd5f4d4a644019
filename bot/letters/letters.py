"""Encouragement letters: writing, review and moderation, the global pool, and delivery.

A letter is written near the end of a circle, approved by its facilitator (and by a global
moderator when screening flagged it), then waits in the pool until a circle somewhere else is
about to meet for the first time. Matching rules live in bot/letters/matching.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Number, Translator
from bot.chat.messages import Address, Choice
from bot.circles.own_zones import meets_online
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.letters import languages, matching, screening
from bot.storage.models import (
    Circle,
    Letter,
    LetterDelivery,
    LetterStatus,
    Meeting,
    Membership,
    Person,
    Role,
)
from prompts.library import Prompt

MIN_CHARS, MAX_CHARS = 20, 1000


def invitation_key(circle_id: int, person_id: int) -> OutboxKey:
    """A person's invitation to write a letter for a circle: sent once, by the relay or the
    close-out, whichever comes first."""
    return OutboxKey(MessageKind.LETTER_INVITE, f"circle:{circle_id}", f"person:{person_id}")


def invitation_text(tr: Translator, prompt: Prompt, circle: str | None = None) -> str:
    """A letter invitation as it is sent, with how to answer it (one SMS segment in English).
    `circle`: the one it is about, named for someone in several (about_circle)."""
    return (
        about_circle(tr, circle)
        + tr._(prompt.text)
        + "\n"
        + tr._("Send /letter when you're ready to write.")
    )


def about_circle(tr: Translator, circle: str | None) -> str:
    """The line before an invitation that names the circle ending, for someone in several: it
    is about that one, not the circle they start tomorrow (D12)."""
    return tr._("%(circle)s is nearly over.", circle=circle) + " " if circle else ""


# The choice that begins a letter for a circle, as write_choice makes it.
WRITE_CHOICE = re.compile(r"#(?P<circle>\d+) /letter")


def write_choice(tr: Translator, circle: Circle) -> Choice:
    """The invitation's answer: write a letter (/letter) for the circle it came from."""
    return Choice(tr._("Write a letter"), f"#{circle.id} /letter")


def invited_to_write(payloads: list[str]) -> int | None:
    """The circle whose invitation's choice (write_choice) is among `payloads`, if one is."""
    found = {int(m["circle"]) for p in payloads if (m := WRITE_CHOICE.fullmatch(p))}
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class LetterPolicy:
    """Deployment settings for letters. The application shell builds it from the environment
    (LETTER_MODERATORS, LETTER_MAX_CIRCLES) and the global channels the platforms describe."""

    moderators: frozenset[str] = frozenset()  # accounts as "platform:external id"
    global_channels: tuple[Address, ...] = ()  # where every delivered letter is posted
    max_circles: int = 1  # how many circles one letter may reach


def check_text(text: str) -> str:
    """The letter as it will travel, or a clear refusal (nothing is stored)."""
    text = text.strip()
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        raise UserError(N_("A letter needs some words, not only emoji or symbols. Try again?"))
    if len(text) < MIN_CHARS:
        raise UserError(
            N_("That's a bit short for a letter: at least %(min)d characters, please."),
            min=MIN_CHARS,
        )
    if len(text) > MAX_CHARS:
        raise UserError(
            N_(
                "That's %(count)s characters; a letter can have up to %(max)s. "
                "Could you shorten it?"
            ),
            count=Number(len(text)),
            max=Number(MAX_CHARS),
        )
    return text


async def write(
    session: AsyncSession,
    author: Person,
    circle: Circle,
    text: str,
    signature: str,
    language: str,
    now: datetime,
) -> Letter:
    text = check_text(text)
    letter = Letter(
        circle_id=circle.id or 0,
        author_id=author.id,
        signature=signature,
        city=circle.city,
        country_code=circle.country_code,
        online=meets_online(circle),
        # Its words say it better than the writer's setting (D18: English from a Dane).
        language=languages.written_in(text, language),
        text=text,
        # The signature travels too: it is screened with the text.
        flags=screening.screen(text + "\n" + signature, language, circle.country_code),
        created_at=now,
    )
    session.add(letter)
    await session.flush()
    return letter


async def get(session: AsyncSession, letter_id: int) -> Letter:
    letter = await session.get(Letter, letter_id, with_for_update=True)
    if letter is None:
        raise UserError(N_("There is no letter %(number)d."), number=letter_id)
    return letter


async def review(
    session: AsyncSession,
    letter: Letter,
    approve: bool,
    reason: str | None,
    now: datetime,
    second_look: bool = False,
    moderated: bool = True,
) -> None:
    """The circle facilitator's decision (the caller checks it is their circle). A letter that
    screening flagged, or one that needs a `second_look`, goes on to a moderator; where there
    is none (`moderated` false), a flagged letter cannot be approved: it would wait forever."""
    if letter.status != LetterStatus.REVIEW:
        raise UserError(N_("Letter %(number)d has already been reviewed."), number=letter.id)
    if approve and letter.flags and not moderated:
        # No "moderator" here: a facilitator where there is none has never heard of one.
        raise UserError(
            N_(
                "Letter %(number)d seems to contain contact details, so it can't be approved as "
                "it is: letters travel without them. Reject it with a reason, so its author can "
                "write it again without them."
            ),
            number=letter.id,
        )
    if not approve:
        _reject(letter, reason)
    elif letter.flags or second_look:
        letter.status = LetterStatus.MODERATION
    else:
        _pool(letter, now)
    session.add(letter)


async def moderate(
    session: AsyncSession, letter: Letter, approve: bool, reason: str | None, now: datetime
) -> None:
    if letter.status != LetterStatus.MODERATION:
        raise UserError(N_("Letter %(number)d isn't waiting for a moderator."), number=letter.id)
    if approve:
        _pool(letter, now)
    else:
        _reject(letter, reason)
    session.add(letter)


def _pool(letter: Letter, now: datetime) -> None:
    letter.status = LetterStatus.POOLED
    letter.approved_at = now


def _reject(letter: Letter, reason: str | None) -> None:
    if not reason:
        raise UserError(
            N_("Please give a reason, so the author knows: /letters reject %(number)d REASON"),
            number=letter.id,
        )
    letter.status = LetterStatus.REJECTED
    letter.reject_reason = reason[:500]


async def replace_unapprovable(session: AsyncSession, written: Letter) -> list[int]:
    """A letter written again: the author's earlier letters in the same circle that screening
    flagged, where no moderator can release them (see review), leave the review queue. They
    could only ever be rejected, and the author was told to write them again, which is what
    they just did: no facilitator should reject, nor the author hear about, the old one.
    Returns the numbers of the letters replaced."""
    earlier = (
        await session.exec(
            select(Letter)
            .where(
                Letter.author_id == written.author_id,
                Letter.circle_id == written.circle_id,
                Letter.status == LetterStatus.REVIEW,
                Letter.id != written.id,
            )
            .order_by(col(Letter.id))
            .with_for_update()
        )
    ).all()
    replaced = []
    for letter in earlier:
        if letter.flags:  # a JSON list: read here, not compared in SQL
            letter.status = LetterStatus.WITHDRAWN
            session.add(letter)
            replaced.append(letter.id or 0)
    return replaced


async def waiting_to_go(session: AsyncSession, author_id: int) -> list[Letter]:
    """The author's letters not yet delivered, which they may still take back: newest first."""
    letters = (
        await session.exec(
            select(Letter)
            .where(
                Letter.author_id == author_id,
                col(Letter.status).in_(
                    [LetterStatus.REVIEW, LetterStatus.MODERATION, LetterStatus.POOLED]
                ),
                Letter.deliveries == 0,
            )
            .order_by(col(Letter.created_at).desc(), col(Letter.id).desc())
            .with_for_update()  # the matcher must not deliver one while it is withdrawn
        )
    ).all()
    return list(letters)


async def withdraw(session: AsyncSession, author_id: int, circle_id: int) -> list[Letter]:
    """The author takes back their letters for one circle not yet delivered; those written
    for their other circles stay (an approved one may be waiting for a circle to start)."""
    letters = [x for x in await waiting_to_go(session, author_id) if x.circle_id == circle_id]
    for letter in letters:
        letter.status = LetterStatus.WITHDRAWN
        session.add(letter)
    return letters


async def awaiting(
    session: AsyncSession, circle_ids: list[int], status: LetterStatus
) -> list[Letter]:
    query = select(Letter).where(Letter.status == status).order_by(col(Letter.id))
    if status == LetterStatus.REVIEW:
        query = query.where(col(Letter.circle_id).in_(circle_ids))
    return list((await session.exec(query)).all())


async def received(session: AsyncSession, circle_id: int) -> list[Letter]:
    rows = await session.exec(
        select(Letter)
        .join(LetterDelivery, col(LetterDelivery.letter_id) == Letter.id)
        .where(LetterDelivery.circle_id == circle_id)
        .order_by(col(LetterDelivery.id))
    )
    return list(rows.all())


async def came_to(session: AsyncSession, letter_id: int) -> set[int]:
    """The circles letter `letter_id` came to."""
    rows = await session.exec(
        select(LetterDelivery.circle_id).where(LetterDelivery.letter_id == letter_id)
    )
    return set(rows.all())


@dataclass(frozen=True)
class Arrival:
    circle: Circle
    meeting: Meeting
    letters: list[Letter]


async def match_for(
    session: AsyncSession,
    starting: list[tuple[Circle, Meeting]],
    max_circles: int,
    now: datetime,
    adding: frozenset[int] | None = None,
) -> list[Arrival]:
    """Give each circle about to meet for the first time its letters from the pool.

    Pool rows are locked while matching, so two schedulers cannot both hand out a letter
    beyond `max_circles`; a circle that already has letters keeps them (a repeat adds none).
    Only circles in `adding` (all, when None) get new letters; the others get what they have.
    """
    if not starting:
        return []
    pool = list(
        (
            await session.exec(
                select(Letter)
                .where(Letter.status == LetterStatus.POOLED, Letter.deliveries < max_circles)
                .order_by(col(Letter.id))
                .with_for_update()
            )
        ).all()
    )
    circle_ids = [circle.id for circle, _ in starting if circle.id is not None]
    had: dict[int, list[Letter]] = defaultdict(list)
    for delivery, letter in (
        await session.exec(
            select(LetterDelivery, Letter)
            .join(Letter, col(Letter.id) == LetterDelivery.letter_id)
            .where(col(LetterDelivery.circle_id).in_(circle_ids))
        )
    ).all():
        had[delivery.circle_id].append(letter)
    # A circle's own members never receive their own letters (someone in two circles).
    members: dict[int, set[int]] = defaultdict(set)
    for circle_id, person_id in (
        await session.exec(
            select(Membership.circle_id, Membership.person_id).where(
                col(Membership.circle_id).in_(circle_ids)
            )
        )
    ).all():
        members[circle_id].add(person_id)
    # Nor letters from circles their members learned in: those are classmates, not strangers.
    # Circles someone ran count apart (_run_by_facilitators): a letter never goes back to its
    # own facilitator's next circle, even if that one goes short (fac 21, over lang 28).
    receiving_by_person: dict[int, set[int]] = defaultdict(set)
    for receiving, people in members.items():
        for person_id in people:
            receiving_by_person[person_id].add(receiving)
    shared: dict[int, set[int]] = defaultdict(set)
    for person_id, circle_id in (
        await session.exec(
            select(Membership.person_id, Membership.circle_id).where(
                col(Membership.person_id).in_(sorted(receiving_by_person)),
                Membership.role == Role.LEARNER,
            )
        )
    ).all():
        for receiving in receiving_by_person[person_id] - {circle_id}:
            shared[receiving].add(circle_id)
    run = await _run_by_facilitators(session, circle_ids)
    # Nor a letter whose writer learned in a circle its facilitators ran: her own town's
    # circle, though she wrote it in an online circle elsewhere (D18: "Hello from Odense",
    # written in Hamburg's online circle, went back to Odense, to her former facilitator).
    learned: dict[int, set[int]] = defaultdict(set)
    been_in: dict[int, set[int]] = defaultdict(set)  # as learner or running it
    authors = sorted({letter.author_id for letter in pool if letter.author_id is not None})
    for person_id, circle_id, role in (
        await session.exec(
            select(Membership.person_id, Membership.circle_id, Membership.role).where(
                col(Membership.person_id).in_(authors)
            )
        )
    ).all():
        been_in[person_id].add(circle_id)
        if role == Role.LEARNER:
            learned[person_id].add(circle_id)
    for receiving, ran in run.items():
        members[receiving] |= {author for author, were in learned.items() if were & ran}
    # Nor one whose writer was in a circle its members learned in, running it or learning
    # beside them: a letter from a former facilitator or classmate, written in an online
    # circle elsewhere, is no stranger's (walk dede 29: Mads's letter went back to Aarhus, to
    # the learners of his own earlier circles).
    for receiving, learned_in in shared.items():
        members[receiving] |= {author for author, were in been_in.items() if were & learned_in}
    chosen = _choose(pool, starting, had, members, shared, run, max_circles, adding)
    by_id = {letter.id: letter for letter in pool}
    arrivals = []
    for circle, meeting in starting:
        for letter_id in chosen.get(circle.id or 0, []):
            letter = by_id[letter_id]
            letter.deliveries += 1
            session.add(letter)
            session.add(
                LetterDelivery(
                    letter_id=letter_id,
                    circle_id=circle.id or 0,
                    meeting_id=meeting.id or 0,
                    matched_at=now,
                )
            )
            had[circle.id or 0].append(letter)
        arrivals.append(Arrival(circle, meeting, had[circle.id or 0]))
    await session.flush()
    return arrivals


RUNNING = (Role.FACILITATOR, Role.COFACILITATOR)


async def _run_by_facilitators(session: AsyncSession, circle_ids: list[int]) -> dict[int, set[int]]:
    """For each receiving circle, the circles its facilitators set up and ran (itself among
    them): a letter never goes back to the facilitator who approved it, at her own library
    (fac 21)."""
    running: dict[int, set[int]] = defaultdict(set)  # person -> the receiving circles they run
    for circle_id, person_id in (
        await session.exec(
            select(Membership.circle_id, Membership.person_id).where(
                col(Membership.circle_id).in_(circle_ids), col(Membership.role).in_(RUNNING)
            )
        )
    ).all():
        running[person_id].add(circle_id)
    ran = (
        await session.exec(
            select(Membership.person_id, Membership.circle_id, Membership.joined_at).where(
                col(Membership.person_id).in_(sorted(running)),
                or_(col(Membership.role).in_(RUNNING), col(Membership.facilitated)),
            )
        )
    ).all()
    # Only those who set the circle up: one who learned in it and took it over later (a
    # /handover) did not run it when its letters were written, and her circles elsewhere
    # would otherwise never get a letter from it (D34: Lena's Leipzig letter never reached
    # Aarhus, where Mette, who took Fotografie over, runs every circle).
    founded = await _set_up_at(session, sorted({circle_id for _, circle_id, _ in ran}))
    run: dict[int, set[int]] = defaultdict(set)
    for person_id, circle_id, joined_at in ran:
        if joined_at > founded.get(circle_id, joined_at):
            continue
        for receiving in running[person_id]:
            run[receiving].add(circle_id)
    return run


async def _set_up_at(session: AsyncSession, circle_ids: list[int]) -> dict[int, datetime]:
    """When each circle's first facilitator joined it: when it was set up."""
    rows = await session.exec(
        select(Membership.circle_id, func.min(Membership.joined_at))
        .where(
            col(Membership.circle_id).in_(circle_ids),
            or_(col(Membership.role).in_(RUNNING), col(Membership.facilitated)),
        )
        .group_by(col(Membership.circle_id))
    )
    return {circle_id: joined for circle_id, joined in rows.all()}


# Notices to a letter's writer (it arrived, someone says thanks) come by day in the zone of
# the circle it was written in: an SMS beeps on a feature phone at 5 a.m. too (sms 28).
DAY_STARTS, DAY_ENDS = 8, 21


def by_day(moment: datetime, zone: str) -> datetime:
    """`moment`, or the next DAY_STARTS in `zone` if it falls in the night there."""
    local = moment.astimezone(ZoneInfo(zone))
    if DAY_STARTS <= local.hour < DAY_ENDS:
        return moment
    day = local.date() + timedelta(days=1) if local.hour >= DAY_ENDS else local.date()
    return datetime.combine(day, time(DAY_STARTS), ZoneInfo(zone)).astimezone(moment.tzinfo)


def place(tr: Translator, city: str, country_code: str) -> str:
    """'Detroit, United States' in the reader's language (Babel's country names)."""
    country = Locale.parse(tr.locale).territories.get(country_code.upper(), country_code)
    return tr._("%(city)s, %(country)s", city=city, country=country)


def origin(tr: Translator, letter: Letter) -> str:
    """Where a letter comes from: its city, or "an online circle", whose learners are anywhere
    (its city is where its facilitator is)."""
    if letter.online:
        return tr._("an online circle")
    return place(tr, letter.city, letter.country_code)


def destination(tr: Translator, circle: Circle) -> str:
    """Where a circle receiving a letter is: its city, or "an online circle"."""
    if meets_online(circle):
        return tr._("an online circle")
    return place(tr, circle.city, circle.country_code)


def language_name(tr: Translator, language: str) -> str:
    return Locale.parse(tr.locale).languages.get(language, language)


def signature(tr: Translator, letter: Letter) -> str:
    """The author's chosen name; once they asked to be forgotten, "a learner in Detroit"."""
    return letter.signature or tr._("a learner in %(city)s", city=letter.city)


def as_read(tr: Translator, letter: Letter) -> str:
    """A letter as a receiving circle reads it: verbatim, with a note in the reader's language."""
    return tr._(
        'From %(place)s (written in %(language)s):\n"%(text)s"\n- %(name)s',
        place=origin(tr, letter),
        language=language_name(tr, letter.language),
        text=letter.text,
        name=signature(tr, letter),
    )


def in_reader_language(tr: Translator, letter: Letter) -> bool:
    """Whether the letter is written in the language `tr` speaks to its reader."""
    return letter.language.strip().casefold() == Locale.parse(tr.locale).language


def travelled_note(tr: Translator, letter: Letter) -> str:
    """Why a letter comes in a language other than its reader's, in hers: matching gives a
    circle a letter it can't read only when none in its language was free."""
    return tr._(
        "Letters travel between circles all over the world: this one is in %(language)s.",
        language=language_name(tr, letter.language),
    )


def from_afar(tr: Translator, letter: Letter, text: str) -> str:
    """A letter (or its beginning, `text`) after travelled_note, which names its language."""
    return tr._(
        'From %(place)s:\n"%(text)s"\n- %(name)s',
        place=origin(tr, letter),
        text=text,
        name=signature(tr, letter),
    )


def as_read_by(tr: Translator, letter: Letter) -> str:
    """A letter as one reader (or a group chat) reads it: as_read, or, in a language other than
    theirs, with why first."""
    if in_reader_language(tr, letter):
        return as_read(tr, letter)
    return travelled_note(tr, letter) + "\n" + from_afar(tr, letter, letter.text)


def as_relayed(tr: Translator, letter: Letter, to: Circle) -> str:
    """A letter as the global channel posts it."""
    return tr._(
        'From %(origin)s to %(destination)s:\n"%(text)s"\n- %(name)s',
        origin=origin(tr, letter),
        destination=destination(tr, to),
        text=letter.text,
        name=signature(tr, letter),
    )


def _choose(
    pool: list[Letter],
    starting: list[tuple[Circle, Meeting]],
    had: dict[int, list[Letter]],
    members: dict[int, set[int]],
    shared: dict[int, set[int]],
    run: dict[int, set[int]],
    max_circles: int,
    adding: frozenset[int] | None,
) -> dict[int, list[int]]:
    if not pool:
        return {}
    recipients = [
        matching.Recipient(
            circle_id=circle.id or 0,
            city=circle.city,
            country_code=circle.country_code,
            online=meets_online(circle),
            language=circle.language,
            starts_at=meeting.starts_at,
            wanted=max(0, circle.letters_wanted - len(had[circle.id or 0]))
            if adding is None or circle.id in adding
            else 0,
            authors_already=frozenset(x.author_id for x in had[circle.id or 0] if x.author_id)
            | frozenset(members[circle.id or 0]),
            letters_already=frozenset(x.id for x in had[circle.id or 0] if x.id),
            circles_shared=frozenset(shared[circle.id or 0]),
            circles_run=frozenset(run[circle.id or 0]),
        )
        for circle, meeting in starting
    ]
    chosen = matching.match(
        [
            matching.PoolLetter(
                id=letter.id or 0,
                author_id=letter.author_id,
                circle_id=letter.circle_id,
                city=letter.city,
                country_code=letter.country_code,
                online=letter.online,
                language=letter.language,
                approved_at=letter.approved_at or letter.created_at,
                deliveries=letter.deliveries,
            )
            for letter in pool
        ],
        recipients,
        max_circles,
    )
    return chosen
