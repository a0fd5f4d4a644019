"""Walkthrough (fac 3, 4): Linh, asked her goal just after joining, wrote "Before I answer - is
there parking at the library? And do I need to bring my own laptop?". Only the second question
reached Denise; the first was kept as Linh's goal, to be read back to her at the end. Every
question in such an answer goes on, and nothing of it is kept as her goal."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.storage.models import QuestionKind, Reflection
from tests.conftest import Chat
from tests.database import open_session
from tests.rhythm.test_question_traps import to
from tests.seasons import open_circle


async def test_every_question_typed_at_the_goal_question_reaches_the_facilitator(
    chat: Chat, core: Core
) -> None:
    code = await open_circle(chat, core, {})
    await chat.say("Linh", "/join " + code)
    await chat.deliver()
    answer = await chat.say(
        "Linh",
        "Before I answer - is there parking at the library? And do I need to bring my own laptop?",
    )
    assert "passed that on to Amina" in answer and "What do you hope to get out of" in answer
    notices = to(await chat.deliver(), "Amina")
    said = " ".join(notice for notice in notices)
    assert "is there parking at the library?" in said, notices
    assert "do I need to bring my own laptop?" in said, notices
    async with open_session(core) as session:
        kept = select(Reflection.text).where(Reflection.kind == QuestionKind.GOAL)
        goals = list((await session.exec(kept)).all())
    assert not any("parking" in goal for goal in goals), goals
