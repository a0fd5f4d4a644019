"""A language the bot doesn't speak, asked for at the language menu ("Türkisch?"): the bot
says so and offers the menu again. Walkthrough 8 (lang 13): it went to the facilitator as a
message ("Emine hat zu Python für Einsteiger geantwortet: Türkisch?")."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def test_an_unshipped_language_at_the_menu_is_answered_by_the_bot(
    chat: Chat, core: Core
) -> None:
    await chat.say("Katrin", DETROIT_CIRCLE + " language=de")
    await chat.say("Emine", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Emine", "/skip")
    await chat.say("Emine", "/skip")
    assert "Deutsch" in await chat.say("Emine", "/sprache")
    reply = await chat.say("Emine", "Türkisch?")
    assert "Türkisch spreche ich noch nicht" in reply
    assert "Deutsch" in reply  # the languages it speaks, offered again
    assert not any("Türkisch" in m.text for m in await chat.deliver())
