"""Multi-turn state per conversation (one person in one chat), stored so it survives a restart."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, inspect
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.keywords import plain
from bot.chat.messages import Choice, Inbound
from bot.dialogue.values import number_word
from bot.storage.database import insert_for, new_row
from bot.storage.models import Account, Conversation

# No guided command waits longer than this (each flow declares its own timeout, up to it).
STALE_AFTER = timedelta(hours=24)
# The key of a flow's state in the conversation's data.
STATE = "state"
# A typed beginning of a label picks its choice from this many letters on ("kis" for
# Kiswahili): fewer would take short everyday words for a choice.
MIN_PREFIX_LETTERS = 3
# A lone word from inside a label picks its choice from this many letters on.
MIN_WORD_LETTERS = 5
# Set (true) in a conversation's data when its choices are picked only by number or by a whole
# label: names offered for a letter's signature, where "Bea" is a name of its own, not the
# beginning of "Beatriz" (walkthrough A11).
WHOLE_LABELS = "whole-labels"
# A choice as remembered: [payload, label as the person saw it], so that typing the label picks
# it; rows written before labels were kept hold the payload alone.
Remembered = str | list[str]


def key_for(inbound: Inbound) -> str:
    return f"{inbound.platform}:{inbound.chat_id}:{inbound.account_id}"


@dataclass(frozen=True)
class Found:
    """A conversation read together with something else (the sender: people.identify), so
    load() needs no statement of its own; `row` is None when there is none yet."""

    row: Conversation | None


# Built once: a message binds only the key (issue 18).
_BY_KEY = select(Conversation).where(Conversation.key == bindparam("key"))


async def load(
    session: AsyncSession,
    key: str,
    now: datetime,
    found: Found | None = None,
    *,
    held_back: bool = False,
) -> Conversation:
    """The conversation for `key` (a fresh one if none); stale state is dropped. `found`: the
    row already read, if it was. `held_back`: a fresh one is not put in the session; keep()
    stores it once the message has given it something to keep."""
    if found is None:
        conversation = (await session.exec(_BY_KEY, params={"key": key})).first()
    else:
        conversation = found.row
    if conversation is None:
        conversation = new_row(Conversation, key=key, updated_at=now)  # as the ORM builds one
        if not held_back:
            session.add(conversation)
    elif conversation.flow and now - conversation.updated_at > STALE_AFTER:
        conversation.flow = None
        conversation.data = {}
    return conversation


def keep(session: AsyncSession, conversation: Conversation) -> None:
    """A fresh conversation load() held back, stored if it has anything to keep (a flow, its
    data, choices offered). An empty one is what load() makes where there is none, so it is
    not written: no INSERT for a message that leaves nothing waiting (issue 18)."""
    if inspect(conversation).transient and (
        conversation.flow or conversation.data or conversation.choices
    ):
        session.add(conversation)


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


def remembered(choices: Sequence[Choice | Remembered]) -> list[Remembered]:
    """Choices as a conversation keeps them (see Remembered); kept ones stay as they are."""
    return [[c.payload, c.label] if isinstance(c, Choice) else c for c in choices]


# Where offer() notes when choices were offered in a reply (outside a guided command): a reply
# the adapter shows itself (the console, a webhook's response) leaves no outbox row to tell,
# and the same choices sent weeks before would make them look weeks old (B17).
OFFERED = "offered"


def offer(
    conversation: Conversation,
    choices: Sequence[Choice | Remembered],
    now: datetime | None = None,
) -> None:
    """Remember the choices last offered, so a bare '2', or the label typed, picks one; with
    `now`, when they were offered (offered_at).

    It leaves `updated_at` alone: that marks the last step of a guided command, which expires.
    """
    kept = remembered(choices)
    if kept != conversation.choices:  # else nothing to save: no flush for it (issue 18)
        conversation.choices = kept
        if now is not None and kept and not conversation.flow:
            noted = {"choices": [_payload(c) for c in kept], "at": now.isoformat()}
            conversation.data = {**conversation.data, OFFERED: noted}


def offered_at(conversation: Conversation, payloads: Sequence[str]) -> datetime | None:
    """When choices with `payloads` were last offered in a reply (see OFFERED), if noted."""
    noted = conversation.data.get(OFFERED)
    if not isinstance(noted, dict) or noted.get("choices") != list(payloads):
        return None
    try:
        return datetime.fromisoformat(str(noted.get("at")))
    except ValueError:
        return None


def key_for_account(account: Account) -> str:
    """The key of a person's private chat with the bot, as key_for() makes it from a message."""
    return f"{account.platform}:{account.address}:{account.external_id}"


async def offer_privately(
    session: AsyncSession, offers: Mapping[str, Sequence[Choice | Remembered]], now: datetime
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
        {"key": key, "flow": None, "data": {}, "choices": remembered(choices), "updated_at": now}
        for key, choices in offers.items()
    ]
    await session.exec(statement, params=rows)


async def of_linked_accounts(
    session: AsyncSession, person_id: int, account_id: int | None
) -> list[Conversation]:
    """The private conversations of the person's other accounts (a chat app linked to a phone):
    where choices sent proactively to them wait (offer_privately)."""
    accounts = (
        await session.exec(
            select(Account).where(Account.person_id == person_id, Account.id != account_id)
        )
    ).all()
    keys = [key_for_account(account) for account in accounts]
    if not keys:
        return []
    found = await session.exec(select(Conversation).where(col(Conversation.key).in_(keys)))
    return list(found.all())


