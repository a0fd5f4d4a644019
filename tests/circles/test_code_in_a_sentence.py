"""A join code wrapped in a sentence at the welcome ("si, el codigo es 5c5hd2m") joins, as the
bare code does (walkthrough in Spanish)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.core import Core
from bot.storage.models import Membership, Role
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.seasons import open_circle


async def learners(core: Core) -> int:
    async with open_session(core) as session:
        found = await session.exec(select(Membership).where(Membership.role == Role.LEARNER))
        return len(found.all())


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("es", "si, el codigo es {code}"), ("de", "mein Code ist {code}!"), ("en", "code: {code}")],
)
async def test_a_newcomers_sentence_holding_a_circles_code_joins_it(
    chat: Chat, core: Core, language: str, sentence: str
) -> None:
    await open_circle(chat, core, {})
    code = await code_of(core, "Python for Everyone")
    await chat.say("Lucia", "/language " + language)
    reply = await chat.say("Lucia", sentence.format(code=code.lower()))
    assert "Python for Everyone" in reply
    assert await learners(core) == 1


async def test_a_sentence_with_no_circles_code_joins_nothing(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {})
    await chat.say("Lucia", "my code is ABCDEFG")  # shaped like a code, but no circle's
    assert await learners(core) == 0


async def test_a_newcomers_long_first_text_with_the_code_joins_and_reaches_the_facilitator(
    chat: Chat, core: Core
) -> None:
    # Walkthrough sms 3: her first text, with the code in the middle of it and a question.
    await open_circle(chat, core, {})
    code = await code_of(core, "Python for Everyone")
    sms = Chat(core, platform="sms")
    text = (
        "Hello, my neighbour told me about the computer class at the library. Can I join? "
        f"She said the code is {code}. Do I need to bring my own computer? Thank you"
    )
    reply = await sms.say("+254700000005", text)
    assert await learners(core) == 1
    assert reply.startswith("Thanks, I've passed that on to Amina.")
    assert "Welcome to Python for Everyone" in reply
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert any("Do I need to bring my own computer?" in t for t in told), told


async def test_a_members_long_sentence_with_another_code_joins_nothing(
    chat: Chat, core: Core
) -> None:
    await open_circle(chat, core, {"Lucia": True})
    await chat.say("Amina", EXCEL_CLUB)
    other = await code_of(core, "Excel Club")
    await chat.say(
        "Lucia",
        f"My friend says the code {other} is for the Excel club on Fridays, is it good for "
        "beginners like me?",
    )
    assert await learners(core) == 1  # Lucia's words are a message for Amina, not a join


EXCEL_CLUB = (
    '/newcircle name="Excel Club" course=Excel venue=Library city=Detroit country=US '
    "zone=America/Detroit start=2026-10-30 time=18:00 meetings=6"
)
