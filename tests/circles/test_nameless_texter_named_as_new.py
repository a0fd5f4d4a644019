"""SMS walkthrough (es): a texter who has given no name yet is "someone new" to her
facilitators, in their language, never the stored "Circle member" in English: when she waits
for a seat in a full circle, when she texts STOP, and in /reply's confirmation."""

from __future__ import annotations

import uuid

from bot.chat.messages import Inbound
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.circles.test_find import listed
from tests.conftest import Chat
from tests.seasons import open_circle

LINA = "+51987000333"
EXCEL = (
    '/newcircle name="Excel básico" course="Excel" venue="Biblioteca" city=Lima country=PE '
    "zone=America/Lima start=2026-11-12 time=18:00 meetings=6 language=es"
)


async def text(core: Core, words: str) -> str:
    """Lina writes by SMS: her phone gives no name."""
    inbound = Inbound(
        platform="sms", account_id=LINA, chat_id=LINA, message_id=uuid.uuid4().hex, text=words
    )
    return "\n".join(m.text for m in await core.handle(inbound, SMS_CAPABILITIES))


async def test_her_place_on_a_waiting_list_is_told_as_someone_new(chat: Chat, core: Core) -> None:
    await listed(chat, "Carmen", EXCEL)
    await chat.say("Carmen", "/listing capacity 1")
    await chat.say("Carmen", "/language es")
    await chat.say("Pedro", "/find Lima")
    assert "Excel básico" in await chat.say("Pedro", "1")
    await chat.deliver()
    assert "Excel basico" in await text(core, "BUSCAR LIMA")  # SMS: no accents
    await text(core, "1")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "carmen"]
    assert told == [
        "Una persona nueva (aún sin nombre) quiere unirse a Excel básico, que está lleno: "
        "1 persona espera un lugar."
    ]


async def test_her_stop_and_an_answer_to_her_name_her_as_someone_new(
    chat: Chat, core: Core
) -> None:
    code = await open_circle(chat, core, {"Brian": True})
    await text(core, f"JOIN {code}")
    await text(core, "SKIP")
    await chat.deliver()
    await text(core, "Is there parking near the library?")
    await chat.deliver()
    answer = await chat.say("Amina", "/reply 1 Yes, behind the building.")
    assert answer == "I've sent your answer to A newcomer (no name yet)."

    await text(core, "STOP")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert any(
        t.startswith("A newcomer (no name yet) in Python for Everyone texted STOP") for t in told
    ), told
    assert not any("Circle member" in t for t in told), told
