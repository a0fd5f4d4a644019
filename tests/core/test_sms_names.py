"""Names by SMS as feature phones send them (walkthroughs sms 2, sms 4, lang 75): in one case,
with a language asked for after them, or of two words after NAME."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.circles.erasure import UNNAMED
from bot.core import Core
from bot.rhythm.commands import answers
from bot.storage.models import Person
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones
from tests.database import open_session

PHONE = "+254722000111"
OTHER_PHONE = "+254722000222"


async def _joined(chat: Chat, core: Core) -> Chat:
    await chat.say("Amina", DETROIT_CIRCLE + " language=sw")
    phone = Phones(core, platform="sms")
    await phone.say(PHONE, f"JIUNGE {await code_of(core, 'Python for Everyone')}")
    return phone


async def _names(core: Core) -> set[str]:
    async with open_session(core) as session:
        return {person.display_name for person in (await session.exec(select(Person))).all()}


async def test_a_name_in_capitals_is_written_as_a_name(chat: Chat, core: Core) -> None:
    phone = await _joined(chat, core)
    assert "Mercy!" in await phone.say(PHONE, "NAITWA MERCY")
    assert "Mercy" in await _names(core) and "MERCY" not in await _names(core)


async def test_a_name_in_small_letters_is_written_as_a_name(chat: Chat, core: Core) -> None:
    phone = await _joined(chat, core)
    assert "Freja!" in await phone.say(PHONE, "freja")


async def test_a_name_then_a_language_asked_for_gives_both(chat: Chat, core: Core) -> None:
    phone = await _joined(chat, core)
    answer = await phone.say(PHONE, "Otis. english please")
    assert "From now on I'll write to you in English." in answer
    assert "Nice to meet you, Otis!" in answer
    assert "Otis" in await _names(core)


async def test_name_with_two_words_sets_the_name_by_sms(chat: Chat, core: Core) -> None:
    phone = await _joined(chat, core)
    await phone.say(PHONE, "Helga")
    answer = await phone.say(PHONE, "NAME Helga Weiss")  # while the goal question waits
    assert "Helga Weiss!" in answer
    assert "Helga Weiss" in await _names(core)


async def test_a_plea_for_another_language_is_no_name(chat: Chat, core: Core) -> None:
    """Walkthrough 8 (mix 5): "no entiendo nada, en español por favor" became the name "No
    Entiendo Nada," that the whole circle saw."""
    phone = await _joined(chat, core)
    answer = await phone.say(PHONE, "no entiendo nada, en español por favor")
    assert "A partir de ahora te escribiré en español." in answer
    assert "Mucho gusto" not in answer
    assert "nombre" in answer  # the name asked again, in Spanish
    assert not any("Entiendo" in name for name in await _names(core))
    assert "Rocío" in await phone.say(PHONE, "Rocío")


@pytest.mark.parametrize("language", ["en", "da", "de", "es", "fr", "sw"])
async def test_someone_with_no_name_yet_is_greeted_without_one(
    chat: Chat, core: Core, language: str
) -> None:
    """An SMS learner who skipped the name question was greeted "Hallo Circle member!" (by her
    number, where a gateway gave it as her name): greeted without a name, in every language."""
    await chat.say("Amina", DETROIT_CIRCLE + f" language={language}")
    code = await code_of(core, "Python for Everyone")
    tr = core.catalogs.translator(language)
    hello = tr._(answers.GREETED_UNNAMED_QUESTION_CAN_WAIT).split(" ")[0]  # "Hallo!"
    phone = Phones(core, platform="sms")
    await phone.say(PHONE, f"JOIN {code}")
    await phone.say(PHONE, "SKIP")  # no name: the goal question waits
    greeted = await phone.say(PHONE, "hello")
    assert greeted.startswith(hello), greeted
    assert UNNAMED not in greeted and tr._(UNNAMED) not in greeted, greeted

    numbered = Chat(core, platform="sms")  # the number given as her name
    await numbered.say(OTHER_PHONE, f"JOIN {code}")  # no name asked: the goal question waits
    greeted = await numbered.say(OTHER_PHONE, "hello")
    assert greeted.startswith(hello) and OTHER_PHONE not in greeted, greeted
