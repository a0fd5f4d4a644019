"""A command's name mistyped before its words: the answer says which was meant, and one tap
sends the words with it (walk frsw 17: "/anoncer salut fatou, ..." had to be typed again)."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_one_tap_sends_the_words_with_the_command_meant(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    said = await chat.say("Amina", "/anounce We meet in room B this week")
    assert "Did you mean /announce?" in said, said
    assert "Reply 1 for Send it with /announce" in said, said
    asked = await chat.say("Amina", "1")
    assert "We meet in room B this week" in asked, asked  # the announcement, asked first


async def test_a_mistyped_name_alone_offers_nothing_to_send(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    said = await chat.say("Amina", "/anounce")
    assert "Did you mean /announce?" in said and "Reply 1" not in said, said
