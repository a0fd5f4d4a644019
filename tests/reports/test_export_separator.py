"""/export in the exporting person's language: French, German, Spanish and Danish spreadsheets
split cells on ";" (their decimal mark is ","), English and Swahili ones on ","."""

from __future__ import annotations

import csv
import io

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import handle, open_circle


async def roster_bytes(chat: Chat, core: Core, language: str) -> bytes:
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    await chat.say("Amina", f"/language {language}")
    [reply] = await handle(chat, "Amina", "/export")
    return {a.filename: a for a in reply.attachments}["python-for-everyone-roster.csv"].data


@pytest.mark.parametrize("language", ["fr", "de", "es", "da"])
async def test_a_comma_decimal_language_gets_semicolons(
    chat: Chat, core: Core, clock: FakeClock, language: str
) -> None:
    data = await roster_bytes(chat, core, language)
    assert data.startswith(b"\xef\xbb\xbf")  # still UTF-8 with a byte-order mark
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.count(";") == 6 and "," not in header
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [row[0] for row in table[1:]] == ["Amina", "Brian", "Chioma"]
    assert all(len(row) == 7 for row in table)


@pytest.mark.parametrize("language", ["en", "sw"])
async def test_english_and_swahili_keep_commas(
    chat: Chat, core: Core, clock: FakeClock, language: str
) -> None:
    text = (await roster_bytes(chat, core, language)).decode("utf-8-sig")
    assert text.splitlines()[0].count(",") == 6
    table = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in table[1:]] == ["Amina", "Brian", "Chioma"]
