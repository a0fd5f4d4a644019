"""sms 40 (Kisumu): the last meeting's check-in answered two days late ("ilikuwa nzuri, nne",
"4", "It was very nice, 5") got "Sorry, I didn't understand", "Nothing is waiting for an
answer right now" and "Which circle is your message about?". A rating-like answer after the
check-in lapsed is told, kindly, that the check-in has closed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from tests.chat.test_sms_costs import _circle, _core
from tests.conftest import Chat

LEARNER = "+254711222444"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def _ticked(console: Chat, sms: Chat, clock: FakeClock, at: datetime) -> str:
    clock.set(at)
    await sms.core.tick()
    while await sms.core.dispatch({"console": console, "sms": sms}):
        pass
    return "\n".join(m.text for m in sms.sent if m.address.chat_id == LEARNER)


@pytest.mark.parametrize(
    ("locale", "answers", "closed"),
    [
        ("en", ["4", "It was very nice, 5"], "That check-in has closed"),
        ("sw", ["ilikuwa nzuri, nne", "4"], "Maoni hayo yamefungwa"),
    ],
)
async def test_the_last_check_in_answered_days_late_has_closed(
    phones: tuple[Chat, Chat], clock: FakeClock, locale: str, answers: list[str], closed: str
) -> None:
    console, sms = phones
    await _circle(console, sms, locale, "2026-10-22", 2, LEARNER)
    await _ticked(console, sms, clock, datetime(2026, 10, 23, 20, 0, tzinfo=UTC))
    await sms.say(LEARNER, "4")  # meeting 1's check-in answered
    await _ticked(console, sms, clock, datetime(2026, 10, 30, 20, 0, tzinfo=UTC))  # the last
    await _ticked(console, sms, clock, datetime(2026, 11, 1, 20, 0, tzinfo=UTC))  # the survey
    for answer in ("4", "1", "SKIP"):  # it is answered, the last check-in is not
        await sms.say(LEARNER, answer)
    clock.set(datetime(2026, 11, 3, 9, 0, tzinfo=UTC))  # two days after it closed
    for late in answers:
        said = await sms.say(LEARNER, late)
        assert closed in said, (late, said)


async def test_words_with_no_number_after_it_closed_still_reach_the_facilitator(
    phones: tuple[Chat, Chat], clock: FakeClock
) -> None:
    """Review: "Ok, see you Thursday" and "Great, thank you!" (mood words, no number) were
    answered "That check-in has closed" and reached nobody."""
    console, sms = phones
    await _circle(console, sms, "en", "2026-10-22", 2, LEARNER)
    await _ticked(console, sms, clock, datetime(2026, 10, 23, 20, 0, tzinfo=UTC))
    await sms.say(LEARNER, "4")
    await _ticked(console, sms, clock, datetime(2026, 10, 30, 20, 0, tzinfo=UTC))
    clock.set(datetime(2026, 11, 3, 9, 0, tzinfo=UTC))
    for words in ("Ok, see you Thursday", "Great, thank you so much for everything!"):
        said = await sms.say(LEARNER, words)
        assert "has closed" not in said, (words, said)
