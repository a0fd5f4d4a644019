"""Setting up a circle, guided (walkthrough 8, fac 2, 14, 15, 29, 30): the time-zone list
survives a wrong answer, a link pasted into the course title becomes the course link, the
circle's language is not the facilitator's, the ready message says the circle is private and
how to list it, and /help newcircle shows a whole circle in one message."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.storage.models import Circle
from tests.conftest import Chat
from tests.database import open_session


async def _circle(core: Core, name: str) -> Circle:
    async with open_session(core) as session:
        return (await session.exec(select(Circle).where(Circle.name == name))).one()


async def test_a_guided_set_up_in_cleveland(chat: Chat, core: Core) -> None:
    await chat.say("Denise", "/newcircle")
    await chat.say("Denise", "Intro to Spreadsheets")
    # fac 29: the link pasted with the title is the course link, and not asked for again.
    said = await chat.say(
        "Denise", "Excel basics from GCFGlobal https://edu.gcfglobal.org/en/excel/"
    )
    assert "web address" not in said and "Where will you meet" in said, said
    for answer in ("Fleet Branch", "Cleveland", "US"):
        said = await chat.say("Denise", answer)
    # fac 14: a wrong answer to the zone list keeps the list, and "1" still picks from it.
    said = await chat.say("Denise", "ET")
    assert "Reply 1 for America/New_York" in said, said
    said = await chat.say("Denise", "the eastern one")
    assert "I don't know the time zone" in said and "Reply 1 for America/New_York" in said, said
    said = await chat.say("Denise", "1")
    assert "On what date" in said, said
    for answer in ("2026-11-05", "18:00", "six"):
        said = await chat.say("Denise", answer)
    # fac 15: choosing the circle's language (a slip: Kiswahili) is named in the ready
    # message, and leaves her own language English.
    said = await chat.say("Denise", "Kiswahili")
    assert "Your circle Intro to Spreadsheets is ready" in said, said
    assert "will be in Swahili. To change that: /edit language" in said, said
    # fac 30: new circles are private; the ready message says how to be found.
    assert "To let anyone nearby find your circle with /find, send /listing on." in said, said
    assert "Intro to Spreadsheets has 1 member" in await chat.say("Denise", "/roster")
    circle = await _circle(core, "Intro to Spreadsheets")
    assert circle.course_title == "Excel basics from GCFGlobal"
    assert circle.course_url == "https://edu.gcfglobal.org/en/excel/"
    assert circle.language == "sw"


async def test_help_newcircle_shows_a_whole_circle_in_one_message(chat: Chat) -> None:
    """fac 2 and lang 5: help showed only "For example: /newcircle"."""
    said = await chat.say("Denise", "/help newcircle")
    assert (
        "Or say it all in one message, for example: /newcircle Python Club, Main Library "
        "Room 2, Tuesdays 6pm starting March 2, 6 weeks" in said
    ), said
    said = await chat.say("Mwanaisha", "/msaada kikundipya", locale_hint="sw")
    assert "/kikundipya Klabu ya Python" in said, said
