"""Walkthrough (issue 16, Detroit): tips passed on to a starting circle are in its language
first; a tip in another language only when there is none in its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Circle, CourseSurvey, Person, Role
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS, delivered, end_the_circle
from tests.seasons import open_circle

NEXT_CIRCLE = (
    '/newcircle name="Spring Python" course="Python for Everybody" venue="Room B" '
    "city=Detroit country=US zone=America/Detroit start=2027-03-01 time=18:00 meetings=6"
)
FIRST_MEETING = datetime(2027, 3, 1, 23, 0, tzinfo=UTC)  # 18:00 in Detroit


async def _an_english_tip(core: Core, spanish: Circle, text: str) -> None:
    """Another circle on the course, in English, whose learner shared `text`."""
    async with open_session(core) as session, session.begin():
        other = Circle(
            **{
                **spanish.model_dump(exclude={"id"}),
                "name": "Fall Python",
                "join_code": "FALL123",
                "language": "en",
            }
        )
        author = Person(display_name="Gina", created_at=spanish.created_at)
        session.add_all([other, author])
        await session.flush()
        assert other.id is not None and author.id is not None
        now = spanish.created_at
        session.add(
            CourseSurvey(
                circle_id=other.id,
                person_id=author.id,
                course_id=spanish.course_id,
                role=Role.LEARNER,
                tip=text,
                tip_shared=True,
                answered_at=now,
                updated_at=now,
            )
        )


async def test_an_english_circle_gets_english_tips(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    for answer in ["5", "1", "1", "No tengas miedo de preguntar.", "1"]:
        await chat.say("Brian", answer)
    for answer in ["4", "1", "1", "Haz los ejercicios dos veces.", "1"]:
        await chat.say("Dana", answer)
    await delivered(chat)
    async with open_session(core) as session, session.begin():
        spanish = (await session.exec(select(Circle))).one()
        spanish.language = "es"  # their tips were written in Spanish
        session.add(spanish)
    await _an_english_tip(core, spanish, "Ask for help early.")

    assert "is ready" in await chat.say("Zoe", NEXT_CIRCLE)
    assert "Welcome" in await chat.say("Erin", "/join " + await code_of(core, "Spring Python"))
    clock.set(FIRST_MEETING - timedelta(hours=47))
    await core.tick()
    zoe = (await delivered(chat)).get("zoe", "")
    assert "Ask for help early." in zoe
    assert "preguntar" not in zoe and "ejercicios" not in zoe

    clock.set(FIRST_MEETING + timedelta(minutes=1))
    await core.tick()
    erin = (await delivered(chat)).get("erin", "")
    assert "A tip from a past circle" in erin
    assert "Ask for help early." in erin
