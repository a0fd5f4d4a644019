"""A number or a lone yes the offered choices can't read, from a learner with an older
question open (SMS walkthrough: Baraka's late rating "3" to the reminder's "Reply 1 for Yes or
2 for No"): the choices are offered again, never "Nothing is waiting for an answer", and the
next "2" still answers the reminder."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CIRCLE = "Python for Everyone"
AFTER_MEETING_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)  # the check-in has gone out
REMINDER_2 = datetime(2026, 11, 4, 23, 5, tzinfo=UTC)  # 24 hours before meeting 2


async def test_a_number_beyond_the_choices_offers_them_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "Welcome" in await chat.say("Baraka", f"/join {await code_of(core, CIRCLE)}")
    await chat.say("Baraka", "/skip")
    await chat.say("Baraka", "/skip")
    for at in (AFTER_MEETING_1, REMINDER_2):
        clock.set(at)
        await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "baraka"]
    assert any("Reply 1 for Yes or 2 for No" in text for text in sent)

    # A 1-5 number the Yes / No can't take is the week's rating still open (wave 2, C26, D26).
    again = await chat.say("Baraka", "3")
    assert "Nothing is waiting" not in again
    assert again.startswith("Thanks, got it!")
    assert "miss you at meeting 2" in await chat.say("Baraka", "2")
