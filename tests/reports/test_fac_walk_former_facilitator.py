"""Facilitator walkthrough finding fac 40: a facilitator who handed her circle over and left
stays its former facilitator in the export's roster and in her portfolio; a circle nobody
joined holds no meeting in anyone's portfolio."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_fac_walk_roles import ruth_hands_over_to_keisha
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.reports.test_exports import rows
from tests.reports.test_records import EMPTY, handle, portfolio_file

AFTER_MEETING_1 = datetime(2026, 10, 30, 12, 0, tzinfo=UTC)


async def test_a_facilitator_who_handed_over_and_left_stays_its_former_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await ruth_hands_over_to_keisha(chat, core)
    clock.set(AFTER_MEETING_1)  # Ruth ran meeting 1 with Keisha
    # As in the walkthrough: kept on as a learner, then she left herself.
    await chat.say("Keisha", "/cofacilitator remove ruth")
    await chat.say("Keisha", "1")
    await chat.say("Ruth", "/leave")
    await chat.say("Ruth", "yes")
    assert "Ruth" not in await chat.say("Keisha", "/roster")

    [reply] = await handle(chat, "Keisha", "/export")
    files = {a.filename: a for a in reply.attachments}
    roster = {r["Name"]: r for r in rows(files["python-for-everyone-roster.csv"])}
    assert roster["Ruth"]["Role"] == "former facilitator"
    assert roster["Ruth"]["Left"] == "2026-10-30"
    assert roster["Keisha"]["Role"] == "facilitator"
    assert roster["Tom"]["Role"] == "learner"

    ruth = await portfolio_file(chat, "Ruth")
    assert "## Python for Everyone" in ruth
    assert "I facilitated it: 1 meeting held, on Thursday, October 29, 2026." in ruth


async def test_a_circle_nobody_joined_held_no_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Ruth", DETROIT_CIRCLE)
    clock.set(AFTER_MEETING_1)
    [reply] = await handle(chat, "Ruth", "/portfolio")
    assert EMPTY in reply.text and "meeting held" not in reply.text
