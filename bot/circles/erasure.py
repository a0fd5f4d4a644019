"""/forget: erase a person and everything they wrote, in one transaction.

Their own rows go: account, memberships, answers, questions, letters still waiting, the
messages to them. So do the copies: what they are called and what they wrote was copied into
messages to other people, sent or still waiting, and those are rewritten, since they carry news
of others too (a digest still goes out, without them). Only a notice that they left, still
waiting, is not sent at all.

- their name and written answers, in the messages to the people they shared a circle with and
  to the circle's group chats (digests that quote or name them, join notices, the replies to
  /roster, /attendance and /export, CSV files included), and in those people's conversations:
  "[name deleted]", "[deleted]", and a digest's line quoting them goes;
- their words passed on to facilitators (announcement replies, texts by SMS): deleted;
- a letter still waiting for its review (or turned down, taken back): deleted, with its review
  notices; in other copies (a moderator's /letters) its words become "[deleted]";
- a delivered letter, or an approved one still travelling: its words stay with the circles
  that read it, signed "a learner in <city>" in the letter and in every copy (previews, the
  letters learners and group chats got, the global channel's post, the thank-you replies);
- a team they created: their name (or a part of it) is taken out of its name, here and in the
  messages to the facilitators of its circles.

In a circle that is over, their place in its figures stays, without a name (_keep_the_numbers):
attendance, ratings, their course rating, the SMS segments their phone took.

Retention (bot/reports/retention.py) takes the same copies apart for a circle long after its last
meeting: what its members wrote there (take_out_circle), and later a person's name, once nothing
still needs it (forget_name).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, cast, false, or_, tuple_, update
from sqlalchemy.sql import ColumnElement
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_, Catalogs, Translator
from bot.chat.platforms import Platforms
from bot.circles import meetings, phone_numbers
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.storage.models import (
    FACILITATING,
    Account,
    Attendance,
    ChatPresence,
    CheckIn,
    Circle,
    CircleStatus,
    Conversation,
    CourseSurvey,
    JoinAttempt,
    Letter,
    LetterStatus,
    LinkCode,
    LinkedChat,
    Meeting,
    Membership,
    OutboxMessage,
    OutboxStatus,
    PassedOn,
    Person,
    Question,
    Reflection,
    Role,
    Rsvp,
    Team,
    TeamCircle,
    TeamOrganizer,
)
from locales import LOCALES_DIR

# What a copy says instead. The first two are new strings; the others are the wording of the
# messages they rewrite, so the catalogs already have them.
NAME_GONE = N_("[name deleted]")
WORDS_GONE = N_("[deleted]")
SIGNED_BY = N_("a learner in %(city)s")  # bot/letters/letters.signature, for a forgotten author
THANKS_ON_ITS_WAY = N_("Your thanks is on its way to %(name)s.")  # bot/letters/commands.thanks
UNNAMED = N_("Circle member")  # bot/core/router.py: someone whose platform gives no name
# How facilitators read of a learner who has given no name yet (a texter's first message):
# never the stored "Circle member", in English, as if it were her name (D23).
NO_NAME_YET = N_("A newcomer (no name yet)")
# Whose name and accounts /forget took, kept in a finished circle's head-counts (D20).
FORGOTTEN = N_("Someone who deleted their data")
TEAM_NAME = N_("Team %(number)d")  # a team whose name was only its creator's name

# Written answers are found by their first characters, then followed as far as they match: a
# digest quotes a long answer cut short with "…". Shorter answers are only taken out of messages
# that also name the person (a digest's quote, a CSV line), so a "Fine" elsewhere stays.
HEAD = 20
# A notice to facilitators only about the person, still waiting: not sent. (Not a join notice:
# those gather several joiners into one message, so it may name others too.)
ONLY_ABOUT_THEM = frozenset({MessageKind.MEMBER_LEFT})
_POSSESSIVE = r"(?:['’]s|['’])?"


def passed_on_by(person_id: int) -> str:
    """The start of the outbox key occurrence of a learner's words passed on to facilitators
    (bot/rhythm/commands/announcements.pass_on), so erasure finds them."""
    return f"from:person:{person_id}@"


async def check_can_forget(
    session: AsyncSession, person: Person, now: datetime | None = None
) -> None:
    """A circle's lead facilitator must hand over first: a circle needs someone to run it
    (one that has finished, as of `now`, no longer does)."""
    found = (
        await session.exec(
            select(Circle.name, col(Circle.id))
            .join(Membership, col(Membership.circle_id) == Circle.id)
            .where(
                Membership.person_id == person.id,
                Membership.role == Role.FACILITATOR,
                Circle.status == CircleStatus.ACTIVE,
            )
        )
    ).all()
    leads = [
        name
        for name, circle_id in found
        if now is None or circle_id is None or not await meetings.is_over(session, circle_id, now)
    ]
    if leads:
        raise UserError(
            N_(
                "You facilitate %(circle)s, so I can't delete you yet: a circle needs its "
                "facilitator. Make someone a co-facilitator and hand it over with /handover "
                "NAME, or end it with /close (/delete before it has met)."
            ),
            circle=", ".join(leads),  # every one of them at once (G4, D51)
        )


async def forget(
    session: AsyncSession,
    person: Person,
    catalogs: Catalogs | None = None,
    now: datetime | None = None,
    platforms: Platforms | None = None,
) -> None:
    """Delete the person, their accounts, memberships, answers and messages to them, and take
    their name and words out of every copy (see the module's docstring). `platforms`: those
    billed per SMS segment, whose figures a circle that is over keeps."""
    await check_can_forget(session, person, now)
    await session.flush()
    catalogs = catalogs or Catalogs(LOCALES_DIR)
    traces = await _traces(session, person, catalogs)
    if now is not None:
        await _keep_the_numbers(session, traces.person_id, catalogs, now, platforms or Platforms())
    await _keep_message_numbers(session, traces.person_id, catalogs, now)
    await _delete_their_rows(session, traces)
    copies = _Copies(traces, catalogs)
    await _letters(session, traces, copies, catalogs)
    await _teams(session, traces, copies, catalogs)
    await _rewrite_outbox(session, [(traces, copies)], catalogs)
    await _rewrite_conversations(session, [(traces, copies)], catalogs)
    await session.exec(delete(Account).where(col(Account.person_id) == traces.person_id))
    await session.exec(delete(Person).where(col(Person.id) == traces.person_id))
    # The objects of this message's own person, account and conversation are gone now.
    session.expunge_all()


async def _keep_the_numbers(
    session: AsyncSession,
    person_id: int,
    catalogs: Catalogs,
    now: datetime,
    platforms: Platforms,
) -> None:
    """In the circles that are over, the person's place in the head-counts goes to a nameless
    record ("Circle member", no account, no words): attendance, RSVPs, ratings and the
    membership stay, so the figures a facilitator already reported don't change (fac 28), as
    retention keeps them (bot/reports/retention.py). Their name and words go as everywhere."""
    joined = await session.exec(
        select(Membership.circle_id).where(Membership.person_id == person_id)
    )
    over = [c for c in joined.all() if await meetings.is_over(session, c, now)]
    if not over:
        return
    nameless = Person(display_name=catalogs.translator(None)._(UNNAMED), created_at=now)
    session.add(nameless)
    await session.flush()
    assert nameless.id is not None
    for circle_id in over:
        await _keep_what_was_sent(
            session, person_id, nameless.id, circle_id, catalogs, now, platforms
        )
    theirs = select(Meeting.id).where(col(Meeting.circle_id).in_(over))
    moves: list[tuple[Any, ColumnElement[bool]]] = [
        (Membership, col(Membership.circle_id).in_(over)),
        (Attendance, col(Attendance.meeting_id).in_(theirs)),
        (Rsvp, col(Rsvp.meeting_id).in_(theirs)),
    ]
    for table, where in moves:
        await session.exec(
            update(table)
            .where(col(table.person_id) == person_id, where)
            .values(person_id=nameless.id)
        )
    # A rating is a number; the words with it go.
    await session.exec(
        update(CheckIn)
        .where(col(CheckIn.person_id) == person_id, col(CheckIn.circle_id).in_(over))
        .values(person_id=nameless.id, answer=None, prompt_key=None)
    )
    # So is their rating of the course in its survey, which the course's record counts
    # (dada 19: the course left /courses); their tip is words, and goes.
    await session.exec(
        update(CourseSurvey)
        .where(col(CourseSurvey.person_id) == person_id, col(CourseSurvey.circle_id).in_(over))
        .values(person_id=nameless.id, tip=None, tip_shared=False, tip_flags=[])
    )


async def _keep_what_was_sent(
    session: AsyncSession,
    person_id: int,
    nameless_id: int,
    circle_id: int,
    catalogs: Catalogs,
    now: datetime,
    platforms: Platforms,
) -> None:
    """The SMS segments and paid messages that went to them stay in the circle's figures
    (dada 19: "SMS: 30 segments" became 0): the messages to them go, so one emptied row
    keyed on the circle, addressed to nobody, keeps the count, as retention's emptied rows do
    (bot/reports/retention.py)."""
    # Here, not at the top: the reports import the rhythm, which imports this module.
    from bot.reports import reports

    sms, paid = await reports.sent_to(session, catalogs, platforms, circle_id, person_id)
    if not sms and not paid:
        return
    billed = platforms.billed_per_segment()
    payload: dict[str, Any] = {"text": "", "locale": None, reports.SEGMENTS: sms}
    if paid:
        payload[outbox.BILLED] = paid
    session.add(
        OutboxMessage(
            idempotency_key=f"forgotten|circle:{circle_id}|person:{nameless_id}|",
            kind=MessageKind.REPLY,
            platform=billed[0].name if billed else "",
            chat_id="",
            payload=payload,
            status=OutboxStatus.SENT,
            next_attempt_at=now,
            created_at=now,
            sent_at=now,
        )
    )


async def _keep_message_numbers(
    session: AsyncSession, person_id: int, catalogs: Catalogs, now: datetime | None
) -> None:
    """The numbers of their messages passed on to facilitators (/reply N) stay taken, by a
    nameless person with no account and no circle: a number a facilitator once read is never
    given to someone else's message, so an old /reply N can't reach another learner (D44),
    and it is answered "they deleted their data" (bot/rhythm/commands/announcements)."""
    numbered = await session.exec(select(PassedOn.id).where(PassedOn.person_id == person_id))
    if numbered.first() is None:
        return
    when = now or datetime.now(UTC)
    gone = Person(display_name=catalogs.translator(None)._(UNNAMED), created_at=when)
    session.add(gone)
    await session.flush()
    await session.exec(
        update(PassedOn).where(col(PassedOn.person_id) == person_id).values(person_id=gone.id)
    )


# -- Retention: a circle long after its last meeting (bot/reports/retention.py) ----------------


def unnamed_names(catalogs: Catalogs) -> set[str]:
    """The name of someone with none of their own ("Circle member"), in every language."""
    return {catalogs.translator(code)._(UNNAMED) for code in catalogs.locales}


def nameless(name: str, catalogs: Catalogs) -> bool:
    """Whether `name` is no name of the person's own to greet them by: "Circle member" in any
    language (SMS gives none), or a phone number where a gateway gave one as the name. Such a
    person is greeted without one ("Hi!"), never "Hallo Circle member!" or "Hi +2547...!"."""
    typed = name.strip()
    if typed in unnamed_names(catalogs):
        return True
    return phone_numbers.TYPED.fullmatch(typed) is not None and sum(map(str.isdigit, typed)) >= 6


def shown_name(tr: Translator, name: str, catalogs: Catalogs) -> str:
    """The name facilitators read for someone: their own, or "A newcomer (no name yet)" in the
    reader's words for a texter who has given none yet, never the stored "Circle member",
    perhaps in the language she first wrote in (D23)."""
    return tr._(NO_NAME_YET) if name in unnamed_names(catalogs) else name


async def take_out_circle(
    session: AsyncSession, circle_id: int, catalogs: Catalogs, stale_before: datetime
) -> None:
    """Take what the circle's members wrote there out of every copy, as /forget takes out a
    person's words, and sign its letters "a learner in <city>". Their names stay (see
    forget_name); the circle's own messages are emptied by the caller.

    A letter that has travelled, or waits in the pool to, keeps its words without its author's
    name; any other letter's words go, and one still waiting for a review expires, so nobody
    approves an empty letter. Its members' unfinished commands last touched before
    `stale_before` (a letter being written, a command's words kept while a circle is chosen)
    are dropped: they are over anyway (bot/dialogue/conversations.STALE_AFTER)."""
    members = (
        await session.exec(
            select(Person)
            .join(Membership, col(Membership.person_id) == Person.id)
            .where(Membership.circle_id == circle_id)
            .order_by(col(Person.id))
        )
    ).all()
    chats, people = await _reached(session, [circle_id])
    unnamed = unnamed_names(catalogs)
    found = []
    for person in members:
        traces = await _written_in(session, person, circle_id, unnamed)
        traces.chats, traces.people = chats, people
        copies = _Copies(traces, catalogs)
        await _circle_letters(session, traces, copies, catalogs)
        found.append((traces, copies))
    await _rewrite_outbox(session, found, catalogs)
    await _rewrite_conversations(session, found, catalogs)
    if people:
        await session.exec(
            update(Conversation)
            .where(
                or_(*(_conversation_of(platform, id_) for platform, id_ in sorted(people))),
                col(Conversation.updated_at) < stale_before,
            )
            .values(flow=None, data={})
        )


async def forget_name(session: AsyncSession, person: Person, catalogs: Catalogs) -> None:
    """Take a person's name off their record ("Circle member" instead) and out of every copy in
    the chats of their circles, once nothing still needs it; their accounts stay, so the bot
    can still answer them, and so do their circles' numbers. What they were in the middle of
    goes (it is long over, and the choices offered may be their name); the messages to them
    are the caller's to empty."""
    assert person.id is not None
    if person.display_name in unnamed_names(catalogs):
        return
    circle_ids = await session.exec(
        select(Membership.circle_id).where(Membership.person_id == person.id)
    )
    chats, people = await _reached(session, list(circle_ids.all()))
    traces = _Traces(
        person_id=person.id,
        locale=person.locale,
        name=person.display_name,
        answers=[],  # gone with their circles' words
        letters=[],
        teams=[],
        accounts=[],
        chats=chats,
        people=people,
    )
    copies = _Copies(traces, catalogs)
    await _rewrite_outbox(session, [(traces, copies)], catalogs)
    await _rewrite_conversations(session, [(traces, copies)], catalogs)
    accounts = await session.exec(
        select(Account.platform, Account.external_id).where(Account.person_id == person.id)
    )
    theirs = [_conversation_of(platform, id_) for platform, id_ in accounts.all()]
    if theirs:
        await session.exec(
            update(Conversation).where(or_(*theirs)).values(flow=None, data={}, choices=[])
        )
    person.display_name = catalogs.translator(person.locale)._(UNNAMED)
    session.add(person)


async def _reached(
    session: AsyncSession, circle_ids: list[int]
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Where the circles' words and names went: the private chats of everyone in them and
    their group chats (platform, chat id), and everyone's accounts (platform, account id), for
    their conversations."""
    chats: set[tuple[str, str]] = set()
    people: set[tuple[str, str]] = set()
    found = await session.exec(
        select(Account.platform, Account.address, Account.external_id)
        .join(Membership, col(Membership.person_id) == Account.person_id)
        .where(col(Membership.circle_id).in_(circle_ids))
    )
    for platform, address, external_id in found.all():
        chats.add((platform, address))
        people.add((platform, external_id))
    groups = await session.exec(
        select(LinkedChat.platform, LinkedChat.chat_id).where(
            col(LinkedChat.circle_id).in_(circle_ids)
        )
    )
    chats.update(groups.all())
    return chats, people


async def _written_in(
    session: AsyncSession, person: Person, circle_id: int, unnamed: set[str]
) -> _Traces:
    """What the person wrote in one circle; their name only to tell which lines quote them."""
    assert person.id is not None
    answers = [
        *(
            await session.exec(
                select(CheckIn.answer).where(
                    CheckIn.person_id == person.id,
                    CheckIn.circle_id == circle_id,
                    col(CheckIn.answer).is_not(None),
                )
            )
        ).all(),
        *(
            await session.exec(
                select(Reflection.text).where(
                    Reflection.person_id == person.id, Reflection.circle_id == circle_id
                )
            )
        ),
    ]
    letters = await session.exec(
        select(Letter)
        .where(Letter.author_id == person.id, Letter.circle_id == circle_id)
        .order_by(col(Letter.id))
    )
    return _Traces(
        person_id=person.id,
        locale=person.locale,
        name=None if person.display_name in unnamed else person.display_name,
        answers=sorted({a.strip() for a in answers if a and a.strip()}, key=len, reverse=True),
        letters=[
            _Letter(
                x.id or 0,
                x.text,
                x.signature,
                x.city,
                x.language,
                kept=x.deliveries > 0 or x.status == LetterStatus.POOLED,
            )
            for x in letters.all()
        ],
        teams=[],
        accounts=[],
        name_goes=False,
    )


async def _circle_letters(
    session: AsyncSession, traces: _Traces, copies: _Copies, catalogs: Catalogs
) -> None:
    """The letters of one author in the circle, unsigned (see take_out_circle)."""
    for letter in traces.letters:
        if letter.kept:
            text = letter.text
            if traces.name:
                gone = catalogs.translator(letter.language)._(NAME_GONE)
                text = _replace(_name_pattern(traces.name), gone, text)
            copies.letter(letter, text)
            values: dict[str, Any] = {"text": text}
        else:
            copies.letter(letter, None)
            values = {"text": "", "flags": [], "reject_reason": None}
        await session.exec(
            update(Letter)
            .where(col(Letter.id) == letter.id)
            .values(author_id=None, signature="", **values)  # "a learner in <city>"
        )
    waiting = [letter.id for letter in traces.letters if not letter.kept]
    await session.exec(
        update(Letter)
        .where(
            col(Letter.id).in_(waiting),
            col(Letter.status).in_([LetterStatus.REVIEW, LetterStatus.MODERATION]),
        )
        .values(status=LetterStatus.EXPIRED)
    )


# -- What of theirs may have been copied, and where --------------------------------------------


@dataclass(frozen=True)
class _Letter:
    id: int
    text: str
    signature: str
    city: str
    language: str
    kept: bool  # its words stay with the circles that read it (or, in retention, will)


@dataclass
class _Traces:
    person_id: int
    locale: str | None
    name: str | None  # None: the name everyone unnamed has, not theirs
    answers: list[str]  # check-in answers, goals, reflections; longest first
    letters: list[_Letter]
    teams: list[tuple[int, str]]  # the teams they organize: id, name
    accounts: list[tuple[str, str, str]]  # platform, address, external id
    # The private chats of everyone they shared a circle with, and those circles' group chats:
    # where their name and answers went. Conversations there: (platform, account id).
    chats: set[tuple[str, str]] = field(default_factory=set)
    people: set[tuple[str, str]] = field(default_factory=set)
    # The private chats of the facilitators of their teams' circles: where a team's name went.
    team_chats: set[tuple[str, str]] = field(default_factory=set)
    # Whether their name is taken out of the copies too, or only tells which lines quote them
    # (retention, while something still needs the name).
    name_goes: bool = True


@dataclass(frozen=True)
class _Reach:
    """Which of their traces a copy may hold, by who it went to."""

    circle: bool  # someone they shared a circle with, or its group chat: their name, answers
    team: bool  # a facilitator in a team they created: its name


async def _traces(session: AsyncSession, person: Person, catalogs: Catalogs) -> _Traces:
    assert person.id is not None
    unnamed = unnamed_names(catalogs)
    answers = [
        *(
            await session.exec(
                select(CheckIn.answer).where(
                    CheckIn.person_id == person.id, col(CheckIn.answer).is_not(None)
                )
            )
        ).all(),
        *(await session.exec(select(Reflection.text).where(Reflection.person_id == person.id))),
    ]
    letters = await session.exec(
        select(Letter).where(Letter.author_id == person.id).order_by(col(Letter.id))
    )
    teams = await session.exec(
        select(Team.id, Team.name)
        .join(TeamOrganizer, col(TeamOrganizer.team_id) == Team.id)
        .where(TeamOrganizer.person_id == person.id)
    )
    accounts = await session.exec(
        select(Account.platform, Account.address, Account.external_id).where(
            Account.person_id == person.id
        )
    )
    traces = _Traces(
        person_id=person.id,
        locale=person.locale,
        name=None if person.display_name in unnamed else person.display_name,
        answers=sorted({a.strip() for a in answers if a and a.strip()}, key=len, reverse=True),
        letters=[
            # An approved letter not yet delivered still travels, unsigned, as its author
            # was told (bot/reports/commands/records.LETTER_TRAVELS), and stays counted (fac 37).
            _Letter(
                x.id or 0,
                x.text,
                x.signature,
                x.city,
                x.language,
                kept=x.deliveries > 0 or x.status == LetterStatus.POOLED,
            )
            for x in letters.all()
        ],
        teams=[(team_id or 0, name) for team_id, name in teams.all()],
        accounts=list(accounts.all()),
    )
    circle_ids = select(Membership.circle_id).where(Membership.person_id == person.id)
    others = await session.exec(
        select(Account.platform, Account.address, Account.external_id)
        .join(Membership, col(Membership.person_id) == Account.person_id)
        .where(col(Membership.circle_id).in_(circle_ids), Account.person_id != person.id)
    )
    for platform, address, external_id in others.all():
        traces.chats.add((platform, address))
        traces.people.add((platform, external_id))
    groups = await session.exec(
        select(LinkedChat.platform, LinkedChat.chat_id).where(
            col(LinkedChat.circle_id).in_(circle_ids)
        )
    )
    traces.chats.update(groups.all())
    in_their_teams = select(TeamCircle.circle_id).where(
        col(TeamCircle.team_id).in_([team_id for team_id, _ in traces.teams])
    )
    facilitators = await session.exec(
        select(Account.platform, Account.address)
        .join(Membership, col(Membership.person_id) == Account.person_id)
        .where(
            col(Membership.circle_id).in_(in_their_teams),
            col(Membership.role).in_(FACILITATING),
            Account.person_id != person.id,
        )
    )
    traces.team_chats.update(facilitators.all())
    return traces


async def _delete_their_rows(session: AsyncSession, traces: _Traces) -> None:
    person_id = traces.person_id
    for table in (
        CheckIn,
        Reflection,
        Question,
        Rsvp,
        Attendance,
        Membership,
        LinkCode,
        ChatPresence,
        TeamOrganizer,
    ):
        await session.exec(delete(table).where(col(table.person_id) == person_id))
    await session.exec(
        delete(JoinAttempt).where(
            col(JoinAttempt.account_id).in_(
                select(Account.id).where(Account.person_id == person_id)
            )
        )
    )
    mine: list[ColumnElement[bool]] = [
        # Messages to them, on an account they still have or one they have since unlinked.
        col(OutboxMessage.idempotency_key).contains(f"|person:{person_id}|", autoescape=True),
        # Their words passed on to facilitators (announcement replies, SMS texts).
        col(OutboxMessage.idempotency_key).contains("|" + passed_on_by(person_id), autoescape=True),
    ]
    mine += [
        (col(OutboxMessage.platform) == platform) & (col(OutboxMessage.chat_id) == address)
        for platform, address, _ in traces.accounts
    ]
    await session.exec(delete(OutboxMessage).where(or_(*mine)))
    if traces.accounts:
        await session.exec(
            delete(Conversation).where(
                or_(*(_conversation_of(platform, id_) for platform, _, id_ in traces.accounts))
            )
        )


def _conversation_of(platform: str, external_id: str) -> ColumnElement[bool]:
    """The conversations of one account, in its private chat and in any group."""
    return col(Conversation.key).startswith(platform + ":", autoescape=True) & col(
        Conversation.key
    ).endswith(":" + external_id, autoescape=True)


# -- Letters and teams -------------------------------------------------------------------------


async def _letters(
    session: AsyncSession, traces: _Traces, copies: _Copies, catalogs: Catalogs
) -> None:
    """Letters still waiting are deleted, with the review notices that quote them; delivered
    ones stay, signed "a learner" in their city, without the author's name in their words."""
    for letter in traces.letters:
        if letter.kept:
            text = letter.text
            if traces.name:
                gone = catalogs.translator(letter.language)._(NAME_GONE)
                text = _replace(_name_pattern(traces.name), gone, text)
            copies.letter(letter, text)
            if text != letter.text:
                await session.exec(
                    update(Letter).where(col(Letter.id) == letter.id).values(text=text)
                )
            continue
        copies.letter(letter, None)
        await session.exec(
            delete(OutboxMessage).where(
                or_(
                    col(OutboxMessage.idempotency_key).contains(
                        f"|letter:{letter.id}|", autoescape=True
                    ),
                    col(OutboxMessage.idempotency_key).endswith(
                        f"|letter:{letter.id}", autoescape=True
                    ),
                )
            )
        )
    waiting = [letter.id for letter in traces.letters if not letter.kept]
    await session.exec(delete(Letter).where(col(Letter.id).in_(waiting)))
    await session.exec(
        update(Letter)
        .where(col(Letter.author_id) == traces.person_id)
        .values(author_id=None, signature="")  # shown as "a learner in <city>"
    )


async def _teams(
    session: AsyncSession, traces: _Traces, copies: _Copies, catalogs: Catalogs
) -> None:
    """A team they created goes on for its circles, without their name (or a part of it, such
    as a surname) in its name."""
    words = [w for w in re.findall(r"\w+", traces.name or "") if len(w) > 1]
    if not words:
        return
    theirs = re.compile(
        r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")" + _POSSESSIVE + r"(?!\w)",
        re.IGNORECASE,
    )
    for team_id, name in traces.teams:
        if not theirs.search(name):
            continue
        renamed = " ".join(theirs.sub(" ", name).split()).strip(" -–—,.:;&+/|'’")
        if not re.search(r"\w", renamed):
            renamed = catalogs.translator(traces.locale)._(TEAM_NAME, number=team_id)
        await session.exec(update(Team).where(col(Team.id) == team_id).values(name=renamed))
        copies.renamed.append((_name_pattern(name), renamed))


# -- The copies --------------------------------------------------------------------------------


class _Copies:
    """How a copy changes. Everywhere: the thank-you replies and letters that carry one of their
    letters. Where a team's name went: its old name. Where their name went: their answers, then
    their name."""

    def __init__(self, traces: _Traces, catalogs: Catalogs) -> None:
        self.traces = traces
        self.catalogs = catalogs
        self.renamed: list[tuple[re.Pattern[str], str]] = []  # a team's old name, its new one
        # (old words, new words or None for "[deleted]", the signature after them, city)
        self.letters: list[tuple[str, str | None, re.Pattern[str], str]] = []
        self.name = _name_pattern(traces.name) if traces.name else None

    def letter(self, letter: _Letter, text: str | None) -> None:
        signed = re.compile(
            re.escape(letter.text) + r"(\W{0,12}?)" + re.escape(letter.signature) + r"(?!\w)"
        )
        self.letters.append((letter.text, text, signed, letter.city))

    def clues(self) -> set[str]:
        """Strings of which a copy found anywhere holds at least one."""
        found = {words[:HEAD] for words, *_ in self.letters}
        for letter in self.traces.letters:
            found |= {
                self.catalogs.translator(code)._(
                    THANKS_ON_ITS_WAY, name=letter.signature.rstrip(".")
                )
                for code in self.catalogs.locales
            }
        return found

    def text(self, text: str, tr: Translator, reach: _Reach) -> str:
        for letter in self.traces.letters:
            if not letter.signature:
                continue
            anonymous = tr._(SIGNED_BY, city=letter.city)
            text = text.replace(
                tr._(THANKS_ON_ITS_WAY, name=letter.signature),
                tr._(THANKS_ON_ITS_WAY, name=anonymous),
            )
        for old, new, signed, city in self.letters:
            if old not in text:
                continue
            words = tr._(WORDS_GONE) if new is None else new
            anonymous = tr._(SIGNED_BY, city=city)
            text = signed.sub(_signed_anew(words, anonymous), text)
            text = text.replace(old, words)
        if reach.team:
            for team_name, new_name in self.renamed:
                text = _replace(team_name, new_name, text)
        if not reach.circle:
            return text
        named = self.name is not None and self.name.search(text) is not None
        for answer in self.traces.answers:
            if named or len(answer) >= HEAD:
                text = _without_answer(text, answer, tr._(WORDS_GONE))
        if self.name is not None and self.traces.name_goes:
            if named and self.traces.name:  # a digest's hint names the first name: "/reply Brian"
                text = _without_reply_hint(text, self.traces.name.split()[0], tr._(NAME_GONE))
            text = _replace(self.name, tr._(NAME_GONE), text)
        return text

    def message(self, text: str, tr: Translator, reach: _Reach) -> str:
        """A message's text: a line left with nothing but what was taken out goes (a digest's
        quote of their answer, signed with their name)."""
        changed = self.text(text, tr, reach)
        if changed == text:
            return text
        gone = (tr._(NAME_GONE), tr._(WORDS_GONE))
        return "\n".join(
            line
            for line in changed.split("\n")
            if not any(g in line for g in gone) or re.search(r"\w", _removed(line, gone))
        )

    def payload(self, payload: dict[str, Any], tr: Translator, reach: _Reach) -> dict[str, Any]:
        """An outbox row's payload: its text, the choices' labels and values, text files, and
        whatever else a kind keeps there."""
        changed: dict[str, Any] = {}
        for key, value in payload.items():
            if key == "text" and isinstance(value, str):
                changed[key] = self.message(value, tr, reach)
            elif key == "attachments" and isinstance(value, list):
                changed[key] = [self._attachment(attachment, tr, reach) for attachment in value]
            elif key == "locale":
                changed[key] = value
            else:
                changed[key] = self.value(value, tr, reach)
        return changed

    def _attachment(self, attachment: list[str], tr: Translator, reach: _Reach) -> list[str]:
        """A text file (a CSV export, a calendar) is rewritten like a message; an image
        stays as it is."""
        name, media_type, data = attachment
        if not media_type.startswith("text/"):
            return attachment
        try:
            text = base64.b64decode(data).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return attachment
        changed = self.text(text, tr, reach)
        if changed == text:
            return attachment
        return [name, media_type, base64.b64encode(changed.encode("utf-8")).decode("ascii")]

    def value(self, value: Any, tr: Translator, reach: _Reach) -> Any:
        """Any JSON value (a conversation's data), every string in it rewritten."""
        if isinstance(value, str):
            return self.text(value, tr, reach)
        if isinstance(value, list):
            return [self.value(item, tr, reach) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item, tr, reach) for key, item in value.items()}
        return value


def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")


def _without_reply_hint(text: str, first: str, gone: str) -> str:
    """`text` without the sentence of a digest's hint to write to someone by their first name
    ("A friendly word might help: send /reply Brian and a few words.", "... schick /antworten
    Brian und ein paar Worte."), in any language: nothing can be replied to someone forgotten,
    so the hint goes rather than read "/reply [name deleted]". A hint that is no sentence of its
    own keeps its command, the name `gone`."""
    hint = re.compile(r"(/\w+ )" + re.escape(first) + r"(?!\w)")
    for found in reversed(list(hint.finditer(text))):
        start = text.rfind(". ", 0, found.start())
        end = text.find(".", found.end())
        if start < 0 or end < 0 or "\n" in text[start : end + 1]:
            text = text[: found.start()] + found[1] + gone + text[found.end() :]
            continue
        text = text[: start + 1] + text[end + 1 :]
    return text


def _replace(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    """Every match replaced by `replacement`, taken literally."""
    return pattern.sub(lambda _: replacement, text)


def _signed_anew(words: str, signature: str) -> Callable[[re.Match[str]], str]:
    """A letter's words and signature as a copy now has them: what is between stays."""
    return lambda found: words + found[1] + signature


def _removed(line: str, gone: Iterable[str]) -> str:
    for g in gone:
        line = line.replace(g, "")
    return line


def _without_answer(text: str, answer: str, gone: str) -> str:
    """`text` with `answer` taken out, whole or cut short with "…" (a digest's quote), and in
    a CSV file's spelling too (quotes doubled)."""
    for spelling in dict.fromkeys((answer, answer.replace('"', '""'))):
        text = _without(text, spelling, gone)
    return text


def _without(text: str, answer: str, gone: str) -> str:
    head = answer[:HEAD]
    parts, start = [], 0
    at = text.find(head)
    while at >= 0:
        length = 0
        while (
            length < len(answer) and at + length < len(text) and text[at + length] == answer[length]
        ):
            length += 1
        end = at + length
        whole = length == len(answer)
        cut = not whole and length >= len(head) and text.startswith("…", end)
        if (whole or cut) and _word_edge(text, at - 1) and (cut or _word_edge(text, end)):
            parts += [text[start:at], gone]
            start = end + 1 if cut else end
            at = text.find(head, start)
        else:
            at = text.find(head, at + 1)
    return "".join(parts) + text[start:]


def _word_edge(text: str, at: int) -> bool:
    """Whether position `at` is outside `text` or not a letter or digit."""
    return not 0 <= at < len(text) or not text[at].isalnum()


async def _rewrite_outbox(
    session: AsyncSession, found: Sequence[tuple[_Traces, _Copies]], catalogs: Catalogs
) -> None:
    """Every outbox row that may hold a copy of what was found (of one person, or of each
    member of a circle), sent or waiting: rewritten, or deleted when it is still waiting and
    only about them (a notice that they left)."""
    stored = cast(OutboxMessage.payload, Text)
    clues = {clue for _, copies in found for clue in copies.clues()}
    anywhere = [
        stored.contains(spelling, autoescape=True)
        for clue in sorted(clues)
        for spelling in {_as_stored(clue), clue}
    ]
    where = [or_(*anywhere)] if anywhere else []
    chats = {chat for traces, _ in found for chat in traces.chats | traces.team_chats}
    if chats:
        where.append(
            tuple_(col(OutboxMessage.platform), col(OutboxMessage.chat_id)).in_(sorted(chats))
        )
    rows = await session.exec(select(OutboxMessage).where(or_(false(), *where)))
    for row in rows.all():
        tr = catalogs.translator(row.payload.get("locale"))
        chat = (row.platform, row.chat_id)
        changed = row.payload
        for traces, copies in found:
            reach = _Reach(circle=chat in traces.chats, team=chat in traces.team_chats)
            changed = copies.payload(changed, tr, reach)
        if changed == row.payload:
            continue
        if row.status == OutboxStatus.PENDING and row.kind in ONLY_ABOUT_THEM:
            await session.exec(delete(OutboxMessage).where(col(OutboxMessage.id) == row.id))
        else:
            await session.exec(
                update(OutboxMessage).where(col(OutboxMessage.id) == row.id).values(payload=changed)
            )


async def _rewrite_conversations(
    session: AsyncSession, found: Sequence[tuple[_Traces, _Copies]], catalogs: Catalogs
) -> None:
    """What the people they shared a circle with are in the middle of (a command's arguments
    kept while a circle is chosen, the choices last offered)."""
    people = sorted({who for traces, _ in found for who in traces.people})
    if not people:
        return
    tr = catalogs.translator(None)
    rows = await session.exec(
        select(Conversation.id, Conversation.data, Conversation.choices).where(
            or_(*(_conversation_of(platform, id_) for platform, id_ in people))
        )
    )
    reach = _Reach(circle=True, team=False)
    for conversation_id, data, choices in rows.all():
        new_data, new_choices = data, choices
        for _, copies in found:
            new_data = copies.value(new_data, tr, reach)
            new_choices = copies.value(new_choices, tr, reach)
        if (new_data, new_choices) != (data, choices):
            await session.exec(
                update(Conversation)
                .where(col(Conversation.id) == conversation_id)
                .values(data=new_data, choices=new_choices)
            )


def _as_stored(text: str) -> str:
    """`text` as json.dumps spells it inside a stored JSON value (with its escapes; the text
    as it is covers a database that keeps JSON unescaped)."""
    return json.dumps(text)[1:-1]
