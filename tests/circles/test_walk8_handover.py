"""/handover (walkthrough 8, fac 18 and mix 14): the question says who will be told (the new
facilitator and the learners, by count), the new facilitator reads who co-facilitates by
name, and a facilitator who is ill can hand over and step out: no "who came?" after the next
meeting, learners told only who leads now."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_attendance_reminders import DUE, detroit, reminders, tick_at
from tests.rhythm.test_rhythm import NUDGE, NUDGE_1, send_checkins, start_circle, to


async def test_the_question_says_who_is_told_and_names_the_co_facilitator(
    chat: Chat, core: Core
) -> None:
    await detroit(chat, core)  # Amina leads, Dede co-facilitates, Brian learns
    asked = await chat.say("Amina", "/handover Dede")
    assert "Dede and your 1 learner will be told." in asked, asked
    assert "They'll be told" not in asked
    await chat.say("Amina", "1")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "dede"]
    assert told and "you're its facilitator now, and Amina co-facilitates" in told[0], told


async def test_an_ill_facilitator_hands_over_and_steps_out(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    await chat.say("Amina", "/handover Dede")
    done = await chat.say("Amina", "3")
    assert "Dede now facilitates Python for Everyone, and you're off it for now" in done, done
    sent = await chat.deliver()
    assert [m.text for m in sent if m.address.chat_id == "brian"] == [
        "Dede now leads Python for Everyone. Your messages reach them."
    ]
    assert "stepped out for now" in next(m.text for m in sent if m.address.chat_id == "dede")
    assert "Amina" not in await chat.say("Dede", "/roster")
    # After the next meeting only Dede is thanked and asked who came.
    sent = await tick_at(core, clock, chat, DUE)
    assert [chat_id for chat_id, _ in reminders(sent)] == ["dede"]
    assert not [
        m
        for m in await tick_at(core, clock, chat, DUE + timedelta(days=1))
        if m.address.chat_id == "amina"
    ]


async def test_a_learner_handed_the_circle_is_not_nudged_for_her_check_in(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D19: Freja, asked for her check-in as a learner, was handed the circle and still got the
    learners' nudge two days later ("how is Excel for alle going?")."""
    await start_circle(chat, core, "Brian", "Chioma")
    await send_checkins(chat, core, clock)
    await chat.say("Amina", "/cofacilitator Chioma")
    await chat.say("Amina", "/handover Chioma")
    assert "now facilitates" in await chat.say("Amina", "3")
    await chat.deliver()
    clock.set(NUDGE_1)
    await core.tick()
    sent = await chat.deliver()
    assert any(NUDGE in text for text in to(sent, "Brian"))  # a learner still is
    assert not any(NUDGE in text for text in to(sent, "Chioma")), to(sent, "Chioma")
