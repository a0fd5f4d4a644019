"""lang 37: "non merci c'est trop loin haha" to /find's listing went to the facilitator of the
circle the learner had finished. A no to circles offered closes the offer, and goes to no one."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.circles.test_find import NAIROBI_CIRCLE, listed
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

PHONE = "+254700000009"


async def test_a_no_to_the_circles_found_goes_to_no_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await listed(chat, "Amina", DETROIT_CIRCLE)
    await listed(chat, "Wanjiru", NAIROBI_CIRCLE)
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    code = await code_of(core, "Python for Everyone")
    assert "Welcome" in await phones.say(PHONE, "JOIN " + code)
    await phones.say(PHONE, "Fatou")
    await phones.say(PHONE, "SKIP")
    await phones.say(PHONE, "SKIP")
    await chat.deliver()
    found = await phones.say(PHONE, "FIND Nairobi")
    assert "Python Nairobi" in found
    declined = await phones.say(PHONE, "no thanks it's too far haha")
    assert declined == (
        "OK, no problem. To look elsewhere, send FIND and a town, a country or a language."
    )
    sent = await chat.deliver()
    assert not [m for m in sent if "too far" in m.text]
    # The offer is closed: a 1 now joins nothing.
    assert "Python Nairobi" not in await phones.say(PHONE, "1")
