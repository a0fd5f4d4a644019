"""/link lists the person's accounts with the day each was last used, where they meet."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_link_gives_the_day_in_the_circles_time_zone(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    clock.set(datetime(2026, 11, 6, 2, 0, tzinfo=UTC))  # 21:00 on Thursday in Detroit
    listing = await chat.say("Amina", "/link")
    assert "last used Thursday, November 5, 2026" in listing
    await chat.say("Amina", "/language fr")
    assert "jeudi 5 novembre 2026" in await chat.say("Amina", "/link")


async def test_linking_a_new_app_gives_the_days_where_they_meet(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walk fac 20: Mr. Okafor linked a new app at 21:10 on a Wednesday in Oakland and was
    told both accounts were last used on Thursday (UTC's day)."""
    from tests.circles.test_pairing import BRIAN_SMS, BRIAN_TG, new_code, say

    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    await say(core, BRIAN_SMS, f"JOIN {code}")
    clock.set(datetime(2026, 11, 6, 2, 0, tzinfo=UTC))  # 21:00 on Thursday in Detroit
    linked = await say(core, BRIAN_TG, f"LINK {await new_code(core, BRIAN_SMS)}")
    assert "Linked!" in linked
    assert "Friday" not in linked and "last used Thursday, November 5, 2026" in linked, linked
