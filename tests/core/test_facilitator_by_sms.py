"""A facilitator with only a feature phone (walk C44, A43): REPLY and a learner's name answers
her by name, in each language's word (RESPONDER Wanjiru ..., MJIBU Wanjiru ...), as /reply NAME
does; the member list comes by its words (LIST, LISTA, LISTE, ORODHA). From a learner, a
sentence that starts with "reply" stays a sentence for the facilitator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones

FACILITATOR = "+254700000009"
LEARNER = "+254700000001"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def circle_run_by_sms(chat: Chat, phones: Phones, clock: FakeClock, language: str) -> None:
    """Amina set up the circle, linked her phone and runs it from there; Wanjiru texts."""
    await chat.say("Amina", f"{DETROIT_CIRCLE} language={language}")
    code = await code_of(chat.core, "Python for Everyone")
    link = re.search(r"LINK ([A-Z0-9]+)", await chat.say("Amina", "/link"))
    assert link is not None
    clock.advance(timedelta(minutes=1))
    assert await phones.say(FACILITATOR, f"LINK {link[1]}")
    await phones.say(FACILITATOR, f"/language {language}")
    for said in (f"/language {language}", f"JOIN {code}", "Wanjiru", "/skip", "2"):
        await phones.say(LEARNER, said)
    await phones.deliver()


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("en", "REPLY"),
        ("es", "RESPONDER"),
        ("fr", "RÉPONDRE"),
        ("fr", "repondre"),
        ("de", "ANTWORTEN"),
        ("da", "BESVAR"),
        ("sw", "MJIBU"),
    ],
)
async def test_a_facilitator_answers_a_learner_by_name_by_sms(
    chat: Chat, phones: Phones, clock: FakeClock, language: str, word: str
) -> None:
    await circle_run_by_sms(chat, phones, clock, language)
    await phones.say(FACILITATOR, f"{word} Wanjiru See you on Thursday, bring your charger")
    got = [m.text for m in await phones.deliver() if m.address.chat_id == LEARNER]
    assert any("See you on Thursday, bring your charger" in text for text in got), got


async def test_reply_and_a_name_alone_asks_for_the_answer(
    chat: Chat, phones: Phones, clock: FakeClock
) -> None:
    await circle_run_by_sms(chat, phones, clock, "en")
    assert "What would you like to say to Wanjiru?" in await phones.say(
        FACILITATOR, "REPLY Wanjiru"
    )
    await phones.say(FACILITATOR, "Bring your charger")
    got = [m.text for m in await phones.deliver() if m.address.chat_id == LEARNER]
    assert any("Bring your charger" in text for text in got), got


async def test_a_learner_texting_reply_and_words_writes_to_the_facilitator(
    chat: Chat, phones: Phones, clock: FakeClock
) -> None:
    await circle_run_by_sms(chat, phones, clock, "en")
    await phones.say(LEARNER, "Reply Amina when you can please")
    got = [m.text for m in await phones.deliver() if m.address.chat_id == FACILITATOR]
    assert any("Reply Amina when you can please" in text for text in got), got


@pytest.mark.parametrize(
    ("language", "word"),
    [("en", "LIST"), ("es", "LISTA"), ("fr", "LISTE"), ("de", "LISTE"), ("sw", "ORODHA")],
)
async def test_the_member_list_by_its_word(
    chat: Chat, phones: Phones, clock: FakeClock, language: str, word: str
) -> None:
    await circle_run_by_sms(chat, phones, clock, language)
    answer = await phones.say(FACILITATOR, word)
    assert "1. Amina" in answer and "2. Wanjiru" in answer, answer
