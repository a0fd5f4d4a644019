"""Walkthroughs (es, de, sms): a letter reached a circle in another language with no word of why.
A circle gets letters in its own language first; when one must cross languages, its reader is
told, in her own language, which language it is in and why; and its writer knew it might."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.letters.relay import LETTER_BY_TEXT_CHARS, first_meeting_letter_by_text
from bot.storage.models import Letter
from locales import LOCALES_DIR
from tests.conftest import Chat, code_of
from tests.letters.test_letters import AFTER_MEETING_3, GLOBAL, TEXT, detroit, drain, write
from tests.letters.test_walkthrough_letters import relaying

# A Danish circle in Copenhagen, first meeting Tuesday 8 December 2026, 17:00 there (16:00 UTC).
COPENHAGEN = (
    '/newcircle name="Kodeklub" course="Python for Everybody" venue="Hovedbiblioteket" '
    "city=København country=DK zone=Europe/Copenhagen start=2026-12-08 time=17:00 meetings=6 "
    "language=da"
)
COPENHAGEN_FIRST = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
PHONE = "+4520000001"


async def test_an_english_letter_reaches_a_danish_phone_saying_why_in_danish(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Mette", "/language da")  # her own; the circle's is its learners'
    await chat.say("Mette", COPENHAGEN)
    sms = Chat(core, platform="sms")
    await sms.say(PHONE, "JOIN " + await code_of(core, "Kodeklub"))
    await sms.say(PHONE, "Freja")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    # The writer hears, as she writes, that her letter may cross languages.
    thanked = await write(chat, "Brian")
    assert "they'll be told it's in English." in thanked
    await chat.say("Amina", "/letters approve 1")
    await drain(chat)

    clock.set(COPENHAGEN_FIRST)
    await core.tick()
    await core.dispatch({"sms": sms, "console": chat})
    [letter] = [m.text for m in sms.sent if "Et brev til jeres første møde" in m.text]
    # Before: "Fra Detroit, USA (skrevet på engelsk)", and nothing about why.
    assert letter.startswith(
        "Et brev til jeres første møde:\n"
        "Breve rejser mellem cirkler i hele verden: dette er skrevet på engelsk.\n"
        "Fra Detroit, USA:\n"
    ), letter
    assert f'"{TEXT}"\n- Brian\n' in letter
    # Mette reads it aloud: her preview names the language as before.
    [preview] = [m.text for m in chat.sent if m.address.chat_id == "mette"]
    assert "(skrevet på engelsk)" in preview
    assert [m for m in chat.sent if m.address == GLOBAL]


async def test_a_letter_in_the_readers_own_language_has_no_note() -> None:
    tr = Catalogs(LOCALES_DIR).translator("en")
    letter = Letter(
        circle_id=1,
        signature="Brian",
        city="Detroit",
        country_code="US",
        language="en",
        text=TEXT,
        created_at=AFTER_MEETING_3,
    )
    assert "travel" not in first_meeting_letter_by_text(tr, letter)
    # In another language, the note takes the place of some of the letter's words.
    letter.language, letter.text = "es", " ".join(["Ven cada semana, aunque te pierdas."] * 20)
    text = first_meeting_letter_by_text(tr, letter)
    assert "this one is in Spanish." in text and "(written in" not in text
    assert len(text) <= LETTER_BY_TEXT_CHARS + 120
    # Where its letters cost UCS-2 ("atrás"), the note would leave little of it in one text:
    # the language is named instead (walkthrough lang 17).
    letter.text = " ".join(["Ven cada semana, aunque vayas atrás."] * 20)
    text = first_meeting_letter_by_text(tr, letter)
    assert "(written in Spanish)" in text and "Ven cada semana, aunque vayas atrás." in text
