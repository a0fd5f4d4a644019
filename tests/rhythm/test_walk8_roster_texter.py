"""Walkthrough 8, fac 19: a texter who skipped the name question is told apart on the roster by
the end of her number (in the facilitator's own chat only), not as one more "Circle member";
her STOP is told to the facilitator at once, not days later in the digest."""

from __future__ import annotations

import uuid

from bot.chat.messages import Inbound
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import open_circle

NUMBER = "+12165550199"


async def text(core: Core, words: str) -> str:
    inbound = Inbound(
        platform="sms", account_id=NUMBER, chat_id=NUMBER, message_id=uuid.uuid4().hex, text=words
    )
    return "\n".join(m.text for m in await core.handle(inbound, SMS_CAPABILITIES))


async def test_a_nameless_texter_is_on_the_roster_and_her_stop_is_told_at_once(
    chat: Chat, core: Core
) -> None:
    code = await open_circle(chat, core, {"Brian": True})
    await text(core, f"JOIN {code}")
    await text(core, "SKIP")
    roster = await chat.say("Amina", "/roster")
    # Never her number, not even its end: facilitators don't see learners' numbers.
    assert "A newcomer (no name yet), learner" in roster
    assert "0199" not in roster

    await text(core, "STOP")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    stopped = "A newcomer (no name yet) in Python for Everyone texted STOP"
    assert any(stopped in t for t in told), told
