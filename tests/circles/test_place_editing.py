"""/edit city, country and zone: a city typed "detroit" at /newcircle can be put right, a
lower-case city is stored with its capital, and a new time zone keeps meetings at the local
time the facilitator chose."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_editing import MEETING_1, circle_with_members
from tests.conftest import DETROIT_CIRCLE, Chat

LOWER_CASE_CITY = DETROIT_CIRCLE.replace("city=Detroit", "city=detroit")


async def test_a_city_typed_in_lower_case_is_stored_with_its_capital(
    chat: Chat, core: Core
) -> None:
    await circle_with_members(chat, core, LOWER_CASE_CITY)
    assert "Where: Detroit Public Library, Detroit\n" in await chat.say("Amina", "/edit")


async def test_city_and_country_can_be_changed(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    assert await chat.say("Amina", "/edit city dearborn") == (
        "Python for Everyone is now in Dearborn."
    )
    assert "Where: Detroit Public Library, Dearborn\n" in await chat.say("Amina", "/edit")
    assert await chat.say("Amina", "/edit city Dearborn") == (
        "Python for Everyone is already in Dearborn."
    )
    # Canada uses other zones than Detroit's: the facilitator is told how to change it.
    assert await chat.say("Amina", "/edit country Canada") == (
        "Python for Everyone is now in CA. Its time zone is still America/Detroit. "
        "To change it: /edit zone ZONE"
    )
    details = await chat.say("Amina", "/edit")
    assert "City: Dearborn, CA. Time zone: America/Detroit\n" in details
    assert "/edit city CITY" in details and "/edit zone ZONE" in details
    assert "is not a country code I know" in await chat.say("Amina", "/edit country Narnia")
    assert "Only a facilitator" in await chat.say("Brian", "/edit city Paris")


async def test_a_new_zone_keeps_meetings_to_come_at_their_local_time(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_members(chat, core)
    clock.set(MEETING_1 + timedelta(days=1))  # meeting 1 was held, Detroit time
    answer = await chat.say("Amina", "/edit zone America/Chicago")
    assert answer == (
        "Python for Everyone's time zone is now America/Chicago. Meetings keep their local "
        "time: the next is Thursday, November 5, 2026 at 6:00 PM (CST)."
    )
    schedule = await chat.say("Brian", "/schedule")
    assert "2. Thursday, November 5, 2026 at 6:00 PM (CST)" in schedule
    assert "6. Thursday, December 3, 2026 at 6:00 PM (CST)" in schedule
    assert "moved" not in schedule
    # Meeting 1 stays when it was held: 18:00 in Detroit is 17:00 in Chicago.
    assert "1. Thursday, October 29, 2026 at 5:00 PM (CDT)" in schedule
    assert await chat.deliver() == []  # nothing changes for members in town
    assert "already on America/Chicago time" in await chat.say("Amina", "/edit zone Chicago")
    assert "I don't know the time zone" in await chat.say("Amina", "/edit zone Gotham")
