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


async def test_linking_a_new_app_keeps_the_language_they_read(chat: Chat, core: Core) -> None:
    """Walk dede 26: Bo, an SMS learner in a Danish circle, linked an app set to German and
    was answered in German from then on."""
    import uuid

    from bot.chat.messages import Capabilities, Inbound
    from tests.circles.test_pairing import BRIAN_SMS, new_code, say

    danish = DETROIT_CIRCLE.replace("meetings=6", "meetings=6 language=da")
    await chat.say("Amina", danish)
    await say(core, BRIAN_SMS, "JOIN " + await code_of(core, "Python for Everyone"))
    code = await new_code(core, BRIAN_SMS)

    async def from_german_app(text: str) -> str:
        inbound = Inbound(
            platform="telegram",
            account_id="2002",
            chat_id="2002",
            message_id=uuid.uuid4().hex,
            text=text,
            display_name="Bo",
            locale_hint="de",
        )
        replies = await core.handle(inbound, Capabilities(max_text_length=4096))
        return "\n".join(reply.text for reply in replies)

    linked = await from_german_app(f"LINK {code}")
    assert linked.startswith("Forbundet! Dine cirkler"), linked
    assert "Møde 1" in await from_german_app("/next")
