"""Danish readers had /svar (will you come: /rsvp) beside /besvar (a facilitator's answer to a
learner: /reply), two forms of "answer" for different things. /rsvp is /tilsagn now; /svar,
shown before, still runs it (keywords.FORMER_NAMES), and /help shows only the new name."""

from __future__ import annotations

import re

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def joined(chat: Chat, core: Core) -> None:
    """Freja, reading Danish, in Amina's circle with nothing waiting."""
    await chat.say("Amina", DETROIT_CIRCLE, locale_hint="da")
    await chat.say("Freja", "/join " + await code_of(core, "Python for Everyone"), locale_hint="da")
    await chat.say("Freja", "/skip", locale_hint="da")  # the goal
    await chat.say("Freja", "/skip", locale_hint="da")  # sharing


async def test_help_shows_one_name_for_coming_and_another_for_answering(
    chat: Chat, core: Core
) -> None:
    await joined(chat, core)
    listing = await chat.say("Amina", "/hjælp alle", locale_hint="da")
    assert "/tilsagn" in listing and "/besvar" in listing
    assert not re.search(r"/svar\b", listing), listing
    learner = await chat.say("Freja", "/hjælp alle", locale_hint="da")
    assert "/tilsagn" in learner and not re.search(r"/svar\b", learner)


async def test_the_old_name_still_answers_will_you_come(chat: Chat, core: Core) -> None:
    await joined(chat, core)
    said = await chat.say("Freja", "/svar ja", locale_hint="da")
    assert said == await chat.say("Freja", "/tilsagn ja", locale_hint="da")
    assert "/tilsagn" in await chat.say("Freja", "/hjælp svar", locale_hint="da")


async def test_the_old_name_still_works_by_sms(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await phone.say(
        "Freja", "TILMELD " + await code_of(core, "Python for Everyone"), locale_hint="da"
    )
    await phone.say("Freja", "/skip", locale_hint="da")
    await phone.say("Freja", "/skip", locale_hint="da")
    said = await phone.say("Freja", "SVAR JA", locale_hint="da")
    assert said == await phone.say("Freja", "TILSAGN JA", locale_hint="da")
