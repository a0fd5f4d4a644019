"""Proactive messages to a person: rendered in their language, queued in the outbox; notices of
one kind gathered into one message (gather).

Their language, one rule for every proactive message (reader_language), the same as for a
reply (bot/core/router.py): the one they chose (/language); else the one their app says they
write in (the account written to, then their others); else the language of the circle they
joined or created last (a facilitator who never sent /language created her circle in its
language, and SMS gives no hint); else that of the circle the message is about. So a
facilitator's digest, join notices, passed-on messages and letters to review all read in one
language, whichever circle or command they come from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import and_, bindparam, delete, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Address, Attachment, Choice, Outbound
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, people
from bot.storage.models import (
    Account,
    Circle,
    CircleStatus,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Person,
)

Render = Callable[[Translator], str]
Offer = Callable[[Translator], Sequence[Choice]]


async def notify(
    session: AsyncSession,
    catalogs: Catalogs,
    now: datetime,
    person_id: int,
    key: OutboxKey,
    render: Callable[[Translator], str],
    circle_language: str | None = None,
    choices: Callable[[Translator], Sequence[Choice]] | None = None,
    attachments: Callable[[Translator], Sequence[Attachment]] | None = None,
    due: datetime | None = None,
) -> bool:
    """Queue a message for the person's preferred account, with files if given (a chart).
    `due`: not sent before then (a notice held until day time in its reader's zone).

    False if they can't be reached or the same message (same key) is already queued.
    """
    account = await people.preferred_account(session, person_id)
    if account is None:
        return False
    person = await session.get_one(Person, person_id)
    tr = catalogs.translator(*await reader_language(session, person, account, circle_language))
    offered = tuple(choices(tr)) if choices else ()
    files = tuple(attachments(tr)) if attachments else ()
    message = Outbound(people.private_address(account), render(tr), offered, files)
    queued = await outbox.enqueue(session, key, message, tr.locale, now, due)
    if queued and offered:  # so that replying "1" by SMS picks the first
        await conversations.offer_privately(
            session, {conversations.key_for_account(account): offered}, now
        )
    return queued


async def reader_language(
    session: AsyncSession, person: Person, account: Account, circle_language: str | None = None
) -> list[str | None]:
    """The person's languages, best first, for Catalogs.translator (see the module's rule).
    `account` is the one written to; `circle_language` that of the circle the message is about."""
    if person.locale:
        return [person.locale]
    hints = (await session.exec(_HINTS, params={"person_id": person.id})).all()
    newest = (await session.exec(_NEWEST_LANGUAGE, params={"person_id": person.id})).first()
    return [account.locale_hint, *hints, newest, circle_language]


# reader_language's reads, built once (issue 18): a notice binds only the person.
_HINTS = (
    select(Account.locale_hint)
    .where(Account.person_id == bindparam("person_id"), col(Account.locale_hint).is_not(None))
    .order_by(col(Account.last_seen_at).desc(), col(Account.id).desc())
)
# As the router picks the language of a reply (bot.dialogue.people.identify's order).
_NEWEST_LANGUAGE = (
    select(Circle.language)
    .join(Membership, col(Membership.circle_id) == Circle.id)
    .where(
        Membership.person_id == bindparam("person_id"),
        col(Membership.left_at).is_(None),
        Circle.status == CircleStatus.ACTIVE,
    )
    .order_by(col(Membership.joined_at).desc(), col(Membership.id).desc())
    .limit(1)
)


# Notices of one kind about one subject to one person (a join notice to a facilitator) are
# gathered, so 300 joins are not 300 messages: the first goes at once, and those that come
# within this long of the last one told wait until it has passed, then go as one message.
GATHERING_WINDOW = timedelta(minutes=10)
# Whom a gathered notice is about, kept with it as person ids: its words are written anew from
# them as more come. Never names: /forget rewrites a message's text, not what is kept beside it.
GATHERED = "gathered"

# Words a gathered notice for the people it is about, by name, in the order they came.
RenderGathered = Callable[[Translator, Sequence[str]], str]


async def gather(
    session: AsyncSession,
    catalogs: Catalogs,
    now: datetime,
    person_id: int,
    key: OutboxKey,
    about: int,
    render: RenderGathered,
    circle_language: str | None = None,
    window: timedelta = GATHERING_WINDOW,
    hold: timedelta = timedelta(0),
    named_most: int | None = None,
) -> bool:
    """Tell the person about person `about`, together with the others of the same kind,
    subject and recipient (`key` but its occurrence).

    While the last such notice still waits (no dispatcher has claimed or tried it), `about` is
    added to it and its words are written anew, in the same transaction. Otherwise a new one is
    queued under `key`, whose occurrence names the new window: due at once, or `window` after
    the last one went out if that was less than `window` ago, so that the ones that follow
    meanwhile are gathered into it; `hold` keeps it (new or gathered into) back at least that
    long (a joiner's name still to come by SMS); `named_most`: how many names `render` shows
    at most before it counts the rest (see _names). False if they can't be reached or it
    already names `about`.
    """
    found = await _account_and_last(session, person_id, key)
    if found is None:
        return False
    account, last = found
    address = people.private_address(account)
    if last is not None and _still_open(last):
        gathered = [int(person) for person in last.payload[GATHERED]]
        if about in gathered:
            return False
        gathered.append(about)
        tr = catalogs.translator(last.payload.get("locale"))
        text = render(tr, await _names(session, gathered, named_most))
        # `hold` holds the gathered notice back too: else a notice already due would carry
        # someone whose name is still to come ("Carlos and Circle member").
        due = max(last.next_attempt_at, now + hold)
        payload = {**last.payload, "text": text, GATHERED: gathered}
        rewritten = await session.exec(
            _REWRITE_GATHERED, params={"row_id": last.id, "new_payload": payload, "due": due}
        )
        if rewritten.first() is not None:
            # As the ORM's own UPDATE would have left the row, if the session holds it.
            held = session.sync_session.identity_map.get(identity_key(OutboxMessage, last.id))
            if held is not None:
                set_committed_value(held, "payload", payload)
                set_committed_value(held, "next_attempt_at", due)
            return True
        # A dispatcher took it meanwhile: this one starts a new window.
    person = await session.get_one(Person, person_id)
    tr = catalogs.translator(*await reader_language(session, person, account, circle_language))
    message = Outbound(address, render(tr, await _names(session, [about])))
    due = max(_due(last, now, window), now + hold)
    return await outbox.enqueue(
        session, key, message, tr.locale, now, due, kept={GATHERED: [about]}
    )


# A gathered notice rewritten with one more person, if still untouched: checked under its
# lock. Built once, as gather's other statements (issue 18); on the table, not the entity:
# the ORM would bring the row in the session up to date by evaluating the statement's
# bound values, which it cannot (gather does it itself).
_OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
_REWRITE_GATHERED = (
    update(_OUTBOX)
    .where(
        _OUTBOX.c.id == bindparam("row_id"),
        _OUTBOX.c.status == OutboxStatus.PENDING,
        _OUTBOX.c.claimed_until.is_(None),
        _OUTBOX.c.attempts == 0,
    )
    .values(payload=bindparam("new_payload"), next_attempt_at=bindparam("due"))
    .returning(_OUTBOX.c.id)
)


class _Last(NamedTuple):
    """The newest notice of a kind, subject and recipient (_last_gathered): what gathering
    into it needs of its row, read without the ORM's object (issue 18: a third of the read)."""

    id: int
    payload: dict[str, Any]
    status: str
    claimed_until: datetime | None
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None


_LAST_GATHERED = (
    select(*(_OUTBOX.c[name] for name in _Last._fields))
    .where(
        col(OutboxMessage.platform) == bindparam("platform"),
        col(OutboxMessage.chat_id) == bindparam("chat_id"),
        col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.SENT]),
        col(OutboxMessage.kind) == bindparam("kind"),
        col(OutboxMessage.idempotency_key).like(bindparam("key_start"), escape="/"),
    )
    .order_by(col(OutboxMessage.id).desc())
    .limit(1)
)


