"""/announce at most five times a day per circle: the sixth is refused, saying when the next
may go, and queues nothing; a day after the first, announcing works again."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.rhythm.test_announcements import (
    AMINA,
    BRIAN,
    CHIOMA,
    announce,
    announced,
    say,
    start_circle,
)


async def test_the_sixth_announcement_in_a_day_is_refused_and_queues_nothing(
    core: Core, clock: FakeClock
) -> None:
    await start_circle(core, AMINA, BRIAN, CHIOMA)  # Tuesday 10:00 in Detroit
    for n in range(5):
        assert "Sent to 2 members" in await announce(core, AMINA, f"News {n}.")
        clock.advance(timedelta(hours=1))
    answer = await say(core, AMINA, "/announce One more thing.")
    assert "Python for Everyone has had 5 announcements in the last day" in answer
    assert "You can send the next one from Wednesday at 10:00 AM." in answer
    assert len(await announced(core)) == 10  # five, to two members each; nothing more

    clock.advance(timedelta(hours=19))  # Wednesday 10:00: the first is a day old
    assert "Sent to 2 members" in await announce(core, AMINA, "One more thing.")
    assert len(await announced(core)) == 12
