"""Pairing: one person, several platform accounts.

`/link` gives a one-time code; sending it from another platform attaches that account to the
same person, merging what the second account's person had (memberships, answers) without
losing an answer. `/unlink` detaches an account again (never the last one).
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
from bot.circles import joincodes
from bot.storage.models import (
    Account,
    Attendance,
    ChatPresence,
    CheckIn,
    Letter,
    LinkCode,
    Membership,
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
_RANK = {Role.FACILITATOR: 0, Role.COFACILITATOR: 1, Role.LEARNER: 2}


async def new_code(session: AsyncSession, person_id: int, rng: random.Random, now: datetime) -> str:
    """A fresh one-time code for this person; earlier unused ones stop working."""
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
    # Expired and used codes stay an hour, for the rate limit above; then they go.
    await session.exec(delete(LinkCode).where(col(LinkCode.created_at) <= now - timedelta(hours=1)))
    while True:
        code = "".join(rng.choice(joincodes.ALPHABET) for _ in range(CODE_LENGTH))
        if (await session.exec(select(LinkCode.id).where(LinkCode.code == code))).first() is None:
            break
    session.add(
        LinkCode(code=code, person_id=person_id, created_at=now, expires_at=now + CODE_LIFETIME)
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


@dataclass(frozen=True)
class LinkResult:
    outcome: LinkOutcome
    person: Person | None = None  # the person the account now belongs to
    wait: timedelta | None = None


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
    if row is None:
        await joincodes.record_wrong_code(session, account.id, now)
        return LinkResult(LinkOutcome.UNKNOWN)
    if row.person_id == person.id:
        return LinkResult(LinkOutcome.SELF)
    if row.used_at is not None:
        return LinkResult(LinkOutcome.USED)
    if row.expires_at <= now:
        return LinkResult(LinkOutcome.EXPIRED)
    row.used_at = now
    session.add(row)
    keep = await session.get_one(Person, row.person_id)
    await merge(session, keep, person)
    return LinkResult(LinkOutcome.LINKED, keep)


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
        ours.shares_answers = ours.shares_answers or theirs.shares_answers
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
