"""The texts the bot itself sends a learner on a feature phone every week (the reminder, the
check-in and its nudge, a moved meeting) fit one SMS (160 GSM-7 characters) in every shipped
language, with a realistic long circle name, venue and learner name; the welcome fits two.
Walks A5, B9, C2, C8: each was a few characters over and cost two parts, the welcome three."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from tests.chat.test_sms_costs import _core
from tests.conftest import Chat, code_of

LOCALES = ("en", "fr", "es", "de", "sw", "da")
# Long, realistic names in each language (GSM-7: the test measures the bot's own words).
CIRCLES = {
    "en": "Intro to Spreadsheets",
    "fr": "Introduction a la programmation",
    "es": "Finanzas personales",
    "de": "Sicher im Netz unterwegs",
    "sw": "Ujuzi wa Kidijitali",
    "da": "Grundlaeggende IT hold 2",
}
VENUE = "Campbell Branch Library, 8733 W Vernor Hwy, Detroit - community room"
LEARNER = "+13135550142"
FULL_NAME = "Yesenia Restrepo"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


def _parts(texts: list[str]) -> int:
    return sum(sms_segments(text) for text in texts)


async def _to_learner(sms: Chat) -> list[str]:
    return [m.text for m in await sms.deliver() if m.address.chat_id == LEARNER.casefold()]


LETTER = "Come every week, even when you feel behind. Ask your questions, nobody laughs."


async def _answer(sms: Chat, text: str, anonymous: bool = False) -> list[str]:
    said = sms.inbound(LEARNER, text)
    if anonymous:  # as an SMS gateway sends it: no name
        said = replace(said, display_name=None)
    return [m.text for m in await sms.core.handle(said, SMS_CAPABILITIES)]


@pytest.mark.parametrize("locale", LOCALES)
async def test_routine_texts_fit_one_sms(
    phones: tuple[Chat, Chat], clock: FakeClock, locale: str
) -> None:
    console, sms = phones
    clock.set(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    name = CIRCLES[locale]
    await console.say(
        "Odile",
        f'/newcircle name="{name}" course="GCFGlobal Excel basics" venue="{VENUE}" '
        f"city=Detroit country=US zone=America/Detroit start=2026-12-15 time=18:00 "
        f"meetings=6 language={locale}",
    )
    code = await code_of(console.core, name)
    await _answer(sms, "/language " + locale, anonymous=True)
    # The welcome with the whole place and the name question: two texts at most (was three).
    welcome = await _answer(sms, "/join " + code, anonymous=True)
    assert VENUE in welcome[0] and "2026" not in welcome[0], welcome
    assert _parts(welcome) <= 2, welcome
    # The learner's whole name, then the goal question: one text.
    named = await _answer(sms, FULL_NAME, anonymous=True)
    assert FULL_NAME in named[0] and _parts(named) == 1, named
    # The goal, then may the facilitator read the answers: one text.
    sharing = await _answer(sms, "Keep my shop's accounts in a spreadsheet")
    assert "Odile" in sharing[0] and _parts(sharing) == 1, sharing
    await sms.say(LEARNER, "2")
    await sms.deliver()
    # The reminder the day before: the place by its name, not its whole address.
    clock.set(datetime(2026, 12, 14, 23, 0, tzinfo=UTC))
    await sms.core.tick()
    reminder = await _to_learner(sms)
    assert "Campbell Branch Library" in reminder[0] and _parts(reminder) == 1, reminder
    # The check-in, and its nudge two days later with the learner's name in it.
    clock.set(datetime(2026, 12, 16, 15, 0, tzinfo=UTC))
    await sms.core.tick()
    checkin = await _to_learner(sms)
    assert "Yesenia" in checkin[0] and _parts(checkin) == 1, checkin
    clock.set(datetime(2026, 12, 18, 15, 0, tzinfo=UTC))
    await sms.core.tick()
    nudge = await _to_learner(sms)
    assert "Yesenia" in nudge[0] and name in nudge[0] and _parts(nudge) == 1, nudge
    assert "(" in nudge[0], nudge  # the 1-5 said in its one line
    # A meeting moved: the new day, and the place is the same.
    await console.say("Odile", "/reschedule 3 monday dec 28 5:30pm")
    await sms.core.tick()
    moved = await _to_learner(sms)
    assert "28" in moved[0] and _parts(moved) == 1, moved
    # A letter after meeting 3: the thank-you says who looks at it and how to take it back.
    clock.set(datetime(2026, 12, 30, 15, 0, tzinfo=UTC))
    await _answer(sms, "/letter")
    await _answer(sms, LETTER)
    thanks = await _answer(sms, "1")
    assert "Yesenia" in thanks[0] and "/letter" not in thanks[0], thanks
    assert _parts(thanks) == 1, thanks
