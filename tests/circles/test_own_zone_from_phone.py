"""A learner texting from Kenya joins an online circle run from Detroit: her number says her
time zone, so the welcome, NEXT, SCHEDULE and her reminders give the meetings in her own time
(EAT) without her having to know TIMEZONE; a learner whose number is in the circle's own zone,
or one in a circle that meets in a room, reads the circle's time as before."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from tests.circles.test_own_zone import MEETING_1, online_circle
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

KENYA = "+254700000009"
DETROIT = "+13135550188"


def texting(core: Core) -> Chat:
    return Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))


async def test_a_learner_texting_from_kenya_reads_an_online_circle_in_her_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await online_circle(chat, core)
    sms = texting(core)
    welcome = await sms.say(KENYA, "JOIN " + await code_of(core, "Python Online"))
    assert "Friday, October 30, 2026 at 1:00 AM (EAT)" in welcome, welcome
    await sms.say(KENYA, "Achieng")
    await sms.say(KENYA, "SKIP")
    assert "Friday, October 30, 2026 at 1:00 AM (EAT)" in await sms.say(KENYA, "NEXT")
    dates = await sms.say(KENYA, "SCHEDULE")
    assert "Fri, Oct 30" in dates and dates.endswith("(EAT)"), dates
    assert "Africa/Nairobi (EAT)" in await sms.say(KENYA, "TIMEZONE")

    await chat.deliver()
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    [reminder] = [m.text for m in await sms.deliver() if m.address.chat_id == KENYA]
    assert "Friday at 1:00 AM (EAT)" in reminder, reminder
    # A maybe to it is thanked with the meeting in her time too.
    assert "Friday, October 30, 2026 at 1:00 AM (EAT)" in await sms.say(KENYA, "labda")


async def test_a_number_in_the_circles_own_zone_or_a_room_keeps_the_circles_time(
    chat: Chat, core: Core
) -> None:
    await online_circle(chat, core)
    sms = texting(core)
    welcome = await sms.say(DETROIT, "JOIN " + await code_of(core, "Python Online"))
    assert "6:00 PM (EDT)" in welcome and "EAT" not in welcome, welcome

    assert "is ready" in await chat.say("Linda", DETROIT_CIRCLE)  # in a library, in Detroit
    room = await sms.say(KENYA, "JOIN " + await code_of(core, "Python for Everyone"))
    assert "EAT" not in room, room
