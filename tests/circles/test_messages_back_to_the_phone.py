"""A learner on a feature phone who links a chat app gets her messages there (the account used
last); the link's answer says how to have them by text again, and PREFER SMS texted from the
phone (PRÉFÉRER, PREFERIR, BEVORZUGEN, FORETRÆK, PENDELEA: each language's word) brings them
back, and says so (walkthrough C46, C61)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.dialogue.people import preferred_account
from bot.storage.models import Account
from tests.conftest import Chat
from tests.core.test_sms_words import Phones, joined
from tests.database import open_session

PHONE = "+51987000001"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def reached_on(core: Core) -> str | None:
    async with open_session(core) as session:
        account = (await session.exec(select(Account).where(Account.address == PHONE))).one()
        found = await preferred_account(session, account.person_id)
        return found.platform if found else None


async def linked_app(chat: Chat, phones: Phones, clock: FakeClock, language: str) -> str:
    """Juana joins by SMS, then links the console (an app) to her phone: the link's answer."""
    await joined(chat, phones, PHONE, language)
    code = re.search(r"LINK ([A-Z0-9]+)", await phones.say(PHONE, "LINK"))
    assert code is not None
    clock.advance(timedelta(minutes=1))
    return await chat.say("Juana", f"/link {code[1]}")


@pytest.mark.parametrize(
    ("language", "texted"),
    [
        ("en", "PREFER SMS"),
        ("fr", "PREFERER SMS"),
        ("fr", "préférer sms"),
        ("es", "PREFERIR SMS"),
        ("de", "BEVORZUGEN SMS"),
        ("da", "FORETRÆK SMS"),
        ("sw", "PENDELEA SMS"),
        ("sw", "pendelea"),
    ],
)
async def test_a_texted_prefer_brings_messages_back_to_the_phone(
    chat: Chat, phones: Phones, clock: FakeClock, language: str, texted: str
) -> None:
    await linked_app(chat, phones, clock, language)
    assert await reached_on(chat.core) == "console"
    clock.advance(timedelta(minutes=1))
    answer = await phones.say(PHONE, texted)
    assert "SMS" in answer  # the reply names where messages come now
    clock.advance(timedelta(minutes=1))
    await chat.say("Juana", "/help")  # the app used later: the phone stays chosen
    assert await reached_on(chat.core) == "sms"
    # Nothing of it reached the facilitator as a message.
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]


@pytest.mark.parametrize(("language", "word"), [("en", "PREFER SMS"), ("fr", "PREFERER SMS")])
async def test_the_link_answer_says_how_to_get_texts_again(
    chat: Chat, phones: Phones, clock: FakeClock, language: str, word: str
) -> None:
    answer = await linked_app(chat, phones, clock, language)
    assert word in answer
