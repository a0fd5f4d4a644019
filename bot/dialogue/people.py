"""People and their platform accounts: who wrote, and where to reach someone."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import and_, bindparam, literal_column
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from bot.chat import keywords
from bot.chat.i18n import N_, Catalogs
from bot.chat.messages import Address, Inbound
from bot.dialogue import conversations
from bot.storage.database import insert_row, new_row
from bot.storage.models import Account, Circle, CircleStatus, Conversation, Membership, Person

MAX_NAME_LENGTH = 64


def clean_name(name: str | None, fallback: str) -> str:
    name = " ".join((name or "").split())[:MAX_NAME_LENGTH]
    return name or fallback


# Words said before a name, as people write them in the bot's languages and places ("Mama
# Halima", "Dr. Ruth", "Doña Carmen", "Mzee Ojwang"): compared as keywords.plain makes them.
TITLES = frozenset(
    {
        # English
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "pastor", "auntie", "aunty",
        "uncle", "sister", "brother",
        # Swahili and East Africa
        "mama", "baba", "mzee", "bi", "bibi", "bw", "bwana", "dada", "kaka", "mwalimu",
        "shangazi", "nana",
        # Spanish
        "don", "dona", "sr", "sra", "srta", "senor", "senora", "tia", "tio",
        # French
        "m", "mme", "mlle", "madame", "monsieur", "tata", "tonton",
        # German and Danish
        "herr", "frau", "hr", "fru",
    }
)  # fmt: skip


# Words said around a name that are no part of it, compared as keywords.plain makes them: a
# greeting or "ok" before ("sawa, ni Otis"), a friendly word after ("ni Otis bana", "Awa svp").
# A name of one word is never taken for one of them.
NAME_FILLERS_BEFORE = frozenset(
    {
        "ok", "okay", "hi", "hello", "hey", "well", "yes", "so",
        "sawa", "poa", "haya", "ndiyo", "habari", "jambo", "mambo", "eeh",
        "hola", "pues", "bueno", "si", "ya",
        "salut", "bonjour", "alors", "oui", "bon", "euh",
        "hallo", "ja", "also", "moin", "hej", "jo",
    }
)  # fmt: skip
NAME_FILLERS_AFTER = frozenset(
    {
        "please", "pls", "plz", "thanks", "thx", "here", "lol", "haha",
        "bana", "buda", "msee", "tu", "sasa", "hapa", "tafadhali", "asante", "hivyo",
        "porfa", "gracias", "aqui", "pues", "nomas", "jaja",
        "svp", "stp", "merci", "ici", "mdr",
        "bitte", "danke", "hier",
        "tak", "her",
    }
)  # fmt: skip


def said_name(text: str, openings: Iterable[str]) -> str:
    """The name in what someone answered when asked it: after an opening ("naitwa Neema",
    "je m'appelle Fatou", "nom c'est Awa": `openings` as people start saying their name,
    comma-separated lists in every language), without a greeting before it or a friendly
    word after it ("ni Otis bana" -> "Otis"), nor the full stop."""
    said = text.strip()
    words = said.split()
    while len(words) > 1 and keywords.plain(words[0].strip(",.!:;")) in NAME_FILLERS_BEFORE:
        words = words[1:]
    said = " ".join(words)
    listed = {
        opening.strip() for openers in openings for opening in openers.split(",") if opening.strip()
    }
    for opening in sorted(listed, key=len, reverse=True):  # "jina langu ni" before "ni"
        pattern = r"\s+".join(re.escape(word).replace("'", "['’ ]?") for word in opening.split())
        found = re.match(r"\s*" + pattern + r"(?:\s+|\s*[,:]\s*)(?P<name>\S.*)", said, re.I)
        if found:
            said = found["name"].strip()
            break
    said = said.rstrip(".!")
    words = said.split()
    while len(words) > 1 and keywords.plain(words[-1].strip(",.!")) in NAME_FILLERS_AFTER:
        words = words[:-1]
    return " ".join(words).rstrip(",.!;: ")


# Translators: how people start saying their name ("my name is Neema"), comma-separated; what
# follows one is kept as the name. Keep the English ones (the language may not be known yet).
NAME_OPENINGS = N_("my name is, my name's, I'm, I am, call me, it's, this is")


def name_in(catalogs: Catalogs, text: str) -> str:
    """The name said in an answer, in any of the bot's languages (said_name with
    NAME_OPENINGS): at joining, by /name or NAME, and as a letter's signature."""
    return said_name(text, [NAME_OPENINGS, *catalogs.in_every_language(NAME_OPENINGS)])


def first_name(name: str) -> str:
    """The name someone is addressed by, from the one they gave: its first word ("Halima
    Abdi" -> "Halima"), with a title before it kept ("Mama Halima" stays whole: "Mama" alone
    is a title, not a name)."""
    words = name.split()
    if len(words) > 1 and keywords.plain(words[0]) in TITLES:
        return " ".join(words[:2])
    return words[0] if words else name


