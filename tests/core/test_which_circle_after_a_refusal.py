"""A command that asked "Which circle is that for?" and was then refused (a wrong argument)
leaves nothing waiting: the person's next words are read as words, not as a circle's name."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_leave_and_default import SECOND_CIRCLE, join
from tests.conftest import DETROIT_CIRCLE, Chat


async def test_a_refused_command_after_the_circle_question_leaves_nothing_waiting(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Amina", SECOND_CIRCLE)
    await join(chat, core, "Brian")
    await join(chat, core, "Brian", "Digital Skills")

    assert "Which circle is that for?" in await chat.say("Brian", "/rsvp sometime")
    assert "/rsvp yes, /rsvp no or /rsvp maybe" in await chat.say("Brian", "1")

    # Before: every later message was met with "Which circle is that for?" again.
    later = await chat.say("Brian", "I'll be late on Tuesday, my bus is cancelled")
    assert "Which circle is that for?" not in later
    assert "Which circle is that for?" not in await chat.say("Brian", "/next")
