"""The number an invitation tells learners to text is the one their country's texts go through:
with Twilio (a US number) and Africa's Talking (a sender name) both set up, a Nairobi circle's
invitation names no US number (an international SMS, and replies from another sender), while a
Detroit circle's names the Twilio number."""

from __future__ import annotations

import random

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.platforms.sms_platform import PLATFORM, SmsSettings, describe
from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.platforms import PLATFORMS

NAIROBI_CIRCLE = (
    '/newcircle name="Python at Kibera" course="Python for Everybody" '
    'venue="Kibera Library" city=Nairobi country=KE zone=Africa/Nairobi '
    "start=2026-11-10 time=17:00 meetings=6"
)
BOTH_GATEWAYS = {
    "twilio_account_sid": "AC" + "0" * 32,
    "twilio_auth_token": "token",
    "twilio_from_number": "+15005550006",
    "at_username": "library",
    "at_api_key": "key",
    "at_sender_id": "LIBRARY",
}


def core_with(engine: AsyncEngine, clock: FakeClock, **sms: str) -> Core:
    described = describe(SmsSettings(**sms))  # type: ignore[arg-type]
    platforms = [described if p.name == PLATFORM else p for p in PLATFORMS]
    core = Core(engine, clock, random.Random(5), platforms=platforms)
    core.reach[PLATFORM] = ("+15005550006",)  # as the SMS adapter gives it when it starts
    return core


async def invitation(chat: Chat, name: str, circle: str, command: str) -> tuple[str, str]:
    await chat.say(name, command)
    code = await code_of(chat.core, circle)
    replies = await chat.core.handle(chat.inbound(name, "/invite"), chat.capabilities)
    return replies[1].text, code  # the whole invitation (the one-text version comes after)


async def test_a_kenyan_circle_is_not_told_to_text_a_us_number(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = Chat(core_with(sqlite_engine, clock, **BOTH_GATEWAYS))
    text, code = await invitation(chat, "Priya", "Python at Kibera", NAIROBI_CIRCLE)
    assert "+15005550006" not in text
    assert text.endswith(f"By SMS, text JOIN {code} to the circle's number: ask Priya for it.")

    detroit, code = await invitation(chat, "Amina", "Python for Everyone", DETROIT_CIRCLE)
    assert detroit.endswith(f"By SMS, text JOIN {code} to +15005550006")


async def test_a_kenyan_circle_gets_the_africas_talking_number_when_it_sends_from_one(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    gateways = {**BOTH_GATEWAYS, "at_sender_id": "+254711082000"}
    chat = Chat(core_with(sqlite_engine, clock, **gateways))
    text, code = await invitation(chat, "Priya", "Python at Kibera", NAIROBI_CIRCLE)
    assert text.endswith(f"By SMS, text JOIN {code} to +254711082000")
