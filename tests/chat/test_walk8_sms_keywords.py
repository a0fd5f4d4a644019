"""Walkthrough 8: a Spanish SMS learner is told the Spanish word to text everywhere (sms 6:
NUEVOCIRCULO, not NEWCIRCLE; sms 12: her facilitator hears EMPEZAR, the word she was told; sms
22: VINCULAR, not LINK, with a number of her own country as the example), a request to delete
her data is answered with the erase word instead of going to a volunteer (sms 26), AYUDA lists
NOMBRE (mix 5), and a learner taken off a circle is told kindly, with no code (sms 33, mix 12)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from tests.chat.test_sms_costs import _circle, _core
from tests.conftest import Chat

LEARNER = "+573001112233"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


def _to(sent: list, who: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == who.casefold()]


async def test_first_contact_in_spanish_names_the_spanish_words(phones: tuple[Chat, Chat]) -> None:
    _, sms = phones
    await sms.say("+573009998877", "/language es")
    said = await sms.say("+573009998877", "Hola soy la hija de Maribel, quiere entrar al curso")
    assert "NUEVOCIRCULO" in said and "NEWCIRCLE" not in said, said


async def test_spanish_learner_words_everywhere(phones: tuple[Chat, Chat]) -> None:
    console, sms = phones
    await _circle(console, sms, "es", "2026-10-22", 6, LEARNER)
    await console.deliver()
    # AYUDA lists NOMBRE, the word that fixes a name mistaken at joining.
    assert "NOMBRE" in await sms.say(LEARNER, "AYUDA")
    # A new number is confirmed with VINCULAR, her word; the example is a Colombian number.
    wrong = await sms.say(LEARNER, "NUEVONUMERO 123456")
    assert "+573" in wrong and "+254" not in wrong, wrong
    await sms.say(LEARNER, "NUEVONUMERO 3209876543")
    code_text = _to(await sms.deliver(), "+573209876543")
    assert code_text and "VINCULAR " in code_text[0] and "LINK" not in code_text[0], code_text
    # She sends STOP: her facilitator is told the word she was told to send back.
    told = await sms.say(LEARNER, "STOP")
    assert "EMPEZAR" in told, told
    await sms.say(LEARNER, "hola, una pregunta sobre la clase de mañana")
    relayed = _to(await console.deliver(), "Otieno")
    assert relayed and "EMPEZAR" in relayed[-1] and "START" not in relayed[-1], relayed
    refused = await console.say("Otieno", "/reply 1 gracias")
    assert "EMPEZAR" in refused and "START" not in refused, refused


async def test_a_request_to_delete_data_is_told_the_erase_word(phones: tuple[Chat, Chat]) -> None:
    console, sms = phones
    await _circle(console, sms, "en", "2026-10-22", 6, "+233241112233")
    await console.deliver()
    said = await sms.say("+233241112233", "Please delete my number and my data")
    assert "send FORGET" in said and "passed" not in said.replace("haven't passed", ""), said
    assert _to(await console.deliver(), "Otieno") == []  # nothing for a volunteer to handle
    await sms.say("+573001112244", "/language es")
    await _circle(console, sms, "es", "2026-10-22", 6, "+573001112244")
    said = await sms.say("+573001112244", "por favor borren mis datos")
    assert "OLVIDAR" in said, said


async def test_a_removed_learner_is_told_kindly_without_a_code(phones: tuple[Chat, Chat]) -> None:
    console, sms = phones
    code = await _circle(console, sms, "es", "2026-10-22", 6, LEARNER)
    await sms.say(LEARNER, "/name Camila")
    await sms.deliver()
    await console.say("Otieno", "/remove Camila")
    await console.say("Otieno", "1")
    [notice] = _to(await sms.deliver(), LEARNER)
    assert "Ya no estas en la lista" in notice and "Gracias" in notice, notice
    assert code not in notice and "te sacó" not in notice and "UNIRME" not in notice
