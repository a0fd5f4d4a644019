"""/forget: erase a person and everything they wrote, in one transaction."""

from __future__ import annotations

from sqlalchemy import or_, update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.storage.models import (
    Account,
    Attendance,
    ChatPresence,
    CheckIn,
    Circle,
    CircleStatus,
    Conversation,
    JoinAttempt,
    Letter,
    LinkCode,
    Membership,
    OutboxMessage,
    Person,
    Question,
    Reflection,
    Role,
    Rsvp,
)


def passed_on_by(person_id: int) -> str:
    """The start of the outbox key occurrence of a learner's words passed on to facilitators
    (bot/rhythm/commands/announcements.pass_on), so erasure finds them."""
    return f"from:person:{person_id}@"


async def check_can_forget(session: AsyncSession, person: Person) -> None:
    """A circle's lead facilitator must hand over first: a circle needs someone to run it."""
    leads = (
        await session.exec(
            select(Circle.name)
            .join(Membership, col(Membership.circle_id) == Circle.id)
            .where(
                Membership.person_id == person.id,
                Membership.role == Role.FACILITATOR,
                Circle.status == CircleStatus.ACTIVE,
            )
        )
    ).all()
    if leads:
        raise UserError(
            N_(
                "You facilitate %(circle)s, so I can't delete you yet: a circle needs its "
                "facilitator. Make someone a co-facilitator, and ask the circle's organisers "
                "to hand it over."
            ),
            circle=leads[0],
        )


async def forget(session: AsyncSession, person: Person) -> None:
    """Delete the person, their accounts, memberships, answers and messages to them."""
    await check_can_forget(session, person)
    await session.flush()
    accounts = (await session.exec(select(Account).where(Account.person_id == person.id))).all()
    account_ids = [a.id for a in accounts]
    for table in (
        CheckIn,
        Reflection,
        Question,
        Rsvp,
        Attendance,
        Membership,
        LinkCode,
        ChatPresence,
    ):
        await session.exec(delete(table).where(col(table.person_id) == person.id))
    if accounts:
        await session.exec(delete(JoinAttempt).where(col(JoinAttempt.account_id).in_(account_ids)))
        await session.exec(
            delete(OutboxMessage).where(
                or_(
                    *(
                        (col(OutboxMessage.platform) == a.platform)
                        & (col(OutboxMessage.chat_id) == a.address)
                        for a in accounts
                    )
                )
            )
        )
        await session.exec(
            delete(Conversation).where(
                or_(
                    *(
                        col(Conversation.key).startswith(a.platform + ":", autoescape=True)
                        & col(Conversation.key).endswith(":" + a.external_id, autoescape=True)
                        for a in accounts
                    )
                )
            )
        )
    # Their words passed on to facilitators (announcement replies, SMS texts) are not kept either.
    await session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.idempotency_key).contains(
                "|" + passed_on_by(person.id or 0), autoescape=True
            )
        )
    )
    # Letters still waiting are deleted, with the review notices that quote them; delivered
    # ones stay, signed "a learner" in their city.
    waiting = (
        await session.exec(
            select(Letter.id).where(Letter.author_id == person.id, Letter.deliveries == 0)
        )
    ).all()
    for letter_id in waiting:
        await session.exec(
            delete(OutboxMessage).where(
                or_(
                    col(OutboxMessage.idempotency_key).contains(
                        f"|letter:{letter_id}|", autoescape=True
                    ),
                    col(OutboxMessage.idempotency_key).endswith(
                        f"|letter:{letter_id}", autoescape=True
                    ),
                )
            )
        )
    await session.exec(
        delete(Letter).where(col(Letter.author_id) == person.id, col(Letter.deliveries) == 0)
    )
    await session.exec(
        update(Letter)
        .where(col(Letter.author_id) == person.id)
        .values(author_id=None, signature="")  # shown as "a learner in <city>"
    )
    await session.exec(delete(Account).where(col(Account.person_id) == person.id))
    await session.exec(delete(Person).where(col(Person.id) == person.id))
    # The objects of this message's own person, account and conversation are gone now.
    session.expunge_all()
