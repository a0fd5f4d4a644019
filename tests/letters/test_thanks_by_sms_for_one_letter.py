"""By SMS, thanking the writer of one letter of several that came together: "ASANTE BARUA 2"
(THANKS LETTER 2), "THANKS 2", "THANKS #2" thank letter 2's writer only (issue 16, frsw 6:
the three writers were thanked, and each was sent « ASANTE BARUA 2 » as a reply to read)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
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

WRITERS = ("Brian", "Chen", "Dana")


async def three_letters_by_sms(core: Core, chat: Chat, clock: FakeClock, language: str) -> Chat:
    """Detroit's three writers' letters, read at Nairobi's first meeting by a learner on SMS."""
    await detroit(chat, core, *WRITERS)
    await chat.say("Wanjiru", NAIROBI)
    sms = await joined_by_sms(core, "Digital Skills")
    await sms.say(PHONE, "/language " + language)
    clock.set(AFTER_MEETING_3)
    await core.tick()
    for name in WRITERS:
        await write(chat, name, f"{name} here. Come every week, even when you feel behind.")
    for letter in await letters_in(core):
        await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)
    for at in (NAIROBI_FIRST - timedelta(hours=2), NAIROBI_FIRST):
        clock.set(at)
        await core.tick()
        while await core.dispatch({"sms": sms, "console": chat}):
            pass
    return sms


async def thanked_writers(chat: Chat) -> list[tuple[str, str]]:
    """Each thank-you on its way to a writer: to whom, and what it says."""
    rows = [row for row in await chat.outbox() if row.kind == "letter-thanks"]
    return [(row.chat_id, row.payload["text"]) for row in rows]


async def test_asante_barua_2_thanks_letter_2s_writer_only(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    sms = await three_letters_by_sms(core, chat, clock, "sw")
    assert "#2 Detroit" in sms.sent[-1].text
    assert "Chen here" in await sms.say(PHONE, "BARUA 2")  # LETTER 2: read whole
    # Before: "Shukrani zako zinaenda kwa Brian. / ...kwa Chen. / ...kwa Dana.", each sent
    # « ASANTE BARUA 2 » as words written back to their letter.
    thanked = await sms.say(PHONE, "ASANTE BARUA 2")
    assert thanked.split("\n")[0] == "Shukrani zako zinaenda kwa Chen."
    assert "Brian." not in thanked and "Dana." not in thanked
    [(writer, text)] = await thanked_writers(chat)
    assert writer == "chen" and "says thank you for your letter" in text
    assert "BARUA" not in text


async def test_thanks_letter_2_thanks_2_and_thanks_hash_2_each_thank_one_writer(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    sms = await three_letters_by_sms(core, chat, clock, "en")
    for said, writer in (("THANKS LETTER 2", "chen"), ("Thanks #1", "brian"), ("THANKS 3", "dana")):
        before = len(await thanked_writers(chat))
        thanked = await sms.say(PHONE, said)
        assert thanked.split("\n")[0] == f"Your thanks is on its way to {writer.title()}.", said
        [(to, text)] = (await thanked_writers(chat))[before:]
        assert to == writer and "says thank you for your letter" in text, said