def _starting(prefix: str) -> str:
    """A LIKE pattern for what starts with `prefix`, its wildcards escaped (escape="/")."""
    return prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


async def _last_gathered(session: AsyncSession, key: OutboxKey, address: Address) -> _Last | None:
    """The newest notice of this kind, subject and recipient still waiting or sent, looked for
    among the messages to their chat (an index's worth, however large the outbox grows)."""
    same = str(OutboxKey(key.kind, key.subject, key.recipient))  # every window's key starts so
    params = {
        "platform": address.platform,
        "chat_id": address.chat_id,
        "kind": str(key.kind),
        "key_start": _starting(same),
    }
    found = (await session.exec(_LAST_GATHERED, params=params)).first()
    return None if found is None else _Last(*found)


# gather's first read: the person's preferred account (people.PREFERRED) and the newest
# notice of the kind, subject and recipient to it, as _last_gathered finds it, in one
# statement (issue 18: a join's facilitator notice read them one after the other).
_PREFERRED_ACCOUNT = aliased(Account, people.PREFERRED.subquery("preferred"))
_ACCOUNT_AND_LAST = (
    select(_PREFERRED_ACCOUNT, *(_OUTBOX.c[name] for name in _Last._fields))
    .outerjoin(
        _OUTBOX,
        and_(
            _OUTBOX.c.platform == _PREFERRED_ACCOUNT.platform,
            _OUTBOX.c.chat_id == _PREFERRED_ACCOUNT.address,
            _OUTBOX.c.status.in_([OutboxStatus.PENDING, OutboxStatus.SENT]),
            _OUTBOX.c.kind == bindparam("kind"),
            _OUTBOX.c.idempotency_key.like(bindparam("key_start"), escape="/"),
        ),
    )
    .order_by(_OUTBOX.c.id.desc())
    .limit(1)
)


