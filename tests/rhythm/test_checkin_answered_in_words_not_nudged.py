"""Walkthrough with SMS-only learners: a learner who answered the check-in in words ("it went
well, we did loops", "estuvo bien, aprendí mucho") instead of a number has checked in. Her
words are kept with that check-in, the facilitator's digest counts her as answered, and the
nudge two days later ("how is ... going?") goes only to who has not answered at all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import CheckIn
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)  # the day after meeting 1, 10:00 Detroit
NUDGE_1 = CHECKIN_1 + timedelta(hours=49)  # two days on, as the clocks go back on Nov 1
ANA = "+15550000001"  # answers in words
BEA = "+15550000002"  # does not answer


def texts(sent: list, phone: str) -> list[str]:
    return [message.text for message in sent if message.address.chat_id == phone]


@pytest.mark.parametrize("platform", ["sms", "console"])
@pytest.mark.parametrize(
    ("language", "words"),
    [("EN", "it went well, we did loops"), ("ESPAÑOL", "estuvo bien, aprendí mucho")],
)
async def test_a_checkin_answered_in_words_is_not_nudged(
    chat: Chat, core: Core, clock: FakeClock, platform: str, language: str, words: str
) -> None:
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    learners = Chat(core, platform=platform, capabilities=SMS_CAPABILITIES)
    for phone in (ANA, BEA):
        if language != "EN":
            await learners.say(phone, language)
        await learners.say(phone, f"JOIN {code}")
        await learners.say(phone, "SKIP")  # the goal question
        await learners.say(phone, "SKIP")  # may the facilitator read it
    clock.set(CHECKIN_1)
    await core.tick()
    assert texts(await learners.deliver(), ANA)  # the check-in reached her
    await learners.say(ANA, words)

    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.answer == words  # kept with the check-in, not passed on

    clock.set(NUDGE_1)
    await core.tick()
    sent = await learners.deliver()
    assert texts(sent, ANA) == []
    assert len(texts(sent, BEA)) == 1  # who never answered still gets her one nudge

    assert "Last check-in: 1 of 2 answered." in await chat.say("Amina", "/digest")
