"""Facilitator commands typed the way a librarian types them (walkthrough 8): names on the
/attendance line (fac 6), an answer to a learner without its message number (fac 9)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

AFTER_MEETING_1 = datetime(2026, 10, 30, 0, 0, tzinfo=UTC)  # Thursday Oct 29, 18:00 Detroit


async def _circle(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Denise", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name in ("Tom", "Rosa", "Aaliyah", "Greg"):
        await chat.say(name, f"/join {code}")
        await chat.say(name, "/skip")
        await chat.say(name, "/skip")
    await chat.deliver()


async def test_attendance_names_on_the_command_line(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _circle(chat, core)
    clock.set(AFTER_MEETING_1)
    said = await chat.say("Denise", "/attendance 1 Tom Rosa Aaliyah")
    assert "Usage" not in said and "Who came to meeting 1" not in said, said
    assert "Saved: 3 of 4 learners came to meeting 1." in said, said
    sheet = await chat.say("Denise", "/attendance 1")
    assert "[x] 1. Tom" in sheet and "[x] 2. Rosa" in sheet and "[x] 3. Aaliyah" in sheet, sheet
    assert "[ ] 4. Greg" in sheet, sheet


async def test_a_reply_without_its_number_points_to_the_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _circle(chat, core)
    passed = await chat.say("Tom", "how do i get to the computer lab")
    assert "passed that on" in passed, passed
    said = await chat.say("Denise", "/reply Take the elevator by the front desk")
    assert "I can't find a learner called Take" not in said, said
    assert "No learner is called Take, so I haven't sent anything" in said, said
    assert "To answer Tom's message 1, put its number first: /reply 1 Take the elevator" in said
    assert [m for m in await chat.deliver() if m.address.chat_id == "tom"] == []


async def test_leaving_a_finished_circle_is_not_dropping_out(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 32: Rosa, who stayed to the end, tidied up her list weeks later with /leave."""
    await _circle(chat, core)
    clock.set(datetime(2026, 11, 13, 12, 0, tzinfo=UTC))  # week 3: Greg really drops out
    await chat.say("Greg", "/leave")
    await chat.say("Greg", "1")
    clock.set(datetime(2026, 12, 20, 12, 0, tzinfo=UTC))  # the circle ended on December 3
    before = await chat.say("Denise", "/report")
    assert "3 learners in the circle now." in before and "1 has left." in before, before
    await chat.say("Rosa", "/leave")
    assert "You've left Python for Everyone" in await chat.say("Rosa", "1")
    after = await chat.say("Denise", "/report")
    assert "1 has left." in after and "2 have left" not in after, after