async def _account_and_last(
    session: AsyncSession, person_id: int, key: OutboxKey
) -> tuple[Account, _Last | None] | None:
    """people.preferred_account and _last_gathered to it; None if they can't be reached."""
    same = str(OutboxKey(key.kind, key.subject, key.recipient))  # every window's key starts so
    params = {"person_id": person_id, "kind": str(key.kind), "key_start": _starting(same)}
    row = (await session.exec(_ACCOUNT_AND_LAST, params=params)).first()
    if row is None:
        return None
    account, *last = row
    return account, None if last[0] is None else _Last(*last)


async def regather(
    session: AsyncSession,
    catalogs: Catalogs,
    kind: MessageKind,
    subject: str,
    about: int,
    render: RenderGathered,
    leave_out: bool = False,
) -> int:
    """Write anew the gathered notices of `kind` about `subject` still waiting that name person
    `about`, whose name has changed ("Circle member joined" before they said it, by SMS); with
    `leave_out`, without them (they left before it went: a notice naming only them goes
    unsent). How many were rewritten."""
    waiting = (
        await session.exec(
            select(OutboxMessage).where(
                col(OutboxMessage.kind) == str(kind),
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.idempotency_key).startswith(
                    f"{kind}|{subject}|", autoescape=True
                ),
            )
        )
    ).all()
    rewritten = 0
    for row in waiting:
        gathered = row.payload.get(GATHERED)
        if not _still_open(row) or not isinstance(gathered, list) or about not in gathered:
            continue
        still = [int(person) for person in gathered if not (leave_out and person == about)]
        untouched = (
            col(OutboxMessage.id) == row.id,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.claimed_until).is_(None),
            col(OutboxMessage.attempts) == 0,
        )
        if not still:  # only them: nothing left to tell
            dropped = await session.exec(
                delete(OutboxMessage).where(*untouched).returning(col(OutboxMessage.id))
            )
            rewritten += dropped.first() is not None
            continue
        tr = catalogs.translator(row.payload.get("locale"))
        text = render(tr, await _names(session, still))
        done = await session.exec(
            update(OutboxMessage)
            .where(*untouched)
            .values(payload={**row.payload, "text": text, GATHERED: still})
            .returning(col(OutboxMessage.id))
        )
        rewritten += done.first() is not None
    return rewritten


