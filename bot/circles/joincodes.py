"""Join codes: short, unguessable, free of look-alike characters, and slow to brute-force."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.i18n import Translator
from bot.storage.models import Circle, JoinAttempt

# No 0/O, 1/I/L: codes are read aloud in libraries and typed on feature phones.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
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
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)


async def unused_code(session: AsyncSession, rng: random.Random) -> str:
    while True:
        code = generate(rng)
        taken = (await session.exec(select(Circle.id).where(Circle.join_code == code))).first()
        if taken is None:
            return code


async def wait_before_next_try(
    session: AsyncSession, account_id: int, now: datetime
) -> timedelta | None:
    """How long this account must wait before trying another code, or None if it may try now."""
    since = now - WRONG_CODE_WINDOW
    recent = (
        await session.exec(
            select(JoinAttempt.attempted_at)
            .where(JoinAttempt.account_id == account_id, col(JoinAttempt.attempted_at) > since)
            .order_by(col(JoinAttempt.attempted_at).desc())
            .limit(MAX_WRONG_CODES)
        )
    ).all()
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
