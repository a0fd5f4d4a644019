"""A private learner's words reach only whom she chooses. Walkthrough 8: lang 30 (a complaint
about the co-facilitator was offered, with one key, to that co-facilitator too) and mix 15
(words sent just after a check-in closed went straight to every facilitator, unasked)."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import checkin_question_waits, passed_on_to
from tests.seasons import Week, open_circle, play_week, starts


async def test_words_about_a_co_facilitator_are_offered_to_the_other_one_only(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Lena": False, "Dede": True})
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await checkin_question_waits(chat, core, clock, "Lena")
    reply = await chat.say("Lena", "To be honest Dede explains too much and too slowly.")
    assert "It stays between you and me." in reply
    assert "Dede" not in reply.split("It stays between you and me.", 1)[1]
    assert "Amina" in reply
    assert "passed that on to Amina." in await chat.say("Lena", "1")
    sent = await chat.deliver()
    assert any("too slowly" in text for text in passed_on_to(sent, "Amina"))
    assert not any("too slowly" in text for text in passed_on_to(sent, "Dede"))


async def test_words_after_a_late_rating_are_not_passed_on_unasked(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Rocio": False})
    await play_week(chat, core, clock, 1, Week())
    clock.set(starts(2) + timedelta(hours=3))  # after meeting 2: meeting 1's check-in closed
    await core.tick()
    await chat.deliver()
    # lang 37: a rating this soon after its check-in closed is still taken.
    assert "That's your rating for meeting 1" in await chat.say("Rocio", "4")
    reply = await chat.say("Rocio", "me da verguenza preguntar en clase, mi hijo me ayuda")
    assert "passed that on" not in reply
    assert "Amina" in reply  # asked whether it is for her
    assert not any("verguenza" in t for t in passed_on_to(await chat.deliver(), "Amina"))
    assert "passed that on to Amina" in await chat.say("Rocio", "1")