def _still_open(row: OutboxMessage | _Last) -> bool:
    """Waiting, untouched by any dispatcher, and written to be gathered into."""
    return (
        row.status == OutboxStatus.PENDING
        and row.claimed_until is None
        and row.attempts == 0
        and isinstance(row.payload.get(GATHERED), list)
    )


def _due(last: OutboxMessage | _Last | None, now: datetime, window: timedelta) -> datetime:
    """When a new window's notice goes: at once, unless the last one went out (or is going out
    now) less than `window` ago."""
    if last is None:
        return now
    told = last.sent_at if last.status == OutboxStatus.SENT and last.sent_at else now
    return max(now, told + window)


async def _names(
    session: AsyncSession, person_ids: list[int], named_most: int | None = None
) -> list[str]:
    """Their names, in that order; someone erased meanwhile is left out. With `named_most`
    (a render that names that many and counts the rest), a long list's first few are read and
    the rest stand as "" for the count: 300 joins in a window no longer read 300 names each
    (issue 18). Someone erased among the rest is still counted, never named."""
    read = person_ids
    if named_most is not None and len(person_ids) > 2 * named_most:
        read = person_ids[: 2 * named_most]
    found = dict((await session.exec(_NAMES, params={"ids": read})).all())
    names = [found[person] for person in read if person in found]
    if read is person_ids:
        return names
    if named_most is not None and len(names) < named_most:  # many erased: read them all
        return await _names(session, person_ids)
    return names + [""] * (len(person_ids) - len(read))


_NAMES = select(Person.id, Person.display_name).where(
    col(Person.id).in_(bindparam("ids", expanding=True))
)


# Changes of one kind to one person gathered as gather() gathers joins, but kept as their words
# (rendered in the notice's language as each comes), by what they change: a second change to
# the same meeting replaces the first's words ("meeting 3 is now Friday", not both moves).
CHANGES = "changes"

# The words of a gathered notice from the changes' own: one change alone says it in full.
Combine = Callable[[Translator, Sequence[str]], str]


