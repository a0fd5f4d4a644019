"""/timezone with a country's name in any of the six languages: its one zone, or its zones to
choose from (walk 14, lang 12: "/zeitzone Deutschland" offered Dushanbe, Auckland and Eucla;
"/kanda Tanzania" Antananarivo)."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import Chat


@pytest.mark.parametrize(
    ("language", "typed", "zone"),
    [
        ("de", "/zeitzone Deutschland", "Europe/Berlin"),
        ("sw", "/kanda Tanzania", "Africa/Dar_es_Salaam"),
        ("fr", "/fuseau Sénégal", "Africa/Dakar"),
        ("en", "/timezone Kenya", "Africa/Nairobi"),
    ],
)
async def test_a_country_with_one_clock_is_its_zone(
    chat: Chat, core: Core, language: str, typed: str, zone: str
) -> None:
    await chat.say("Lena", f"/language {language}")
    said = await chat.say("Lena", typed)
    assert zone in said, said
    assert zone in await chat.say("Lena", typed.split()[0])  # kept: shown when asked


async def test_a_country_with_several_clocks_offers_its_own_zones(chat: Chat, core: Core) -> None:
    said = await chat.say("Lena", "/timezone Brazil")
    assert "America/Sao_Paulo" in said or "America/" in said, said
    assert "Asia/" not in said and "Pacific/" not in said, said
