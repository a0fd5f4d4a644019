"""The weekly check-in by SMS is one text in every language (walk B28: 183 characters in
French, two parts): a shorter question, and what to reply in one short line ("Reply 1 (hard
going) to 5 (great)."). A number or a word still answers it; in a chat app it is asked as
before, with its five choices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.storage.models import CheckIn
from tests.chat.test_sms_costs import _core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)  # the day after Detroit's meeting 1
PHONE = "+51987000001"
# A long name and circle name, as real ones are.
CIRCLE = DETROIT_CIRCLE.replace('"Python for Everyone"', '"Python for Everyone in Detroit"')


@pytest.fixture
def chats(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def checkin_texted(
    chats: tuple[Chat, Chat], clock: FakeClock, language: str, missed: bool
) -> str:
    console, sms = chats
    await console.say("Amina", f"{CIRCLE} language={language}")
    code = await code_of(console.core, "Python for Everyone in Detroit")
    for said in (f"/language {language}", f"JOIN {code}", "/name Juana Maria", "/skip", "2"):
        await sms.say(PHONE, said)
    await console.say("Bob", f"/join {code}")  # on a chat app
    if missed:
        await sms.say(PHONE, "/rsvp no")
    await sms.deliver()
    await console.deliver()
    clock.set(CHECKIN_1)
    await sms.core.tick()
    [checkin] = [m.text for m in await sms.deliver() if m.address.chat_id == PHONE]
    return checkin


@pytest.mark.parametrize("language", ["en", "fr", "es", "de", "da", "sw"])
@pytest.mark.parametrize("missed", [False, True])
async def test_the_texted_checkin_is_one_sms_and_says_what_to_reply(
    chats: tuple[Chat, Chat], clock: FakeClock, language: str, missed: bool
) -> None:
    checkin = await checkin_texted(chats, clock, language, missed)
    assert "Juana Maria" in checkin and "Python for Everyone in Detroit" in checkin
    assert "1" in checkin.splitlines()[-1] and "5" in checkin.splitlines()[-1], checkin
    assert sms_segments(checkin) == 1, (len(checkin), checkin)
    # The reply still answers it.
    await chats[1].say(PHONE, "4")
    async with open_session(chats[1].core) as session:
        assert [c.rating for c in (await session.exec(select(CheckIn))).all()] == [4]


async def test_a_chat_app_keeps_the_five_choices(
    chats: tuple[Chat, Chat], clock: FakeClock
) -> None:
    checkin = await checkin_texted(chats, clock, "en", False)
    assert checkin.endswith("Reply 1 (hard going) to 5 (great)."), checkin
    sent = await chats[0].deliver()
    [bobs] = [m for m in sent if m.address.chat_id == "bob" and "meeting 1" in m.text]
    assert "go for you?" in bobs.text and "2 for so-so, 3 for okay, 4 for good" in bobs.text
