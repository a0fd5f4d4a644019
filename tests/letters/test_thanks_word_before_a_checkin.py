"""By SMS, the word the letters said to reply to thank their writers ("GRACIAS") thanks them
even when a check-in asked its 1-5 after the letters came (issue 16, smses 16: "Perdón, no
entendí. ¿Puedes enviar un número del 1 al 5?"; the next GRACIAS kept as a reflection, the
third passed on to the facilitator). The check-in still takes its number afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.storage.models import CheckIn
from tests.database import open_session
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms
from tests.letters.test_walkthrough_letters import relaying

# The morning after Nairobi's first meeting: its check-in asks how it was.
CHECKIN = datetime(2026, 12, 9, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "word", "thanked", "not_caught"),
    [
        ("es", "GRACIAS", "Tu agradecimiento va en camino a %s.", "no entendí"),
        ("en", "THANKS", "Your thanks is on its way to %s.", "didn't catch"),
    ],
)
async def test_the_thanks_word_thanks_the_writers_though_a_checkin_came_after_the_letters(
    sqlite_engine: AsyncEngine,
    clock: FakeClock,
    language: str,
    word: str,
    thanked: str,
    not_caught: str,
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Wanjiru", NAIROBI)
    sms = await joined_by_sms(core, "Digital Skills")
    await sms.say(PHONE, "/language " + language)
    clock.set(AFTER_MEETING_3)
    await core.tick()
    for name in ("Brian", "Chen"):
        await write(chat, name, f"{name} here. Come every week, even when you feel behind.")
    for letter in await letters_in(core):
        await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)

    async def tick_at(at: datetime) -> list[str]:
        clock.set(at)
        await core.tick()
        before = len(sms.sent)
        while await core.dispatch({"sms": sms, "console": chat}):
            pass
        return [m.text for m in sms.sent[before:] if m.address.chat_id == PHONE]

    # The reminder's "Will you come?" waits for its digit: the letters say to reply a word.
    read = await tick_at(NAIROBI_FIRST - timedelta(hours=2))
    read += await tick_at(NAIROBI_FIRST - timedelta(minutes=59))
    read += await tick_at(NAIROBI_FIRST)
    assert any(f"reply {word}" in text.replace("responde", "reply") for text in read), read
    asked = await tick_at(CHECKIN)
    assert any("1" in text and "5" in text for text in asked), asked

    # Before: "Perdón, no entendí. ¿Puedes enviar un número del 1 al 5?"
    assert await sms.say(PHONE, word) == "\n".join(thanked % name for name in ("Brian", "Chen"))
    rows = [row for row in await chat.outbox() if row.kind == "letter-thanks"]
    assert sorted(row.chat_id for row in rows) == ["brian", "chen"]
    assert all(word not in row.payload["text"] for row in rows)
    # The check-in still waits, and takes its number.
    rated = await sms.say(PHONE, "4")
    assert not_caught not in rated, rated
    async with open_session(core) as session:
        assert [c.rating for c in (await session.exec(select(CheckIn))).all()] == [4]
