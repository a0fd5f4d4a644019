"""A letter is labelled with the language its words are in, not only its writer's setting: an
English letter from a Danish learner reached its readers "written in Danish" (D18). Its writer
is told the language it goes as, and so are its readers."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.letters.languages import written_in
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, TEXT, detroit, drain, letters_in

SØREN = (
    "Hello from Odense, Denmark! I joined this English circle online from Denmark and it was "
    "great to practise with people from Hamburg. My advice: speak even if your English is not "
    "perfect. Cheers, Søren"
)


async def test_an_english_letter_from_a_danish_setting_goes_as_english(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Brian", "/language da")
    clock.set(AFTER_MEETING_3)
    await chat.say("Brian", "/letter")
    await chat.say("Brian", SØREN)
    told = await chat.say("Brian", "1")
    [letter] = await letters_in(core)
    assert letter.language == "en"
    assert "at det er på engelsk" in told and "dansk" not in told
    [notice] = [m.text for m in await drain(chat) if m.address.chat_id == "amina"]
    assert "(written in English)" in notice


def test_only_clear_words_change_the_setting() -> None:
    assert written_in(TEXT, "fr") == "en"
    assert written_in("Hej fra Aarhus! Det var en god tid, og jeg har lært meget.", "de") == "da"
    assert written_in("Asante sana Aya na Koffi! Barua zenu zimetutia moyo", "fr") == "sw"
    # Too few words to tell: the writer's setting stands.
    assert written_in("Bonne chance à tous, Lyon!", "es") == "es"
    assert written_in("Keep going, friends from Accra!", "da") == "da"
