"""Issue 16 (smses 29): Julián joined after the circle's first meeting. His "?" at the goal
question was kept as his goal; /checkin then told him "Te echamos de menos" about meeting 1,
held before he joined, and his rating counted towards it. Nobody is asked about, or counted
for, a meeting held before they joined."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import CheckIn
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import Week, checkin_due, open_circle, play_week, starts


async def test_no_check_in_about_a_meeting_held_before_joining(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(clock.now() + timedelta(hours=3))
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["/language es", "UNIRME " + code]:
        await sms.say("+573001234599", text)
    assert "en tus palabras" in await sms.say("+573001234599", "?")
    await sms.say("+573001234599", "Aprender Python.")
    await sms.say("+573001234599", "1")
    await sms.deliver()
    asked = await sms.say("+573001234599", "/checkin")
    assert "echamos de menos" not in asked, asked
    await sms.say("+573001234599", "4")
    async with open_session(core) as session:
        rows = (await session.exec(select(CheckIn))).all()
    assert [row.rating for row in rows if row.rating == 4] == [], rows


async def test_joined_during_a_meeting_and_not_ticked_is_not_asked_about_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Joined half an hour in, and the facilitator's sheet left her out: she was not there,
    and is not told she was missed. (Joined in the room with no sheet taken, she is asked, as
    any learner: the code is most often handed round at the meeting.)"""
    code = await open_circle(chat, core, {"Brian": True})
    clock.set(starts(1) + timedelta(minutes=30))
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["UNIRME " + code, "Aprender Python.", "1"]:
        await sms.say("+573001234599", text)
    await sms.deliver()
    await chat.say("Amina", "/attendance 1 Brian")
    clock.set(checkin_due(1))
    await core.tick()
    texts = [message.text for message in await sms.deliver()]
    assert not any("reunion 1" in text for text in texts), texts  # its check-in
