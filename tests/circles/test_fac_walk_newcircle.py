"""Facilitator walkthrough findings on /newcircle: a city written the American way ("Detroit,
MI") picks its own zone, zones offered come without the question repeated, and a first
meeting a year away is asked about rather than taken."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Circle
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session

UP_TO_THE_CITY = ["Computer Basics", "Digital Literacy", "skip", "Parkman Library"]


async def only_circle(core: Core) -> Circle:
    async with open_session(core) as session:
        [circle] = (await session.exec(select(Circle))).all()
    return circle


async def test_eastern_time_in_detroit_mi_is_detroits_zone(chat: Chat, core: Core) -> None:
    await chat.say("Ruth", "/newcircle")
    for said in [*UP_TO_THE_CITY, "Detroit, MI", "US"]:
        await chat.say("Ruth", said)
    asked_date = await chat.say("Ruth", "eastern time")
    assert "Time zone: America/Detroit." in asked_date
    assert "America/New_York" not in asked_date and "On what date" in asked_date
    for said in ["2026-11-05", "18:00", "skip", "skip"]:
        await chat.say("Ruth", said)
    assert (await only_circle(core)).timezone == "America/Detroit"


async def test_zones_offered_are_not_asked_about_twice(chat: Chat) -> None:
    await chat.say("Dana", "/newcircle")
    for said in [*UP_TO_THE_CITY, "Ann Arbor, MI", "US"]:
        await chat.say("Dana", said)
    offered = await chat.say("Dana", "eastern time")
    assert "covers several time zones. Which one is yours?" in offered
    assert "Reply 1 for America/New_York" in offered
    assert "Which time zone? For example" not in offered


async def ruth_at_the_date_question(chat: Chat, clock: FakeClock) -> None:
    clock.set(datetime(2026, 12, 6, 20, 32, tzinfo=UTC))  # a Sunday afternoon in Detroit
    await chat.say("Ruth", "/newcircle")
    for said in [*UP_TO_THE_CITY, "Detroit, MI", "US", "eastern time"]:
        await chat.say("Ruth", said)


async def test_a_day_just_passed_is_asked_about_not_taken_as_next_year(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await ruth_at_the_date_question(chat, clock)
    asked = await chat.say("Ruth", "12/3")
    assert "December 3 has passed this year. Did you mean Friday, December 3, 2027?" in asked
    assert "What time" not in asked
    assert "First meeting: Thursday, December 10, 2026." in await chat.say("Ruth", "12/10")
    for said in ["6pm", "skip", "skip"]:
        await chat.say("Ruth", said)
    assert (await only_circle(core)).start_date == date(2026, 12, 10)


async def test_yes_takes_next_years_date(chat: Chat, core: Core, clock: FakeClock) -> None:
    await ruth_at_the_date_question(chat, clock)
    await chat.say("Ruth", "Dec 3")
    assert "First meeting: Friday, December 3, 2027." in await chat.say("Ruth", "yes")
    for said in ["6pm", "skip", "skip"]:
        await chat.say("Ruth", said)
    assert (await only_circle(core)).start_date == date(2027, 12, 3)


async def test_a_date_early_next_year_is_taken_at_once(chat: Chat, clock: FakeClock) -> None:
    await ruth_at_the_date_question(chat, clock)
    assert "First meeting: Thursday, January 14, 2027." in await chat.say("Ruth", "1/14")


async def test_the_one_line_form_asks_for_the_year(chat: Chat, clock: FakeClock) -> None:
    clock.set(datetime(2026, 12, 6, 20, 32, tzinfo=UTC))
    line = DETROIT_CIRCLE.replace("start=2026-10-29", "start=12/3")
    assert "December 3 has passed this year. For Friday, December 3, 2027, give the year" in (
        await chat.say("Ruth", line)
    )


MARCUS_FIRST = (
    '/newcircle name="Python Online" course="Python for Everybody" url=https://www.py4e.com '
    "venue=Library city=Detroit country=US zone=America/Detroit start=2026-12-10 time=18:00"
)


async def test_a_known_course_brings_its_link_in_the_one_line_form(chat: Chat, core: Core) -> None:
    """fac 21: the course was named in the line, and his earlier circle has its link; he was
    asked for the course's web address anyway."""
    assert "is ready" in await chat.say("Marcus", MARCUS_FIRST)
    asked = await chat.say(
        "Marcus", '/newcircle name="Python Spring" course="Python for Everybody" city=Detroit'
    )
    assert "web address" not in asked and "Where will you meet" in asked
    for said in ["Library", "US", "America/Detroit", "2027-01-12", "18:00", "skip", "skip"]:
        await chat.say("Marcus", said)
    async with open_session(core) as session:
        spring = (await session.exec(select(Circle).where(Circle.name == "Python Spring"))).one()
    assert spring.course_url == "https://www.py4e.com"


async def test_same_as_last_time_answers_the_course_link_question(chat: Chat, core: Core) -> None:
    """fac 21: "same as last time" to the link question was "Please give the course link as a
    web address starting with https://."."""
    assert "is ready" in await chat.say("Marcus", MARCUS_FIRST)
    asked = await chat.say("Marcus", '/newcircle name="Python Spring" course="Python Basics"')
    assert "web address" in asked
    assert "Where will you meet" in await chat.say("Marcus", "same as last time")
    for said in ["Library", "Detroit", "US", "1", "2027-01-12", "18:00", "skip", "skip"]:
        await chat.say("Marcus", said)
    async with open_session(core) as session:
        spring = (await session.exec(select(Circle).where(Circle.name == "Python Spring"))).one()
    assert spring.course_url == "https://www.py4e.com"
