"""A circle's language is asked, not copied from the facilitator's (walkthroughs sms 1, sms 3,
lang 53): a Kenyan librarian reads the bot in English while her circle speaks Swahili."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.storage.models import Circle
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session

GUIDED = [
    "Kusoma Kidijitali",
    "Digital literacy",
    "skip",
    "Kenya National Library",
    "Nairobi",
    "KE",
    "Africa/Nairobi",
    "2026-11-03",
    "17:00",
    "4",
]


async def _circle(core: Core) -> Circle:
    async with open_session(core) as session:
        return (await session.exec(select(Circle))).one()


async def test_the_guided_conversation_asks_the_circles_language(
    chat: Chat, core: Core
) -> None:
    await chat.say("Wanjiru", "/newcircle")
    replies = [await chat.say("Wanjiru", answer) for answer in GUIDED]
    assert "Which language does your circle speak?" in replies[-1]
    # One order for every reader (walk 14, sms 41: a number remembered must mean the same).
    assert "Reply 1 for dansk, 2 for Deutsch, 3 for English, 4 for español" in replies[-1]
    ready = await chat.say("Wanjiru", "Kiswahili")
    assert "Your circle Kusoma Kidijitali is ready" in ready  # she still reads English
    assert (await _circle(core)).language == "sw"


async def test_skipping_the_language_question_keeps_hers(chat: Chat, core: Core) -> None:
    await chat.say("Mette", "/language da")
    await chat.say("Mette", "/newcircle")
    for answer in GUIDED:
        await chat.say("Mette", answer)
    await chat.say("Mette", "/skip")
    assert (await _circle(core)).language == "da"


async def test_edit_language_changes_the_circles_language_by_code_or_name(
    chat: Chat, core: Core
) -> None:
    await chat.say("Wanjiru", DETROIT_CIRCLE)
    assert "Python for Everyone now speaks Swahili." in await chat.say(
        "Wanjiru", "/edit language sw"
    )
    assert (await _circle(core)).language == "sw"
    await chat.say("Wanjiru", "/edit language español")
    assert (await _circle(core)).language == "es"
