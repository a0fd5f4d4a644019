"""Wave 2, group G3: the SMS keywords a feature-phone learner needs and can't guess (walks C
and D): LEAVE and FORGET among the words HELP lists, "bitte alles löschen" answered with how to
erase, HELP with a word the bot doesn't know answered rather than passed on, and the everyday
ways of asking to get messages again after STOP."""

from __future__ import annotations

import pytest

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_sms_words import Phones, joined

PHONE = "+254711000001"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_help_lists_how_to_leave_and_how_to_erase(chat: Chat, phones: Phones) -> None:
    """Walk C 22 and D 29: HELP named STOP only; LEAVE and FORGET worked but were hidden."""
    await joined(chat, phones, PHONE)
    words = await phones.say(PHONE, "HELP")
    assert "LEAVE" in words and "FORGET" in words, words
    await phones.say(PHONE, "LANGUAGE de")
    german = await phones.say(PHONE, "HILFE")
    assert "VERGESSEN" in german, german


@pytest.mark.parametrize(
    ("language", "text", "forget"),
    [
        ("de", "ich will nicht mehr, bitte alles löschen", "VERGESSEN"),
        ("en", "please delete everything", "FORGET"),
        ("es", "por favor borren todo", "OLVIDAR"),
    ],
)
async def test_asking_to_delete_everything_is_told_how(
    chat: Chat, phones: Phones, language: str, text: str, forget: str
) -> None:
    await joined(chat, phones, PHONE, language)
    for said in ("/skip", "2"):  # the goal and sharing questions
        await phones.say(PHONE, said)
    answer = await phones.say(PHONE, text)
    assert forget in answer.upper(), answer


@pytest.mark.parametrize(
    ("language", "stop", "back"),
    [("es", "ALTO", "EMPESAR"), ("es", "ALTO", "seguir"), ("de", "STOPP", "fortsetzen")],
)
async def test_everyday_words_bring_messages_back_after_stop(
    chat: Chat, phones: Phones, language: str, stop: str, back: str
) -> None:
    """Walk C 33: only the exact EMPEZAR worked; "EMPESAR" got silence."""
    await joined(chat, phones, PHONE, language)
    await phones.say(PHONE, stop)
    answer = await phones.say(PHONE, back)
    assert answer, "no reply after STOP"
    async with __import__("tests.database", fromlist=["open_session"]).open_session(
        chat.core
    ) as session:
        from sqlmodel import select

        from bot.storage.models import Account

        [account] = (await session.exec(select(Account).where(Account.address == PHONE))).all()
        assert not account.opted_out


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("es", "AYUDA META2", "META2"), ("en", "HELP FOO", "FOO"), ("en", "HELP ME", "NEXT")],
)
async def test_help_and_an_unknown_word_is_help_not_a_message(
    chat: Chat, phones: Phones, language: str, text: str, expected: str
) -> None:
    """Walk C 17: "AYUDA META" and "HELP GOAL" reached the facilitators as messages."""
    await joined(chat, phones, PHONE, language)
    for said in ("/skip", "2"):  # the goal and sharing questions
        await phones.say(PHONE, said)
    answer = await phones.say(PHONE, text)
    assert "passed that on" not in answer and "pasé" not in answer, answer
    assert expected in answer, answer


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "when is next class"),
        ("es", "disculpe a que hora es mañana la clase? y es en el mismo sitio?"),
        ("sw", "mkutano ni lini?"),
    ],
)
async def test_when_is_the_next_meeting_is_answered_not_only_passed_on(
    chat: Chat, phones: Phones, language: str, text: str
) -> None:
    """Walk C 25 and A 50: the most common question waited on a volunteer facilitator."""
    await joined(chat, phones, PHONE, language)
    for said in ("/skip", "2"):  # the goal and sharing questions
        await phones.say(PHONE, said)
    answer = await phones.say(PHONE, text)
    assert "Detroit Public Library" in answer, answer  # the next meeting's place
    assert "passed that on" not in answer and "pasé" not in answer, answer
