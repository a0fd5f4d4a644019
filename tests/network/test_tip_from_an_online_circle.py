"""Walkthrough lang 15: an online circle's tip question said "It goes without your name, only
with your city": the city is the circle's (Montréal), not the learner's. An online circle's
tip goes "from an online circle", and is shown so."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, end_the_circle
from tests.seasons import open_circle

ONLINE = TWO_WEEKS.replace('venue="Detroit Public Library"', "venue=https://meet.jit.si/py4e")


async def test_an_online_circles_tip_goes_from_an_online_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, ONLINE)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    await chat.say("Brian", "1")
    await chat.say("Brian", "1")
    asked = await chat.say("Brian", "Practise a little every day")
    assert "online circle" in asked and "your city" not in asked, asked
    again = await chat.say("Brian", "hmm")
    assert "your city" not in again, again


async def test_a_circle_in_a_place_still_says_the_city(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    await chat.say("Brian", "1")
    await chat.say("Brian", "1")
    asked = await chat.say("Brian", "Practise a little every day")
    assert "only with your city" in asked, asked
