"""Issue 16 (dede 42): Elif (German, by SMS) looked for "English" and "business english" and was
told no open circle was found, though "Business English (British Council)", a circle that speaks
Danish, was listed in Aarhus; Hans found it with /find business english. A search narrowed to a
language that finds nothing there, but finds circles in another language, lists those and says
in which language: never "none found"."""

from __future__ import annotations

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat

AARHUS = (
    '/newcircle name="Business English (British Council)" course="Business English" '
    'venue="Dokk1" city=Aarhus country=DK zone=Europe/Copenhagen start=2026-11-10 time=17:00 '
    "meetings=6"
)
PHONE = "+4915112345678"


async def test_a_circle_in_another_language_is_offered_with_its_language(
    chat: Chat, core: Core
) -> None:
    assert "er klar" in await chat.say("Freja", AARHUS, locale_hint="da")
    await chat.say("Freja", "/listing on")
    found = await chat.say("Jonas", "/suchen business english", locale_hint="de")
    assert "Business English (British Council)" in found, found
    assert "Kein offener Kreis" not in found, found
    assert "Dänisch" in found, found

    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for typed in ("SUCHEN English", "SUCHEN business english"):
        found = await phones.say(PHONE, typed, locale_hint="de")
        assert "Business English" in found, (typed, found)
        assert "Kein offener Kreis" not in found, (typed, found)
        assert "Dänisch" in found, (typed, found)
        assert found.startswith("Deutschland: "), (typed, found)


async def test_none_in_the_language_asked_lists_those_in_another(chat: Chat, core: Core) -> None:
    assert "er klar" in await chat.say("Freja", AARHUS, locale_hint="da")
    await chat.say("Freja", "/listing on")
    # English and a course: no circle takes it in English, one does in Danish.
    found = await chat.say("Jonas", "/suchen englisch business", locale_hint="de")
    assert "Business English (British Council)" in found, found
    assert found.startswith("Kein offener Kreis auf Englisch für „englisch business“."), found
    assert "auf Dänisch" in found, found
