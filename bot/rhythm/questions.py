"""Questions the bot is waiting on: a learner's next free text answers the newest one.

A question is a row, so it survives a restart; it is deleted when answered or skipped, and it
lapses at the circle's next meeting (a week's question belongs to that week).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import delete as sa_delete
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.storage import bulk
from bot.storage.database import created_here, forget_deleted, insert_row, new_row
from bot.storage.models import (
    Circle,
    Meeting,
    MeetingStatus,
    OutboxMessage,
    Person,
    Question,
    QuestionKind,
)

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
# A choice question (the 1-5 rating, yes or no to sharing) is answered in a word or two ("4",
# "good", "très bien"). A message of more words than this that is not one of its answers is a
# message of its own ("Désolée, je travaille tard jeudi"): it goes on as if nothing waited.
CHOICE_ANSWER_WORDS = 3
# A notice about a circle (a reminder, a cancellation, an announcement) says for this long
# which circle the learner's next words are about.
NOTICE_CURRENT_FOR = timedelta(hours=48)
# How many of the latest messages to a chat are searched for that notice.
_LATEST_NOTICES = 20
# Ids in one IN (...): well inside either back end's limit on a statement's parameters.
_IDS_PER_STATEMENT = 1_000
# What Core.awaiting_words says the core waits for.
WRITING_LETTER = "letter"
WRITING_ANSWER = "answer"


async def lapse_time(
    session: AsyncSession, circle_id: int, after: datetime, planned: Sequence[Meeting] | None = None
) -> datetime:
    """When a question asked at `after` lapses: the start of the circle's next meeting.
    `planned`: the circle's meetings, if this transaction has read them (meetings.schedule)."""
    if planned is not None:  # as _NEXT_START finds it, without reading them again (issue 18)
        starts = min(
            (
                m.starts_at
                for m in planned
                if m.status != MeetingStatus.CANCELLED and m.starts_at > after
            ),
            default=None,
        )
    else:
        params = {"circle_id": circle_id, "after": after}
        starts = (await session.exec(_NEXT_START, params=params)).first()
    return starts or after + LAST_QUESTION_LIFETIME


# Built once: every question asked reads it (issue 18).
_NEXT_START = (
    select(Meeting.starts_at)
    .where(
        Meeting.circle_id == bindparam("circle_id"),
        Meeting.status != MeetingStatus.CANCELLED,
        col(Meeting.starts_at) > bindparam("after"),
    )
    .order_by(col(Meeting.starts_at))
)


async def ask(
    session: AsyncSession,
    person_id: int,
    circle: Circle,
    kind: QuestionKind,
    prompt_key: str,
    now: datetime,
    meeting_id: int | None = None,
    planned: Sequence[Meeting] | None = None,
) -> Question:
    """Record that a question is waiting, replacing an older one of the same kind and circle.
    `planned`: the circle's meetings, if read already (lapse_time)."""
    assert circle.id is not None
    params = {"person_id": person_id, "circle_id": circle.id, "kind": kind}
    if not _first_asked(session, person_id):
        await session.exec(_REPLACED, params=params)
        forget_deleted(session, Question, person_id=person_id, circle_id=circle.id, kind=kind)
    question = new_row(
        Question,
        person_id=person_id,
        circle_id=circle.id,
        meeting_id=meeting_id,
        kind=kind,
        prompt_key=prompt_key,
        asked_at=now,
        expires_at=await lapse_time(session, circle.id, now, planned),
    )
    return await insert_row(session, question)  # a plain INSERT (issue 18)


def _first_asked(session: AsyncSession, person_id: int) -> bool:
    """Whether the person is new this message (people.identify) and asked nothing in it yet:
    no question of theirs to replace."""
    return created_here(session, Person, person_id) and not any(
        isinstance(row, Question) and row.person_id == person_id
        for row in session.sync_session.identity_map.values()
    )


# The question ask() replaces, built once (issue 18). The ORM cannot match bound values
# against the rows it holds: forget_deleted does that instead of its synchronisation.
_REPLACED = (
    delete(Question)
    .where(
        col(Question.person_id) == bindparam("person_id"),
        col(Question.circle_id) == bindparam("circle_id"),
        col(Question.kind) == bindparam("kind"),
    )
    .execution_options(synchronize_session=False)
)


class Asked(NamedTuple):
    """A question asked, as its row (Question's columns)."""

    person_id: int
    circle_id: int
    meeting_id: int | None
    kind: QuestionKind
    prompt_key: str
    asked_at: datetime
    expires_at: datetime | None


