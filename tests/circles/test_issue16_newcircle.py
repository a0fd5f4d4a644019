"""Issue 16 (walkthroughs): an online circle is not asked a city "for its letters" (they say
"from an online circle"), and a one-line /newcircle that says "same course, same room,
tuesdays" copies the last circle's course and venue instead of keeping those words."""

from __future__ import annotations

from sqlmodel import col, select

from bot.core import Core
from bot.storage.models import Circle
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session

# The clock starts on Tuesday 2026-10-20, 10:00 in Detroit.


async def newest(core: Core) -> Circle | None:
    async with open_session(core) as session:
        rows = await session.exec(select(Circle).order_by(col(Circle.id).desc()))
        return rows.first()


async def test_an_online_circle_is_not_told_its_letters_name_a_city(chat: Chat, core: Core) -> None:
    await chat.say("Awa", "/newcircle")
    for said in ["Python du soir", "Python for Everybody", "skip"]:
        await chat.say("Awa", said)
    asked_city = await chat.say("Awa", "meet.jit.si/dpl-python")
    assert "most of you in" in asked_city and "letters" not in asked_city
    for said in ["Dakar", "SN", "2026-11-05", "18:30", "skip"]:
        await chat.say("Awa", said)
    ready = await chat.say("Awa", "skip")
    assert "is ready" in ready and "Dakar" not in ready


async def test_same_course_same_room_tuesdays_copies_her_last_circle(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    said = await chat.say("Amina", "/newcircle same course, same room, tuesdays")
    assert "same room" not in said.casefold().replace("“same room”", "")
    assert "Python for Everybody" in said and "Detroit Public Library" in said
    # What is still missing is asked: the name first.
    assert "What's the circle called?" in said
    await chat.say("Amina", "Python Tuesdays")
    for answer in ["2026-11-03", "18:00", "skip"]:
        await chat.say("Amina", answer)
    ready = await chat.say("Amina", "skip")
    assert "is ready" in ready, ready
    circle = await newest(core)
    assert circle is not None
    assert (circle.name, circle.course_title, circle.venue, circle.city, circle.weekday) == (
        "Python Tuesdays",
        "Python for Everybody",
        "Detroit Public Library",
        "Detroit",
        1,
    )


async def test_the_same_in_french_and_a_name_before_it(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/language fr")
    said = await chat.say("Amina", "/nouveaucercle Python du mardi, même cours, même salle, mardis")
    assert "Python for Everybody" in said and "Detroit Public Library" in said
    assert "« Python du mardi »" in said and "même salle" not in said.casefold()


async def test_same_room_without_a_past_circle_is_said_and_never_kept(
    chat: Chat, core: Core
) -> None:
    said = await chat.say("Amina", "/newcircle same course, same room, tuesdays")
    assert "no circle of yours" in said.casefold() or "You haven't run" in said
    assert await newest(core) is None
