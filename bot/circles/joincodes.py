"""Join codes: short, unguessable, free of look-alike characters, and slow to brute-force."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Translator
from bot.storage.models import Circle, JoinAttempt

# No 0/O, 1/I/L, S/5's S, B/8's B, Z/2's Z: codes are read aloud in libraries, copied by eye
# from a forwarded text and typed on feature phones, where "U5HTUSF" was a wrong code.
ALPHABET = "23456789ACDEFGHJKMNPQRTUVWXY"
# Letters that older codes have (made before they were left out) and people type for a digit:
# a code is read with each as either ("U5HTUSF" is U5HTU5F, and an old "SS85ZKA" still works).
LOOK_ALIKES = {"S": "5", "B": "8", "Z": "2"}
_READABLE = ALPHABET + "".join(LOOK_ALIKES)
LENGTH = 7
BITS = LENGTH * math.log2(len(ALPHABET))  # about 34.7 bits

MAX_WRONG_CODES = 5
WRONG_CODE_WINDOW = timedelta(minutes=15)


def generate(rng: random.Random) -> str:
    """A fresh code. Production passes secrets.SystemRandom(); the demo a seeded Random."""
    return "".join(rng.choice(ALPHABET) for _ in range(LENGTH))


def normalize(typed: str) -> str:
    """What the person meant: case, spaces and dashes do not matter."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def looks_valid(code: str) -> bool:
    return len(code) == LENGTH and all(ch in _READABLE for ch in code)


def readings(code: str) -> list[str]:
    """Every code `code` may be meant as, itself first: each look-alike (S or 5, B or 8, Z or
    2) either way. At most 2**LENGTH, and only a few for a real code."""
    either = {**LOOK_ALIKES, **{digit: letter for letter, digit in LOOK_ALIKES.items()}}
    found = [""]
    for ch in code:
        found = [head + choice for head in found for choice in (ch, either.get(ch)) if choice]
    return found


async def circle_by_code(session: AsyncSession, typed: str) -> Circle | None:
    """The circle a typed code names, look-alikes read either way; the exact code first."""
    code = normalize(typed)
    if not looks_valid(code):
        return None
    candidates = readings(code)
    found = (await session.exec(_BY_CODES, params={"codes": candidates})).all()
    exact = [circle for circle in found if circle.join_code == code]
    return next(iter(exact or found), None)


# Built once: every join reads it, binding only the codes (issue 18).
_BY_CODES = select(Circle).where(col(Circle.join_code).in_(bindparam("codes", expanding=True)))


async def unused_code(session: AsyncSession, rng: random.Random) -> str:
    while True:
        code = generate(rng)
        taken = (await session.exec(select(Circle.id).where(Circle.join_code == code))).first()
        if taken is None:
            return code


# An account's latest wrong codes: built once (every join reads it; issue 18).
_RECENT = (
    select(JoinAttempt.attempted_at)
    .where(
        JoinAttempt.account_id == bindparam("account_id"),
        col(JoinAttempt.attempted_at) > bindparam("since"),
    )
    .order_by(col(JoinAttempt.attempted_at).desc())
    .limit(MAX_WRONG_CODES)
)


async def wait_before_next_try(
    session: AsyncSession, account_id: int, now: datetime
) -> timedelta | None:
    """How long this account must wait before trying another code, or None if it may try now."""
    since = now - WRONG_CODE_WINDOW
    recent = (await session.exec(_RECENT, params={"account_id": account_id, "since": since})).all()
    if len(recent) < MAX_WRONG_CODES:
        return None
    return recent[-1] + WRONG_CODE_WINDOW - now


async def record_wrong_code(session: AsyncSession, account_id: int, now: datetime) -> None:
    # Attempts older than the window no longer count: drop them so the table stays small.
    await session.exec(
        delete(JoinAttempt).where(
            col(JoinAttempt.account_id) == account_id,
            col(JoinAttempt.attempted_at) <= now - WRONG_CODE_WINDOW,
        )
    )
    session.add(JoinAttempt(account_id=account_id, attempted_at=now))


def slow_down(tr: Translator, wait: timedelta) -> str:
    """What someone who typed several wrong codes in a row (join, link or team) is told."""
    return tr._(
        "That's a few codes in a row that didn't match. Please wait %(wait)s, then try again.",
        wait=tr.duration(wait),
    )
