"""Issue 16: a newcomer whose app is set to one language (the platform's hint: `circlebot chat
--locale fr`) and who writes in another of the shipped ones ("habari", "nimefika") is answered
in the one they write, and told once how to change it. A word several languages share ("si",
"ok") or an English word everyone uses ("hello") leaves the app's language."""

from __future__ import annotations

from bot.chat.i18n import Catalogs, Translator
from bot.core import Core
from locales import LOCALES_DIR
from prompts import onboarding
from tests.conftest import Chat

SW = Catalogs(LOCALES_DIR).translator("sw")
FR = Catalogs(LOCALES_DIR).translator("fr")


def opening(tr: Translator, msgid: str) -> str:
    """A message's words before its first command (replies name commands in their reader's
    words: /join is /rejoindre in French)."""
    return tr._(msgid).split("/")[0]


async def test_swahili_from_a_french_app_is_answered_in_swahili(chat: Chat) -> None:
    """Baraka, in a French console, wrote "habari", "nimefika", "ndiyo", "sijui": every answer
    came in French."""
    first = await chat.say("Baraka", "habari", locale_hint="fr")
    assert opening(SW, onboarding.NEWCOMER) in first, first
    assert "Lugha nyingine?" in first  # once: how to change it
    for said in ("nimefika", "ndiyo", "sijui"):
        reply = await chat.say("Baraka", said, locale_hint="fr")
        assert opening(SW, onboarding.NEWCOMER_NOT_UNDERSTOOD) in reply, reply
        assert "Lugha nyingine?" not in reply


async def test_an_arrival_word_first_says_the_language_too(chat: Chat) -> None:
    reply = await chat.say("Baraka", "nimefika", locale_hint="fr")
    assert opening(SW, onboarding.NEWCOMER_NOT_UNDERSTOOD) in reply, reply


async def test_a_swahili_sentence_from_a_german_app_is_answered_in_swahili(chat: Chat) -> None:
    welcome = await chat.say(
        "Mwanaisha", "Habari, nataka kuanzisha kikundi kipya", locale_hint="de"
    )
    assert "/kikundipya" in welcome, welcome
    assert "Kiswahili: /lugha sw" in welcome  # every language still offered


async def test_a_word_languages_share_leaves_the_apps_language(chat: Chat, core: Core) -> None:
    """ "si" is Spanish's yes and French's "if"; "ok" and "hello" are everyone's."""
    for name, said in (("Zoe", "si"), ("Luc", "ok"), ("Ines", "hello")):
        reply = await chat.say(name, said, locale_hint="fr")
        in_french = (
            opening(FR, m) for m in (onboarding.NEWCOMER, onboarding.NEWCOMER_NOT_UNDERSTOOD)
        )
        assert any(words in reply for words in in_french), (said, reply)


async def test_a_language_chosen_is_kept_whatever_is_written(chat: Chat) -> None:
    await chat.say("Baraka", "/language fr", locale_hint="fr")
    reply = await chat.say("Baraka", "habari", locale_hint="fr")
    assert opening(FR, onboarding.NEWCOMER) in reply, reply
