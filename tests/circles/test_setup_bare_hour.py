"""Setting up a circle, "what time do you meet?" answered with a bare hour: "14" in Odense,
"18" in Leipzig is that hour; "6" in Detroit is the evening's, as "6:30" is."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_newcircle_reading import UP_TO_THE_CITY, only_circle
from tests.conftest import Chat


async def test_a_bare_hour_answers_what_time(chat: Chat, core: Core) -> None:
    await chat.say("Dana", "/newcircle")
    for said in [*UP_TO_THE_CITY, "Odense", "Denmark", "Europe/Copenhagen", "2026-11-05"]:
        await chat.say("Dana", said)
    asked = await chat.say("Dana", "14")
    assert "not a time I can read" not in asked, asked
    await chat.say("Dana", "skip")
    assert "is ready" in await chat.say("Dana", "Danish")
    circle = await only_circle(core)
    assert (circle.start_time.hour, circle.start_time.minute) == (14, 0)


async def test_a_bare_evening_hour_in_detroit(chat: Chat, core: Core) -> None:
    await chat.say("Dana", "/newcircle")
    for said in [*UP_TO_THE_CITY, "Detroit", "US", "America/Detroit", "11/5/2026"]:
        await chat.say("Dana", said)
    await chat.say("Dana", "6")
    await chat.say("Dana", "skip")
    assert "is ready" in await chat.say("Dana", "English")
    assert (await only_circle(core)).start_time.hour == 18


async def test_a_bare_hour_in_german(chat: Chat, core: Core) -> None:
    await chat.say("Katrin", "/sprache de")
    await chat.say("Katrin", "/neuerkreis")
    for said in [*UP_TO_THE_CITY, "Leipzig", "Deutschland", "Europe/Berlin", "10.12.2026"]:
        await chat.say("Katrin", said)
    asked = await chat.say("Katrin", "18")
    assert "nicht als Uhrzeit" not in asked, asked
