"""The portfolio by SMS (sms 39): "You came to 0 of 1 meeting." stood first, under no circle's
name, and "I facilitated it: 2 meetings held" beside a close-out's "5 meetings held of 5" (her
learners joined after the first meetings). Every line names its circle, and the meetings held
are counted as the close-out counts them."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.seasons import Week, handle, play_week, starts

SIAYA = DETROIT_CIRCLE.replace("Python for Everyone", "Siaya computer club")


async def _summary(chat: Chat, name: str) -> str:
    [reply] = await handle(chat, name, "/portfolio", SMS_CAPABILITIES)
    return reply.text


async def test_a_circle_she_wrote_nothing_in_is_named_on_its_line(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Amina learns in Zawadi's circle (she wrote nothing there) and runs her own."""
    assert "is ready" in await chat.say("Zawadi", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name in ("Amina", "Lukas"):
        assert "Welcome" in await chat.say(name, f"/join {code}")
    assert "is ready" in await chat.say("Amina", SIAYA)
    assert "Welcome" in await chat.say(
        "Emine", "/join " + await code_of(core, "Siaya computer club")
    )
    await play_week(chat, core, clock, 1, Week(came=("Lukas", "Emine")))
    summary = await _summary(chat, "Amina")
    lines = summary.split("\n")[1:-1]  # between "Here is your portfolio" and /link
    assert lines[0] == "Python for Everyone: You came to 0 of 1 meeting.", summary
    assert lines[1].startswith("Siaya computer club: I facilitated it: 1 meeting held"), summary


async def test_the_meetings_she_facilitated_are_those_the_close_out_counts(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", SIAYA)
    code = await code_of(core, "Siaya computer club")
    clock.set(starts(3) + timedelta(days=1))  # nobody had joined for meetings 1 to 3
    assert "Welcome" in await chat.say("Emine", f"/join {code}")
    for number in (4, 5, 6):
        await play_week(chat, core, clock, number, Week(came=("Emine",)))
    clock.set(starts(6) + timedelta(days=2))
    report = await chat.say("Amina", "/report")
    assert "6 meetings held of 6." in report, report
    summary = await _summary(chat, "Amina")
    assert "Siaya computer club: I facilitated it: 6 meetings held" in summary, summary
