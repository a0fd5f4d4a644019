"""Walkthroughs (sms 19, 21, 22; fac 15; lang 4): an arrival during a meeting while the
reminder's Yes or No still waits, an arrival in a sentence, a yes later in a text after a
facilitator's reply, and the RSVP's confirmation in the reader's own time."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.circles.test_editing import ONLINE_CIRCLE
from tests.conftest import Chat, code_of
from tests.rhythm.test_reading_answers import passed_on_to, rsvps
from tests.rhythm.test_walk8_everyday_words import present
from tests.seasons import open_circle, starts

OTIENO = "+254711000022"


async def sms_learner(chat: Chat, core: Core, number: str, name: str, language: str) -> Chat:
    """A learner on a feature phone in Amina's circle, writing `language`."""
    code = await open_circle(chat, core, {})
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    if language != "en":
        await sms.say(number, "/language " + language)
    for text in ["JOIN " + code, name, "Learn to use email.", "1"]:
        await sms.say(number, text)
    await sms.deliver()
    return sms


async def reminded_then_at_the_meeting(sms: Chat, core: Core, clock: FakeClock) -> None:
    """Meeting 1's one-hour reminder goes out unanswered; then the meeting is under way."""
    clock.set(starts(1) - timedelta(hours=1))
    await core.tick()
    await sms.deliver()
    clock.set(starts(1) + timedelta(minutes=10))


async def test_hapa_during_a_meeting_is_here_not_hapana(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 22: "hapa" ("I'm here") was read as the start of "Hapana" (No): "we'll miss you",
    and the facilitator told Otieno can't come."""
    sms = await sms_learner(chat, core, OTIENO, "Otieno", "sw")
    await reminded_then_at_the_meeting(sms, core, clock)
    reply = await sms.say(OTIENO, "hapa")
    assert "Tutakukosa" not in reply, reply
    assert await present(core) == 1, reply
    assert RsvpAnswer.NO not in await rsvps(core)
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert not any("can't come" in n for n in notices), notices


async def test_already_here_at_the_library_is_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 19: "I am already here at the library", the reminder's Yes or No waiting, was only
    passed on to the facilitator: she was neither marked present nor a yes."""
    sms = await sms_learner(chat, core, "+254711000019", "Rehema", "en")
    await reminded_then_at_the_meeting(sms, core, clock)
    reply = await sms.say("+254711000019", "I am already here at the library")
    assert "You're here for meeting 1" in reply, reply
    assert await present(core) == 1


async def test_two_ways_of_saying_arrived_are_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 21: "nimefika, niko hapa" ("I've arrived, I'm here") was attendance and also a
    message for the facilitator to answer; it says nothing more than the arrival."""
    sms = await sms_learner(chat, core, "+254711000021", "Baraka", "sw")
    clock.set(starts(1) + timedelta(minutes=10))
    reply = await sms.say("+254711000021", "nimefika, niko hapa")
    assert await present(core) == 1, reply
    assert "Amina" not in reply, reply
    assert passed_on_to(await chat.deliver(), "Amina") == []


async def test_a_yes_later_in_a_text_after_a_facilitators_reply_is_recorded(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 15: the reminder's Yes or No waiting, a reply from the facilitator came in between;
    "I had a cold but I am better now. Yes I will call in Thursday" was only passed on, and
    the digest still counted her as not answered."""
    number = "+13135550115"
    sms = await sms_learner(chat, core, number, "Johnson", "en")
    clock.set(starts(1) - timedelta(hours=23))
    await core.tick()
    await sms.deliver()
    await sms.say(number, "Sorry I missed last week, I was not well")
    await chat.deliver()
    assert "sent your answer" in await chat.say("Amina", "/reply 1 Hope you feel better soon!")
    await sms.deliver()
    reply = await sms.say(number, "I had a cold but I am better now. Yes I will call in Thursday")
    assert await rsvps(core) == [RsvpAnswer.YES], reply
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert any("I had a cold" in n for n in notices), notices


async def test_a_yes_to_the_facilitators_reply_is_no_rsvp(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """ "Yes much better thanks" answers the facilitator's "Are you feeling better?", not the
    reminder still waiting: only passed on."""
    number = "+13135550115"
    sms = await sms_learner(chat, core, number, "Johnson", "en")
    clock.set(starts(1) - timedelta(hours=23))
    await core.tick()
    await sms.deliver()
    await sms.say(number, "Sorry I missed last week, I was not well")
    await chat.deliver()
    await chat.say("Amina", "/reply 1 Are you feeling better?")
    await sms.deliver()
    reply = await sms.say(number, "Yes much better thanks")
    assert await rsvps(core) == [], reply
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert any("much better" in n for n in notices), notices


async def test_a_yes_to_an_online_circle_is_confirmed_in_the_readers_own_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 4: Jonas (zone set to Berlin) read his reminder in his own time, but his yes was
    confirmed in the circle's: "um 12:00 (Ortszeit Toronto)"."""
    await open_circle(chat, core, {}, command=ONLINE_CIRCLE)
    await chat.say("Jonas", "/join " + await code_of(core, "Python Online"))
    await chat.say("Jonas", "/skip")
    await chat.say("Jonas", "/skip")
    await chat.say("Jonas", "/timezone Europe/Berlin")
    clock.set(starts(1) - timedelta(hours=23))
    reply = await chat.say("Jonas", "/rsvp yes")
    assert "11:00 PM" in reply and "6:00 PM" not in reply, reply


async def test_already_here_in_french_is_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    sms = await sms_learner(chat, core, "+33612345678", "Koné", "fr")
    await reminded_then_at_the_meeting(sms, core, clock)
    reply = await sms.say("+33612345678", "je suis déjà là")
    assert await present(core) == 1, reply
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert not any("déjà" in n for n in notices), notices


async def test_hapa_before_the_meeting_is_no_no(chat: Chat, core: Core, clock: FakeClock) -> None:
    """HAPA is never the first letters of "Hapana": before the meeting it is no answer."""
    sms = await sms_learner(chat, core, OTIENO, "Otieno", "sw")
    clock.set(starts(1) - timedelta(hours=1))
    await core.tick()
    await sms.deliver()
    reply = await sms.say(OTIENO, "hapa")
    assert "Tutakukosa" not in reply, reply
    assert await rsvps(core) == [], reply
