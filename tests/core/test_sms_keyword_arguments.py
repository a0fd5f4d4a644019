"""A keyword and its word by SMS, exactly as the bot's own replies write it (walkthroughs sms 6,
sms 11, sms 12, lang 14, lang 15): SHARING ON / PARTAGE ACTIVER change whether the facilitator
reads a learner's answers, LETTER WITHDRAW / BARUA ONDOA take a letter back, PARTAGE OUI is
never an RSVP, and LUGHA opens the language menu whatever language the bot writes in. None of
them reaches the facilitator as a message."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import Letter, LetterStatus, Membership, Role
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones, joined, rsvp_of
from tests.database import open_session

PHONE = "+254711000001"
# Detroit meets Thursdays 18:00 from 2026-10-29, six times: letters open after meeting 3.
AFTER_MEETING_3 = datetime(2026, 11, 13, 15, 0, tzinfo=UTC)
LETTER = (
    "Hello from Detroit! Come every week, even when you feel behind. It is snowing here, "
    "and our room is warm."
)
# What a reply tells an SMS reader to text: a keyword in capitals and its word ("SHARING ON",
# "PARTAGE ACTIVER", "BARUA ONDOA").
TOLD = re.compile(r"\b([A-ZÀ-Ý]{3,} [A-ZÀ-Ý]{2,})\b")


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def shares(core: Core) -> bool:
    async with open_session(core) as session:
        found = await session.exec(select(Membership).where(Membership.role == Role.LEARNER))
        return found.one().shares_answers


async def passed_on(chat: Chat) -> list[str]:
    """What reached the facilitator (Amina) as a learner's message."""
    return [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "de", "da"])
async def test_sharing_on_and_off_work_by_sms_as_the_bot_writes_them(
    chat: Chat, phones: Phones, language: str
) -> None:
    await joined(chat, phones, PHONE, language)
    await chat.deliver()  # the goal question waits: the words are no answer to it
    told = TOLD.findall(await phones.say(PHONE, "/sharing"))
    assert told, "the reply names the words to text"
    done = await phones.say(PHONE, told[-1])
    assert await shares(chat.core)
    # Its answer says how to turn it off again: that works too, in small letters.
    await phones.say(PHONE, TOLD.findall(done)[-1].lower())
    assert not await shares(chat.core)
    assert not [text for text in await passed_on(chat) if "texted" in text]


@pytest.mark.parametrize(
    ("language", "said", "shared"),
    [
        ("fr", "partage activer", True),
        ("fr", "PARTAGE ACTIVER", True),
        ("fr", "partage on", True),
        ("fr", "partage oui", True),
        ("es", "compartir desactivar", False),
        ("sw", "KUSHIRIKI WASHA", True),
        ("en", "Sharing on.", True),
    ],
)
async def test_sharing_and_its_word_as_people_type_it(
    chat: Chat, phones: Phones, language: str, said: str, shared: bool
) -> None:
    await joined(chat, phones, PHONE, language)
    await phones.say(PHONE, "/sharing " + ("off" if shared else "on"))
    await chat.deliver()
    await phones.say(PHONE, said)
    assert await shares(chat.core) is shared
    # "partage oui" says yes to sharing, never to the next meeting.
    assert await rsvp_of(chat.core) == []
    assert not [text for text in await passed_on(chat) if said in text]


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "LETTER WITHDRAW"),
        ("sw", "BARUA ONDOA"),
        ("fr", "lettre retirer"),
        ("es", "carta retirar"),
    ],
)
async def test_letter_withdraw_by_sms_takes_the_letter_back(
    chat: Chat, phones: Phones, clock: FakeClock, language: str, said: str
) -> None:
    await joined(chat, phones, PHONE, language)
    clock.set(AFTER_MEETING_3)
    await phones.say(PHONE, "/letter")
    await phones.say(PHONE, LETTER)
    written = await phones.say(PHONE, "1")  # signed with her name
    assert said.upper() in written.upper()  # the bot itself says how to take it back
    await chat.deliver()
    await phones.say(PHONE, said)
    async with open_session(chat.core) as session:
        [letter] = (await session.exec(select(Letter))).all()
    assert letter.status == LetterStatus.WITHDRAWN
    assert not [text for text in await passed_on(chat) if said in text]


@pytest.mark.parametrize("word", ["LUGHA", "lugha", "Langue", "IDIOMA"])
async def test_the_language_word_of_any_language_opens_the_menu(
    chat: Chat, phones: Phones, word: str
) -> None:
    await joined(chat, phones, PHONE, "en")  # the bot writes to him in English
    await phones.say(PHONE, "/skip")
    await phones.say(PHONE, "2")
    await chat.deliver()
    answer = await phones.say(PHONE, word)
    assert "Which language would you like?" in answer
    assert not [text for text in await passed_on(chat) if word in text]


async def test_a_facilitator_reviews_letters_by_sms_as_the_notice_writes_it(
    chat: Chat, phones: Phones, clock: FakeClock
) -> None:
    """A sub-command and its arguments by SMS ("LETTERS APPROVE 1", "LETTERS REJECT 2 and a
    reason"), as the review notice names them to a facilitator on a phone."""
    facilitator = "+254711000009"
    await phones.say(facilitator, DETROIT_CIRCLE)
    await phones.say(facilitator, "/name Achieng")
    code = await code_of(chat.core, "Python for Everyone")
    for name in ("Brian", "Chen"):
        await chat.say(name, "/join " + code)
        await chat.say(name, "/skip")
    clock.set(AFTER_MEETING_3)
    for name in ("Brian", "Chen"):
        await chat.say(name, "/letter")
        await chat.say(name, LETTER)
        await chat.say(name, "1")
    async with open_session(chat.core) as session:
        first, second = (await session.exec(select(Letter).order_by(col(Letter.id)))).all()
    await phones.say(facilitator, f"LETTERS APPROVE {first.id}")
    rejecting = await phones.say(
        facilitator, f"letters reject {second.id} Please leave out the street"
    )
    assert "Send it?" in rejecting, rejecting  # shown as Chen will read it, asked first (A22)
    await phones.say(facilitator, "1")
    async with open_session(chat.core) as session:
        first, second = (await session.exec(select(Letter).order_by(col(Letter.id)))).all()
    assert first.status == LetterStatus.POOLED
    assert second.status == LetterStatus.REJECTED
    assert second.reject_reason == "Please leave out the street"