async def ask_many(session: AsyncSession, asked: list[Asked]) -> None:
    """Record many waiting questions at once, each replacing the person's older one of its
    kind in its circle as ask() does: a few statements however many."""
    if not asked:
        return
    table = Question.__table__  # type: ignore[attr-defined]
    by_kind: dict[QuestionKind, set[tuple[int, int]]] = defaultdict(set)
    for question in asked:
        by_kind[question.kind].add((question.circle_id, question.person_id))
    for kind, pairs in by_kind.items():
        # The older questions of this kind in these circles (one per member at most); those
        # of the people asked go, by id. Plain index lookups on either back end, where a DELETE
        # on (circle, person) pairs slowed PostgreSQL down as the tick's transaction grew.
        circle_ids = sorted({circle_id for circle_id, _ in pairs})
        older: list[int] = []
        for start in range(0, len(circle_ids), _IDS_PER_STATEMENT):
            found = await session.exec(
                select(Question.id, Question.circle_id, Question.person_id).where(
                    Question.kind == kind,
                    col(Question.circle_id).in_(circle_ids[start : start + _IDS_PER_STATEMENT]),
                )
            )
            older += [
                q
                for q, circle_id, person_id in found.all()
                if q is not None and (circle_id, person_id) in pairs
            ]
        for start in range(0, len(older), _IDS_PER_STATEMENT):
            await session.exec(
                sa_delete(table).where(table.c.id.in_(older[start : start + _IDS_PER_STATEMENT]))
            )
    await bulk.insert_rows(session, table, Asked._fields, asked)


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


# A question's prompt key, once it was asked again for words that didn't answer it ("hello" to
# the 1-5): the next words are a message of their own (to the facilitators), so one question
# never holds a phone for weeks.
_ASKED_AGAIN = "+again"


def asked_again(question: Question) -> bool:
    return question.prompt_key.endswith(_ASKED_AGAIN)


def mark_asked_again(question: Question) -> None:
    if not asked_again(question):
        question.prompt_key += _ASKED_AGAIN


def a_sentence(text: str) -> bool:
    """Whether `text` is too long to be a choice question's answer (CHOICE_ANSWER_WORDS)."""
    return len(text.split()) > CHOICE_ANSWER_WORDS


async def close(session: AsyncSession, question: Question) -> None:
    await session.delete(question)
    await session.flush()


async def newest_notice(
    session: AsyncSession, platform: str, chat_id: str, now: datetime
) -> tuple[int, datetime] | None:
    """The circle the newest message to this chat about a circle or one of its meetings was
    about, and when it was made; None if none came within NOTICE_CURRENT_FOR."""
    rows = await session.exec(
        select(OutboxMessage.idempotency_key, OutboxMessage.created_at)
        .where(
            OutboxMessage.platform == platform,
            OutboxMessage.chat_id == chat_id,
            col(OutboxMessage.created_at) > now - NOTICE_CURRENT_FOR,
        )
        .order_by(col(OutboxMessage.id).desc())
        .limit(_LATEST_NOTICES)
    )
    for key, created_at in rows.all():
        subject = [*key.split("|"), "", ""][1]
        about, _, number = subject.partition(":")
        if not number.isdecimal():
            continue
        if about == "circle":
            return int(number), created_at
        if about == "meeting":
            meeting = await session.get(Meeting, int(number))
            if meeting is not None:
                return meeting.circle_id, created_at
    return None


# How long a 1-5 offered before newer choices (the course survey's, before a reminder from
# another circle) still takes a number the newer ones can't (D26, D27).
SCALE_KEPT_FOR = timedelta(days=7)
# How long the course survey's 1-5 still takes a rating once other questions came and went, or
# no message came after it: it names no deadline, and a learner answers it weeks late (A15).
SURVEY_SCALE_KEPT_FOR = timedelta(days=42)


async def offers_since(
    session: AsyncSession, platform: str, chat_id: str, since: datetime
) -> list[list[list[str]]]:
    """The choices (as [label, payload]) of the latest messages to this chat since `since`
    that offered any, newest first."""
    rows = await session.exec(
        select(OutboxMessage.payload)
        .where(
            OutboxMessage.platform == platform,
            OutboxMessage.chat_id == chat_id,
            col(OutboxMessage.created_at) > since,
        )
        .order_by(col(OutboxMessage.id).desc())
        .limit(_LATEST_NOTICES)
    )
    found = []
    for payload in rows.all():
        choices = [list(c) for c in payload.get("choices") or [] if len(c) > 1]
        if choices:
            found.append(choices)
    return found
