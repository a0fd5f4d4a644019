"""Facilitator walkthrough findings on an online circle (fac 13, 14, 15): the invitation
speaks the circle's language, and the number to call in is given wherever a learner is told
where the circle meets (invitation, welcome, schedule), not only in /next and reminders."""

from __future__ import annotations

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat, code_of

BIASHARA = (
    '/newcircle name="Biashara Mtandaoni" course="Online Business" venue=online '
    "link=https://meet.google.com/abc-defg-hij city=Nairobi country=KE zone=Africa/Nairobi "
    "start=2026-11-10 time=17:30 meetings=8 language=sw"
)
DIALIN = "+254 20 123 4567 PIN 5512#"


async def test_the_invitation_speaks_the_circles_language_not_the_facilitators(
    chat: Chat, core: Core
) -> None:
    await chat.say("Joseph", "/language en")
    assert "is ready" in await chat.say("Joseph", BIASHARA)
    invite = await chat.say("Joseph", "/invite")
    # The word to Joseph is his; what he forwards is the circle's.
    assert "Here is an invitation to Biashara Mtandaoni." in invite
    assert "Jiunge nasi katika Biashara Mtandaoni, kikundi cha kujifunza" in invite
    assert "Mkutano wa kwanza:" in invite
    assert "Join us in" not in invite and "First meeting" not in invite


async def test_the_invitation_gives_the_number_to_call_beside_the_link(
    chat: Chat, core: Core
) -> None:
    await chat.say("Joseph", "/language en")
    await chat.say("Joseph", BIASHARA.replace("language=sw", "language=en"))
    await chat.say("Joseph", f"/edit dialin {DIALIN}")
    invite = await chat.say("Joseph", "/invite")
    assert "online at https://meet.google.com/abc-defg-hij." in invite
    assert f"Or call {DIALIN} to join by phone." in invite


async def test_an_sms_learner_is_given_the_number_in_the_welcome_and_the_schedule(
    chat: Chat, core: Core
) -> None:
    await chat.say("Joseph", BIASHARA)
    await chat.say("Joseph", f"/edit dialin {DIALIN}")
    code = await code_of(core, "Biashara Mtandaoni")
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    welcome = await sms.say("+254700000001", f"JIUNGE {code}")
    assert "https://meet.google.com/abc-defg-hij" in welcome
    assert f"Au piga simu {DIALIN} ushiriki kwa simu." in welcome
    await sms.say("+254700000001", "Akinyi")
    await sms.say("+254700000001", "2")
    dates = await sms.say("+254700000001", "RATIBA")
    assert "hukutana mtandaoni kupitia https://meet.google.com/abc-defg-hij:" in dates
    assert "Nairobi" not in dates  # a link then a town read like an address (issue 16)
    assert f"Au piga simu {DIALIN} ushiriki kwa simu." in dates
    # And the whole schedule in an app, where the learner may read it too.
    await chat.say("Wanjiru", f"/join {code}")
    assert f"Au piga simu {DIALIN} ushiriki kwa simu." in await chat.say("Wanjiru", "/schedule")
