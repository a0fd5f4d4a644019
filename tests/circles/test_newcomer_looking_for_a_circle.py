"""Someone new whose first words look for a circle in a town an open circle meets in gets the
circles /find would list, not the generic welcome; one naming no such place is told of /find
(walk dede 22: "Hallo, ich suche einen Kurs in München zum Thema Fotografie"; smses 2: "¿hay
algún círculo de estudio de Excel cerca de Miraflores?")."""

from __future__ import annotations

from bot.chat.messages import Capabilities
from bot.core import Core
from tests.circles.test_find import NAIROBI_CIRCLE, listed
from tests.conftest import Chat

MIRAFLORES = (
    '/newcircle name="Excel básico" course="Excel básico de GCFGlobal" '
    'venue="Biblioteca Municipal de Miraflores" city=Lima country=PE zone=America/Lima '
    "start=2026-11-05 time=18:30 meetings=6 language=es"
)


async def test_a_sentence_naming_the_town_lists_its_circle(chat: Chat, core: Core) -> None:
    await listed(chat, "Wanjiru", NAIROBI_CIRCLE)
    said = await chat.say("Hans", "Hello, I'm looking for a python class in Nairobi")
    assert "Python Nairobi" in said, said
    assert "/newcircle" not in said


async def test_a_texted_question_naming_where_a_circle_meets(chat: Chat, core: Core) -> None:
    await listed(chat, "Lucia", MIRAFLORES)
    phones = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    said = await phones.say(
        "+51987000333", "Buenas tardes, hay algun circulo de estudio de Excel cerca de Miraflores?"
    )
    assert "Excel basico" in said or "Excel básico" in said, said


async def test_a_sentence_naming_no_open_circles_town_is_told_of_find(
    chat: Chat, core: Core
) -> None:
    await listed(chat, "Wanjiru", NAIROBI_CIRCLE)
    said = await chat.say("Hans", "hello, how does this work?")
    assert "Send /find and your town." in said, said
