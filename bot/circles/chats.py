"""Group chats: linking a Telegram group or Discord channel to a circle, and who reads it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.errors import UserError
from bot.chat.i18n import N_
from bot.chat.messages import Address, Inbound
from bot.storage.database import insert_if_absent
from bot.storage.models import ChatPresence, Circle, LinkedChat, OutboxMessage, OutboxStatus


async def seen(session: AsyncSession, inbound: Inbound, person_id: int, now: datetime) -> None:
    """Remember that this person writes in this group, so it can carry their messages."""
    table = ChatPresence.__table__  # type: ignore[attr-defined]
    values = {
        "platform": inbound.platform,
        "chat_id": inbound.chat_id,
        "person_id": person_id,
        "seen_at": now,
    }
    await insert_if_absent(session, table, values, ["platform", "chat_id", "person_id"])


def _require_group(inbound: Inbound) -> None:
    if not inbound.is_group:
        raise UserError(
            N_("Send this in the group chat you want to link, not in a private chat with me.")
        )


async def link(session: AsyncSession, circle: Circle, inbound: Inbound, now: datetime) -> bool:
    """Bind the group the message came from to the circle. False if it already was."""
    _require_group(inbound)
    table = LinkedChat.__table__  # type: ignore[attr-defined]
    values = {
        "circle_id": circle.id,
        "platform": inbound.platform,
        "chat_id": inbound.chat_id,
        "created_at": now,
    }
    return await insert_if_absent(session, table, values, ["circle_id", "platform", "chat_id"])


async def unlink(session: AsyncSession, circle: Circle, inbound: Inbound) -> None:
    _require_group(inbound)
    row = (
        await session.exec(
            select(LinkedChat).where(
                LinkedChat.circle_id == circle.id,
                LinkedChat.platform == inbound.platform,
                LinkedChat.chat_id == inbound.chat_id,
            )
        )
    ).first()
    if row is None:
        raise UserError(N_("This chat isn't linked to %(circle)s."), circle=circle.name)
    await session.delete(row)


async def of_circles(session: AsyncSession, circle_ids: list[int]) -> dict[int, list[Address]]:
    found: dict[int, list[Address]] = {circle_id: [] for circle_id in circle_ids}
    for start in range(0, len(circle_ids), 1000):
        rows = await session.exec(
            select(LinkedChat)
            .where(col(LinkedChat.circle_id).in_(circle_ids[start : start + 1000]))
            .order_by(col(LinkedChat.id))
        )
        for row in rows.all():
            found[row.circle_id].append(Address(row.platform, row.chat_id))
    return found


async def linked_to(session: AsyncSession, chat: Address) -> set[int]:
    """The circles this group chat is linked to: what a command sent there is about."""
    rows = await session.exec(
        select(LinkedChat.circle_id).where(
            LinkedChat.platform == chat.platform, LinkedChat.chat_id == chat.chat_id
        )
    )
    return set(rows.all())


async def readers(session: AsyncSession, chats: list[Address]) -> set[int]:
    """The people seen writing in any of these chats."""
    people: set[int] = set()
    for chat in chats:
        rows = await session.exec(
            select(ChatPresence.person_id).where(
                ChatPresence.platform == chat.platform, ChatPresence.chat_id == chat.chat_id
            )
        )
        people.update(rows.all())
    return people


async def moved(session: AsyncSession, platform: str, old: str, new: str) -> int:
    """A group chat got a new id (a Telegram group upgraded to a supergroup): its links to
    circles, who was seen there and what waits to be posted there follow it. How many circle
    links moved. Running it twice changes nothing more."""
    links = (
        await session.exec(
            select(LinkedChat).where(LinkedChat.platform == platform, LinkedChat.chat_id == old)
        )
    ).all()
    for link in links:
        there = (
            await session.exec(
                select(LinkedChat.id).where(
                    LinkedChat.circle_id == link.circle_id,
                    LinkedChat.platform == platform,
                    LinkedChat.chat_id == new,
                )
            )
        ).first()
        if there is None:
            link.chat_id = new
            session.add(link)
        else:  # linked again in the new chat already
            await session.delete(link)
    presences = (
        await session.exec(
            select(ChatPresence).where(
                ChatPresence.platform == platform, ChatPresence.chat_id == old
            )
        )
    ).all()
    for presence in presences:
        await insert_if_absent(
            session,
            ChatPresence.__table__,  # type: ignore[attr-defined]
            {
                "platform": platform,
                "chat_id": new,
                "person_id": presence.person_id,
                "seen_at": presence.seen_at,
            },
            ["platform", "chat_id", "person_id"],
        )
        await session.delete(presence)
    waiting = (
        await session.exec(
            select(OutboxMessage)
            .where(
                OutboxMessage.platform == platform,
                col(OutboxMessage.chat_id).in_([old, new]),
                OutboxMessage.status == OutboxStatus.PENDING,
            )
            # A row a dispatcher is sending now is left to it (the adapter follows the move).
            .with_for_update(skip_locked=True)
        )
    ).all()
    already = {(row.kind, repr(row.payload)) for row in waiting if row.chat_id == new}
    for row in (row for row in waiting if row.chat_id == old):
        if (row.kind, repr(row.payload)) in already:  # posted to both chats: once is enough
            row.status = OutboxStatus.DEAD
            row.last_error = "the same message waits for the chat's new id"
        else:
            row.chat_id = new
        session.add(row)
    await session.flush()
    return len(links)
