"""Facilitator walkthrough (entries 6, 8, 13): with two circles, the circle can be named in the
command ("/schedule digital skills", "/cancel 3 digital skills"), /default takes the number
of the list it offers or a word of the circle's name or course, and a refusal about the
/default circle says which circle it is about."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat
from tests.core.test_several_circles import two_circles


async def test_a_circle_named_after_the_command_is_the_one(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)
    await chat.say("Amina", "/default python for everyone")
    assert (await chat.say("Amina", "/schedule digital skills")).startswith("Digital Skills")
    assert (await chat.say("Amina", "/roster Digital Skills")).startswith(
        "Digital Skills has 2 members:"
    )
    assert "Digital Skills" in await chat.say("Amina", "/digest skills")
    assert (await chat.say("Amina", "/cancel 3 digital skills")).startswith(
        "Cancel meeting 3 of Digital Skills"
    )
    await chat.say("Amina", "2")
    assert (await chat.say("Amina", "/cancel digital skills 3")).startswith(
        "Cancel meeting 3 of Digital Skills"
    )
    await chat.say("Amina", "2")
    # Words that name no circle are still a usage error; the /default is not taken instead.
    assert await chat.say("Amina", "/schedule tomorrow please") == "Usage: /schedule"


async def test_default_takes_the_number_offered_or_a_word_of_the_circle(
    chat: Chat, core: Core
) -> None:
    await two_circles(chat, core)
    offered = await chat.say("Amina", "/default")
    assert "1 for Digital Skills or 2 for Python for Everyone" in offered
    assert "about Python for Everyone" in await chat.say("Amina", "/default 2")
    assert "about Digital Skills" in await chat.say("Amina", "/default skills")
    # A word of the course: Digital Skills takes "Learning How to Learn".
    await chat.say("Amina", "/default off")
    assert "about Digital Skills" in await chat.say("Amina", "/default learning")
    assert "about Python for Everyone" in await chat.say("Amina", "/default everybody")
    assert "not in a circle called 3" in await chat.say("Amina", "/default 3")


async def test_a_refusal_about_the_default_circle_names_it(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)
    await chat.say("Amina", "/default python for everyone")
    # Meeting 4 of Python for Everyone can't move before its meeting 3 (November 12).
    assert await chat.say("Amina", "/reschedule 4 2026-11-10 18:00") == (
        "Python for Everyone: I read that as Tuesday, November 10, 2026 at 6:00 PM (EST). "
        "Meeting 4 has to come after meeting 3 and before meeting 5. "
        "/schedule shows when they are."
    )
    assert await chat.say("Amina", "/cancel 9") == (
        "Python for Everyone: There is no meeting 9. This circle has meetings 1 to 6."
    )
    # A usage line is about no circle.
    assert (await chat.say("Amina", "/reschedule 4")).startswith("Usage: /reschedule")
