"""Courses ranked by how past circles went, checked against a table worked out by hand.

course (circles): learners at the first meeting -> at the latest; ratings (check-ins +
survey); goals; score

- Python (A1 + A2, two titles, one link): 4 + 2 = 6 -> 2 + 2 = 4; 5 4 4 + 5 3 = 21 / 5 = 4.2;
  yes, partly = 0.75; score (4/6 + 3.2/4 + 0.75) / 3 = 0.7389
- Spreadsheets (B1 + B2, no link, one title): 3 + 2 = 5 -> 3 + 1 = 4; 3 3 3 = 3.0; none;
  score (0.8 + 0.5) / 2 = 0.65
- Web design (one circle): 2 -> 2; survey 5 5; yes, yes; score 1.0, shown after the others
- Knitting (one circle, never met): not shown

The facilitator (Amina) is at every meeting, rates each course 1 and says no goal was met: none
of it counts.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import FakeClock
from bot.circles import circles
from bot.network import courses, ranking
from bot.storage.database import session_factory
from bot.storage.models import (
    Attendance,
    AttendanceSource,
    CheckIn,
    Circle,
    CourseSurvey,
    Meeting,
    Membership,
    Person,
    Role,
)
from tests.conftest import DETROIT_DRAFT

PY4E = "https://www.py4e.com/"


async def a_circle(
    session: AsyncSession,
    clock: FakeClock,
    name: str,
    course: str,
    link: str | None,
    came: dict[int, list[str]],
    checkins: dict[str, int] | None = None,
    surveys: dict[str, tuple[int | None, str | None, bool | None]] | None = None,
) -> Circle:
    """A circle whose learners came to meetings as `came` says ({meeting: [names]}), rated
    its first meeting as `checkins` says, and answered the survey (rating, goal, recommend)."""
    amina = Person(display_name="Amina", created_at=clock.now())
    session.add(amina)
    await session.flush()
    draft = replace(DETROIT_DRAFT, name=name, course_title=course, course_url=link)
    circle = await circles.create(session, clock.now(), random.Random(name), amina, draft)
    circle_id = circle.id or 0
    people: dict[str, int] = {"Amina": amina.id or 0}
    learners = sorted({n for names in came.values() for n in names} | set(surveys or {}))
    for learner in learners:
        person = Person(display_name=learner, created_at=clock.now())
        session.add(person)
        await session.flush()
        people[learner] = person.id or 0
        session.add(
            Membership(
                circle_id=circle_id,
                person_id=people[learner],
                role=Role.LEARNER,
                joined_at=clock.now(),
            )
        )
    by_number = {
        m.number: m.id or 0
        for m in (await session.exec(select(Meeting).where(Meeting.circle_id == circle_id))).all()
    }
    for number, names in came.items():
        for who in [*names, "Amina"]:
            session.add(
                Attendance(
                    meeting_id=by_number[number],
                    person_id=people[who],
                    source=AttendanceSource.FACILITATOR,
                    recorded_at=clock.now(),
                )
            )
    for who, rating in {**(checkins or {}), "Amina": 1}.items():
        session.add(
            CheckIn(
                circle_id=circle_id,
                meeting_id=by_number[1],
                person_id=people[who],
                rating=rating,
                answered_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    course_row = await courses.link_circle(session, circle)
    answered: dict[str, tuple[int | None, str | None, bool | None]] = {
        **(surveys or {}),
        "Amina": (1, "no", False),
    }
    for who, (given, goal, recommend) in answered.items():
        session.add(
            CourseSurvey(
                circle_id=circle_id,
                person_id=people[who],
                course_id=course_row.id,
                role=Role.FACILITATOR if who == "Amina" else Role.LEARNER,
                rating=given,
                goal_met=goal,
                recommend=recommend,
                answered_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    await session.flush()
    return circle


@pytest.fixture
async def network(any_engine: AsyncEngine, clock: FakeClock) -> AsyncEngine:
    """The table's circles, on SQLite and on PostgreSQL."""
    return await build(any_engine, clock)


@pytest.fixture
async def on_sqlite(sqlite_engine: AsyncEngine, clock: FakeClock) -> AsyncEngine:
    """The same, on SQLite only: for what depends on no back end's SQL of its own."""
    return await build(sqlite_engine, clock)


