"""/sharing alone (/deling, /mitlesen) tells the learner what her facilitator can read now and
offers the joining question's Yes and No: a Danish and a German learner had only the setting
(or how to use the command), and had to guess the word to retype it with. A number, a label or
a yes or no in her language changes it and says so; /sharing with a word works as before."""

from __future__ import annotations

import pytest

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones
from tests.core.test_sms_words import joined as joined_by_sms
from tests.rhythm.test_sharing import shares

YES_DA, NO_DA = "Ja, del dem", "Nej, hold det privat"


async def joined(chat: Chat, core: Core, name: str, language: str) -> None:
    """`name`, reading `language`, in Amina's circle with nothing waiting (answers private)."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say(
        name, "/join " + await code_of(core, "Python for Everyone"), locale_hint=language
    )
    await chat.say(name, "/skip", locale_hint=language)  # the goal
    await chat.say(name, "/skip", locale_hint=language)  # sharing


@pytest.mark.parametrize(("answer", "shared"), [("1", True), ("2", False), (YES_DA, True)])
async def test_deling_alone_offers_yes_and_no(
    chat: Chat, core: Core, answer: str, shared: bool
) -> None:
    await joined(chat, core, "Freja", "da")
    offered = await chat.say("Freja", "/deling", locale_hint="da")
    assert "mellem dig og mig" in offered, offered  # what Amina can read now
    assert YES_DA in offered and NO_DA in offered, offered
    done = await chat.say("Freja", answer, locale_hint="da")
    assert "check-ins" in done and "Amina" not in done, done  # said, not passed on
    assert await shares(core, "Freja") is shared


@pytest.mark.parametrize(("answer", "shared"), [("ja", True), ("nej", False)])
async def test_a_danish_yes_or_no_answers_it(
    chat: Chat, core: Core, answer: str, shared: bool
) -> None:
    await joined(chat, core, "Freja", "da")
    await chat.say("Freja", "/deling til", locale_hint="da")  # with a word, as before
    assert await shares(core, "Freja") is True
    offered = await chat.say("Freja", "/deling", locale_hint="da")
    assert "kan læse" in offered and NO_DA in offered, offered
    await chat.say("Freja", answer, locale_hint="da")
    assert await shares(core, "Freja") is shared
    # Answered: the choices are gone, a later "1" is no consent.
    await chat.say("Freja", "1", locale_hint="da")
    assert await shares(core, "Freja") is shared


async def test_mitlesen_alone_takes_a_german_ja(chat: Chat, core: Core) -> None:
    await joined(chat, core, "Sabine", "de")
    offered = await chat.say("Sabine", "/mitlesen", locale_hint="de")
    assert "Ja, teilen" in offered and "Nein, privat lassen" in offered, offered
    await chat.say("Sabine", "ja", locale_hint="de")
    assert await shares(core, "Sabine") is True


async def test_by_sms_reply_1_shares(chat: Chat, core: Core) -> None:
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    number = "+4520000001"
    await joined_by_sms(chat, phones, number, "da")
    await phones.say(number, "/skip")  # the goal
    await phones.say(number, "/skip")  # sharing
    offered = await phones.say(number, "DELING")
    assert YES_DA in offered and NO_DA in offered, offered
    await phones.say(number, "1")
    assert await shares(core, "Wanjiru") is True
