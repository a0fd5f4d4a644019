"""Walk B5: an announcement whose emoji alone makes it cost more SMS says so, and names the
one member who reads by SMS, instead of blaming its length "for the 1 member"."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from tests.chat.test_sms_costs import _circle, _core
from tests.conftest import Chat

AYA = "+221770000001"
WORDS = (
    "Bravo pour ce soir ! Pendant la pause, essayez l'exercice sur les boucles. "
    "N'oubliez pas vos cahiers et vos questions pour jeudi prochain. Joyeuses fêtes à tous"
)


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_the_emoji_is_named_as_what_costs(phones: tuple[Chat, Chat]) -> None:
    console, sms = phones
    await _circle(console, sms, "fr", "2026-10-22", 6, AYA)
    await sms.say(AYA, "/nom Aya")
    await console.say("Otieno", "/language fr")
    asked = await console.say("Otieno", "/annoncer " + WORDS + " 🎄")
    assert "les émojis font passer ce message de 2 à 3 SMS pour Aya" in asked, asked
    assert "pour le 1 membre" not in asked, asked
    await console.say("Otieno", "2")
    # Without the emoji, two texts, and it is its length that costs: said to her name.
    asked = await console.say("Otieno", "/annoncer " + WORDS)
    assert "cela fera 2 SMS pour Aya. Plus court" in asked, asked
