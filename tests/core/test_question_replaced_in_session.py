"""Group P (issue 18): the cheaper statements of an inbound message keep what the ORM's did."""

from __future__ import annotations

from sqlmodel import col, select

from bot.core import Core
from bot.rhythm import questions
from bot.storage.models import Circle, Person, Question, QuestionKind
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session


async def test_a_question_asked_again_replaces_the_one_held_without_writing_it_back(
    chat: Chat, core: Core
) -> None:
    """ask() deletes the older question with a statement built once; the older one, read into
    the same transaction and changed there, leaves the session with it, as after the ORM's own
    DELETE: it is not written back over the deleted row, and one question waits."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    async with open_session(core) as session, session.begin():
        brian = (await session.exec(select(Person).where(Person.display_name == "Brian"))).one()
        circle = (await session.exec(select(Circle))).one()
        assert brian.id is not None
        held = (
            await session.exec(select(Question).where(Question.person_id == brian.id))
        ).one()  # the goal question the join asked
        held.prompt_key = "changed meanwhile"
        session.add(held)
        await questions.ask(session, brian.id, circle, held.kind, "asked again", core.clock.now())
    async with open_session(core) as session:
        waiting = (
            await session.exec(
                select(Question.kind, Question.prompt_key).order_by(col(Question.id))
            )
        ).all()
    assert waiting == [(QuestionKind.GOAL, "asked again")]