def name_case(name: str) -> str:
    """A name typed all in capitals or all in small letters, as feature phones often send it,
    as a name is written ("MERCY" -> "Mercy", "maría josé" -> "María José"); a name with
    capitals of its own ("McKenzie", "da Silva") stays as typed."""
    return name.title() if name.isupper() or name.islower() else name


async def find_account(session: AsyncSession, platform: str, external_id: str) -> Account | None:
    """The account a platform's user id belongs to, if the bot has met them."""
    return (
        await session.exec(
            select(Account).where(Account.platform == platform, Account.external_id == external_id)
        )
    ).first()


@dataclass
class Sender:
    """Who wrote an inbound message, as the router needs them."""

    account: Account
    person: Person
    # Their current circles (active ones, not left), most recently joined first: what
    # circles.active_memberships gives, read with the account.
    memberships: list[tuple[Membership, Circle]]
    # Their conversation in the chat written from, read with them (None: not read), for
    # conversations.load.
    conversation: conversations.Found | None = None
    # A first message from this account: its language is still a guess (plain_text).
    new: bool = False


# The account, its person, their current memberships and their conversation in this chat in
# one statement (issue 18: the message's first read), from a row of one so that the
# conversation is read for someone new too. Built once: a message only binds the platform,
# the user id and the conversation's key. A membership of a circle that is no longer active
# comes without its circle: dropped.
_ONE = select(literal_column("1").label("one")).subquery("one")
# None where the outer joins found nothing (someone new has no account yet).
_Read = Select[Account | None, Person | None, Membership | None, Circle | None, Conversation | None]
_SENDER = cast(
    _Read,
    select(Account, Person, Membership, Circle)
    .add_columns(Conversation)
    .select_from(_ONE)
    .outerjoin(Conversation, col(Conversation.key) == bindparam("conversation"))
    .outerjoin(
        Account,
        and_(
            col(Account.platform) == bindparam("platform"),
            col(Account.external_id) == bindparam("external_id"),
        ),
    )
    .outerjoin(Person, col(Person.id) == Account.person_id)
    .outerjoin(
        Membership,
        and_(col(Membership.person_id) == Person.id, col(Membership.left_at).is_(None)),
    )
    .outerjoin(
        Circle,
        and_(col(Circle.id) == Membership.circle_id, col(Circle.status) == CircleStatus.ACTIVE),
    )
    .order_by(col(Membership.joined_at).desc(), col(Membership.id).desc()),
)


async def identify(
    session: AsyncSession, inbound: Inbound, now: datetime, fallback_name: str
) -> Sender:
    """The account and person behind an inbound message, created on first contact, with their
    current circles and their conversation in the chat.

    `fallback_name` names someone whose platform gives no name (SMS): never their number.
    """
    rows = (
        await session.exec(
            _SENDER,
            params={
                "platform": inbound.platform,
                "external_id": inbound.account_id,
                "conversation": conversations.key_for(inbound),
            },
        )
    ).all()
    conversation = conversations.Found(rows[0][4])
    known, known_person = rows[0][0], rows[0][1]
    if known is None or known_person is None:  # an account always has its person
        person = await insert_row(
            session,
            new_row(
                Person,
                display_name=clean_name(inbound.display_name, fallback_name),
                created_at=now,
            ),
        )
        assert person.id is not None
        # In a group the reply chat is the group: the adapter says where to write privately.
        address = inbound.private_chat_id or (
            inbound.account_id if inbound.is_group else inbound.chat_id
        )
        account = await insert_row(
            session,
            new_row(
                Account,
                person_id=person.id,
                platform=inbound.platform,
                external_id=inbound.account_id,
                address=address,
                locale_hint=inbound.locale_hint,
                created_at=now,
                last_seen_at=now,
            ),
        )
        # Someone new is in no circle yet.
        return Sender(account, person, [], conversation, new=True)
    account, person = known, known_person
    if account.last_seen_at != now:  # the same instant: nothing to save, no flush for it
        account.last_seen_at = now  # which account they use now decides where reminders go
    if inbound.locale_hint and inbound.locale_hint != account.locale_hint:
        account.locale_hint = inbound.locale_hint
    memberships = [(m, c) for _, _, m, c, _ in rows if m is not None and c is not None]
    return Sender(account, person, memberships, conversation)


async def preferred_account(session: AsyncSession, person_id: int) -> Account | None:
    """Where to send a proactive message: the account the person chose (/prefer), else the one
    they used last; never one that can't be reached or that opted out."""
    return (await session.exec(PREFERRED, params={"person_id": person_id})).first()


# Built once: every notice to someone reads it (a message binds only the person); a gathered
# notice reads it with the last one gathered (notifications.gather).
PREFERRED = (
    select(Account)
    .where(
        Account.person_id == bindparam("person_id"),
        col(Account.reachable).is_(True),
        col(Account.opted_out).is_(False),
    )
    .order_by(
        col(Account.preferred).desc(), col(Account.last_seen_at).desc(), col(Account.id).desc()
    )
    .limit(1)
)


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
