"""A letter written in an online circle elsewhere never goes back to its writer's own town's
circle, run by the facilitator she learns with there (D18: "Hello from Odense", written in
Hamburg's online circle, reached Mette's new circle in Odense "from Hamburg")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Letter
from tests.conftest import Chat, code_of
from tests.letters.test_letters import AFTER_MEETING_3, TEXT, detroit, drain, letters_in
from tests.letters.test_walkthrough_letters import relaying

HAMBURG = (
    '/newcircle name="English at Work" course="Business English" venue="Online" '
    "link=https://meet.example.org/ew city=Hamburg country=DE zone=Europe/Berlin "
    "start=2026-10-29 time=18:00 meetings=6"
)
DETROIT_AGAIN = (
    '/newcircle name="Python Again" course="Python for Everybody" venue="Detroit Public '
    'Library" city=Detroit country=US zone=America/Detroit start=2026-12-10 time=18:00 '
    "meetings=6"
)
AGAIN_FIRST = datetime(2026, 12, 10, 23, 0, tzinfo=UTC)


async def _written_in_hamburg(chat: Chat, core: Core, clock: FakeClock, writer: str) -> Letter:
    """Amina runs Brian's circle in Detroit; `writer` learns in Katrin's online circle
    (Hamburg), writes a letter after its meeting 3, and Katrin approves it."""
    await detroit(chat, core, "Brian")
    assert "is ready" in (reply := await chat.say("Katrin", HAMBURG)), reply
    await chat.say(writer, "/join " + await code_of(core, "English at Work"))
    await chat.say(writer, "/skip")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    for said in ("/letter", "English at Work", TEXT, "1"):
        await chat.say(writer, said)
    [letter] = await letters_in(core)
    await chat.say("Katrin", f"/letters approve {letter.id}")
    return letter


async def test_a_letter_from_an_online_circle_skips_its_writers_home_circle(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    letter = await _written_in_hamburg(chat, core, clock, "Brian")
    assert letter.city == "Hamburg"
    await chat.say("Amina", DETROIT_AGAIN)
    await chat.say("Dana", "/join " + await code_of(core, "Python Again"))
    await chat.say("Dana", "/skip")
    await drain(chat)
    for at in (AGAIN_FIRST - timedelta(hours=2), AGAIN_FIRST):
        clock.set(at)
        await core.tick()
    sent = await drain(chat)
    assert not [m for m in sent if TEXT in m.text]
    assert (await letters_in(core))[0].deliveries == 0


async def test_a_facilitators_letter_from_an_online_circle_skips_his_former_learners(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """Walk dede 29: Mads ran Freja's and Bo's circle in Aarhus, learned in Katrin's online
    circle, and his letter from it was read at the first meeting of Freja's new circle in
    Aarhus, to his own former learners."""
    core, chat = relaying(sqlite_engine, clock)
    await _written_in_hamburg(chat, core, clock, "Amina")
    # Brian, who learned in Amina's circle, now runs his own in Detroit, with Dana.
    await chat.say("Brian", DETROIT_AGAIN)
    await chat.say("Dana", "/join " + await code_of(core, "Python Again"))
    await chat.say("Dana", "/skip")
    await drain(chat)
    for at in (AGAIN_FIRST - timedelta(hours=2), AGAIN_FIRST):
        clock.set(at)
        await core.tick()
    sent = await drain(chat)
    assert not [m for m in sent if TEXT in m.text]
    assert (await letters_in(core))[0].deliveries == 0
