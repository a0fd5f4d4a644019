"""Questions the bot answers itself rather than pass on to a volunteer facilitator (wave 2,
group G2): when the next meeting is, however it is spelled and whatever came before it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_sms_words import Phones, joined
from tests.seasons import Week, open_circle, play_week, starts

PHONE = "+254711000002"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def member(chat: Chat, phones: Phones, language: str) -> None:
    await joined(chat, phones, PHONE, language)
    for said in ("/skip", "2"):  # the goal and sharing questions
        await phones.say(PHONE, said)
    await chat.deliver()


@pytest.mark.parametrize(
    "text", ["hvornaar er naeste moede", "hvornar er naste mode", "hvornår er næste møde?"]
)
async def test_danish_typed_without_its_letters_is_understood(
    chat: Chat, phones: Phones, text: str
) -> None:
    await member(chat, phones, "da")
    answer = await phones.say(PHONE, text)
    assert "Detroit Public Library" in answer, answer
    assert "videre" not in answer, answer  # not "Tak, jeg har givet det videre til ..."


@pytest.mark.parametrize(
    ("language", "text", "passed_on"),
    [
        ("es", "cuando es la proxima reunion", "pasé"),
        ("es", "CUANDO ES LA PROXIMA REUNION", "pasé"),
        ("en", "when is the next meeting?", "passed that on"),
    ],
)
async def test_after_an_announcement_the_bot_still_answers_when_the_next_meeting_is(
    chat: Chat, phones: Phones, language: str, text: str, passed_on: str
) -> None:
    await member(chat, phones, language)
    await chat.say("Amina", "/announce Happy holidays everyone!")
    assert "Sent" in await chat.say("Amina", "1"), "the announcement is sent"
    assert "Happy holidays" in str([m.text for m in await phones.deliver()])
    answer = await phones.say(PHONE, text)
    assert "Detroit Public Library" in answer, answer
    assert passed_on not in answer, answer
    sent = await chat.deliver()
    assert not [m for m in sent if m.address.chat_id == "amina"], sent


async def test_the_next_meeting_answered_while_a_rating_waits_says_nothing_went_on(
    chat: Chat, phones: Phones, core: Core, clock: FakeClock
) -> None:
    await member(chat, phones, "de")
    await play_week(chat, core, clock, 1, Week())
    await phones.deliver()  # the check-in: "Wie war Treffen 1 ..."
    answer = await phones.say(PHONE, "wann ist das nächste treffen?")
    assert "Detroit Public Library" in answer, answer
    assert "Nachricht" not in answer, answer  # not "Das ging als Nachricht weiter"


@pytest.mark.parametrize(
    ("language", "text", "answer"),
    [
        ("fr", "Merci pour tout, le cercle est fini. Je veux plus recevoir de sms svp", "STOP"),
        ("en", "I don't want any more SMS please", "STOP"),
        ("es", "ya no quiero sms gracias", "ALTO"),
        ("de", "ich will keine sms mehr", "STOPP"),
    ],
)
async def test_asking_in_words_for_no_more_sms_is_told_how_to_stop(
    chat: Chat, phones: Phones, language: str, text: str, answer: str
) -> None:
    await member(chat, phones, language)
    reply = await phones.say(PHONE, text)
    assert answer in reply, reply
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]


@pytest.mark.parametrize(
    ("language", "word"), [("es", "PARE"), ("fr", "arrêter"), ("da", "stopp")]
)
async def test_each_languages_stop_word_stops_the_messages(
    chat: Chat, phones: Phones, language: str, word: str
) -> None:
    await member(chat, phones, language)
    await phones.say(PHONE, word)
    [told] = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert "texted STOP" in told, told  # stopped, not passed on as a message
    assert await phones.say(PHONE, "hola") == ""  # nothing answers a number that stopped


async def test_when_the_last_class_is_is_answered_with_the_dates_not_the_next_one(
    chat: Chat, phones: Phones, core: Core, clock: FakeClock
) -> None:
    # A7: "When is the last class?" got meeting 2's date, the one to come next, as if the last.
    await member(chat, phones, "en")
    await play_week(chat, core, clock, 1, Week())
    await phones.deliver()
    answer = await phones.say(PHONE, "When is the last class?")
    assert "Dec 3" in answer, answer  # the sixth and last meeting
    assert "passed that on" not in answer, answer


async def test_when_the_next_meeting_is_after_the_circle_ended_is_answered_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # B15: once the circle was over, "mkutano ujao ni lini?" went to Juma's inbox.
    await open_circle(chat, core, {"Hamisi": True})
    clock.set(starts(6) + timedelta(weeks=6))
    answer = await chat.say("Hamisi", "when is the next meeting?")
    assert "no more meetings planned" in answer, answer
    assert "passed that on" not in answer, answer
    assert not [m for m in await chat.deliver() if "when is the next meeting" in m.text]
