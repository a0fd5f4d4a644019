"""/listing for a circle whose meetings are all over: it can't be listed, and /find never
shows it."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.seasons import starts

NO_MEETINGS_LEFT = (
    "Python for Everyone has no meetings left, so /find can't offer it to anyone. To meet "
    "again, start a new circle with /newcircle."
)


async def test_a_finished_circle_cannot_be_listed_and_is_never_found(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is listed now" in await chat.say("Amina", "/listing on")
    clock.set(starts(6) + timedelta(hours=3))  # the sixth and last meeting is over
    assert "No circle is open" in await chat.say("Brian", "/find")
    assert "No circle is open" not in await chat.say("Amina", "/listing off")  # still allowed
    assert await chat.say("Amina", "/listing on") == NO_MEETINGS_LEFT
    assert (await chat.say("Amina", "/listing")).startswith(NO_MEETINGS_LEFT)
    assert "No circle is open" in await chat.say("Brian", "/find")
    assert "I found no open circle" in await chat.say("Brian", "/find Detroit")
    await chat.say("Amina", "/language fr")
    assert "n'a plus de réunions" in await chat.say("Amina", "/listing on")
