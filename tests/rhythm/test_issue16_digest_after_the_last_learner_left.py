"""Issue 16 (dede 36): a circle whose only learner left. /digest said "No check-ins have gone
out yet" though he had received them; it says they went out, and that nobody is in the circle
any more while meetings are still to come. The final report after /close counts learners as
/report does: none left, not the facilitator counted as one."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.seasons import Week, open_circle, play_week, starts

THREE_MEETINGS = DETROIT_CIRCLE.replace("meetings=6", "meetings=4")


async def test_the_digest_and_the_close_out_of_a_circle_whose_only_learner_left(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, THREE_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))
    await chat.say("Brian", "/leave")
    assert "You've left" in await chat.say("Brian", "1")
    await chat.deliver()

    clock.set(starts(3) - timedelta(days=2))
    digest = await chat.say("Amina", "/digest")
    assert "No check-ins have gone out yet" not in digest, digest
    assert "Check-ins went out" in digest, digest
    assert "Nobody is in the circle any more – /close?" in digest, digest

    report = await chat.say("Amina", "/report")
    assert "1 learner in the circle now" not in report, report
    assert "No check-ins have gone out yet" not in report, report

    await chat.say("Amina", "/close")
    await chat.say("Amina", "yes")
    closing = [m.text for m in await chat.deliver() if "Thank you for facilitating" in m.text]
    assert closing, closing
    assert "1 learner in the circle now" not in closing[0], closing[0]
    assert "0 learners in the circle now" in closing[0], closing[0]
