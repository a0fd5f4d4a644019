"""Walkthrough lang 19: Moussa linked a chat app; the meeting reminder "Will you come? 1 Yes 2
No" went to the app; his "yes" by SMS was filed as his answer to a five-day-old check-in
question, and no RSVP was noted. A bare yes or no answers the newest question across his
linked accounts: the reminder (README: "YES / NO ... your answer for the next meeting")."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Rsvp, RsvpAnswer
from tests.circles.test_pairing import BRIAN_SMS, BRIAN_TG, join, link, say, start_circle
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import checkin_due, starts


async def test_yes_by_sms_answers_the_reminder_sent_to_the_linked_app(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await start_circle(chat, core)
    await join(core, BRIAN_SMS, code)
    await say(core, BRIAN_SMS, "no")  # his written answers stay private
    assert "Linked!" in await link(core, BRIAN_SMS, BRIAN_TG)
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()
    asked = await say(core, BRIAN_TG, "4")
    assert "?" in asked, asked  # the check-in's open question waits
    clock.set(starts(2) - timedelta(hours=24))
    await core.tick()
    await chat.deliver()
    answer = await say(core, BRIAN_SMS, "yes")
    async with open_session(core) as session:
        rsvps = (await session.exec(select(Rsvp))).all()
    assert [r.answer for r in rsvps] == [RsvpAnswer.YES], answer
