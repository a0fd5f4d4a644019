"""A seat offered to the first learner waiting, declined in words ("no thanks, I found another
class"), goes at once to the next in line, and the facilitator's notices count the line as it
is. Walkthrough sms 45: the seat reached the second only when the first's hold ran out, and the
facilitator read "2 learners are waiting" when one was."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.circles.test_waiting_list import full_circle, leave, offers
from tests.conftest import Chat
from tests.core.test_sms_words import Phones

DANA = "+15550001"
EVE = "+15550002"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_a_seat_declined_in_words_goes_at_once_to_the_next_in_line(
    chat: Chat, core: Core, clock: FakeClock, phones: Phones
) -> None:
    await full_circle(chat, core)
    for phone in (DANA, EVE):
        await phones.say(phone, "FIND DETROIT")
        assert "waiting list" in await phones.say(phone, "1")
    await leave(chat, "Brian")
    assert [row.chat_id for row in await offers(chat)] == [DANA]
    assert any("seat has opened" in m.text for m in await phones.deliver())
    said = await phones.say(DANA, "no thanks, I found another class")
    assert "next" in said and "off the waiting list" in said, said
    assert "Sorry" not in said
    assert sorted(row.chat_id for row in await offers(chat)) == [DANA, EVE]  # at once
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert not any("2 learners are waiting" in text for text in told), told
    assert "Welcome to Python for Everyone" in await phones.say(EVE, "1")


async def test_a_plain_no_to_the_seat_also_passes_it_on(
    chat: Chat, core: Core, phones: Phones
) -> None:
    await full_circle(chat, core)
    for phone in (DANA, EVE):
        await phones.say(phone, "FIND DETROIT")
        await phones.say(phone, "1")
    await leave(chat, "Brian")
    said = await phones.say(DANA, "no")
    assert "off the waiting list" in said, said
    assert sorted(row.chat_id for row in await offers(chat)) == [DANA, EVE]


async def test_the_digest_of_a_circle_nobody_is_in_counts_those_waiting(
    chat: Chat, core: Core, phones: Phones
) -> None:
    """Its only learners gone and a seat offered: not a circle to close (sms 45)."""
    await full_circle(chat, core)
    for phone in (DANA, EVE):
        await phones.say(phone, "FIND DETROIT")
        await phones.say(phone, "1")
    await leave(chat, "Brian")
    await leave(chat, "Chen")
    digest = await chat.say("Amina", "/digest")
    assert "/close?" not in digest, digest
    assert "Nobody is in the circle right now, and 2 learners are waiting for a seat." in digest
