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
from datetime import datetime, timedelta

from sqlalchemy import update
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
) -> bool:
    """Queue a message for the person's preferred account, with files if given (a chart).

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
    queued = await outbox.enqueue(session, key, message, tr.locale, now)
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
    hints = (
        await session.exec(
            select(Account.locale_hint)
            .where(Account.person_id == person.id, col(Account.locale_hint).is_not(None))
            .order_by(col(Account.last_seen_at).desc(), col(Account.id).desc())
        )
    ).all()
    # As the router picks the language of a reply (bot.dialogue.people.identify's order).
    newest = (
        await session.exec(
            select(Circle.language)
            .join(Membership, col(Membership.circle_id) == Circle.id)
            .where(
                Membership.person_id == person.id,
                col(Membership.left_at).is_(None),
                Circle.status == CircleStatus.ACTIVE,
            )
            .order_by(col(Membership.joined_at).desc(), col(Membership.id).desc())
            .limit(1)
        )
    ).first()
    return [account.locale_hint, *hints, newest, circle_language]


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
) -> bool:
    """Tell the person about person `about`, together with the others of the same kind,
    subject and recipient (`key` but its occurrence).

    While the last such notice still waits (no dispatcher has claimed or tried it), `about` is
    added to it and its words are written anew, in the same transaction. Otherwise a new one is
    queued under `key`, whose occurrence names the new window: due at once, or `window` after
    the last one went out if that was less than `window` ago, so that the ones that follow
    meanwhile are gathered into it; `hold` keeps it (new or gathered into) back at least that
    long (a joiner's name still to come by SMS). False if they can't be reached or it already
    names `about`.
    """
    account = await people.preferred_account(session, person_id)
    if account is None:
        return False
    address = people.private_address(account)
    last = await _last_gathered(session, key, address)
    if last is not None and _still_open(last):
        gathered = [int(person) for person in last.payload[GATHERED]]
        if about in gathered:
            return False
        gathered.append(about)
        tr = catalogs.translator(last.payload.get("locale"))
        text = render(tr, await _names(session, gathered))
        # `hold` holds the gathered notice back too: else a notice already due would carry
        # someone whose name is still to come ("Carlos and Circle member").
        due = max(last.next_attempt_at, now + hold)
        rewritten = await session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == last.id,  # and still untouched: checked under its lock
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.claimed_until).is_(None),
                col(OutboxMessage.attempts) == 0,
            )
            .values(payload={**last.payload, "text": text, GATHERED: gathered}, next_attempt_at=due)
            .returning(col(OutboxMessage.id))
        )
        if rewritten.first() is not None:
            return True
        # A dispatcher took it meanwhile: this one starts a new window.
    person = await session.get_one(Person, person_id)
    tr = catalogs.translator(*await reader_language(session, person, account, circle_language))
    message = Outbound(address, render(tr, await _names(session, [about])))
    due = max(_due(last, now, window), now + hold)
    if not await outbox.enqueue(session, key, message, tr.locale, now, due):
        return False
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.idempotency_key) == str(key))
        .values(payload={**outbox.to_payload(message, tr.locale), GATHERED: [about]})
    )
    return True


async def _last_gathered(
    session: AsyncSession, key: OutboxKey, address: Address
) -> OutboxMessage | None:
    """The newest notice of this kind, subject and recipient still waiting or sent, looked for
    among the messages to their chat (an index's worth, however large the outbox grows)."""
    same = str(OutboxKey(key.kind, key.subject, key.recipient))  # every window's key starts so
    return (
        await session.exec(
            select(OutboxMessage)
            .where(
                col(OutboxMessage.platform) == address.platform,
                col(OutboxMessage.chat_id) == address.chat_id,
                col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.SENT]),
                col(OutboxMessage.kind) == str(key.kind),
                col(OutboxMessage.idempotency_key).startswith(same, autoescape=True),
            )
            .order_by(col(OutboxMessage.id).desc())
            .limit(1)
        )
    ).first()


async def regather(
    session: AsyncSession,
    catalogs: Catalogs,
    kind: MessageKind,
    subject: str,
    about: int,
    render: RenderGathered,
) -> int:
    """Write anew the gathered notices of `kind` about `subject` still waiting that name person
    `about`, whose name has changed ("Circle member joined" before they said it, by SMS). How
    many were rewritten."""
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
        tr = catalogs.translator(row.payload.get("locale"))
        text = render(tr, await _names(session, [int(person) for person in gathered]))
        done = await session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == row.id,
                col(OutboxMessage.status) == OutboxStatus.PENDING,
                col(OutboxMessage.claimed_until).is_(None),
                col(OutboxMessage.attempts) == 0,
            )
            .values(payload={**row.payload, "text": text})
            .returning(col(OutboxMessage.id))
        )
        rewritten += done.first() is not None
    return rewritten


def _still_open(row: OutboxMessage) -> bool:
    """Waiting, untouched by any dispatcher, and written to be gathered into."""
    return (
        row.status == OutboxStatus.PENDING
        and row.claimed_until is None
        and row.attempts == 0
        and isinstance(row.payload.get(GATHERED), list)
    )


def _due(last: OutboxMessage | None, now: datetime, window: timedelta) -> datetime:
    """When a new window's notice goes: at once, unless the last one went out (or is going out
    now) less than `window` ago."""
    if last is None:
        return now
    told = last.sent_at if last.status == OutboxStatus.SENT and last.sent_at else now
    return max(now, told + window)


async def _names(session: AsyncSession, person_ids: list[int]) -> list[str]:
    """Their names, in that order; someone erased meanwhile is left out."""
    found = dict(
        (
            await session.exec(
                select(Person.id, Person.display_name).where(col(Person.id).in_(person_ids))
            )
        ).all()
    )
    return [found[person] for person in person_ids if person in found]
