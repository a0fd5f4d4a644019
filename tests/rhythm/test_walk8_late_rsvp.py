"""An answer to "Will you come?" that comes late is never thrown away. Walkthrough 8: fac 23
("can't come, my son is sick" just after the meeting started got "too late to answer" and
reached nobody), sms 30 (a "1" for a meeting held days ago was told it "has already started")."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import passed_on_to, reminded, rsvps
from tests.seasons import open_circle, starts


async def test_cant_come_just_after_the_start_reaches_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Maria": True})
    await reminded(chat, core, clock, "Maria", 1)
    clock.set(starts(1) + timedelta(minutes=8))
    reply = await chat.say("Maria", "sorry I cant come today my son is sick")
    assert "too late" not in reply
    assert "miss you" in reply
    assert await rsvps(core) == [RsvpAnswer.NO]  # an absence, with its reason
    [notice] = [t for t in passed_on_to(await chat.deliver(), "Amina") if "son is sick" in t]
    assert "Maria" in notice


async def test_a_yes_who_cant_come_after_all_during_the_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Rosa": True})
    await reminded(chat, core, clock, "Rosa", 1)
    await chat.say("Rosa", "1")
    clock.set(starts(1) + timedelta(minutes=3))
    reply = await chat.say("Rosa", "sorry I cant make it tonight, car trouble")
    assert "too late" not in reply
    assert any("car trouble" in t for t in passed_on_to(await chat.deliver(), "Amina"))


async def test_a_late_answer_for_a_past_meeting_points_to_the_next(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Kofi": True})
    await reminded(chat, core, clock, "Kofi", 1)
    clock.set(starts(1) + timedelta(days=4))
    reply = await chat.say("Kofi", "/rsvp yes 1")
    assert "already started" not in reply
    assert "Meeting 1 was on" in reply and "meeting 2" in reply.casefold()
    assert "Reply 1 for Yes or 2 for No" in reply or "Yes" in reply
    assert "see you at meeting 2" in (await chat.say("Kofi", "1")).casefold()
