"""smses 17: Peter's circle was made in Spanish, then "/edit language English" at once;
/courses still labelled its course "(es)". The label is the language of the circles that
took the course."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.network.test_survey import TWO_WEEKS, end_the_circle


async def test_a_course_is_labelled_with_its_circles_language(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "Python for Everyone" in await chat.say("Amina", TWO_WEEKS + " language=es")
    await chat.say("Amina", "/edit language English")
    code = await code_of(core, "Python for Everyone")
    for learner in ("Brian", "Dana"):
        assert "Welcome" in await chat.say(learner, f"/join {code}")
        await chat.say(learner, "To learn Python with others.")
        await chat.say(learner, "yes")
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    listed = await chat.say("Zoe", "/courses")
    assert "Python for Everybody (en): 1 circle" in listed and "(es)" not in listed, listed
