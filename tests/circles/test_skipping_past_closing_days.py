"""Meetings on 24 and 31 December: the hint at /newcircle suggests skipping as many weeks as
clears both ("/skipweek 3 2"), and /skipweek's question warns when its new date is itself a
day many libraries close, before anyone is told."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat, code_of

HOLIDAY_CIRCLE = (
    '/newcircle name="Personal Finance" course="Personal Finance" venue="Main Library" '
    "city=Chicago country=US zone=America/Chicago start=2026-12-10 time=17:00 meetings=6"
)


async def test_the_hint_skips_both_closing_days(chat: Chat, clock: FakeClock) -> None:
    clock.set(datetime(2026, 12, 7, 2, 48, tzinfo=UTC))
    ready = await chat.say("Carmen", HOLIDAY_CIRCLE)
    assert "/skipweek 3 2 moves them and the ones after 2 weeks later." in ready, ready


async def test_skipping_one_week_onto_new_years_eve_is_warned_of(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 7, 2, 48, tzinfo=UTC))
    await chat.say("Carmen", HOLIDAY_CIRCLE)
    await chat.say("Luis", "/join " + await code_of(core, "Personal Finance"))
    asked = await chat.say("Carmen", "/skipweek 3")
    assert (
        "Careful: meeting 3 would then be on December 31, when many libraries are closed. "
        "To skip past it, answer no and send /skipweek 3 2." in asked
    ), asked
    assert "Careful" not in await chat.say("Carmen", "no")
    assert "Careful" not in await chat.say("Carmen", "/skipweek 3 2")


async def test_with_no_one_to_tell_it_is_done_and_the_closing_day_said(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 7, 2, 48, tzinfo=UTC))
    await chat.say("Carmen", HOLIDAY_CIRCLE)
    done = await chat.say("Carmen", "/skipweek 3")
    assert "skips a week" in done, done
    assert (
        "Careful: meeting 3 is now on December 31, when many libraries are closed. "
        "/skipweek 3 1 moves it past that." in done
    ), done


async def test_the_hint_and_the_warning_in_spanish_and_german(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 7, 2, 48, tzinfo=UTC))
    await chat.say("Carmen", "/idioma es")
    ready = await chat.say("Carmen", HOLIDAY_CIRCLE)
    assert "/saltarsemana 3 2 las pasa 2 semanas después" in ready, ready
    await chat.say("Katrin", "/sprache de")
    await chat.say("Katrin", HOLIDAY_CIRCLE.replace("Personal Finance", "Englisch im Beruf"))
    await chat.say("Jonas", "/join " + await code_of(core, "Englisch im Beruf"))
    asked = await chat.say("Katrin", "/wocheaussetzen 3")
    assert "Treffen 3 wäre dann am 31. Dezember" in asked, asked
    assert "/wocheaussetzen 3 2." in asked
