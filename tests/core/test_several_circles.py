"""A person in several circles: commands that act on one circle ask which one."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

SECOND_CIRCLE = (
    '/newcircle name="Digital Skills" course="Learning How to Learn" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-11-02 time=10:00 meetings=4"
)


async def two_circles(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SECOND_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Chen", "/join " + await code_of(core, "Digital Skills"))


async def test_a_facilitator_of_two_circles_is_asked_which_one(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)
    question = await chat.say("Amina", "/roster")
    assert question.startswith("Which circle is that for?")
    # Most recent first.
    assert "1 for Digital Skills or 2 for Python for Everyone" in question
    older = await chat.say("Amina", "2")
    assert older.startswith("Python for Everyone has 2 members:")
    assert "Brian, learner" in older
    await chat.deliver()  # the "joined" notices so far
    # By name works too, and the command's arguments are kept.
    await chat.say("Amina", "/cancel 2")
    question = await chat.say("Amina", "python for everyone")
    assert question.startswith("Cancel meeting 2 of Python for Everyone")
    assert await chat.say("Amina", "1") == "Meeting 2 is cancelled. I'm letting 1 member know."
    [notice] = await chat.deliver()
    assert notice.address.chat_id == "brian"
    assert "Python for Everyone: meeting 2" in notice.text


async def test_an_answer_that_names_no_circle_asks_again(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)
    await chat.say("Amina", "/invite")
    again = await chat.say("Amina", "the other one")
    assert again.startswith("Which circle is that for?")
    assert "Nothing was saved" in await chat.say("Amina", "cancel")


async def test_next_answers_for_every_circle_without_asking(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    answer = await chat.say("Brian", "/next")
    assert "Python for Everyone\nMeeting 1 of 6" in answer
    assert "Digital Skills\nMeeting 1 of 4" in answer


async def test_one_qualifying_circle_needs_no_question(chat: Chat, core: Core) -> None:
    # Brian is a learner in one circle and a facilitator of none: /leave acts on his circle.
    await two_circles(chat, core)
    assert "Leave Python for Everyone?" in await chat.say("Brian", "/leave")
    assert "You've left Python for Everyone" in await chat.say("Brian", "1")


async def test_answering_which_circle_tells_of_default_once_a_day(chat: Chat, core: Core) -> None:
    """D3: asked "Which circle is that for?" on every command, with no word of /default."""
    await two_circles(chat, core)
    await chat.deliver()
    await chat.say("Amina", "/roster")
    await chat.say("Amina", "2")
    await chat.say("Amina", "/roster")
    await chat.say("Amina", "2")
    tips = [m.text for m in await chat.deliver() if "/default" in m.text]
    assert tips == [
        "Tip: if most of your commands are about Python for Everyone, send /default Python for "
        "Everyone and I'll stop asking which circle."
    ], tips
    await chat.say("Amina", "/default Python for Everyone")
    assert (await chat.say("Amina", "/roster")).startswith("Python for Everyone has 2 members")
