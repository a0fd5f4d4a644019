"""One course, however its link is typed or left out: "py4e.com", "https://www.py4e.com/" and
no link for "Python for Everybody" in English are one course, in /courses and in /newcircle's
choices; the migration merges the records an older version split."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.database import session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import Circle, Course, CourseSurvey
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session

_WITH = DETROIT_CIRCLE.replace('name="Python for Everyone"', 'name="{name}"')


def _circle(name: str, link: str | None) -> str:
    command = _WITH.format(name=name)
    return command + (f" url={link}" if link else "")


async def test_links_typed_differently_and_no_link_make_one_course(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", _circle("Evening Python", "py4e.com"))
    assert "is ready" in await chat.say("Amina", _circle("Online Python", None))
    assert "is ready" in await chat.say("Amina", _circle("Spring Python", "https://www.py4e.com/"))
    assert "is ready" in await chat.say("Amina", _circle("Teen Python", "www.PY4E.com"))
    async with open_session(core) as session:
        kept = (await session.exec(select(Course))).all()
        circles = (await session.exec(select(Circle))).all()
    assert len(kept) == 1
    assert kept[0].url == "https://py4e.com"
    assert {circle.course_id for circle in circles} == {kept[0].id}
    # The course is offered once to the next circle.
    offered = await chat.say("Zoe", "/newcircle")
    offered = await chat.say("Zoe", "Zoe's Python")
    assert offered.count("Python for Everybody") == 1


async def test_a_link_given_later_becomes_the_title_only_course(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", _circle("Online Python", None))
    assert "is ready" in await chat.say("Amina", _circle("Evening Python", "https://py4e.com"))
    async with open_session(core) as session:
        [course] = (await session.exec(select(Course))).all()
    assert course.url == "https://py4e.com"


async def test_the_migration_merges_courses_split_before(sqlite_engine: AsyncEngine) -> None:
    async with sqlite_engine.begin() as connection:
        await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    for table in reversed(SQLModel.metadata.sorted_tables):
        async with sqlite_engine.begin() as connection:
            await connection.execute(text(f'DROP TABLE IF EXISTS "{table.name}"'))
    await upgrade(sqlite_engine, "0019")
    async with sqlite_engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO course (id, key, title, url, language) VALUES "
                "(1, 'link:py4e.com', 'Python for Everybody', 'https://py4e.com', 'en'), "
                "(2, 'title:en:python for everybody', 'Python  for everybody', NULL, 'en'), "
                "(3, 'link:www.py4e.com', 'Python for Everybody', 'www.py4e.com', 'en'), "
                "(4, 'title:fr:python for everybody', 'Python for Everybody', NULL, 'fr')"
            )
        )
        for number, course in enumerate([1, 2, 3, 1, 4], 1):
            await connection.execute(
                text(
                    "INSERT INTO circle (name, course_title, venue, city, country_code, "
                    "timezone, language, weekday, start_time, duration_minutes, meeting_count, "
                    "start_date, join_code, status, created_at, course_id) VALUES "
                    f"('C{number}', 'Python for Everybody', 'Library', 'Detroit', 'US', "
                    "'America/Detroit', 'en', 3, '18:00:00', 90, 6, '2026-10-29', "
                    f"'CODE{number:03}', 'active', '2026-10-01 12:00:00', {course})"
                )
            )
        await connection.execute(
            text(
                "INSERT INTO person (id, display_name, created_at) VALUES "
                "(1, 'Aisha', '2026-10-01 12:00:00')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO coursesurvey (circle_id, person_id, course_id, role, tip, "
                "tip_shared, tip_flags, answered_at, updated_at) VALUES (2, 1, 2, 'learner', "
                "'Ask early.', 1, '[]', '2026-12-01 12:00:00', '2026-12-01 12:00:00')"
            )
        )
    await upgrade(sqlite_engine)
    async with session_factory(sqlite_engine)() as session:
        courses = {c.id: c for c in (await session.exec(select(Course))).all()}
        circles = {c.name: c.course_id for c in (await session.exec(select(Circle))).all()}
        survey = (await session.exec(select(CourseSurvey))).one()
    assert set(courses) == {1, 4}  # the French one is another course
    assert circles == {"C1": 1, "C2": 1, "C3": 1, "C4": 1, "C5": 4}
    assert survey.course_id == 1
