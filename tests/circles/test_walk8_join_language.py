"""Joining with the circle's own word for it ("JIUNGE", "/rejoindre") puts the newcomer in
the circle's language, whatever language their app or phone hinted. Walkthrough 8 (lang 8,
mix 4): a Kenyan joining a Swahili circle with JIUNGE was welcomed in German, a French
speaker joining a French circle with /rejoindre in Danish."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CIRCLE = "Python for Everyone"


async def test_joining_with_the_circles_word_reads_the_circles_language(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE + " language=sw")
    code = await code_of(core, CIRCLE)

    welcome = await chat.say("Juma", "JIUNGE " + code, locale_hint="de")
    assert "Karibu" in welcome
    assert "Willkommen" not in welcome
    # and the next message too, not only the welcome
    assert "Willkommen" not in await chat.say("Juma", "/msaada", locale_hint="de")


async def test_a_word_every_language_shares_leaves_the_hint_standing(
    chat: Chat, core: Core
) -> None:
    """/join is every language's word (English is understood everywhere): it says nothing of
    the language, so a French app's hint still decides."""
    await chat.say("Wanjiru", DETROIT_CIRCLE + " language=sw")
    code = await code_of(core, CIRCLE)
    assert "bienvenida" in await chat.say("Lucía", "/join " + code, locale_hint="es")
