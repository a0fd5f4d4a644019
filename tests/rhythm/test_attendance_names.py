"""/attendance read as a librarian answers it: "all" when everyone came, and first names
("carlos and dee") in any case, as well as the sheet's numbers."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Attendance
from tests.conftest import Chat
from tests.rhythm.test_rhythm import MEETING_1, count, start_circle


async def test_all_means_everyone_came(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    assert await chat.say("Amina", "All done") == "Saved: 3 of 3 learners came to meeting 1."
    assert await count(core, Attendance) == 3


async def test_all_ticks_everyone_and_waits_for_done(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough fac 18: "all", then "-3" for the one who said she couldn't come, then
    done; as numbers and names do, "all" ticks and the sheet waits."""
    await start_circle(chat, core, "Tom", "Grace", "Maria")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    sheet = await chat.say("Amina", "all")
    assert "[x] 1. Tom\n[x] 2. Grace\n[x] 3. Maria" in sheet
    assert "Send done when you're finished." in sheet
    sheet = await chat.say("Amina", "-3")
    assert "[x] 1. Tom\n[x] 2. Grace\n[ ] 3. Maria" in sheet
    assert await chat.say("Amina", "done") == "Saved: 2 of 3 learners came to meeting 1."
    assert await count(core, Attendance) == 2


async def test_first_names_tick_who_came(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian Okafor", "Chioma", "Dede")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    sheet = await chat.say("Amina", "brian and DEDE")
    assert "[x] 1. Brian Okafor\n[ ] 2. Chioma\n[x] 3. Dede" in sheet
    sheet = await chat.say("Amina", "-dede, chioma")
    assert "[x] 1. Brian Okafor\n[x] 2. Chioma\n[ ] 3. Dede" in sheet
    assert await chat.say("Amina", "done") == "Saved: 2 of 3 learners came to meeting 1."
    # A name nobody on the sheet has changes nothing and says what is read.
    await chat.say("Amina", "/attendance")
    # (G4, C13: the name is said, the sheet stays open.)
    assert (await chat.say("Amina", "Zola")).startswith(
        "Zola isn't on the list for Python for Everyone.\nWho came to meeting 1"
    )
    assert await count(core, Attendance) == 2


async def test_words_around_the_names_are_skipped(chat: Chat, core: Core, clock: FakeClock) -> None:
    """ "vinieron Lucía y Arturo", "nur Jonas" (walkthrough in Spanish and German)."""
    await start_circle(chat, core, "Lucía", "Arturo", "Jonas")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/language es")
    await chat.say("Amina", "/attendance")
    sheet = await chat.say("Amina", "vinieron Lucía y Arturo")
    assert "[x] 1. Lucía\n[x] 2. Arturo\n[ ] 3. Jonas" in sheet
    await chat.say("Amina", "/language de")
    sheet = await chat.say("Amina", "-lucía, nur Jonas")
    assert "[ ] 1. Lucía\n[x] 2. Arturo\n[x] 3. Jonas" in sheet
    # "nicht" beside a name unticks it (G4, D10/B7: who didn't come, said in words).
    assert "[ ] 1. Lucía\n[x] 2. Arturo\n[ ] 3. Jonas" in await chat.say("Amina", "Jonas nicht")
