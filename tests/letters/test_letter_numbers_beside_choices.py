"""Issue 16: a letter's number and a choice's number were the same bare digits. Under "Reply
1 for Approve letter 2 or 2 for Reject letter 2" ("1 für Brief 2 freigeben oder 2 für Brief 2
ablehnen"), a facilitator typed "3" for letter 3; a learner read "2. Medellin ..." above
"Reply 1 for Thank all 3 writers". Now a letter is written "#3" beside numbered choices, "#3"
picks it, and a bare number answers only the choices on screen. And three letters that each
said "Reply 1 to thank the writer": "1" thanked the last writer only, however often it was
sent; now the choices name each writer, and keep their numbers after one is picked."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import LetterStatus
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_walkthrough_letters import first_meeting, relaying

CHEN = "Chen here! The best part was fixing bugs together on Thursday nights. Keep at it."


async def _withdrawn_first(chat: Chat) -> None:
    """A letter written and taken back: the next letters' numbers are no longer 1, 2, 3, the
    numbers of the choices under them."""
    await write(chat, "Brian")
    assert "taken back" in await chat.say("Brian", "/letter withdraw")


async def test_a_facilitator_picks_a_waiting_letter_by_its_hash_number(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian", "Chen")
    clock.set(AFTER_MEETING_3)
    await _withdrawn_first(chat)
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN)
    _, brians, chens = await letters_in(core)
    await drain(chat)
    # "#3": Chen's letter, with choices that are its own, whatever came before it.
    shown = await chat.say("Amina", f"#{chens.id}")
    assert CHEN in shown
    assert shown.endswith(
        f"Reply 1 for Approve letter #{chens.id} or 2 for Reject letter #{chens.id}."
    )
    assert f"Letter {chens.id} is approved" in await chat.say("Amina", "1")
    # Typed with a command too: "/letters approve #2".
    assert f"Letter {brians.id} is approved" in await chat.say(
        "Amina", f"/letters approve #{brians.id}"
    )
    assert [x.status for x in await letters_in(core)][1:] == [LetterStatus.POOLED] * 2


async def test_each_thanks_reaches_its_own_writer(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen", "Dana")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await _withdrawn_first(chat)
    for name in ("Brian", "Chen", "Dana"):
        await write(chat, name, f"{name} here. Come every week, even when you feel behind.")
    for letter in (await letters_in(core))[1:]:
        await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, NAIROBI_FIRST)
    read = [m.text for m in sent if m.address.chat_id == "otieno" and "here. Come" in m.text]
    assert len(read) == 3
    # One list of choices, under the last letter, each naming whom it thanks.
    assert all("Reply" not in text for text in read[:2])
    names = [next(n for n in ("Brian", "Chen", "Dana") if f"- {n}" in text) for text in read]
    assert read[-1].endswith(
        f"Reply 1 for Thank {names[0]}, 2 for Thank {names[1]}, or 3 for Thank {names[2]}."
    )
    thanked = await chat.say("Otieno", "1")
    assert thanked.startswith(f"Your thanks is on its way to {names[0]}.")
    # The same choices again, with the same numbers: "1" is still the first writer.
    assert thanked.endswith(read[-1].splitlines()[-1])
    assert f"already thanked {names[0]}" in await chat.say("Otieno", "1")
    assert (await chat.say("Otieno", "3")).startswith(f"Your thanks is on its way to {names[2]}.")
    told = {m.address.chat_id for m in await drain(chat) if "says thank you" in m.text}
    assert told == {names[0].casefold(), names[2].casefold()}
    # "#3" reads that letter whole, as LETTER 3 does.
    letter = (await letters_in(core))[1]
    assert f"{letter.signature} here. Come every week" in await chat.say("Otieno", f"#{letter.id}")
