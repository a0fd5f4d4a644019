"""Issue 16 (fac 29): Priya runs "Python Fall Circle" (not met yet) and ran two circles that
ended months ago. "/attendance 1 okafor" asked which of the two ended circles she meant, her new
circle not offered nor said to be still to meet; picking one silently saved meeting 1 of a
circle that ended in January again. A meeting still to come is said to be so, with when it
is; changing the attendance of a circle that ended more than a week ago asks first."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Circle
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

SPRING = DETROIT_CIRCLE.replace("Python for Everyone", "Intro to Python - Spring").replace(
    "meetings=6", "meetings=2"
)
INTRO = DETROIT_CIRCLE.replace("Python for Everyone", "Intro to Python").replace(
    "meetings=6", "meetings=2"
)
FALL = DETROIT_CIRCLE.replace("Python for Everyone", "Python Fall Circle").replace(
    "start=2026-10-29", "start=2027-02-04"
)


async def test_attendance_of_a_circle_not_met_yet_and_of_one_long_ended(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    for command, name in ((SPRING, "Intro to Python - Spring"), (INTRO, "Intro to Python")):
        assert "is ready" in await chat.say("Priya", command)
        code = await code_of(core, name)
        await chat.say("Okafor", f"/join {code}")
        await chat.say("Okafor", "/skip")
        await chat.say("Okafor", "yes")
    clock.set(datetime(2027, 1, 20, 15, 0, tzinfo=UTC))  # both ended in November
    assert "is ready" in await chat.say("Priya", FALL)

    asked = await chat.say("Priya", "/attendance 1 okafor")
    # Her running circle is the one meant: its meeting 1 is still to come, and when is said.
    assert "Which circle" not in asked, asked
    assert "Meeting 1 hasn't happened yet" in asked, asked
    assert "February 4, 2027" in asked, asked

    # Picked all the same, a circle that ended in November keeps its records, and says why.
    ended = await code_of(core, "Intro to Python")
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.join_code == ended))).one()
    refused = await chat.say("Priya", f"#{circle.id} /attendance 1 okafor")
    assert refused.endswith(
        "Intro to Python ended on Thursday, November 5, 2026, more than a week ago, so its "
        "attendance can't be changed any more. /report shows who came."
    ), refused
