"""The question table keeps no foreign keys (migration 0022: their checks were a third of the
tick's question insert), so the paths that delete a person or a circle must take their waiting
questions with them: none may be left pointing at a row that is gone."""

from __future__ import annotations

from sqlalchemy import text

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

ORPHANS = """
SELECT count(*) FROM question
WHERE person_id NOT IN (SELECT id FROM person)
    OR circle_id NOT IN (SELECT id FROM circle)
    OR (meeting_id IS NOT NULL AND meeting_id NOT IN (SELECT id FROM meeting))
"""


async def questions(core: Core) -> tuple[int, int]:
    """How many questions wait, and how many of them point at a row that is gone."""
    async with open_session(core) as session:
        connection = await session.connection()
        waiting = (await connection.execute(text("SELECT count(*) FROM question"))).scalar_one()
        orphans = (await connection.execute(text(ORPHANS))).scalar_one()
    return waiting, orphans


async def test_forgetting_a_person_and_deleting_a_circle_leave_no_question_behind(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name in ("Brian", "Chen"):  # each asked for their goal, left waiting
        assert "Welcome" in await chat.say(name, f"/join {code}")
    assert (await questions(core))[0] >= 2

    assert "Delete it all?" in await chat.say("Brian", "/forget")
    assert "everything about you is deleted" in await chat.say("Brian", "yes")
    assert (await questions(core))[1] == 0

    assert "Delete Python for Everyone?" in await chat.say("Amina", "/delete")
    await chat.say("Amina", "yes")
    assert await questions(core) == (0, 0)
