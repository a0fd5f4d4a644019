"""Walkthrough (issue 16, Dakar): tips passed on to a circle's first meeting are never
someone's own words handed back, nor her own past circle's shown as "other circles'"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.network.test_survey import TWO_WEEKS, delivered, end_the_circle
from tests.seasons import open_circle

NEXT_CIRCLE = (
    '/newcircle name="Code Dakar 2" course="Python for Everybody" venue=Bibliothèque '
    "city=Dakar country=SN zone=Africa/Dakar start=2027-03-01 time=18:00 meetings=6 language=en"
)
FIRST_MEETING = datetime(2027, 3, 1, 18, 0, tzinfo=UTC)  # Dakar is on UTC


async def test_nobody_is_handed_back_their_own_tip(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    for answer in ["5", "1", "1", "Ask for help early.", "1"]:
        await chat.say("Brian", answer)
    for answer in ["4", "1", "1", "Do the exercises twice.", "1"]:
        await chat.say("Dana", answer)
    for answer in ["5", "Bring snacks.", "1"]:
        await chat.say("Amina", answer)
    await delivered(chat)

    assert "is ready" in await chat.say("Amina", NEXT_CIRCLE)
    assert "Welcome" in await chat.say("Brian", "/join " + await code_of(core, "Code Dakar 2"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    clock.set(FIRST_MEETING - timedelta(hours=47))
    await core.tick()
    told = (await delivered(chat)).get("amina", "")
    # Her own circle's tips, hers among them, are not "other circles'".
    assert "Bring snacks." not in told and "Ask for help early." not in told

    clock.set(FIRST_MEETING + timedelta(minutes=1))
    await core.tick()
    brian = (await delivered(chat)).get("brian", "")
    assert "A tip from a past circle" in brian
    assert "Do the exercises twice." in brian and "Ask for help early." not in brian


async def test_a_fellow_facilitators_tip_reaches_her_next_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 31: Keisha co-facilitated Ruth's circle and left a tip for the next facilitator;
    Ruth's next circle on the course got nothing, as her own past circle's tips were all left
    out. A fellow facilitator's tip was never hers to see: it comes, said to be from a circle
    of hers; her own words and her learners' tips still don't."""
    await open_circle(chat, core, {"Brian": True, "Dana": True, "Chen": True}, TWO_WEEKS)
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Chen")
    await end_the_circle(chat, core, clock)
    for answer in ["5", "1", "1", "Ask for help early.", "1"]:
        await chat.say("Brian", answer)
    for answer in ["4", "Book the computer lab, not the community room.", "1"]:
        await chat.say("Chen", answer)
    for answer in ["5", "Bring snacks.", "1"]:
        await chat.say("Amina", answer)
    await delivered(chat)

    assert "is ready" in await chat.say("Amina", NEXT_CIRCLE)
    clock.set(FIRST_MEETING - timedelta(hours=47))
    await core.tick()
    told = (await delivered(chat)).get("amina", "")
    assert "Book the computer lab, not the community room." in told
    assert "past circles on Python for Everybody, yours among them, left these for you" in told
    assert "Bring snacks." not in told and "Ask for help early." not in told
