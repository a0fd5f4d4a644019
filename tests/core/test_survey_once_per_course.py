"""Issue 16 walkthroughs: someone in several circles on one course in a season (a facilitator
running three) is asked about the course once, not once a circle."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from tests.conftest import Chat, code_of
from tests.network.test_survey import TWO_WEEKS, delivered
from tests.seasons import open_circle, starts

# The survey's first question ends so, for learners and facilitators alike.
SURVEY_CHOICES = "Reply 1 for poor, 2 for so-so"
SECOND = TWO_WEEKS.replace('name="Python for Everyone"', 'name="Python Evenings"')
THIRD = TWO_WEEKS.replace('name="Python for Everyone"', 'name="Python Mornings"').replace(
    "time=18:00", "time=09:00"
)


async def test_three_circles_on_one_course_one_survey(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await open_circle(chat, core, {"Dana": True}, SECOND)
    await open_circle(chat, core, {"Eve": True}, THIRD)
    assert "Welcome" in await chat.say("Dana", "/join " + await code_of(core, "Python Mornings"))
    clock.set(starts(2) + timedelta(hours=4) + AFTER_THE_END)
    await core.tick()
    sent = await delivered(chat)
    assert sent["amina"].count(SURVEY_CHOICES) == 1
    assert sent["dana"].count(SURVEY_CHOICES) == 1
    assert SURVEY_CHOICES in sent["brian"]
    assert SURVEY_CHOICES in sent["eve"]
    # A day later (another tick), nobody is asked again.
    clock.set(clock.now() + timedelta(days=1))
    await core.tick()
    assert SURVEY_CHOICES not in "".join((await delivered(chat)).values())
