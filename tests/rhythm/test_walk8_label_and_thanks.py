"""A choice's own words with a please or a thanks ("Hapana, iwe siri tafadhali") are the
choice, and nothing goes on to the facilitator. Walkthrough 8 (lang 9): Fatuma's answer to keep
her words private was itself passed on to Mwanaisha."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.rhythm.test_sharing import shares


async def test_keep_private_please_is_the_choice_and_goes_to_no_one(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE + " language=sw")
    await chat.say("Fatuma", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Fatuma", "Kujifunza kompyuta.")
    reply = await chat.say("Fatuma", "Hapana, iwe siri tafadhali")
    assert "nimeufikisha" not in reply  # "I've passed it on"
    assert await shares(core, "Fatuma") is False
    assert not any("iwe siri" in m.text for m in await chat.deliver())