async def gather_change(
    session: AsyncSession,
    catalogs: Catalogs,
    now: datetime,
    person_id: int,
    key: OutboxKey,
    change: tuple[str, Render, Render],
    combine: Combine,
    circle_language: str | None = None,
    window: timedelta = GATHERING_WINDOW,
    urgent: bool = False,
    net: Net | None = None,
) -> datetime | None:
    """Tell the person of `change` (what it is about, its words alone, its words among
    others), together with the changes of the same kind, subject and recipient that come
    within `window` of the last one told (`key`'s occurrence names a new window).

    As gather(): the first goes at once, the ones that follow within `window` wait for it to
    pass and go as one message. An `urgent` change (a meeting about to start) goes at once,
    with those gathered so far. `net`: what the change's subject was and is now, so that
    changes which undo each other before they are told are not told at all (a meeting
    cancelled and back on, moved and moved back); the changes go in its order. When it goes;
    None if they can't be reached, or nothing is left to tell."""
    account = await people.preferred_account(session, person_id)
    if account is None:
        return None
    address = people.private_address(account)
    subject, full, part = change
    last = await _last_gathered(session, key, address)
    if last is not None and _open_for_changes(last):
        tr = catalogs.translator(last.payload.get("locale"))
        told = list(last.payload[CHANGES])
        changes = _netted(told, {"subject": subject, "full": full(tr), "part": part(tr)}, net)
        due = now if urgent else last.next_attempt_at
        if not changes:  # all undone before anyone heard: nothing goes
            dropped = await session.exec(
                delete(OutboxMessage)
                .where(
                    col(OutboxMessage.id) == last.id,
                    col(OutboxMessage.status) == OutboxStatus.PENDING,
                    col(OutboxMessage.claimed_until).is_(None),
                    col(OutboxMessage.attempts) == 0,
                )
                .returning(col(OutboxMessage.id))
            )
            if dropped.first() is not None:
                return None
        rewritten = await session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == last.id,  # and still untouched: checked under its lock
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.claimed_until).is_(None),
                col(OutboxMessage.attempts) == 0,
            )
            .values(
                payload={
                    **last.payload,
                    "text": _changes_text(tr, changes, combine),
                    CHANGES: changes,
                },
                next_attempt_at=due,
            )
            .returning(col(OutboxMessage.id))
        )
        if rewritten.first() is not None:
            return due
        # A dispatcher took it meanwhile: this one starts a new window.
    person = await session.get_one(Person, person_id)
    tr = catalogs.translator(*await reader_language(session, person, account, circle_language))
    changes = _netted([], {"subject": subject, "full": full(tr), "part": part(tr)}, net)
    if not changes:
        return None
    message = Outbound(address, _changes_text(tr, changes, combine))
    due = now if urgent else _due(last, now, window)
    if not await outbox.enqueue(
        session, key, message, tr.locale, now, due, kept={CHANGES: changes}
    ):
        return None
    return due


@dataclass(frozen=True)
class Net:
    """What a change's subject was before it and is after it, comparable as text ("" before:
    it is new), and where it goes among the others (a meeting's number). `removes`: the
    subjects it takes away (meetings cut from the end); when all of them were new in the
    same window, it undoes them and is not told either."""

    was: str
    state: str
    order: int = 0
    removes: tuple[str, ...] = ()
    # The subjects whose changes gathered before it this one says the last of (a week skipped
    # from meeting 3 says where meeting 3 now is): theirs go untold (walk 14, fac 12: "back on;
    # is now Jan 5" in one notice).
    covers: tuple[str, ...] = ()


NEW = ""


def _netted(told: list[dict], change: dict, net: Net | None) -> list[dict]:
    """The changes of a notice still waiting, with `change` in: one that undoes what was
    gathered before it is left out with it, and they go in order (meeting 1 before 3)."""
    earlier = next((c for c in told if c["subject"] == change["subject"]), None)
    changes = [c for c in told if c["subject"] != change["subject"]]
    if net is None:
        return [*changes, change]
    changes = [c for c in changes if c["subject"] not in net.covers]
    was = earlier.get("was", net.was) if earlier is not None else net.was
    removed = [c for c in changes if c["subject"] in net.removes]
    changes = [c for c in changes if c["subject"] not in net.removes]
    undone = was == net.state or (
        bool(net.removes)
        and len(removed) == len(net.removes)
        and all(c.get("was") == NEW for c in removed)
    )
    if not undone:
        changes.append({**change, "was": was, "state": net.state, "order": net.order})
    return sorted(changes, key=lambda c: c.get("order", 0))


def _changes_text(tr: Translator, changes: list[dict[str, str]], combine: Combine) -> str:
    if len(changes) == 1:
        return changes[0]["full"]
    return combine(tr, [change["part"] for change in changes])


def _open_for_changes(row: OutboxMessage | _Last) -> bool:
    """Waiting, untouched by any dispatcher, and written to gather changes into."""
    return (
        row.status == OutboxStatus.PENDING
        and row.claimed_until is None
        and row.attempts == 0
        and isinstance(row.payload.get(CHANGES), list)
    )
