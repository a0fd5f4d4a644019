"""frsw 24: "/cours entrepreneuriat" found nothing, though the circles "Initiation à
l'entrepreneuriat" took the course "Entreprendre en Afrique": a topic is looked for in the
names of the circles that took a course too, and a word's near forms count."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, end_the_circle
from tests.seasons import open_circle


async def test_a_topic_finds_the_course_its_circles_are_named_for(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    circle = TWO_WEEKS.replace("Python for Everyone", "Initiation à l'entrepreneuriat").replace(
        "Python for Everybody", "Entreprendre en Afrique"
    )
    await open_circle(chat, core, {"Brian": True, "Dana": True}, circle)
    await end_the_circle(chat, core, clock)
    for typed in ["entrepreneuriat", "ENTREPRENEURIAT", "initiation", "entrepreneurs"]:
        assert "Entreprendre en Afrique" in await chat.say("Zoe", f"/courses {typed}"), typed
    assert "Entreprendre" not in await chat.say("Zoe", "/courses knitting")
    assert "Entreprendre" not in await chat.say("Zoe", "/courses entrer")
