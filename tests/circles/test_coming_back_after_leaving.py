"""A learner who left a circle still going and writes again ("hi, can I come back? I missed
it") is recognised, not welcomed like a stranger: she is told she left it and how to join it
again, and her words reach its facilitators as any learner's would (walkthrough: SMS and
console). Someone who left long ago, or a circle that has ended, is welcomed as before, and
so is someone never in a circle."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones, joined
from tests.rhythm.test_reading_answers import passed_on_to
from tests.seasons import CIRCLE, open_circle, starts

NEWCOMER_WELCOME = "/newcircle"  # the newcomer's welcome: how to start a circle


async def _left_after_meeting_one(chat: Chat, core: Core, clock: FakeClock) -> str:
    code = await open_circle(chat, core, {"Otieno": True})
    clock.set(starts(1) + timedelta(days=1))
    await chat.say("Otieno", "/leave")
    assert "You've left" in await chat.say("Otieno", "yes")
    await chat.deliver()
    return code


async def test_she_is_told_she_left_and_her_words_reach_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await _left_after_meeting_one(chat, core, clock)
    clock.set(starts(2) + timedelta(days=1))
    reply = await chat.say("Otieno", "hi, can I come back? I missed it")
    assert "You left Python for Everyone on" in reply, reply
    assert f"/join {code}" in reply, reply
    assert "passed that on to Amina" in reply, reply
    assert NEWCOMER_WELCOME not in reply, reply
    told = passed_on_to(await chat.deliver(), "Amina")
    assert any("hi, can I come back? I missed it" in text for text in told), told
    # The facilitator's answer reaches her, and the code brings her back.
    await chat.say("Amina", "/reply 1 Of course, see you Thursday!")
    assert any(
        "see you Thursday" in m.text for m in await chat.deliver() if m.address.chat_id == "otieno"
    )
    assert "Welcome" in await chat.say("Otieno", f"/join {code}")


async def test_by_sms_she_is_told_how_to_join_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    phone = "+254700000042"
    await joined(chat, phones, phone)  # Wanjiru
    await phones.say(phone, "/skip")  # the goal
    await phones.say(phone, "/skip")  # sharing
    clock.set(starts(1) + timedelta(days=1))
    await phones.say(phone, "LEAVE")
    assert "You've left" in await phones.say(phone, "YES")
    await chat.deliver()
    clock.set(starts(2) + timedelta(days=2))
    reply = await phones.say(phone, "is the class still on thursday?")
    assert "You left Python for Everyone on" in reply, reply
    assert "JOIN " + await code_of(core, CIRCLE) in reply, reply
    told = passed_on_to(await chat.deliver(), "Amina")
    assert any("is the class still on thursday?" in text for text in told), told


async def test_someone_who_left_long_ago_is_welcomed_as_before(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    longer = DETROIT_CIRCLE.replace("meetings=6", "meetings=16")
    await open_circle(chat, core, {"Otieno": True}, longer)
    clock.set(starts(1) + timedelta(days=1))
    await chat.say("Otieno", "/leave")
    await chat.say("Otieno", "yes")
    await chat.deliver()
    clock.set(starts(1) + timedelta(days=62))  # meetings still to come
    reply = await chat.say("Otieno", "hi, can I come back? I missed it")
    assert NEWCOMER_WELCOME in reply, reply
    assert "You left" not in reply
    assert passed_on_to(await chat.deliver(), "Amina") == []


async def test_someone_who_left_a_circle_now_over_is_welcomed_as_before(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _left_after_meeting_one(chat, core, clock)
    clock.set(starts(6) + timedelta(days=3))  # its last meeting is past
    reply = await chat.say("Otieno", "hi, can I come back? I missed it")
    assert NEWCOMER_WELCOME in reply, reply
    assert "You left" not in reply
    assert passed_on_to(await chat.deliver(), "Amina") == []


async def test_someone_never_in_a_circle_gets_the_same_welcome(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _left_after_meeting_one(chat, core, clock)
    reply = await chat.say("Zawadi", "hi, can I come back? I missed it")
    assert NEWCOMER_WELCOME in reply, reply
    assert "You left" not in reply


async def test_the_facilitators_answer_reaches_her_weeks_after_she_left(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _left_after_meeting_one(chat, core, clock)
    clock.set(starts(5) - timedelta(days=1))  # nearly four weeks on
    assert "You left" in await chat.say("Otieno", "Is it too late to come back?")
    await chat.deliver()
    answer = await chat.say("Amina", "/reply 1 Not at all, come on Thursday!")
    assert "haven't sent" not in answer, answer
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "otieno"]
    assert any("come on Thursday" in text for text in sent), sent


async def test_she_is_told_in_her_own_language(chat: Chat, core: Core, clock: FakeClock) -> None:
    code = await open_circle(chat, core, {"Otieno": True})
    await chat.say("Otieno", "/language sw")
    clock.set(starts(1) + timedelta(days=1))
    await chat.say("Otieno", "/leave")
    assert "Umeondoka" in await chat.say("Otieno", "ndiyo")
    clock.set(starts(2) + timedelta(days=1))
    reply = await chat.say("Otieno", "habari, naweza kurudi kwenye kikundi?")
    assert "Uliondoka Python for Everyone tarehe" in reply, reply
    assert code in reply, reply
