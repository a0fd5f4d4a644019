"""Facilitator walkthrough (entries 5, 8): with two circles, /attendance during a meeting of the
one that isn't the /default opened the default's last sheet; the circle meeting now (or just
over) is the one meant. And /cofacilitator NAME is about the one circle NAME is in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.core.test_several_circles import two_circles

# Digital Skills' meeting 1: Monday, November 2, 2026, 10:00 in Detroit (15:00 UTC).
SKILLS_MEETING_1 = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


async def test_attendance_is_about_the_meeting_on_now_not_the_default(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)
    assert "Python for Everyone" in await chat.say("Amina", "/default python for everyone")
    clock.set(SKILLS_MEETING_1 + timedelta(minutes=30))  # in the room, Digital Skills meeting 1
    sheet = await chat.say("Amina", "/attendance")
    assert sheet.startswith("Digital Skills: Who came to meeting 1 (Monday, November 2, 2026")
    assert "Chen" in sheet and "Brian" not in sheet
    assert await chat.say("Amina", "1 done") == "Saved: Chen came to meeting 1."
    # Just after it, still that meeting's.
    clock.set(SKILLS_MEETING_1 + timedelta(hours=3))
    assert (await chat.say("Amina", "/attendance")).startswith("Digital Skills: Who came")
    await chat.say("Amina", "/cancel")
    # With no meeting on, the /default again.
    clock.set(SKILLS_MEETING_1 + timedelta(days=2))
    assert (await chat.say("Amina", "/attendance")).startswith("Python for Everyone: Who came")


async def test_here_is_about_the_meeting_on_now(chat: Chat, core: Core, clock: FakeClock) -> None:
    await two_circles(chat, core)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    clock.set(SKILLS_MEETING_1 + timedelta(minutes=10))
    assert await chat.say("Brian", "/here") == (
        "Digital Skills: Welcome! You're here for meeting 1."
    )


async def test_a_member_of_one_circle_names_it(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)  # Brian is in Python for Everyone, Chen in Digital Skills
    assert await chat.say("Amina", "/cofacilitator chen") == (
        "Chen now co-facilitates Digital Skills."
    )
    assert (await chat.say("Amina", "/cofacilitator remove chen")).startswith(
        "Chen will stop helping run Digital Skills."
    )
    assert await chat.say("Amina", "1") == "Chen is a learner in Digital Skills now."
    # Someone in both, or in neither: asked which circle, as before.
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    assert (await chat.say("Amina", "/cofacilitator brian")).startswith("Which circle")
