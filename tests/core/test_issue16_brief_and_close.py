"""Issue 16 (walkthroughs): /brief (German /letter) takes the circle it is about, by name or
#id, from someone in several circles; /close takes a short reason, passed on to learners."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Circle
from tests.circles.test_circle_administration import MEETING_2, circle_with_learners
from tests.conftest import Chat
from tests.core.test_several_circles import two_circles
from tests.database import open_session

NOT_YET = "Briefe gibt es ab der Mitte des Kreises"


async def circle_id(core: Core, name: str) -> int:
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == name))).one()
        assert circle.id is not None
        return circle.id


async def test_brief_takes_the_circle_by_its_name_or_its_number(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)
    await chat.say("Amina", "/language de")
    # One word of its name, or #id as the circle question's buttons send it: never "which?".
    for typed in ["Python", "digital", f"#{await circle_id(core, 'Python for Everyone')}"]:
        answer = await chat.say("Amina", f"/brief {typed}")
        assert answer.startswith(NOT_YET), typed
    # Its own word still works, and so does no word at all (asked which).
    assert "Für welchen Kreis" in await chat.say("Amina", "/brief")


async def test_close_passes_a_short_reason_on_to_learners(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    await chat.deliver()
    clock.set(MEETING_2 + timedelta(days=1))
    asked = await chat.say("Amina", "/close moving to a new course")
    assert asked.startswith("Close Python for Everyone now?")
    # She sees what learners will read before she says yes.
    assert "“moving to a new course”" in asked
    assert "is closed" in await chat.say("Amina", "yes")
    farewells = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    [farewell] = [text for text in farewells if "has had its last meeting" in text]
    assert "Your facilitator said why: “moving to a new course”" in farewell


async def test_close_with_the_circles_name_is_no_reason(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    await chat.deliver()
    asked = await chat.say("Amina", "/close Python for Everyone")
    assert asked.startswith("Close Python for Everyone now?") and "said why" not in asked
    assert "learners will read" not in asked
    await chat.say("Amina", "yes")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert told and all("said why" not in text for text in told)


# Before its first meeting, a reason reaches them too; typed after the circle's name.
async def test_a_circle_closed_before_meeting_passes_the_reason_on(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    await chat.deliver()
    await chat.say("Amina", "/close Python for Everyone, too few signed up")
    await chat.say("Amina", "yes")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any(
        "won't meet" in text and "Your facilitator said why: “too few signed up”" in text
        for text in told
    ), told
