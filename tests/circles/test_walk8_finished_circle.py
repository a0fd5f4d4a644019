"""A facilitator with one finished circle and one running (walkthrough 8, mix 17 and 24):
commands about running a circle go to the running one without "which circle?", and /delete
on the finished one says it has finished, instead of advising /close."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

SPRING = (
    '/newcircle name="Python Spring" course="Python for Everybody" '
    'venue="Detroit Public Library" city=Detroit country=US zone=America/Detroit '
    "start=2027-01-07 time=18:00 meetings=6"
)


async def test_the_finished_circle_is_not_a_candidate(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Mette", DETROIT_CIRCLE)  # Oct 29 - Dec 3, 2026
    old = await code_of(core, "Python for Everyone")
    await chat.say("Søren", f"/join {old}")
    assert "is ready" in await chat.say("Mette", SPRING)
    spring = await code_of(core, "Python Spring")
    for name in ("Ingrid", "Bent"):
        await chat.say(name, f"/join {spring}")
    clock.set(datetime(2026, 12, 20, 12, 0, tzinfo=UTC))  # the first has finished
    said = await chat.say("Mette", "/cofacilitator Ingrid")
    assert "Ingrid now co-facilitates Python Spring" in said, said
    said = await chat.say("Mette", "/handover Ingrid")
    assert said.startswith("Hand Python Spring over to Ingrid?"), said
    assert "Which circle" not in await chat.say("Mette", "/digest")
    said = await chat.say("Mette", "/delete Python for Everyone")
    assert "Python for Everyone has finished, so it can't be deleted or closed" in said, said
    assert "send /close" not in said and "/export" in said
