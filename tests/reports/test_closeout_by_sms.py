"""The close-out promises each learner what /portfolio really gives where she reads it: the
record as a file in a chat app, a short summary by SMS (where no file travels)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones

PHONE = "+254700000001"
# Meeting 1 of the Detroit circle ends Thursday 29 October 2026 at 19:30 (23:30 UTC).
AFTER_MEETING_1 = datetime(2026, 10, 30, 1, 0, tzinfo=UTC)


async def test_the_farewell_by_sms_offers_the_summary_not_a_file(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    assert "Welcome" in await chat.say("Brian", f"/join {code}")
    assert "Welcome" in await phones.say(PHONE, f"JOIN {code}")
    await phones.say(PHONE, "Mercy")
    await phones.say(PHONE, "Learn to write small programs")  # her goal
    clock.set(AFTER_MEETING_1)
    assert "Close Python for Everyone now?" in await chat.say("Amina", "/close")
    await chat.say("Amina", "yes")

    [by_sms] = [m.text for m in await phones.deliver() if "last meeting" in m.text]
    assert by_sms.startswith(
        "Python for Everyone has had its last meeting. Thank you for being part of it! Send "
        "PORTFOLIO for a short summary of your goal and check-ins."
    )
    assert "record" not in by_sms
    [in_a_chat] = [m.text for m in await chat.deliver() if "Thank you for being part" in m.text]
    assert "send /portfolio for your record of goals, check-ins and reflections" in in_a_chat
    # What it promises is what PORTFOLIO gives by SMS.
    assert "Your portfolio, in short:" in await phones.say(PHONE, "PORTFOLIO")


@pytest.mark.parametrize("language", ["en", "sw", "fr", "es", "de", "da"])
async def test_the_farewell_of_a_circle_closed_early_is_one_short_text_by_sms(
    chat: Chat, core: Core, clock: FakeClock, language: str
) -> None:
    """Walkthrough fac 26: closed after two meetings, an SMS learner got a 377-character
    farewell (last meeting, portfolio, "ended early", the retention date) and the letter
    invitation: four segments at once. By SMS the retention date is left out; the farewell
    and its invitation come as one text."""
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE + f" language={language}")
    code = await code_of(core, "Python for Everyone")
    await phones.say(PHONE, f"JOIN {code}")
    await phones.say(PHONE, "Akinyi")
    await phones.say(PHONE, "Learn to write small programs")  # her goal
    clock.set(AFTER_MEETING_1)
    await chat.say("Amina", "/close")
    await chat.say("Amina", "1")
    texts: dict[str, list[str]] = {}  # each message, in the parts the gateway sends
    while sent := await phones.deliver():
        for part in sent:
            texts.setdefault(str(part.idempotency_key).split("#")[0], []).append(part.text)
    [closing] = texts.values()
    assert not any("2027" in part for part in closing)  # no retention date by SMS
    if language == "es":  # "reunión", "círculo": UCS-2 whatever it says, 67 a segment
        return
    assert len(closing) == 1, closing  # one text: the farewell and its invitation together
    assert sms_segments(closing[0]) <= 3, closing
