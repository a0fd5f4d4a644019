"""Issue 16, free text by SMS: words after a circle's end still reach its facilitators (smses
23); "DONDE ES?" and "how do I get my portfolio?" are answered by the bot (smses 6, dede 21,
frsw 19, dede 41); "Jion CODE" joins (fac 24); "LETTRE <texte>" is the letter without its word
(frsw 22)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.core.test_sms_words import Phones, joined
from tests.seasons import starts

PHONE = "+254711000003"
ATELIER = (
    '/newcircle name="Atelier Python" course="Python for Everybody" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-10-22 time=18:00 meetings=2"
)


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def member(chat: Chat, phones: Phones, language: str) -> None:
    await joined(chat, phones, PHONE, language)
    for said in ("/skip", "2"):  # the goal and sharing questions
        await phones.say(PHONE, said)
    await chat.deliver()


def to_amina(sent: list) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == "amina"]


@pytest.mark.parametrize(
    ("language", "text", "passed_on"),
    [
        ("es", "grasias amina x todo, cuando empieza el proximo curso?", "pasé"),
        ("en", "When does the new circle start? Can I bring my sister?", "passed that on"),
    ],
)
async def test_words_just_after_the_last_meeting_reach_the_facilitator(
    chat: Chat, phones: Phones, clock: FakeClock, language: str, text: str, passed_on: str
) -> None:
    await member(chat, phones, language)
    clock.set(starts(6) + timedelta(days=10))
    answer = await phones.say(PHONE, text)
    assert passed_on in answer, answer
    assert any(text in told for told in to_amina(await chat.deliver()))


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "DONDE ES?"),
        ("es", "DONDE"),
        ("en", "where is it?"),
        ("en", "WHERE"),
        ("da", "hvornår mødes vi og hvor?"),
        ("sw", "tunakutana wapi?"),
    ],
)
async def test_where_or_when_alone_is_answered_with_the_next_meeting(
    chat: Chat, phones: Phones, language: str, text: str
) -> None:
    await member(chat, phones, language)
    answer = await phones.say(PHONE, text)
    assert "Detroit Public Library" in answer, answer
    assert not to_amina(await chat.deliver())


@pytest.mark.parametrize(
    ("language", "text", "command"),
    [
        ("fr", "comment je recupere mon portfolio ?", "PORTFOLIO"),
        ("de", "Wie kann ich mein Portfolio herunterladen?", "PORTFOLIO"),
        ("sw", "nawezaje kupata jalada langu?", "JALADA"),
    ],
)
async def test_how_do_i_with_a_command_named_is_answered_with_the_command(
    chat: Chat, phones: Phones, language: str, text: str, command: str
) -> None:
    await member(chat, phones, language)
    answer = await phones.say(PHONE, text)
    assert command in answer, answer
    assert not to_amina(await chat.deliver())


async def test_a_real_question_still_reaches_the_facilitator(chat: Chat, phones: Phones) -> None:
    await member(chat, phones, "en")
    answer = await phones.say(PHONE, "How do I get to the library by bus?")
    assert "passed that on" in answer, answer
    assert to_amina(await chat.deliver())


async def test_join_misspelt_before_a_code_joins(chat: Chat, phones: Phones, core: Core) -> None:
    await joined(chat, phones, PHONE, "en")  # the goal question waits
    assert "is ready" in await chat.say("Amina", ATELIER)
    code = await code_of(core, "Atelier Python")
    answer = await phones.say(PHONE, "Jion " + code)
    assert "Atelier Python" in answer, answer
    assert "message for" not in answer, answer


LETTER = "Salut le nouveau cercle ! Venez meme si vous etes en retard, ca vaut le coup."


async def test_the_letter_word_before_a_letter_is_not_kept_in_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in
    from tests.letters.test_relay_due import INVITE

    await detroit(chat, core, "Brian")
    sms = Chat(core, platform="sms")
    await sms.say(PHONE, "/language fr")
    await sms.say(PHONE, "REJOINDRE " + await code_of(core, "Python for Everyone"))
    await sms.say(PHONE, "Awa")
    await sms.say(PHONE, "Pour apprendre avec d'autres.")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await drain(chat)
    clock.set(INVITE + timedelta(minutes=1))
    await core.tick()
    await drain(chat)
    asked = await sms.say(PHONE, "LETTRE " + LETTER)
    if "1" in asked:  # "Is this your letter?" or how to sign it
        asked = await sms.say(PHONE, "1")
    if "1" in asked:
        await sms.say(PHONE, "1")
    assert [letter.text for letter in await letters_in(core)] == [LETTER]
