"""Walkthrough (issue 16, Nairobi by SMS): no letter invitation to someone who already wrote
one in the circle; a letter sent straight back to the invitation is kept as a letter; a long
letter reaches a phone as one short message, cut between words."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.letters.letters import LetterPolicy
from bot.storage.models import LetterStatus
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    GLOBAL,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_relay_due import INVITE, invited
from tests.platforms import PLATFORMS

PHONE = "+254711000001"
LETTER = "Habari kutoka Nairobi! Njooni kila wiki, hata mkihisi mko nyuma. Tunawaamini."
LONG = " ".join(["Come every week, even when you feel behind, and ask every question."] * 12)


async def joined_by_sms(core: Core, circle: str) -> Chat:
    sms = Chat(core, platform="sms")
    await sms.say(PHONE, "JOIN " + await code_of(core, circle))
    await sms.say(PHONE, "Wanjiru")
    await sms.say(PHONE, "To learn with others.")
    return sms


async def test_the_invitation_skips_those_who_wrote_and_waits_for_the_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian", "Chen")
    sms = await joined_by_sms(core, "Python for Everyone")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await drain(chat)

    clock.set(INVITE + timedelta(minutes=1))
    await core.tick()
    assert await invited(chat) == [PHONE, "amina", "chen"]  # Brian wrote his already
    [invitation] = [
        row for row in await chat.outbox() if row.kind == "letter-invite" and row.chat_id == PHONE
    ]
    assert "reply with your letter" in invitation.payload["text"].casefold()

    # Her answer straight back is the letter, not a message for the facilitator.
    asked = await sms.say(PHONE, LETTER)
    assert "How should it be signed?" in asked
    await sms.say(PHONE, "1")
    assert LETTER in [letter.text for letter in await letters_in(core)]


async def test_a_long_letter_reaches_a_phone_as_one_short_message(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(
        sqlite_engine,
        clock,
        random.Random(7),
        letter_policy=LetterPolicy(global_channels=(GLOBAL,)),
        platforms=PLATFORMS,
    )
    chat = Chat(core)
    await detroit(chat, core, "Brian")
    await chat.say("Otieno", NAIROBI)
    sms = await joined_by_sms(core, "Digital Skills")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian", LONG[:990])
    [letter] = await letters_in(core)
    await chat.say("Amina", f"/letters approve {letter.id}")
    assert (await letters_in(core))[0].status == LetterStatus.POOLED
    await drain(chat)

    clock.set(NAIROBI_FIRST)
    await core.tick()
    await core.dispatch({"sms": sms, "console": chat})
    [message] = [m for m in sms.sent if "A letter for your first meeting" in m.text]
    assert "From Detroit, United States" in message.text and "- Brian" in message.text
    quoted = message.text.split('"')[1]
    assert quoted.endswith("...") and len(quoted) <= 303
    assert quoted[:-3].split()[-1] in LONG.split()  # never cut mid-word
