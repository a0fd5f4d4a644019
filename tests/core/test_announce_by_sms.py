"""fac 49: Akinyi, an SMS co-facilitator, texted "TANGAZA Karibuni wote..." and got the sharing
question again; "ANNOUNCE Welcome everyone" was not understood. The keyword and its message in
one text work, as JOIN and its code do; a learner's sentence starting with the word is still a
message."""

from __future__ import annotations

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

PHONE = "+254700000011"
KARIBUNI = "Karibuni wote kwenye Excel Club! Tutaanza tarehe 3 Julai."


async def _co_facilitator_by_sms(chat: Chat, core: Core) -> Chat:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    await chat.say("Brian", "/join " + code)
    for typed in ("JOIN " + code, "SKIP", "SKIP", "/name Akinyi"):
        await phones.say(PHONE, typed)
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Akinyi")
    await chat.deliver()
    return phones


async def test_tangaza_and_its_message_in_one_text(chat: Chat, core: Core) -> None:
    phones = await _co_facilitator_by_sms(chat, core)
    await phones.say(PHONE, "LUGHA sw")
    asked = await phones.say(PHONE, "TANGAZA " + KARIBUNI)
    assert asked.startswith("Python for Everyone, kutoka kwa Akinyi:\n" + KARIBUNI), asked
    assert "Nitume hii" in asked
    await phones.say(PHONE, "1")
    assert any(KARIBUNI in m.text for m in await chat.deliver() if m.address.chat_id == "brian")


async def test_announce_in_english_by_sms(chat: Chat, core: Core) -> None:
    phones = await _co_facilitator_by_sms(chat, core)
    asked = await phones.say(PHONE, "ANNOUNCE Welcome everyone")
    assert asked.startswith("Python for Everyone, from Akinyi:\nWelcome everyone"), asked


async def test_a_learners_sentence_starting_with_announce_is_a_message(
    chat: Chat, core: Core
) -> None:
    await _co_facilitator_by_sms(chat, core)
    learner = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await learner.say("+254700000012", "JOIN " + await code_of(core, "Python for Everyone"))
    await learner.say("+254700000012", "SKIP")
    await learner.say("+254700000012", "SKIP")
    said = await learner.say("+254700000012", "Announce that I'll be late please")
    assert "passed that on" in said


async def test_words_not_understood_by_sms_are_not_told_to_start_with_a_slash(
    chat: Chat, core: Core
) -> None:
    phones = await _co_facilitator_by_sms(chat, core)
    unread = await phones.say(PHONE, "blorp xyzzy")
    assert unread == "I didn't catch that. Send HELP to see the words you can text."
