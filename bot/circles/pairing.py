"""Pairing: one person, several platform accounts.

`/link` gives a one-time code; sending it from another platform attaches that account to the
same person, merging what the second account's person had (memberships, answers) without
losing an answer. `/unlink` detaches an account again (never the last one).

A new SIM: the record moves to the new number, and the old number's account is retired (a
carrier gives a number up to someone else in time, who must never be her here). From the old
phone, `/newnumber` makes a code that works only from the new number (`new_code` with a move),
texted there: sent back, `link` moves her. A facilitator's `/movenumber` makes such a code too
(`asked_by`), texted to the new number as a Yes/No question: nothing moves until that phone says
yes (`link`, or `decline` for its no), within MOVE_LIFETIME.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.chat.platforms import Platforms
from bot.circles import joincodes
from bot.dialogue import conversations, people
from bot.storage.models import (
    Account,
    Attendance,
    ChatPresence,
    CheckIn,
    Conversation,
    JoinAttempt,
    Letter,
    LinkCode,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
    Question,
    Reflection,
    Role,
    Rsvp,
    TeamOrganizer,
)

CODE_LENGTH = 6  # ~29.7 bits from the join-code alphabet; valid 10 minutes, tries slowed down
CODE_LIFETIME = timedelta(minutes=10)
MAX_CODES_PER_HOUR = 5
# A facilitator's move waits this long for the new phone's yes (it may be off for a day).
MOVE_LIFETIME = timedelta(days=2)
# Expired codes are kept this long, so an answer that comes too late is told so (not "unknown").
EXPIRED_KEPT = timedelta(days=7)
_RANK = {Role.FACILITATOR: 0, Role.COFACILITATOR: 1, Role.LEARNER: 2}


async def new_code(
    session: AsyncSession,
    person_id: int,
    rng: random.Random,
    now: datetime,
    move_from: Account | None = None,
    move_to: str | None = None,
    lifetime: timedelta = CODE_LIFETIME,
    asked_by: int | None = None,
    circle_id: int | None = None,
) -> str:
    """A fresh one-time code for this person; earlier unused ones stop working. With a move
    (`move_from`, the number given up, and `move_to`, the new one's account id), the code works
    only from the new number, and retires the old one's account when used (`link`).
    `asked_by`: the facilitator who asked for the move, about `circle_id` (/movenumber)."""
    recent = (
        await session.exec(
            select(func.count())
            .select_from(LinkCode)
            .where(
                LinkCode.person_id == person_id, col(LinkCode.created_at) > now - timedelta(hours=1)
            )
        )
    ).one()
    if recent >= MAX_CODES_PER_HOUR:
        raise UserError(
            N_("That's several codes in an hour. Please use the last one, or try again later.")
        )
    # Earlier unused codes stop working but stay, so they count towards the hourly limit.
    await session.exec(
        update(LinkCode)
        .where(
            col(LinkCode.person_id) == person_id,
            col(LinkCode.used_at).is_(None),
            col(LinkCode.expires_at) > now,
        )
        .values(expires_at=now)
    )
    # Expired and used codes stay an hour, for the rate limit above, and a while after they
    # expired, for an answer that comes too late; then they go.
    await session.exec(
        delete(LinkCode).where(
            col(LinkCode.created_at) <= now - timedelta(hours=1),
            col(LinkCode.expires_at) <= now - EXPIRED_KEPT,
        )
    )
    while True:
        code = "".join(rng.choice(joincodes.ALPHABET) for _ in range(CODE_LENGTH))
        if (await session.exec(select(LinkCode.id).where(LinkCode.code == code))).first() is None:
            break
    session.add(
        LinkCode(
            code=code,
            person_id=person_id,
            created_at=now,
            expires_at=now + lifetime,
            move_from=move_from.id if move_from is not None else None,
            move_to=move_to,
            asked_by=asked_by,
            circle_id=circle_id,
        )
    )
    await session.flush()
    return code


class LinkOutcome(StrEnum):
    LINKED = "linked"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    SELF = "self"
    SLOW_DOWN = "slow-down"
    MOVED = "moved"  # a move's code, from the new number: the old number is retired


@dataclass(frozen=True)
class LinkResult:
    outcome: LinkOutcome
    person: Person | None = None  # the person the account now belongs to
    wait: timedelta | None = None
    # The code's row, once found (its move: who asked for it, about which circle), and the
    # number a move gave up.
    code: LinkCode | None = None
    old_address: str | None = None


async def link(
    session: AsyncSession, account: Account, person: Person, typed: str, now: datetime
) -> LinkResult:
    """Attach `account` (and everything its person has) to the person who made the code.

    Wrong codes are recorded (and slow the account down, like join codes), so the outcome is
    returned rather than raised: a refusal must not roll that record back.
    """
    assert account.id is not None
    wait = await joincodes.wait_before_next_try(session, account.id, now)
    if wait is not None:
        return LinkResult(LinkOutcome.SLOW_DOWN, wait=wait)
    row = (
        await session.exec(
            select(LinkCode).where(LinkCode.code == joincodes.normalize(typed)).with_for_update()
        )
    ).first()
    old = await session.get(Account, row.move_from) if row is not None and row.move_from else None
    moving = row is not None and row.move_to is not None
    if row is None or (moving and not _is_number(account, row, old)):
        # A move's code from any phone but the new number is as good as a wrong one.
        await joincodes.record_wrong_code(session, account.id, now)
        return LinkResult(LinkOutcome.UNKNOWN)
    if row.person_id == person.id and not moving:
        return LinkResult(LinkOutcome.SELF)
    if row.used_at is not None:
        return LinkResult(LinkOutcome.USED, code=row)
    if row.expires_at <= now:
        return LinkResult(LinkOutcome.EXPIRED, code=row)
    row.used_at = now
    session.add(row)
    keep = await session.get_one(Person, row.person_id)
    if keep.id != person.id:
        await merge(session, keep, person)
    if not moving:
        return LinkResult(LinkOutcome.LINKED, keep)
    gave_up = None
    if old is not None and old.person_id == keep.id and old.id != account.id:
        gave_up = None if old.opted_out else old.address  # STOP stays honoured
        await retire(session, old, account)
    return LinkResult(LinkOutcome.MOVED, keep, code=row, old_address=gave_up)


async def pending_move(session: AsyncSession, account: Account, typed: str) -> LinkCode | None:
    """The facilitator's move (/movenumber) waiting for `account`'s answer under the code
    `typed`: made for this very number, not used yet. Expired ones too (the caller says it is
    too late); None for any other code."""
    row = (
        await session.exec(select(LinkCode).where(LinkCode.code == joincodes.normalize(typed)))
    ).first()
    if row is None or row.asked_by is None or row.used_at is not None:
        return None
    old = await session.get(Account, row.move_from) if row.move_from else None
    return row if _is_number(account, row, old) else None


async def decline(session: AsyncSession, row: LinkCode, now: datetime) -> None:
    """The new phone said no to a move: its code is spent, and nothing moves."""
    row.used_at = now
    session.add(row)
    await session.flush()


def _is_number(account: Account, row: LinkCode, old: Account | None) -> bool:
    """Whether `account` is the new number a move's code was made for."""
    return account.external_id == row.move_to and (old is None or old.platform == account.platform)


def _joined(first: str | None, second: str | None) -> str | None:
    """Both answers when they differ, so a merge never loses one."""
    if not first or not second or first == second:
        return first or second
    return first + "\n\n" + second


async def merge(session: AsyncSession, keep: Person, gone: Person) -> None:
    """Move everything of `gone` to `keep`, then delete `gone`."""
    assert keep.id is not None and gone.id is not None
    await _merge_memberships(session, keep.id, gone.id)
    await _merge_checkins(session, keep.id, gone.id)
    await _merge_reflections(session, keep.id, gone.id)
    await _merge_unique(session, Rsvp, keep.id, gone.id, ("meeting_id",), "answered_at")
    await _merge_unique(session, Attendance, keep.id, gone.id, ("meeting_id",), "recorded_at")
    await _merge_unique(session, ChatPresence, keep.id, gone.id, ("platform", "chat_id"), "seen_at")
    for question in (
        await session.exec(select(Question).where(Question.person_id == gone.id))
    ).all():
        question.person_id = keep.id
        session.add(question)
    await _merge_organizers(session, keep.id, gone.id)
    await session.exec(delete(LinkCode).where(col(LinkCode.person_id) == gone.id))
    await session.exec(
        update(Letter).where(col(Letter.author_id) == gone.id).values(author_id=keep.id)
    )
    chose = (
        await session.exec(
            select(Account.id).where(Account.person_id == keep.id, col(Account.preferred))
        )
    ).first()
    for account in (await session.exec(select(Account).where(Account.person_id == gone.id))).all():
        account.person_id = keep.id
        account.preferred = account.preferred and chose is None
        session.add(account)
    keep.locale = keep.locale or gone.locale
    session.add(keep)
    await session.flush()
    await session.delete(gone)
    await session.flush()


async def _merge_organizers(session: AsyncSession, keep: int, gone: int) -> None:
    """Organizer roles follow the person; one row per team, opted in to the weekly summary if
    either row was."""
    mine = {
        row.team_id: row
        for row in (
            await session.exec(select(TeamOrganizer).where(TeamOrganizer.person_id == keep))
        ).all()
    }
    for theirs in (
        await session.exec(select(TeamOrganizer).where(TeamOrganizer.person_id == gone))
    ).all():
        ours = mine.get(theirs.team_id)
        if ours is None:
            theirs.person_id = keep
            session.add(theirs)
            continue
        ours.weekly_summary = ours.weekly_summary or theirs.weekly_summary
        session.add(ours)
        await session.delete(theirs)
    await session.flush()


async def _merge_memberships(session: AsyncSession, keep: int, gone: int) -> None:
    mine = {
        m.circle_id: m
        for m in (await session.exec(select(Membership).where(Membership.person_id == keep))).all()
    }
    for theirs in (
        await session.exec(select(Membership).where(Membership.person_id == gone))
    ).all():
        ours = mine.get(theirs.circle_id)
        if ours is None:
            theirs.person_id = keep
            session.add(theirs)
            continue
        # One membership: the stronger role, still a member if either is, sharing if either did.
        if _RANK[Role(theirs.role)] < _RANK[Role(ours.role)]:
            ours.role = theirs.role
        ours.joined_at = min(ours.joined_at, theirs.joined_at)
        if ours.left_at is not None and theirs.left_at is None:
            ours.left_at = None
        # Taken off on either account and a member on neither: still taken off (/letback).
        ours.removed_at = None if ours.left_at is None else ours.removed_at or theirs.removed_at
        ours.removed_by = None if ours.removed_at is None else ours.removed_by or theirs.removed_by
        if theirs.shares_answers and not ours.shares_answers:
            ours.shares_since = theirs.shares_since
        ours.shares_answers = ours.shares_answers or theirs.shares_answers
        ours.facilitated = ours.facilitated or theirs.facilitated
        # Check-ins paused on either account stay paused: she said she doesn't want them.
        ours.checkins_paused = ours.checkins_paused or theirs.checkins_paused
        session.add(ours)
        await session.delete(theirs)
    await session.flush()


async def _merge_checkins(session: AsyncSession, keep: int, gone: int) -> None:
    mine = {
        c.meeting_id: c
        for c in (await session.exec(select(CheckIn).where(CheckIn.person_id == keep))).all()
    }
    for theirs in (await session.exec(select(CheckIn).where(CheckIn.person_id == gone))).all():
        ours = mine.get(theirs.meeting_id)
        if ours is None:
            theirs.person_id = keep
            session.add(theirs)
            continue
        newer = theirs if theirs.updated_at > ours.updated_at else ours
        ours.rating = newer.rating if newer.rating is not None else ours.rating or theirs.rating
        ours.answer = _joined(ours.answer, theirs.answer)
        ours.prompt_key = ours.prompt_key or theirs.prompt_key
        ours.updated_at = max(ours.updated_at, theirs.updated_at)
        session.add(ours)
        await session.delete(theirs)
    await session.flush()


async def _merge_reflections(session: AsyncSession, keep: int, gone: int) -> None:
    mine = {
        (r.circle_id, r.kind, r.prompt_key): r
        for r in (await session.exec(select(Reflection).where(Reflection.person_id == keep))).all()
    }
    for theirs in (
        await session.exec(select(Reflection).where(Reflection.person_id == gone))
    ).all():
        ours = mine.get((theirs.circle_id, theirs.kind, theirs.prompt_key))
        if ours is None:
            theirs.person_id = keep
            session.add(theirs)
            continue
        ours.text = _joined(ours.text, theirs.text) or ours.text
        ours.updated_at = max(ours.updated_at, theirs.updated_at)
        session.add(ours)
        await session.delete(theirs)
    await session.flush()


async def _merge_unique(
    session: AsyncSession,
    model: type[Rsvp] | type[Attendance] | type[ChatPresence],
    keep: int,
    gone: int,
    key: tuple[str, ...],
    when: str,
) -> None:
    """Rows unique per person and `key`: the later one wins where both exist."""
    person = model.person_id
    mine = {
        tuple(getattr(row, k) for k in key): row
        for row in (await session.exec(select(model).where(person == keep))).all()
    }
    for theirs in (await session.exec(select(model).where(person == gone))).all():
        ours = mine.get(tuple(getattr(theirs, k) for k in key))
        if ours is not None:
            if getattr(theirs, when) > getattr(ours, when):
                await session.delete(ours)
            else:
                await session.delete(theirs)
                continue
            await session.flush()
        theirs.person_id = keep
        session.add(theirs)
    await session.flush()


async def unlink(
    session: AsyncSession, person: Person, platform: str, current: Account, now: datetime
) -> Account:
    """Detach the person's account on `platform` into a person of its own; never the last."""
    accounts = (
        await session.exec(
            select(Account).where(Account.person_id == person.id).order_by(col(Account.id))
        )
    ).all()
    on_platform = [a for a in accounts if a.platform == platform]
    if not on_platform:
        raise UserError(N_("You have no linked account there. /link shows your accounts."))
    if len(accounts) == 1:
        raise UserError(
            N_("That's your only account, so it stays. Unlink works once you have linked another.")
        )
    # Of two on one platform, detach the one you are not writing from.
    account = next((a for a in on_platform if a.id != current.id), on_platform[0])
    alone = Person(display_name=person.display_name, locale=person.locale, created_at=now)
    session.add(alone)
    await session.flush()
    assert alone.id is not None
    account.person_id = alone.id
    account.preferred = False
    session.add(account)
    await session.flush()
    return account


async def accounts_of(session: AsyncSession, person_id: int) -> list[Account]:
    rows = await session.exec(
        select(Account).where(Account.person_id == person_id).order_by(col(Account.id))
    )
    return list(rows.all())


async def prefer(session: AsyncSession, person_id: int, platform: str) -> Account:
    """Choose where proactive messages go (when that account can be reached)."""
    accounts = await accounts_of(session, person_id)
    chosen = next((a for a in accounts if a.platform == platform), None)
    if chosen is None:
        raise UserError(N_("You have no linked account there. /link shows your accounts."))
    for account in accounts:
        account.preferred = account is chosen
        session.add(account)
    await session.flush()
    return chosen


# -- a new phone number ----------------------------------------------------------------------


async def phone_account(
    session: AsyncSession, person_id: int, platforms: Platforms
) -> Account | None:
    """The person's phone number (an account on a platform of phone numbers): the one they
    used last, where they have several."""
    numbers = [
        a for a in await accounts_of(session, person_id) if platforms.phone_numbers(a.platform)
    ]
    return max(numbers, key=lambda a: (a.last_seen_at, a.id or 0), default=None)


async def taken_by_another(
    session: AsyncSession,
    person_id: int,
    platform: str,
    number: str,
    nameless: frozenset[str] = frozenset(),
) -> bool:
    """Whether `number` is someone else's here: a person with other accounts, with circles
    this person is not in, with a name of their own that isn't hers (`nameless`: the names of
    someone who gave none), or who runs a circle. Someone who joined her own circle again from
    her new phone (before it was moved) is her, and is merged into her; a fellow learner of
    hers never is (sms C63: a mistyped number merged two people's private answers)."""
    account = await people.find_account(session, platform, number)
    if account is None or account.person_id == person_id:
        return False
    if len(await accounts_of(session, account.person_id)) > 1:
        return True
    other = await session.get(Person, account.person_id)
    her = await session.get(Person, person_id)
    if other is not None and her is not None and other.display_name not in nameless:
        if other.display_name.casefold().strip() != her.display_name.casefold().strip():
            return True
    roles = await session.exec(
        select(Membership.role).where(Membership.person_id == account.person_id)
    )
    if any(role != Role.LEARNER for role in roles.all()):
        return True
    theirs = set(
        (
            await session.exec(
                select(Membership.circle_id).where(Membership.person_id == account.person_id)
            )
        ).all()
    )
    ours = set(
        (
            await session.exec(
                select(Membership.circle_id).where(Membership.person_id == person_id)
            )
        ).all()
    )
    return not theirs <= ours


async def retire(session: AsyncSession, old: Account, new: Account) -> None:
    """The person gave up the number of `old`: the account goes (whoever has that number next
    starts afresh), what was still to go to it goes to `new` instead, and `new` is where
    messages go if `old` was."""
    await _redirect(session, old, new.address)
    await session.exec(
        delete(Conversation).where(col(Conversation.key) == conversations.key_for_account(old))
    )
    await session.exec(delete(JoinAttempt).where(col(JoinAttempt.account_id) == old.id))
    if old.preferred:
        new.preferred = True
        session.add(new)
    await session.delete(old)
    await session.flush()


async def _redirect(session: AsyncSession, old: Account, address: str) -> None:
    """Messages still waiting for the old number go to `address` instead: reminders and
    replies are hers, never the next owner's of that number."""
    await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.platform) == old.platform,
            col(OutboxMessage.chat_id) == old.address,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        .values(chat_id=address)
    )
