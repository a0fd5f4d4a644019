"""Questions the bot is waiting on: a learner's next free text answers the newest one.

A question is a row, so it survives a restart; it is deleted when answered or skipped, and it
lapses at the circle's next meeting (a week's question belongs to that week).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage.models import Circle, Meeting, MeetingStatus, Question, QuestionKind

# When a circle has no meeting left, a question still lapses after this long.
LAST_QUESTION_LIFETIME = timedelta(days=14)
# Questions answered in words, not by picking a choice (a chat may offer a text box for them).
WRITTEN_ANSWERS = frozenset(
    {
        QuestionKind.GOAL,
        QuestionKind.CHECKIN,
        QuestionKind.REFLECTION,
        QuestionKind.GOAL_REVIEW,
        QuestionKind.REPLY,
    }
)
# What Core.awaiting_words says the core waits for.
WRITING_LETTER = "letter"
WRITING_ANSWER = "answer"


async def lapse_time(session: AsyncSession, circle_id: int, after: datetime) -> datetime:
    """When a question asked at `after` lapses: the start of the circle's next meeting."""
    starts = (
        await session.exec(
            select(Meeting.starts_at)
            .where(
                Meeting.circle_id == circle_id,
                Meeting.status != MeetingStatus.CANCELLED,
                col(Meeting.starts_at) > after,
            )
            .order_by(col(Meeting.starts_at))
        )
    ).first()
    return starts or after + LAST_QUESTION_LIFETIME


async def ask(
    session: AsyncSession,
    person_id: int,
    circle: Circle,
    kind: QuestionKind,
    prompt_key: str,
    now: datetime,
    meeting_id: int | None = None,
) -> Question:
    """Record that a question is waiting, replacing an older one of the same kind and circle."""
    assert circle.id is not None
    await session.exec(
        delete(Question).where(
            col(Question.person_id) == person_id,
            col(Question.circle_id) == circle.id,
            col(Question.kind) == kind,
        )
    )
    question = Question(
        person_id=person_id,
        circle_id=circle.id,
        meeting_id=meeting_id,
        kind=kind,
        prompt_key=prompt_key,
        asked_at=now,
        expires_at=await lapse_time(session, circle.id, now),
    )
    session.add(question)
    await session.flush()
    return question


async def waiting(session: AsyncSession, person_id: int, now: datetime) -> Question | None:
    """The question the person's next free text answers: the newest that has not lapsed."""
    return (
        await session.exec(
            select(Question)
            .where(
                Question.person_id == person_id,
                (col(Question.expires_at).is_(None)) | (col(Question.expires_at) > now),
            )
            .order_by(col(Question.asked_at).desc(), col(Question.id).desc())
        )
    ).first()


async def close(session: AsyncSession, question: Question) -> None:
    await session.delete(question)
    await session.flush()
