"""Join codes copied by eye (walkthrough 8, sms 5): new codes have no S, B or Z beside 5, 8 and
2, and a code is read with those look-alikes either way, so "U5HTUSF" joins U5HTU5F and an old
code with an S still works when typed with a 5."""

from __future__ import annotations

import random

from sqlmodel import select

from bot.chat.segments import SMS_CAPABILITIES
from bot.circles import joincodes
from bot.core import Core
from bot.storage.models import Circle
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session


async def _set_code(core: Core, code: str) -> None:
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
        circle.join_code = code
        session.add(circle)
        await session.commit()


def test_new_codes_have_no_letter_that_reads_as_a_digit() -> None:
    rng = random.Random(5)
    codes = "".join(joincodes.generate(rng) for _ in range(2000))
    assert not set(codes) & set("SBZOIL01")


async def test_a_code_typed_with_look_alikes_joins(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await _set_code(core, "U5HTU5F")
    joined = await sms.say("+13135550111", "JOIN U5HTUSF")
    assert "Welcome to Python for Everyone" in joined, joined
    # A code made before the look-alikes were left out, typed with digits for its letters.
    await _set_code(core, "SS85ZKA")
    joined = await sms.say("+13135550122", "JOIN 5585ZKA")
    assert "Welcome to Python for Everyone" in joined, joined
    assert "Welcome to" in await sms.say("+13135550133", "join ss8s2ka")
