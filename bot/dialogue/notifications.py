"""Proactive messages to a person: rendered in their language, queued in the outbox."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Catalogs, Translator
from bot.chat.messages import Attachment, Choice, Outbound
from bot.delivery import outbox
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations, people
from bot.storage.models import Person

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
    tr = catalogs.translator(person.locale, account.locale_hint, circle_language)
    offered = tuple(choices(tr)) if choices else ()
    files = tuple(attachments(tr)) if attachments else ()
    message = Outbound(people.private_address(account), render(tr), offered, files)
    queued = await outbox.enqueue(session, key, message, tr.locale, now)
    if queued and offered:  # so that replying "1" by SMS picks the first
        await conversations.offer_privately(
            session, {conversations.key_for_account(account): [c.payload for c in offered]}, now
        )
    return queued
