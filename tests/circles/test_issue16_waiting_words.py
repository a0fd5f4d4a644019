"""SMS walkthrough (issue 16, es): Julián, Rocío and Lucía (facilitator, Lima) with a full
circle. A question after BUSCAR is no pick of a full circle: it reaches the circle's
facilitators; words from someone waiting for a seat get her place in line, or reach the
facilitators of the circle she waits for; /listing shows who waits, in order; leaving a full
circle promises no seat back."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Inbound
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import WaitingPlace
from tests.circles.test_find import listed
from tests.conftest import Chat, code_of
from tests.database import open_session

JULIAN = "+51987000401"
ROCIO = "+51987000402"
BASICO = (
    '/newcircle name="Excel básico" course="Excel" venue="Biblioteca" city=Lima country=PE '
    "zone=America/Lima start=2026-10-22 time=18:00 meetings=1 language=es"
)
INTERMEDIO = (
    '/newcircle name="Excel intermedio" course="Excel 2" venue="Biblioteca" city=Lima '
    "country=PE zone=America/Lima start=2026-11-12 time=18:00 meetings=6 language=es"
)


async def text(core: Core, phone: str, words: str) -> str:
    """A texter writes: her phone gives no name."""
    inbound = Inbound(
        platform="sms", account_id=phone, chat_id=phone, message_id=uuid.uuid4().hex, text=words
    )
    return "\n".join(m.text for m in await core.handle(inbound, SMS_CAPABILITIES))


async def full_intermedio(chat: Chat) -> None:
    """Lucía's listed Excel intermedio takes one learner: Pedro has the seat."""
    await listed(chat, "Lucia", INTERMEDIO)
    await chat.say("Lucia", "/language es")
    await chat.say("Lucia", "/listing capacity 1")
    await chat.say("Pedro", "/find Lima")
    assert "Excel intermedio" in await chat.say("Pedro", "1")
    await chat.deliver()


async def in_line(core: Core) -> int:
    async with open_session(core) as session:
        return len((await session.exec(select(WaitingPlace))).all())


async def test_a_question_after_buscar_is_passed_on_not_a_pick(chat: Chat, core: Core) -> None:
    await full_intermedio(chat)
    assert "Lleno" in await text(core, JULIAN, "BUSCAR LIMA")
    answer = await text(core, JULIAN, "Si está lleno, ¿puedo ir igual a la biblioteca el jueves?")
    assert "lista de espera" not in answer, answer
    assert "Lucia" in answer, answer  # told whom it went to
    assert await in_line(core) == 0
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "lucia"]
    assert len(told) == 1, told
    assert "no está en Excel intermedio" in told[0], told
    assert "¿puedo ir igual a la biblioteca el jueves?" in told[0]
    assert "/responder 1" in told[0] and JULIAN not in told[0]
    # Lucía answers him; his "1" still picks the circle, for a place in line.
    assert "Una persona nueva" in await chat.say("Lucia", "/reply 1 Sí, ven el jueves.")
    assert "eres el numero 1" in await text(core, JULIAN, "1")


async def test_someone_waiting_hears_her_place_or_is_passed_on(chat: Chat, core: Core) -> None:
    await full_intermedio(chat)
    await text(core, JULIAN, "BUSCAR LIMA")
    assert "eres el numero 1" in await text(core, JULIAN, "1")
    await chat.deliver()
    answer = await text(
        core, JULIAN, "Disculpe, ¿cuántas personas hay antes que yo en la lista de espera?"
    )
    assert answer.startswith("Eres el numero 1 en la lista de espera de Excel intermedio."), answer
    answer = await text(core, JULIAN, "¿Puedo llevar mi propia laptop a la biblioteca?")
    assert "Lucia" in answer and "No entend" not in answer, answer
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "lucia"]
    assert len(told) == 1 and "espera un lugar en Excel intermedio" in told[0], told
    assert "¿Puedo llevar mi propia laptop" in told[0]
    assert "Una persona nueva" in await chat.say("Lucia", "/reply 1 Sí, claro.")
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    sent = [m.text for m in await phones.deliver() if m.address.chat_id == JULIAN]
    assert len(sent) == 1 and "claro." in sent[0], sent


async def test_words_while_waiting_go_to_the_circle_waited_for_not_a_finished_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Rocío's Excel básico has ended; she waits for Excel intermedio."""
    await full_intermedio(chat)
    assert "Excel básico" in await chat.say("Lucia", BASICO)
    code = await code_of(core, "Excel básico")
    await text(core, ROCIO, f"UNIRME {code}")
    await text(core, ROCIO, "Rocio")
    clock.advance(timedelta(days=4))  # básico met on Thursday 22 October, its last meeting
    await text(core, ROCIO, "BUSCAR LIMA")
    assert "lista de espera" in await text(core, ROCIO, "1")
    await chat.deliver()
    answer = await text(core, ROCIO, "en q lugar de la lista estoy?")
    assert answer.startswith("Eres el numero 1 en la lista de espera de Excel intermedio."), answer
    await text(core, ROCIO, "Gracias. Ya termine el basico, el intermedio empieza en noviembre?")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "lucia"]
    assert len(told) == 1 and "Excel intermedio" in told[0] and "básico" not in told[0], told


async def test_listing_shows_who_waits_in_order(chat: Chat, core: Core) -> None:
    await full_intermedio(chat)
    await chat.say("Dana", "#1 /find")
    await text(core, JULIAN, "#1 /find")
    status = await chat.say("Lucia", "/listing")
    assert "2 participantes en espera." in status, status
    assert "1. Dana\n2. Una persona nueva (aún sin nombre)" in status, status
    assert JULIAN not in status
    assert "/reply" in status or "/responder" in status


async def test_leaving_a_full_circle_promises_a_place_in_line(chat: Chat, core: Core) -> None:
    await full_intermedio(chat)
    await text(core, JULIAN, "#1 /find")
    await chat.say("Pedro", "/leave")
    answer = await chat.say("Pedro", "sí")
    assert "cuando quieras" not in answer, answer
    assert "lista de espera" in answer, answer
    code = await code_of(core, "Excel intermedio")
    assert code in answer


async def test_leaving_a_circle_with_seats_still_says_any_time(chat: Chat, core: Core) -> None:
    await full_intermedio(chat)
    await chat.say("Lucia", "/listing capacity 5")
    await chat.say("Pedro", "/leave")
    assert "cuando quieras" in await chat.say("Pedro", "sí")
