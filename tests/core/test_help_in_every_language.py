"""A bare help word in a chat, in any shipped language ("hilfe", "Ayuda!", "msaada", "hjælp"),
gets help as "help" does, and is never passed on to the facilitators as a message (walkthrough:
"hilfe" on Telegram reached the facilitator). The precedence row "help word" in
bot/core/router.py."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.chat.i18n import Catalogs
from bot.core import Core
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CATALOGS = Catalogs(LOCALES_DIR)
LISTING = "Here's what you can do:"


async def settled(chat: Chat, core: Core, language: str) -> None:
    """Brian, reading `language`, in Amina's circle with nothing waiting."""
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    await chat.say("Brian", "/join " + code, locale_hint=language)
    await chat.say("Brian", "/skip", locale_hint=language)  # the goal
    await chat.say("Brian", "/skip", locale_hint=language)  # sharing


async def told_amina(chat: Chat) -> list[str]:
    return [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("en", "help"),
        ("de", "hilfe"),
        ("de", "Hilfe?"),
        ("es", "Ayuda!"),
        ("es", "AYUDA"),
        ("fr", "aide"),
        ("fr", "Aide !"),
        ("sw", "msaada"),
        ("sw", "Msaada."),
        ("da", "hjælp"),
        ("da", "HJAELP"),
    ],
)
async def test_a_help_word_in_a_chat_gets_help_in_the_readers_language(
    chat: Chat, core: Core, language: str, word: str
) -> None:
    await settled(chat, core, language)
    await chat.deliver()
    answer = await chat.say("Brian", word, locale_hint=language)
    assert answer.startswith(CATALOGS.translator(language)._(LISTING)), answer
    assert await told_amina(chat) == []


@pytest.mark.parametrize("word", ["hilfe", "ayuda", "aide", "msaada", "hjælp"])
async def test_a_help_word_in_another_shipped_language_gets_help_too(
    chat: Chat, core: Core, word: str
) -> None:
    """An English reader typing the word of their own language (their phone says English)."""
    await settled(chat, core, "en")
    await chat.deliver()
    assert (await chat.say("Brian", word)).startswith(LISTING)
    assert await told_amina(chat) == []


async def test_a_help_word_leaves_the_conversation_going_on_waiting(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    asked = await chat.say("Amina", "/newcircle", locale_hint="de")
    answer = await chat.say("Amina", "Hilfe", locale_hint="de")
    assert answer.startswith(CATALOGS.translator("de")._(LISTING)), answer
    # The question asked before is still the one waiting: the next words answer it.
    after = await chat.say("Amina", "Abendkurs Python", locale_hint="de")
    assert after != asked and not after.startswith(CATALOGS.translator("de")._(LISTING))


async def test_a_help_word_said_in_a_group_is_people_talking(chat: Chat, core: Core) -> None:
    await settled(chat, core, "de")
    inbound = replace(chat.inbound("Brian", "Hilfe!"), chat_id="-100", is_group=True)
    assert await core.handle(inbound, chat.capabilities) == []
