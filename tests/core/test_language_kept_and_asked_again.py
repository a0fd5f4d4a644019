"""How a person's language is picked and kept (walkthroughs dada 4, sms 3-5 and 9, lang 2): a
language changed mid-question asks the question again in it; a newcomer's clear English is
answered in English, and stays hers for later notices; a goal that names a language is a goal."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.circles.test_waiting_list import leave
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import SMS_CAPABILITIES, Phones

CIRCLE = "Python for Everyone"
ACHIENG = "+254711000009"
REHEMA = "+254711000010"


async def swahili_circle(chat: Chat, core: Core) -> str:
    await chat.say("Amina", DETROIT_CIRCLE + " language=sw")
    return await code_of(core, CIRCLE)


def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def test_language_changed_at_the_name_question_asks_it_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """dada 4, sms 4: LANGUAGE then 3 (English) at the name question dropped it: "Achieng"
    went to the facilitator as a newcomer's message, and no goal question came."""
    code = await swahili_circle(chat, core)
    phone = phones(core)
    assert "Kikundi kikuite nani?" in await phone.say(ACHIENG, f"JIUNGE {code}")
    clock.advance(timedelta(minutes=1))
    await phone.say(ACHIENG, "LANGUAGE")
    clock.advance(timedelta(minutes=1))
    switched = await phone.say(ACHIENG, "3")
    assert switched.startswith("From now on I'll write to you in English.")
    assert "What should the group call you?" in switched
    named = await phone.say(ACHIENG, "Achieng")
    assert "Nice to meet you, Achieng!" in named
    assert "What do you hope to get out of Python for Everyone?" in named
    assert not [m for m in await chat.deliver() if "Achieng" in m.text]


async def test_language_changed_at_the_goal_question_asks_it_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """The goal question, still waiting after /language, is asked again in the new one."""
    code = await swahili_circle(chat, core)
    await chat.say("Brian", f"/join {code}")
    clock.advance(timedelta(minutes=1))
    switched = await chat.say("Brian", "/language es")
    assert "Qué esperas" in switched or "esperas" in switched, switched
    assert "Python for Everyone" in switched


async def test_a_bare_english_join_gets_the_language_line_naming_language(
    chat: Chat, core: Core
) -> None:
    """sms 3: "join 8nk3xk3" to a Swahili circle: welcome in Swahili, and no word on how to
    change it. JOIN is every language's word: the circle's language stays, with the line in
    it and in English."""
    code = await swahili_circle(chat, core)
    welcome = await phones(core).say(ACHIENG, f"join {code.lower()}")
    assert "Karibu" in welcome
    assert "Tuma LUGHA." in welcome and "Send LANGUAGE." in welcome


async def test_a_clear_english_sentence_is_answered_in_english(chat: Chat, core: Core) -> None:
    """sms 5: a long, clear English first text holding the code got the Swahili welcome."""
    code = await swahili_circle(chat, core)
    welcome = await phones(core).say(
        REHEMA,
        "Good evening. My daughter told me there is a computer class at the library and the "
        f"code is {code}. I would like to join please. I am Mama Rehema",
    )
    assert "Welcome to Python for Everyone" in welcome, welcome
    assert "Karibu" not in welcome


async def test_not_understanding_the_language_is_answered_in_hers(chat: Chat, core: Core) -> None:
    """sms 4: "Sorry I dont understand swahili well. My name is Achieng" at the Swahili name
    question got a Swahili answer."""
    code = await swahili_circle(chat, core)
    phone = phones(core)
    await phone.say(ACHIENG, f"JIUNGE {code}")
    answer = await phone.say(ACHIENG, "Sorry I dont understand swahili well. My name is Achieng")
    assert "From now on I'll write to you in English." in answer, answer
    assert "Nice to meet you, Achieng!" in answer
    assert "What do you hope to get out of Python for Everyone?" in answer
    assert "LUGHA" not in answer
    # Without a name: asked again, in English.
    await phone.say(REHEMA, f"JIUNGE {code}")
    answer = await phone.say(REHEMA, "Sorry I dont understand swahili. Can we use English")
    assert "From now on I'll write to you in English." in answer, answer
    assert "What should the group call you?" in answer


