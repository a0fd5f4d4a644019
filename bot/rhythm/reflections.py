"""Written answers kept in a learner's portfolio: goals, reflections, goal reviews."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.database import created_here
from bot.storage.models import Person, QuestionKind, Reflection

# Longer answers are kept up to this many characters, and the learner is told (README).
MAX_ANSWER_CHARS = 2000


def clip(text: str) -> tuple[str, bool]:
    """The answer as stored, and whether it had to be shortened."""
    if len(text) <= MAX_ANSWER_CHARS:
        return text, False
    return text[: MAX_ANSWER_CHARS - 1].rstrip() + "…", True


async def save(
    session: AsyncSession,
    person_id: int,
    circle_id: int,
    kind: QuestionKind,
    prompt_key: str,
    text: str,
    now: datetime,
    meeting_id: int | None = None,
) -> bool:
    """Store (or replace) the answer to one prompt. True when it was shortened."""
    stored, clipped = clip(text)
    reflection = (
        await session.exec(
            select(Reflection).where(
                Reflection.person_id == person_id,
                Reflection.circle_id == circle_id,
                Reflection.kind == kind,
                Reflection.prompt_key == prompt_key,
            )
        )
    ).first()
    if reflection is None:
        reflection = Reflection(
            person_id=person_id,
            circle_id=circle_id,
            kind=kind,
            prompt_key=prompt_key,
            text=stored,
            created_at=now,
            updated_at=now,
        )
    reflection.text = stored
    reflection.meeting_id = meeting_id
    reflection.updated_at = now
    session.add(reflection)
    await session.flush()
    return clipped


async def goal_of(session: AsyncSession, person_id: int, circle_id: int) -> str | None:
    if created_here(session, Person, person_id):
        return None  # someone new this message has said no goal yet
    params = {"person_id": person_id, "circle_id": circle_id}
    return (await session.exec(_GOAL, params=params)).first()


# Built once: every join reads it (issue 18).
_GOAL = select(Reflection.text).where(
    Reflection.person_id == bindparam("person_id"),
    Reflection.circle_id == bindparam("circle_id"),
    Reflection.kind == QuestionKind.GOAL,
)


async def answered_keys(
    session: AsyncSession, person_id: int, circle_id: int, kind: QuestionKind
) -> set[str]:
    rows = await session.exec(
        select(Reflection.prompt_key).where(
            Reflection.person_id == person_id,
            Reflection.circle_id == circle_id,
            Reflection.kind == kind,
        )
    )
    return set(rows.all())
