"""Walkthrough 8: the facilitator is told what an announcement will cost SMS learners before
she confirms it (sms 9, fac 20), and is warned about a long reply only when her own words are
long, not when the bot's header made it longer (mix 13)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from tests.chat.test_sms_costs import _circle, _core
from tests.conftest import Chat

LEARNER = "+573001112233"
LONG = (
    "Hola a todos, mañana traigan una memoria USB si tienen. La biblioteca presta computadores "
    "para practicar de lunes a sábado, y hay café en la entrada."
)


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_announce_says_the_sms_parts_before_sending(phones: tuple[Chat, Chat]) -> None:
    console, sms = phones
    await _circle(console, sms, "es", "2026-10-22", 6, LEARNER)
    asked = await console.say("Otieno", "/announce " + LONG + " " + LONG)
    # The one member who reads by SMS by name (walk B5: "for the 1 member" read oddly).
    assert f"By SMS this is 3 texts for {LEARNER}. Shorter" in asked, asked
    assert asked.rstrip().endswith("Reply 1 for Send or 2 for Don't send."), asked
    await console.say("Otieno", "2")
    # A short one costs one text: nothing to say about it.
    assert "By SMS" not in await console.say("Otieno", "/announce Nos vemos el jueves")


async def test_a_reply_is_judged_by_her_own_words(phones: tuple[Chat, Chat]) -> None:
    console, sms = phones
    await _circle(console, sms, "es", "2026-10-22", 6, LEARNER)
    await sms.say(LEARNER, "/name Pepe")
    await sms.say(LEARNER, "lo siento ya no puedo seguir, me cambiaron el turno en el trabajo")
    await console.deliver()
    # 104 characters of hers: one or two texts alone, three with the bot's header and footer.
    words = (
        "Qué pena Pepe, gracias por avisar. ¡Mucho ánimo con el trabajo y aquí tienes tu sitio "
        "cuando quieras!"
    )
    said = await console.say("Otieno", "/reply 1 " + words)
    assert said == "I've sent your answer to Pepe.", said
    said = await console.say("Otieno", "/reply 1 " + " ".join([LONG, LONG, LONG]))
    assert "shorter is kinder" in said, said
