"""A learner who says in a sentence, during the meeting, that they are here, in the room or in
the call is marked present, as /here does; the rest of their words still reach the
facilitator. Walkthroughs: "here sorry late" (en console), "YA ESTOY AQUI EN LA SALA" (es SMS),
"je suis dans la salle maintenant" while the goal was asked (fr console), "bin jetzt im zoom"
(de, online circle) were passed on, or read as "on the way"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.circles.test_editing import ONLINE_CIRCLE
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import passed_on_to
from tests.rhythm.test_walk8_everyday_words import present
from tests.seasons import open_circle, starts


async def test_here_sorry_late_in_a_chat_is_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Marcus": True})
    await chat.deliver()
    clock.set(starts(1) + timedelta(minutes=20))
    reply = await chat.say("Marcus", "here sorry late")
    assert "You're here for meeting 1" in reply, reply
    assert await present(core) == 1
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert not any("on the way" in notice for notice in notices), notices


@pytest.mark.parametrize("typed", ["YA ESTOY AQUI EN LA SALA", "ya llegue al final si pude venir"])
async def test_here_in_a_spanish_sentence_by_sms_is_attendance(
    chat: Chat, core: Core, clock: FakeClock, typed: str
) -> None:
    code = await open_circle(chat, core, {})
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["/language es", "UNIRME " + code, "Maribel", "Aprender Python.", "1"]:
        await sms.say("+573001234567", text)
    await sms.deliver()
    clock.set(starts(1) + timedelta(minutes=15))
    reply = await sms.say("+573001234567", typed)
    assert "asistencia" in reply, reply
    assert await present(core) == 1


async def test_in_the_room_while_the_goal_is_asked_is_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {})
    await chat.deliver()
    clock.set(starts(1) + timedelta(minutes=10))
    await chat.say("Koné", "/language fr")
    await chat.say("Koné", "/join " + code)
    typed = (
        "desolé je suis en retard, je suis dans la salle maintenant. "
        "je veux apprendre python pour mon projet"
    )
    reply = await chat.say("Koné", typed)
    assert "On vous attend" not in reply, reply
    assert await present(core) == 1
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert not any("en route" in n or "on the way" in n for n in notices), notices


async def test_in_the_zoom_in_german_is_attendance_not_on_the_way(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {}, command=ONLINE_CIRCLE)
    await chat.say("Jonas", "/language de")
    await chat.deliver()
    from tests.conftest import code_of

    await chat.say("Jonas", "/join " + await code_of(core, "Python Online"))
    await chat.say("Jonas", "/skip")
    await chat.say("Jonas", "/skip")
    await chat.deliver()
    clock.set(starts(1) + timedelta(minutes=12))
    reply = await chat.say("Jonas", "sorry bin spät dran, bin jetzt im zoom")
    assert "unterwegs" not in reply.casefold(), reply
    assert await present(core) == 1
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert not any("unterwegs" in n or "on the way" in n for n in notices), notices


async def test_running_late_without_here_stays_on_the_way(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Rosa": True})
    await chat.deliver()
    clock.set(starts(1) + timedelta(minutes=5))
    reply = await chat.say("Rosa", "sorry running late, on my way")
    assert "When you arrive" in reply, reply
    assert await present(core) == 0


async def test_not_in_the_room_yet_is_no_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Rosa": True})
    await chat.deliver()
    clock.set(starts(1) + timedelta(minutes=5))
    await chat.say("Rosa", "I'm not in the room yet, the bus is slow")
    await chat.say("Rosa", "are you in the room?")
    assert await present(core) == 0
