"""Walkthrough (issue 16, Dakar, in French): numbers in the reader's format, a space before
French colons, and no "de"/"près de" a name or a country would need elided or an article."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_find import network
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, end_the_circle
from tests.reports.test_records import portfolio_file
from tests.seasons import Week, open_circle, play_week


async def test_courses_in_french(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    await chat.say("Dana", "3")
    await chat.say("Aminata", "/language fr")
    listed = await chat.say("Aminata", "/courses")
    assert "Python for Everybody (en) : 1 cercle" in listed
    # Two ratings are too few to show (walkthrough B11, session 9); the share that came back
    # is written the French way.
    assert "50 % sont revenus" in listed and "50%" not in listed and "noté" not in listed


async def test_find_a_country_in_french(chat: Chat) -> None:
    await network(chat)
    await chat.say("Aminata", "/language fr")
    answer = await chat.say("Aminata", "/find Kenya")
    assert answer.startswith("Cercles ouverts : Kenya")
    assert "près de" not in answer


async def test_the_portfolio_in_french(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Aminata": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Aminata",), ratings={"Aminata": 4}))
    await chat.say("Aminata", "/language fr")
    portfolio = await portfolio_file(chat, "Aminata")
    assert portfolio.startswith("# Portfolio d'apprentissage : Aminata")
    assert "2026 : 4 sur 5" in portfolio and "2026: 4" not in portfolio
