"""German readers confused /teilen (keep a link for the next circles: /share) with /freigabe
(whether the facilitator may read your check-ins: /sharing), near-synonyms, and "Freigabe" is
also the facilitator's approval of a link. They are /linktipp and /mitlesen now, and the old
names, shown before, still work in a chat and by SMS (keywords.FORMER_NAMES)."""

from __future__ import annotations

from bot.chat import keywords
from bot.chat.i18n import Catalogs
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CATALOGS = Catalogs(LOCALES_DIR)
GERMAN = CATALOGS.translator("de")


async def joined(chat: Chat, core: Core) -> None:
    """Jonas, reading German, in Amina's circle with nothing waiting."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Jonas", "/join " + await code_of(core, "Python for Everyone"), locale_hint="de")
    await chat.say("Jonas", "/skip", locale_hint="de")  # the goal
    await chat.say("Jonas", "/skip", locale_hint="de")  # sharing


async def test_help_shows_two_distinct_obvious_names(chat: Chat, core: Core) -> None:
    await joined(chat, core)
    listing = await chat.say("Jonas", "/hilfe alle", locale_hint="de")
    assert "/linktipp [LINK [NOTIZ]]" in listing
    assert "/mitlesen [AN|AUS]" in listing
    assert "/teilen" not in listing and "/freigabe" not in listing


async def test_the_old_names_still_run_their_commands_in_a_chat(chat: Chat, core: Core) -> None:
    await joined(chat, core)
    link = await chat.say("Jonas", "/linktipp", locale_hint="de")
    assert await chat.say("Jonas", "/teilen", locale_hint="de") == link
    assert "Schick /mitlesen aus" in await chat.say("Jonas", "/freigabe an", locale_hint="de")
    assert "/mitlesen [AN|AUS]" in await chat.say("Jonas", "/hilfe freigabe", locale_hint="de")


async def test_the_old_names_still_work_by_sms(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    code = await code_of(core, "Python for Everyone")
    await phone.say("Jonas", "BEITRETEN " + code, locale_hint="de")
    await phone.say("Jonas", "/skip", locale_hint="de")
    await phone.say("Jonas", "/skip", locale_hint="de")
    # First: once MITLESEN offers its Yes ("Ja, teilen"), a lone TEILEN picks that.
    assert await phone.say("Jonas", "TEILEN", locale_hint="de") == await phone.say(
        "Jonas", "LINKTIPP", locale_hint="de"
    )
    said = await phone.say("Jonas", "FREIGABE", locale_hint="de")
    assert "MITLESEN AN" in said, said  # told the new word
    assert said == await phone.say("Jonas", "MITLESEN", locale_hint="de")


def test_a_former_name_is_no_command_name_now() -> None:
    for language, former in keywords.FORMER_NAMES.items():
        tr = CATALOGS.translator(language)
        now = {keywords.plain(keywords.local_name(tr, name)) for name in keywords.COMMAND_NAMES}
        assert not now & set(former), language
        assert set(former.values()) <= set(keywords.COMMAND_NAMES)
