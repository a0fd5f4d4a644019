"""Multi-turn state per conversation (one person in one chat), stored so it survives a restart."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.messages import Inbound
from bot.storage.database import insert_for
from bot.storage.models import Account, Conversation

# No guided command waits longer than this (each flow declares its own timeout, up to it).
STALE_AFTER = timedelta(hours=24)
# The key of a flow's state in the conversation's data.
STATE = "state"


def key_for(inbound: Inbound) -> str:
    return f"{inbound.platform}:{inbound.chat_id}:{inbound.account_id}"


async def load(session: AsyncSession, key: str, now: datetime) -> Conversation:
    """The conversation for `key` (a fresh one if none); stale state is dropped."""
    conversation = (await session.exec(select(Conversation).where(Conversation.key == key))).first()
    if conversation is None:
        conversation = Conversation(key=key, updated_at=now)
        session.add(conversation)
    elif conversation.flow and now - conversation.updated_at > STALE_AFTER:
        conversation.flow = None
        conversation.data = {}
    return conversation


def begin(
    conversation: Conversation,
    flow: str,
    data: dict[str, Any],
    now: datetime,
    state: str | None = None,
) -> None:
    """`flow` starts, waiting in `state` (its first when None: see registry.Flow)."""
    conversation.flow = flow
    conversation.data = data if state is None else {**data, STATE: state}
    conversation.updated_at = now


def move(conversation: Conversation, state: str, data: dict[str, Any], now: datetime) -> None:
    """The flow going on now waits in `state`, with `data`."""
    update(conversation, {**data, STATE: state}, now)


def state_of(conversation: Conversation) -> object:
    """The state the flow going on waits in (None: its first). "step" is where conversations
    begun before flows declared their states kept it."""
    return conversation.data.get(STATE, conversation.data.get("step"))


def update(conversation: Conversation, data: dict[str, Any], now: datetime) -> None:
    # A new dict, so SQLAlchemy sees the JSON column change.
    conversation.data = dict(data)
    conversation.updated_at = now


def finish(conversation: Conversation, now: datetime) -> None:
    conversation.flow = None
    conversation.data = {}
    conversation.updated_at = now


def offer(conversation: Conversation, payloads: list[str]) -> None:
    """Remember the choices last offered, so a bare '2' means the second one.

    It leaves `updated_at` alone: that marks the last step of a guided command, which expires.
    """
    conversation.choices = list(payloads)


def key_for_account(account: Account) -> str:
    """The key of a person's private chat with the bot, as key_for() makes it from a message."""
    return f"{account.platform}:{account.address}:{account.external_id}"


async def offer_privately(
    session: AsyncSession, offers: dict[str, list[str]], now: datetime
) -> None:
    """Remember choices sent proactively (a reminder's Yes/No), by private conversation key,
    so that replying "1" by SMS picks the first. One upsert for them all; an existing
    conversation keeps its `updated_at` (see offer())."""
    if not offers:
        return
    table = Conversation.__table__  # type: ignore[attr-defined]
    statement = insert_for(session)(table)
    statement = statement.on_conflict_do_update(
        index_elements=["key"], set_={"choices": statement.excluded.choices}
    )
    rows: list[dict[str, object]] = [
        {"key": key, "flow": None, "data": {}, "choices": list(payloads), "updated_at": now}
        for key, payloads in offers.items()
    ]
    await session.exec(statement, params=rows)


def picked(conversation: Conversation, text: str) -> str | None:
    if text.isdecimal() and 1 <= int(text) <= len(conversation.choices):
        return conversation.choices[int(text) - 1]
    return None