async def build(engine: AsyncEngine, clock: FakeClock) -> AsyncEngine:
    async with session_factory(engine)() as session, session.begin():
        await a_circle(
            session,
            clock,
            "A1",
            "Python for Everybody",
            PY4E,
            {1: ["L1", "L2", "L3", "L4"], 2: ["L1", "L3"], 3: ["L1", "L2"]},
            {"L1": 5, "L2": 4},
            {"L1": (5, "yes", True), "L2": (3, "partly", False)},
        )
        await a_circle(
            session,
            clock,
            "A2",
            "Python 4 Everybody",  # another title, the same link: the same course
            "http://py4e.com",
            {1: ["M1", "M2"], 2: ["M1", "M2"]},
            {"M1": 4},
        )
        await a_circle(
            session,
            clock,
            "B1",
            "Intro to Spreadsheets",
            None,
            {1: ["S1", "S2", "S3"], 2: ["S1", "S2", "S3"]},
            {"S1": 3, "S2": 3, "S3": 3},
        )
        await a_circle(
            session,
            clock,
            "B2",
            "intro to  spreadsheets",  # no link: the same title in the same language
            None,
            {1: ["T1", "T2"], 2: ["T2"]},
        )
        await a_circle(
            session,
            clock,
            "C1",
            "Web Design",
            "https://example.org/web",
            {1: ["W1", "W2"], 2: ["W1", "W2"]},
            surveys={"W1": (5, "yes", True), "W2": (5, "yes", True)},
        )
        await a_circle(session, clock, "D1", "Knitting", None, {})
    return engine


async def test_courses_rank_as_the_hand_worked_table(network: AsyncEngine) -> None:
    async with session_factory(network)() as session:
        found = await courses.ranked(session)
    assert [course.title for course in found] == [
        "Python for Everybody",
        "Intro to Spreadsheets",
        "Web Design",
    ]
    python, sheets, web = (course.figures for course in found)
    assert (python.circles, python.learners) == (2, 6)
    assert python.came_back == pytest.approx(4 / 6)
    assert (python.rating, python.ratings) == (pytest.approx(4.2), 5)
    # Two answered the survey: never an average of one or two people's answers (B11).
    assert (python.goals_met, python.recommend) == (None, None)
    assert python.score == pytest.approx((4 / 6 + 0.8) / 2)
    assert python.ranked
    assert (sheets.circles, sheets.learners, sheets.came_back) == (2, 5, pytest.approx(0.8))
    assert (sheets.rating, sheets.goals_met) == (pytest.approx(3.0), None)
    assert sheets.score == pytest.approx(0.65)
    assert (web.circles, web.score, web.ranked) == (1, pytest.approx(1.0), False)
    assert (web.rating, web.goals_met) == (None, None)  # two survey answers only


async def test_known_courses_and_topics(network: AsyncEngine) -> None:
    async with session_factory(network)() as session:
        assert [c.title for c in await courses.ranked(session, "PYTHON")] == [
            "Python for Everybody"
        ]
        assert await courses.ranked(session, "100%_") == []
        offered = await courses.known_courses(session, "en")
        assert [c.title for c in offered][:2] == ["Intro to Spreadsheets", "Python for Everybody"]
        assert [c.title for c in await courses.known_courses(session, "en", "py4e")] == [
            "Python for Everybody"
        ]
        assert await courses.known_courses(session, "sw") == []
        same = await courses.course_for(session, "Py4E", "https://py4e.com/", "en")
        assert same.title == "Python for Everybody"
        other = await courses.course_for(session, "Python for Everybody", None, "fr")
        assert other.id != same.id


def test_the_rule_on_its_own() -> None:
    """No data is not zero: a course with only ratings is scored on them alone."""
    only_ratings = ranking.figures(ranking.Tally(circles=3, rating_sum=20, ratings=5))
    assert only_ratings.score == pytest.approx(0.75) and only_ratings.came_back is None
    nothing = ranking.figures(ranking.Tally(circles=5))
    assert nothing.score is None and not nothing.ranked


async def test_the_public_record_has_no_names(on_sqlite: AsyncEngine) -> None:
    async with session_factory(on_sqlite)() as session:
        [python] = await courses.ranked(session, "python")
        record = await courses.course_record(session, python.id)
        assert await courses.course_record(session, 10**6) is None
    assert record is not None and record.circles == 2
    assert [c.city for c in record.taken_by] == ["Detroit", "Detroit"]
    assert "Amina" not in repr(record) and "L1" not in repr(record)
