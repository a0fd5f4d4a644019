"""Who is in a circle now, in roster order: what a notice to "every member" is sent to."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.dialogue import people
from bot.storage.models import FACILITATING, Account, Membership, Person, Role


@dataclass(frozen=True)
class RosterEntry:
    membership: Membership
    person: Person


# Built once: a roster binds only the circle.
_ROSTER = (
    select(Membership, Person)
    .join(Person, col(Person.id) == Membership.person_id)
    .where(Membership.circle_id == bindparam("circle_id"), col(Membership.left_at).is_(None))
    .order_by(col(Membership.joined_at), col(Membership.id))
)


async def roster(session: AsyncSession, circle_id: int) -> list[RosterEntry]:
    """Current members: facilitators first, then learners in the order they joined."""
    rows = await session.exec(_ROSTER, params={"circle_id": circle_id})
    entries = [RosterEntry(membership, person) for membership, person in rows.all()]
    order = {Role.FACILITATOR: 0, Role.COFACILITATOR: 1, Role.LEARNER: 2}
    return sorted(entries, key=lambda entry: order[Role(entry.membership.role)])


async def former_learners(session: AsyncSession, circle_id: int) -> list[RosterEntry]:
    """The learners who have left the circle (and not come back: a return reopens the same
    membership), the most recently gone first."""
    rows = await session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(
            Membership.circle_id == circle_id,
            Membership.role == Role.LEARNER,
            col(Membership.left_at).is_not(None),
        )
        .order_by(col(Membership.left_at).desc(), col(Membership.id).desc())
    )
    return [RosterEntry(membership, person) for membership, person in rows.all()]


# What a join needs to know of the circle, without reading its whole roster (a join is
# answered in constant time however big the circle grows).
_LEARNERS = select(func.count(), func.min(Membership.joined_at)).where(
    Membership.circle_id == bindparam("circle_id"),
    col(Membership.left_at).is_(None),
    Membership.role == Role.LEARNER,
)
_FACILITATORS = (
    select(Membership.person_id)
    .where(
        Membership.circle_id == bindparam("circle_id"),
        col(Membership.left_at).is_(None),
        col(Membership.role).in_(FACILITATING),
    )
    .order_by(col(Membership.joined_at), col(Membership.id))
)


# A join's one read of the circle's members (issue 18: a statement fewer than learners() and
# facilitators()): a row of the learners' count, outer-joined to the facilitators in roster
# order, so that a circle with none running it now still gives its count.
_COUNTED = _LEARNERS.subquery("counted")
_RUNNING = Membership.__table__.alias("running")  # type: ignore[attr-defined]
_JOINING = (
    select(_COUNTED.c[0], _COUNTED.c[1], _RUNNING.c.person_id)
    .select_from(_COUNTED)
    .outerjoin(
        _RUNNING,
        and_(
            _RUNNING.c.circle_id == bindparam("circle_id"),
            _RUNNING.c.left_at.is_(None),
            _RUNNING.c.role.in_(FACILITATING),
        ),
    )
    .order_by(_RUNNING.c.joined_at, _RUNNING.c.id)
)


async def joining(session: AsyncSession, circle_id: int) -> tuple[int, datetime | None, list[int]]:
    """learners() and facilitators() in one statement: what a join tells and whom."""
    rows = (await session.exec(_JOINING, params={"circle_id": circle_id})).all()
    count, earliest = rows[0][0], rows[0][1]
    return int(count), earliest, [row[2] for row in rows if row[2] is not None]


async def learners(session: AsyncSession, circle_id: int) -> tuple[int, datetime | None]:
    """How many learners the circle has now, and when the earliest of them joined."""
    count, earliest = (await session.exec(_LEARNERS, params={"circle_id": circle_id})).one()
    return int(count), earliest


async def facilitators(session: AsyncSession, circle_id: int) -> list[int]:
    """The person ids of the circle's facilitators and co-facilitators now."""
    rows = await session.exec(_FACILITATORS, params={"circle_id": circle_id})
    return list(rows.all())


def _simple(text: str) -> str:
    """Case, accents and punctuation aside, words one space apart: "Élodie  Diop" -> "elodie
    diop", "Python Online - Lunch" -> "python online lunch"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.split(r"[\W_]+", kept)).strip()


def starts_with(name: str, typed: str) -> bool:
    """Whether `typed` is the start of `name`, as people shorten one: a first name for a
    member ("aminata" for Aminata Diop), the first words of a circle's name ("Python Online"
    for "Python Online - Lunch Hour")."""
    typed = _simple(typed)
    return bool(typed) and _simple(name).startswith(typed)


def called(entries: list[RosterEntry], typed: str) -> list[int]:
    """The roster numbers (from 1) of the members whose name starts with `typed`; else those
    with a later word that does ("pedro" for don Pedro, "rosa" for Sra. Rosa: C31)."""
    started = [
        n for n, e in enumerate(entries, start=1) if starts_with(e.person.display_name, typed)
    ]
    return started or [
        n for n, e in enumerate(entries, start=1) if within(e.person.display_name, typed)
    ]


def within(name: str, typed: str) -> bool:
    """Whether `typed` is the start of a word of `name` after its first ("pedro" in "don
    Pedro"), or of the words from there."""
    words = _simple(name).split()
    typed = _simple(typed)
    return bool(typed) and any(
        " ".join(words[at:]).startswith(typed) for at in range(1, len(words))
    )


async def stopped(session: AsyncSession, person_ids: list[int]) -> list[int]:
    """Those of `person_ids` who sent STOP and have no other account a message reaches, in
    that order: nothing the bot sends gets to them. The one rule /roster, /reply and the
    digest name them by."""
    rows = await session.exec(
        select(Account.person_id).where(
            col(Account.person_id).in_(person_ids), col(Account.opted_out).is_(True)
        )
    )
    refused = set(rows.all())
    # Stopped texts but paired Telegram, say: still reached there.
    reached = await people.preferred_accounts(session, [p for p in person_ids if p in refused])
    return [p for p in person_ids if p in refused and p not in reached]


async def unreached(session: AsyncSession, person_ids: list[int]) -> list[int]:
    """Those of `person_ids` whose every account refused the bot's messages for good (they
    blocked the bot on Telegram, left Discord...) without sending STOP, in that order: nothing
    the bot sends gets to them, and only their facilitator can reach them another way."""
    rows = await session.exec(
        select(Account.person_id).where(
            col(Account.person_id).in_(person_ids), col(Account.reachable).is_(False)
        )
    )
    refused = set(rows.all())
    reached = await people.preferred_accounts(session, [p for p in person_ids if p in refused])
    told = set(await stopped(session, [p for p in person_ids if p in refused]))
    return [p for p in person_ids if p in refused and p not in reached and p not in told]