def payloads(conversation: Conversation) -> list[str]:
    """What each choice last offered sends back, by number."""
    return [_payload(choice) for choice in conversation.choices]


def picked(conversation: Conversation, text: str) -> str | None:
    """The payload of the choice `text` picks: by its number, or by its label typed (any case,
    with or without accents or punctuation), or by a beginning of the label no other shares.
    A label two choices share picks neither."""
    offered = payloads(conversation)
    typed = text.strip()
    spelt = number_word(typed)
    if (
        spelt is not None
        and not _code_of_a_choice(offered, typed)
        and not _a_label(conversation, typed)
    ):
        typed = str(spelt)  # "UNO", "two": the number written out (C2, C5, C18)
    if typed.isdecimal():
        # The length first: int() of thousands of digits is slow.
        if len(typed) <= len(str(len(offered))) and 1 <= int(typed) <= len(offered):
            return offered[int(typed) - 1]
        return None
    return _labelled(conversation, typed)


# A choice's label opening a reply, set apart by a mark from the words after it: "en partie, je
# fais deja les totaux", "Partly - totals yes, charts not yet".
# A label set apart by a comma, a colon or a dash ("en partie, je fais..."): not by "!" or a
# full stop, which end a thanks or a yes said with feeling ("gracias!! la leemos otra vez").
_LABEL_FIRST = re.compile(r"\s*(?P<label>[^,.;:!?–-]+?)\s*[,;:–-]+\s*(?P<rest>\S.*)", re.DOTALL)


def label_and_words(conversation: Conversation, text: str) -> tuple[str, str] | None:
    """The payload of the one choice whose whole label opens `text`, set apart by a mark from
    more words (B10), and those words; None otherwise."""
    found = _LABEL_FIRST.fullmatch(text)
    if found is None or not plain(found["label"]):
        return None
    said = plain(found["label"])
    named = [
        choice[0]
        for choice in conversation.choices
        if not isinstance(choice, str) and len(choice) > 1 and plain(choice[1]) == said
    ]
    return (named[0], found["rest"].strip()) if len(named) == 1 else None


def by_its_own_words(conversation: Conversation, text: str) -> str | None:
    """The payload of the choice `text` names by the words of its label no other shares, where
    several labels open with the word `text` opens with: "ja und ich steig aus" to "Ja, ich
    leite mit" and "Ja, und ich steige vorerst aus" is the second, not the first yes
    (walkthrough, /handover). None when the words name none, or more than one."""
    typed = [plain(word) for word in text.split() if plain(word)]
    labels = [
        (choice[0], [plain(word) for word in choice[1].split() if plain(word)])
        for choice in conversation.choices
        if not isinstance(choice, str) and len(choice) > 1
    ]
    opening = [(payload, words) for payload, words in labels if words[:1] == typed[:1]]
    if len(typed) < 2 or len(opening) < 2:
        return None
    named = []
    for payload, words in opening:
        others = {word for other, theirs in opening if other != payload for word in theirs}
        own = [word for word in words if word not in others]
        if any(_same_word(said, word) for said in typed[1:] for word in own):
            named.append(payload)
    return named[0] if len(named) == 1 else None


def _same_word(typed: str, word: str) -> bool:
    """The word, or a beginning or longer form of it ("steig" for "steige")."""
    if typed == word:
        return True
    shorter, longer = sorted((typed, word), key=len)
    return len(shorter) >= MIN_PREFIX_LETTERS and longer.startswith(shorter)


def _code_of_a_choice(offered: list[str], typed: str) -> bool:
    """Whether `typed` is the last word of a choice's payload (a language's code at the
    menu), which it picks as such, not as a number."""
    return any(payload.split()[-1:] == [typed.casefold()] for payload in offered)


def _a_label(conversation: Conversation, typed: str) -> bool:
    """Whether `typed` is a choice's whole label (any case, accents or punctuation)."""
    said = plain(typed)
    return any(
        not isinstance(choice, str) and len(choice) > 1 and plain(choice[1]) == said
        for choice in conversation.choices
    )


def _payload(choice: Remembered) -> str:
    return choice if isinstance(choice, str) else choice[0]


def _labelled(conversation: Conversation, typed: str) -> str | None:
    said = plain(typed)
    if not said:
        return None
    labels = [
        (choice[0], plain(choice[1]))
        for choice in conversation.choices
        if not isinstance(choice, str) and len(choice) > 1
    ]
    exact = [payload for payload, label in labels if label == said]
    if exact:
        return exact[0] if len(exact) == 1 else None
    if conversation.data.get(WHOLE_LABELS):
        return None
    if sum(ch.isalpha() for ch in said) < MIN_PREFIX_LETTERS:
        return None
    begun = [payload for payload, label in labels if label.startswith(said)]
    if begun:
        return begun[0] if len(begun) == 1 else None
    # One word of a label and of no other ("privado" for "Mantener en privado"): long
    # enough not to be a little word two labels could share.
    # A word alone, nothing else ("/share" is a command, not the word of "Yes, share").
    word = typed.strip(".,;:!?¡¿")
    if not word.isalpha() or len(word) < MIN_WORD_LETTERS:
        return None
    named = [
        choice[0]
        for choice in conversation.choices
        if not isinstance(choice, str)
        and len(choice) > 1
        and said in {plain(word) for word in choice[1].split()}
    ]
    return named[0] if len(named) == 1 else None
