"""/find with the words people use: "spreadsheet class detroit" (a filler word, a singular) and
a neighbourhood or a library where a listed circle meets ("Kibera")."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_editing import ONLINE_CIRCLE
from tests.circles.test_find import NAIROBI_CIRCLE, listed
from tests.conftest import Chat

SPREADSHEETS = (
    '/newcircle name="Intro to Spreadsheets" course="Spreadsheets for Beginners" '
    'venue="Detroit Public Library" city=Detroit country=US zone=America/Detroit '
    "start=2026-10-29 time=18:00 meetings=6"
)
KIBERA = (
    '/newcircle name="Digital Literacy kundi la pili" course="Digital Literacy" '
    'venue="Maktaba ya jamii Kibera" city=Nairobi country=KE zone=Africa/Nairobi '
    "start=2026-11-12 time=17:00 meetings=6"
)


async def test_find_leaves_filler_words_and_reads_a_singular(chat: Chat, core: Core) -> None:
    await listed(chat, "Denise", SPREADSHEETS)
    for typed in ("spreadsheet class detroit", "spreadsheets course near detroit"):
        assert "Intro to Spreadsheets" in await chat.say("Gloria", "/find " + typed), typed


async def test_find_reads_a_plural_for_a_singular_title(chat: Chat, core: Core) -> None:
    singular = SPREADSHEETS.replace("Spreadsheets for", "Spreadsheet for")
    await listed(chat, "Denise", singular.replace("Intro to Spreadsheets", "Excel Basics"))
    assert "Excel Basics" in await chat.say("Gloria", "/find spreadsheets")


async def test_find_by_where_a_circle_meets(chat: Chat, core: Core) -> None:
    await listed(chat, "Amina", NAIROBI_CIRCLE)
    await listed(chat, "Wanjiru", KIBERA)
    found = await chat.say("Baraka", "/find Kibera")
    assert "Digital Literacy kundi la pili" in found
    # The one meeting there first, before another circle in the same city.
    assert found.index("Digital Literacy kundi la pili") < found.find("Python Nairobi")
    assert "Python Nairobi" in found


async def test_find_an_online_class(chat: Chat, core: Core) -> None:
    await listed(chat, "Grace", ONLINE_CIRCLE)
    assert "Python Online" in await chat.say("Zola", "/find online class")


async def test_a_circle_picked_by_its_number_in_words(chat: Chat, core: Core) -> None:
    """C2: "UNO" to /find's list was read as "no": the choices closed and nobody joined."""
    await listed(chat, "Amina", NAIROBI_CIRCLE)
    await listed(chat, "Wanjiru", KIBERA)
    assert "Reply 1 for Python Nairobi" in await chat.say("Baraka", "/find Nairobi")
    assert "Welcome to Python Nairobi" in await chat.say("Baraka", "UNO")
