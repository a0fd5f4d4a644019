"""On the attendance sheet, "nobody" in the facilitator's words ("nadie", "personne",
"niemand", "ingen", "hakuna mtu", "no one came") records that nobody came, as "done" then
"yes" does (walkthrough: "nadie" was refused as not a number)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.storage.models import Attendance, Meeting
from locales import LOCALES_DIR
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import open_circle, starts

CATALOGS = Catalogs(LOCALES_DIR)
NOTED = "Noted: nobody came to meeting %(number)d."


async def ticked(core: Core) -> int:
    async with open_session(core) as session:
        return len((await session.exec(select(Attendance))).all())


async def taken(core: Core) -> bool:
    async with open_session(core) as session:
        meeting = (await session.exec(select(Meeting).where(Meeting.number == 1))).one()
    return meeting.attendance_taken_at is not None


async def sheet(chat: Chat, core: Core, clock: FakeClock, language: str) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance", locale_hint=language)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "nobody"),
        ("en", "No one came."),
        ("en", "none"),
        ("es", "nadie"),
        ("es", "Nadie vino"),
        ("fr", "Personne"),
        ("fr", "personne n'est venu"),
        ("de", "niemand"),
        ("de", "Niemand kam."),
        ("da", "ingen"),
        ("da", "Ingen kom"),
        ("sw", "hakuna mtu"),
        ("sw", "Hakuna mtu alikuja"),
    ],
)
async def test_nobody_in_the_facilitators_words_records_that_nobody_came(
    chat: Chat, core: Core, clock: FakeClock, language: str, said: str
) -> None:
    await sheet(chat, core, clock, language)
    answer = await chat.say("Amina", said, locale_hint=language)
    assert answer == CATALOGS.translator(language)._(NOTED, number=1)
    assert await ticked(core) == 0
    assert await taken(core)  # a 0 in the reports, not "not taken"
    await chat.say("Amina", "1", locale_hint=language)  # the sheet is closed: ticks nobody
    assert await ticked(core) == 0


async def test_nobody_unticks_who_was_ticked(chat: Chat, core: Core, clock: FakeClock) -> None:
    await sheet(chat, core, clock, "en")
    assert "[x] 1. Brian" in await chat.say("Amina", "1")
    assert await chat.say("Amina", "nobody") == NOTED % {"number": 1}
    assert await ticked(core) == 0


async def test_nobody_answers_are_you_sure_too(chat: Chat, core: Core, clock: FakeClock) -> None:
    await sheet(chat, core, clock, "es")
    asked = await chat.say("Amina", "listo", locale_hint="es")  # done, nobody ticked
    assert asked.startswith("¿Nadie vino a la reunión 1?"), asked
    assert not await taken(core)
    noted = await chat.say("Amina", "nadie", locale_hint="es")
    assert noted == CATALOGS.translator("es")._(NOTED, number=1)


async def test_no_alone_is_not_nobody(chat: Chat, core: Core, clock: FakeClock) -> None:
    await sheet(chat, core, clock, "en")
    assert "Please reply with numbers" in await chat.say("Amina", "no")
    assert not await taken(core)
