"""A yes with a few words to "Leave ...?" leaves, in every language, and the words reach the
facilitator. Walkthrough 8 (lang 26): Otieno's Swahili "ndio, nimepata kazi! Asante sana
Mwanaisha for everything" got the same question back, his news lost."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.rhythm.test_reading_answers import passed_on_to
from tests.seasons import open_circle


@pytest.mark.parametrize(
    ("language", "typed", "left"),
    [
        ("sw", "ndio, nimepata kazi! Asante sana Amina for everything", "Umeondoka"),
        ("de", "jo, leider. is grad zu viel mit arbeit", "verlassen"),
    ],
)
async def test_yes_and_a_few_words_leaves_and_the_words_go_on(
    chat: Chat, core: Core, language: str, typed: str, left: str
) -> None:
    await open_circle(chat, core, {"Otieno": True})
    await chat.say("Otieno", "/language " + language)
    await chat.deliver()
    await chat.say("Otieno", "/leave")
    reply = await chat.say("Otieno", typed)
    assert left in reply, reply
    assert any(typed in text for text in passed_on_to(await chat.deliver(), "Amina"))


async def test_in_two_circles_by_sms_a_yes_with_words_leaves(chat: Chat, core: Core) -> None:
    from tests.core.test_sms_words import Phones

    phones = Phones(core, platform="sms")
    await open_circle(chat, core, {"Juma": True})
    second = DETROIT_CIRCLE.replace("Python for Everyone", "Ujuzi wa Kompyuta 2")
    await chat.say("Amina", second)
    phone = "+254700000009"
    for circle in ("Python for Everyone", "Ujuzi wa Kompyuta 2"):
        await phones.say(phone, "JOIN " + await code_of(core, circle))
        await phones.say(phone, "Otieno")
        await phones.say(phone, "/skip")
        await phones.say(phone, "/skip")
    await phones.say(phone, "LUGHA sw")
    await chat.deliver()
    asked = await phones.say(phone, "ONDOKA")
    assert "1" in asked
    question = await phones.say(phone, "1")
    assert "Jibu 1" in question, question
    reply = await phones.say(phone, "ndio, nimepata kazi! Asante sana Amina for everything")
    assert "Umeondoka" in reply, reply
    assert any("nimepata kazi" in t for t in passed_on_to(await chat.deliver(), "Amina"))
