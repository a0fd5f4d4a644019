"""Issue 16 (fac 36, fac 33, smses 29): at the goal question, a question's second half without
its "?" ("and will it be recorded"), a circumstance ("I do not have a smartphone") and a bare
"?" are never kept as the goal: the facilitator reads what is for her, and the question waits."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.storage.models import QuestionKind, Reflection
from tests.conftest import Chat
from tests.database import open_session
from tests.rhythm.test_question_traps import to
from tests.seasons import open_circle


async def _goals(core: Core) -> list[str]:
    async with open_session(core) as session:
        kept = select(Reflection.text).where(Reflection.kind == QuestionKind.GOAL)
        return list((await session.exec(kept)).all())


async def test_a_question_in_two_halves_goes_on_whole(chat: Chat, core: Core) -> None:
    code = await open_circle(chat, core, {})
    await chat.say("Devon", "/join " + code)
    await chat.deliver()
    answer = await chat.say(
        "Devon", "is the zoom link the same every week? and will it be recorded"
    )
    assert "passed that on to Amina" in answer and "What do you hope to get out of" in answer
    said = " ".join(to(await chat.deliver(), "Amina"))
    assert "and will it be recorded" in said, said
    assert await _goals(core) == []


async def test_a_circumstance_is_passed_on_not_kept_as_the_goal(chat: Chat, core: Core) -> None:
    code = await open_circle(chat, core, {})
    await chat.say("Okafor", "/join " + code)
    await chat.deliver()
    answer = await chat.say("Okafor", "I do not have a smartphone")
    assert "passed that on to Amina" in answer and "What do you hope to get out of" in answer
    assert "smartphone" in " ".join(to(await chat.deliver(), "Amina"))
    assert await _goals(core) == []
    await chat.say("Okafor", "I have no computer at home, so I want to learn to type")
    assert await _goals(core) == ["I have no computer at home, so I want to learn to type"]


async def test_a_bare_question_mark_is_no_goal(chat: Chat, core: Core) -> None:
    code = await open_circle(chat, core, {})
    await chat.say("Julian", "/join " + code)
    await chat.deliver()
    answer = await chat.say("Julian", "?")
    assert "in your own words" in answer, answer
    assert await _goals(core) == []
