"""Walkthrough (German): "/hilfe uebergeben", the hand-over command spelled out without its
umlaut as people type it (and as the command itself accepts), was "Einen Befehl „uebergeben“
kenne ich nicht."; only "/hilfe übergeben" worked. /help finds a command by any spelling the
command accepts: umlauts as ue/oe/ae or left off, any case, with or without the slash."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat


@pytest.mark.parametrize("typed", ["uebergeben", "/Uebergeben", "UEBERGEBEN", "ubergeben"])
async def test_help_finds_the_hand_over_however_its_umlaut_is_typed(
    chat: Chat, core: Core, typed: str
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/language de")
    told = await chat.say("Amina", "/hilfe übergeben")
    assert told.startswith("/uebergeben NAME"), told
    assert await chat.say("Amina", f"/hilfe {typed}") == told
