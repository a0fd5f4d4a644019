"""Issue 16 (dede 43): /reschedule with a relative day and an hour ("i morgen 19", "næste
torsdag kl 19", "demain 19h", "tomorrow 7pm") is read as written, and the reply, whether the
move is made or refused, names the date and time it understood."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat

# Wednesday 28 October 2026, noon in Detroit: meeting 1 is tomorrow at 18:00, meeting 2 on
# Thursday 5 November.
WEDNESDAY = datetime(2026, 10, 28, 16, 0, tzinfo=UTC)


async def test_tomorrow_and_next_thursday_with_an_hour_in_danish(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "er klar" in await chat.say("Freja", DETROIT_CIRCLE, locale_hint="da")
    clock.set(WEDNESDAY)
    moved = await chat.say("Freja", "/flyt 1 i morgen 19")
    assert "29. oktober" in moved and "19.00" in moved, moved
    # "næste torsdag" said on a Wednesday is not tomorrow: it is meeting 2's own Thursday.
    moved = await chat.say("Freja", "/flyt 2 næste torsdag kl 19")
    assert "5. november" in moved and "19.00" in moved, moved
    # Refused, the reply still says what it understood.
    refused = await chat.say("Freja", "/flyt 3 i morgen 20")
    assert "skal ligge efter møde 2" in refused, refused
    assert "29. oktober" in refused and "20.00" in refused, refused
    same = await chat.say("Freja", "/flyt 1 i morgen kl 19")
    assert "29. oktober" in same and "19.00" in same, same


@pytest.mark.parametrize(
    ("locale", "command"),
    [
        ("en", "/reschedule 1 tomorrow 7pm"),
        ("fr", "/deplacer 1 demain 19h"),
        ("es", "/reprogramar 1 mañana 19"),
        ("de", "/verschieben 1 morgen 19"),
        ("sw", "/hamisha 1 kesho 19"),
        ("da", "/flyt 1 morgen 19"),
    ],
)
async def test_tomorrow_with_an_hour_in_each_language(
    chat: Chat, core: Core, clock: FakeClock, locale: str, command: str
) -> None:
    await chat.say("Freja", DETROIT_CIRCLE, locale_hint=locale)
    clock.set(WEDNESDAY)
    moved = await chat.say("Freja", command)
    assert "29" in moved and ("19" in moved or "7:00" in moved or "saa" in moved), moved


@pytest.mark.parametrize(
    ("locale", "command"),
    [
        ("en", "/reschedule 2 next thursday 7pm"),
        ("fr", "/deplacer 2 jeudi prochain 19h"),
        ("es", "/reprogramar 2 el próximo jueves 19"),
        ("de", "/verschieben 2 nächsten Donnerstag 19"),
        ("sw", "/hamisha 2 Alhamisi ijayo 19"),
        ("da", "/flyt 2 næste torsdag 19"),
    ],
)
async def test_next_thursday_on_a_wednesday_is_a_week_on(
    chat: Chat, core: Core, clock: FakeClock, locale: str, command: str
) -> None:
    await chat.say("Freja", DETROIT_CIRCLE, locale_hint=locale)
    clock.set(WEDNESDAY)
    moved = await chat.say("Freja", command)
    assert " 5" in moved and ("19" in moved or "7:00" in moved or "saa" in moved), moved


async def test_a_bare_hour_in_english_is_the_evening(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await chat.say("Freja", DETROIT_CIRCLE)
    clock.set(WEDNESDAY)
    assert await chat.say("Freja", "/reschedule 1 tomorrow 7") == (
        "Meeting 1 is now Thursday, October 29, 2026 at 7:00 PM (EDT)."
    )
