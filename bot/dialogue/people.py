"""People and their platform accounts: who wrote, and where to reach someone."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.messages import Address, Inbound
from bot.storage.models import Account, Person

MAX_NAME_LENGTH = 64


def clean_name(name: str | None, fallback: str) -> str:
    name = " ".join((name or "").split())[:MAX_NAME_LENGTH]
    return name or fallback


async def find_account(session: AsyncSession, platform: str, external_id: str) -> Account | None:
    """The account a platform's user id belongs to, if the bot has met them."""
    return (
        await session.exec(
            select(Account).where(Account.platform == platform, Account.external_id == external_id)
        )
    ).first()


async def identify(
    session: AsyncSession, inbound: Inbound, now: datetime, fallback_name: str
) -> tuple[Account, Person]:
    """The account and person behind an inbound message, created on first contact.

    `fallback_name` names someone whose platform gives no name (SMS): never their number.
    """
    found = (
        await session.exec(
            select(Account, Person)
            .join(Person, col(Person.id) == Account.person_id)
            .where(Account.platform == inbound.platform, Account.external_id == inbound.account_id)
        )
    ).first()
    if found is None:
        person = Person(
            display_name=clean_name(inbound.display_name, fallback_name), created_at=now
        )
        session.add(person)
        await session.flush()
        assert person.id is not None
        # In a group the reply chat is the group: the adapter says where to write privately.
        address = inbound.private_chat_id or (
            inbound.account_id if inbound.is_group else inbound.chat_id
        )
        account = Account(
            person_id=person.id,
            platform=inbound.platform,
            external_id=inbound.account_id,
            address=address,
            locale_hint=inbound.locale_hint,
            created_at=now,
            last_seen_at=now,
        )
        session.add(account)
        await session.flush()
        return account, person
    account, person = found
    account.last_seen_at = now  # which account they use now decides where reminders go
    if inbound.locale_hint and inbound.locale_hint != account.locale_hint:
        account.locale_hint = inbound.locale_hint
    return account, person


async def preferred_account(session: AsyncSession, person_id: int) -> Account | None:
    """Where to send a proactive message: the account the person chose (/prefer), else the one
    they used last; never one that can't be reached or that opted out."""
    return (
        await session.exec(
            select(Account)
            .where(
                Account.person_id == person_id,
                col(Account.reachable).is_(True),
                col(Account.opted_out).is_(False),
            )
            .order_by(
                col(Account.preferred).desc(),
                col(Account.last_seen_at).desc(),
                col(Account.id).desc(),
            )
        )
    ).first()


async def preferred_accounts(session: AsyncSession, person_ids: list[int]) -> dict[int, Account]:
    """preferred_account() for many people in one query per thousand."""
    found: dict[int, Account] = {}
    for start in range(0, len(person_ids), 1000):
        rows = await session.exec(
            select(Account)
            .where(
                col(Account.person_id).in_(person_ids[start : start + 1000]),
                col(Account.reachable).is_(True),
                col(Account.opted_out).is_(False),
            )
            .order_by(col(Account.preferred), col(Account.last_seen_at), col(Account.id))
        )
        for account in rows.all():  # ascending: the chosen one, else the last one seen, wins
            found[account.person_id] = account
    return found


def private_address(account: Account) -> Address:
    return Address(account.platform, account.address)


async def platforms_of(session: AsyncSession, person_id: int) -> list[str]:
    rows = await session.exec(select(Account.platform).where(Account.person_id == person_id))
    return sorted(set(rows.all()))