async def test_a_language_read_from_her_texts_stays_hers(chat: Chat, core: Core) -> None:
    """sms 9: Wanjiku's first texts were answered in English (waiting list); the seat offer
    and the welcome two days later came in Swahili, the circle's."""
    code = await swahili_circle(chat, core)
    await chat.say("Amina", "/listing capacity 1")
    await chat.say("Brian", f"/join {code}")
    phone = phones(core)
    waiting = await phone.say(
        REHEMA, f"Hello, I would like to join the computer class. The code is {code}"
    )
    assert "waiting list" in waiting, waiting
    await chat.say("Brian", "/language en")
    await leave(chat, "Brian")
    [offer] = [m for m in await phone.deliver() if m.address.chat_id == REHEMA]
    assert "seat has opened" in offer.text, offer.text
    assert "Welcome to Python for Everyone" in await phone.say(REHEMA, "1")


async def test_a_goal_that_names_a_language_is_a_goal(chat: Chat, core: Core) -> None:
    """lang 2: Jonas's goal "Ich will bessere E-Mails auf Englisch schreiben für meine
    Arbeit" switched him to English."""
    await chat.say("Amina", DETROIT_CIRCLE + " language=de")
    await chat.say("Jonas", "/join " + await code_of(core, CIRCLE), locale_hint="de")
    answer = await chat.say(
        "Jonas",
        "Ich will bessere E-Mails auf Englisch schreiben für meine Arbeit",
        locale_hint="de",
    )
    assert "From now on" not in answer, answer
    assert "Danke" in answer or "danke" in answer, answer
    # The same in English, and a plea still switches.
    await chat.say("Lena", "/join " + await code_of(core, CIRCLE), locale_hint="de")
    said = "I want to write better emails in English for my work"
    assert "From now on" not in await chat.say("Lena", said, locale_hint="de")
    await chat.say("Ayse", "/join " + await code_of(core, CIRCLE), locale_hint="de")
    plea = "ich will die Nachrichten auf Englisch bitte"
    assert "From now on" in await chat.say("Ayse", plea, locale_hint="de")


async def test_language_changed_at_the_sharing_question_offers_it_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """The sharing question's Yes / No, after LANGUAGE: offered again in the new language,
    and its number answers it."""
    code = await swahili_circle(chat, core)
    phone = phones(core)
    await phone.say(ACHIENG, f"JIUNGE {code}")
    await phone.say(ACHIENG, "Achieng")
    await phone.say(ACHIENG, "Kujifunza Python")
    clock.advance(timedelta(minutes=1))
    await phone.say(ACHIENG, "LANGUAGE")
    clock.advance(timedelta(minutes=1))
    switched = await phone.say(ACHIENG, "3")
    assert "May Amina read your written answers?" in switched, switched
    assert "Reply 1 for Yes, share or 2 for No, keep private." in switched
    assert "Amina will see what you write" in await phone.say(ACHIENG, "1")


async def test_a_waiting_list_answers_in_the_language_the_seat_will_be_offered_in(
    chat: Chat, core: Core
) -> None:
    """sms 9: "JOIN CODE" says no language: the waiting list is told in the circle's, as the
    seat offer and the welcome will be, not English first and Swahili two days on."""
    code = await swahili_circle(chat, core)
    await chat.say("Amina", "/listing capacity 1")
    await chat.say("Brian", f"/join {code}")
    phone = phones(core)
    waiting = await phone.say(REHEMA, f"JOIN {code}")
    assert "orodha" in waiting and "waiting list" not in waiting, waiting
    await chat.say("Brian", "/language en")
    await leave(chat, "Brian")
    [offer] = [m for m in await phone.deliver() if m.address.chat_id == REHEMA]
    assert "nafasi imepatikana" in offer.text, offer.text
