"""lang 42: Rosa María, handed a circle by SMS, read "esa persona lo cofacilita" for Camila,
whose name is known, and her HELP said her texts went to Rosa María: to herself."""

from __future__ import annotations

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

PHONE = "+254700000007"


async def _handed_over_by_sms(chat: Chat, core: Core, locale: str) -> Chat:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/language " + locale)
    await phones.say(PHONE, "JOIN " + await code_of(core, "Python for Everyone"))
    await phones.say(PHONE, "SKIP")
    await phones.say(PHONE, "SKIP")
    await phones.say(PHONE, "/name Rosa Maria")
    await phones.say(PHONE, "LANGUAGE " + locale)
    await chat.say("Amina", "/cofacilitator Rosa Maria")
    await chat.say("Amina", "/handover Rosa Maria")
    await chat.say("Amina", "1")
    return phones


async def test_the_handover_names_who_co_facilitates(chat: Chat, core: Core) -> None:
    phones = await _handed_over_by_sms(chat, core, "es")
    await phones.deliver()
    # Longer since walkthrough 8 (fac 18), the text goes in plain letters: "te paso".
    told = [m.text for m in phones.sent if "te pas" in m.text]
    assert told and "y Amina lo cofacilita" in told[-1], told
    assert "esa persona" not in told[-1]


async def test_a_facilitators_help_by_sms_does_not_send_her_to_herself(
    chat: Chat, core: Core
) -> None:
    phones = await _handed_over_by_sms(chat, core, "en")
    helped = await phones.say(PHONE, "HELP")
    assert helped.startswith("I'm circlebot, helping you run Python for Everyone.")
    assert "reach Rosa Maria" not in helped


async def test_handover_and_a_name_in_one_text(chat: Chat, core: Core) -> None:
    phones = await _handed_over_by_sms(chat, core, "es")
    asked = await phones.say(PHONE, "ceder Amina")
    assert asked.startswith("¿Pasarle Python for Everyone a Amina? Amina lo facilitar"), asked
    assert "Amina" in await phones.say(PHONE, "1")
    assert "Rosa Maria" in await chat.say("Amina", "/roster")
