"""Walkthrough (sms): Atieno in Kisumu runs her circle, in Swahili, from a feature phone only.
NEWCIRCLE by SMS asks her name, so no text names her "Circle member"; INVITE says where and
which course; HELP lists the words she needs and "my name is ..." sets hers; a learner's new
number is pointed to MOVENUMBER; REPLY and a learner's name of two words strips both."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.core import Core
from bot.storage.models import Person
from tests.conftest import code_of
from tests.core.test_sms_words import Phones
from tests.database import open_session

ATIENO = "+254700000100"
REHEMA = "+254722000001"
CIRCLE = "Kisumu Digital Skills"
SET_UP = (
    "NEWCIRCLE",
    CIRCLE,
    "Digital Literacy Basics",
    "skip",
    "Kisumu National Library, Room 3",
    "Kisumu",
    "KE",
    "2026-11-03",
    "16:00",
    "6",
    "sw",
)


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def set_up_by_sms(phones: Phones, name: str | None = "Atieno") -> str:
    """Atieno sets her circle up by SMS; her last answer is the name question's (`name`)."""
    for said in ("Hello, I am Atieno, a librarian in Kisumu", *SET_UP):
        answer = await phones.say(ATIENO, said)
    if name is not None:
        answer = await phones.say(ATIENO, name)
    return answer


async def with_rehema(phones: Phones) -> None:
    await set_up_by_sms(phones)
    code = await code_of(phones.core, CIRCLE)
    for said in ("/language en", f"JOIN {code}", "Mama Rehema", "/skip", "2"):
        await phones.say(REHEMA, said)
    await phones.deliver()


async def nameless(core: Core, name: str) -> None:
    """`name` is "Circle member" again, as a facilitator set up before her name was asked."""
    async with open_session(core) as session:
        for person in (await session.exec(select(Person))).all():
            if person.display_name == name:
                person.display_name = "Circle member"
                session.add(person)
        await session.commit()


async def test_newcircle_by_sms_asks_her_name_before_the_circle_is_made(phones: Phones) -> None:
    asked = await set_up_by_sms(phones, name=None)
    assert "what's your name?" in asked and "is ready" not in asked
    assert "is ready" in await phones.say(ATIENO, "Atieno")
    invitation = await phones.say(ATIENO, "INVITE")
    assert "muulize Atieno" in invitation and "Circle member" not in invitation


async def test_a_sentence_is_no_name_for_her(phones: Phones) -> None:
    await set_up_by_sms(phones, name=None)
    again = await phones.say(ATIENO, "why do you need my name, is it shown to everyone?")
    assert "what's your name?" in again and "is ready" not in again
    assert "is ready" in await phones.say(ATIENO, "my name is Atieno")
    assert "muulize Atieno" in await phones.say(ATIENO, "INVITE")


async def test_an_invitation_from_a_nameless_facilitator_leaves_the_ask_out(
    phones: Phones,
) -> None:
    """One who set her circle up before the name was asked: never "(ask Circle member)"."""
    await set_up_by_sms(phones)
    await nameless(phones.core, "Atieno")
    invitation = await phones.say(ATIENO, "INVITE")
    assert "Circle member" not in invitation and "muulize" not in invitation, invitation
    assert "kwa namba ya kikundi." in invitation, invitation


async def test_the_texted_invitation_says_where_and_which_course(phones: Phones) -> None:
    await set_up_by_sms(phones)
    invitation = (await phones.texts(ATIENO, "INVITE"))[-1].text
    assert "Kisumu National Library, Room 3" in invitation, invitation
    assert "Digital Literacy Basics" in invitation, invitation
    assert "JIUNGE" in invitation and sms_segments(invitation) <= 2, invitation


async def test_help_lists_the_words_a_texting_facilitator_needs(phones: Phones) -> None:
    await set_up_by_sms(phones)
    answer = await phones.say(ATIENO, "HELP")
    for word in ("INVITE", "EDIT", "MOVENUMBER", "ROSTER", "REPLY"):
        assert word in answer, answer


async def test_my_name_is_from_a_nameless_facilitator_sets_it(phones: Phones) -> None:
    await set_up_by_sms(phones)
    await nameless(phones.core, "Atieno")
    assert "NAME" in await phones.say(ATIENO, "HELP")
    answer = await phones.say(ATIENO, "My name is Atieno, why does it say Circle member?")
    assert "Atieno" in answer and "didn't catch" not in answer, answer
    assert "muulize Atieno" in await phones.say(ATIENO, "INVITE")


async def test_a_learners_new_number_is_moved_after_a_yes(phones: Phones) -> None:
    await with_rehema(phones)
    answer = await phones.say(
        ATIENO, "Mama Rehema has a new phone number 0722 000 005 please change it"
    )
    assert "REPLY" not in answer and "Move Mama Rehema to +254 722 000005?" in answer, answer


async def test_a_new_number_for_no_learner_named_points_to_movenumber(phones: Phones) -> None:
    await with_rehema(phones)
    answer = await phones.say(ATIENO, "Juma has a new phone number 0722 000 009, please change it")
    assert "MOVENUMBER" in answer and "REPLY" not in answer, answer


async def test_reply_and_a_name_of_two_words_strips_both(phones: Phones) -> None:
    await with_rehema(phones)
    await phones.say(ATIENO, "REPLY Mama Rehema No need Mama, the library has computers")
    got = [m.text for m in await phones.deliver() if m.address.chat_id == REHEMA]
    assert any(":\nNo need Mama, the library has computers" in text for text in got), got
    assert not any("Rehema No need" in text for text in got), got


async def test_slash_reply_by_a_two_word_name(phones: Phones, clock: FakeClock) -> None:
    await with_rehema(phones)
    await phones.say(ATIENO, "/reply Mama Rehema Just bring a notebook")
    got = [m.text for m in await phones.deliver() if m.address.chat_id == REHEMA]
    assert any(":\nJust bring a notebook" in text for text in got), got


NEW_PHONE = "+254722000005"
STOLEN = (
    "Hello this is Mama Rehema from the computer class at the library. My phone was stolen "
    "at the market, this is my new number. Please send me the messages here."
)


async def test_a_learner_on_a_new_phone_reaches_her_facilitator(phones: Phones) -> None:
    await with_rehema(phones)
    answer = await phones.say(NEW_PHONE, STOLEN)
    # The same answer as for a name nobody knows (review: a stranger must not learn whether
    # a name is on some circle's list); her facilitator hears of it all the same.
    assert answer == await phones.say(NEW_PHONE, STOLEN.replace("Mama Rehema", "Juma"))
    got = [m.text for m in await phones.deliver() if m.address.chat_id == ATIENO]
    assert any("My phone was stolen" in text and "MOVENUMBER Mama Rehema" in text for text in got)


async def test_a_new_phone_of_nobody_known_is_told_to_ask_her_facilitator(
    phones: Phones,
) -> None:
    await with_rehema(phones)
    answer = await phones.say(NEW_PHONE, STOLEN.replace("Mama Rehema", "Juma"))
    assert "ask your facilitator" in answer, answer
    assert not [m for m in await phones.deliver() if m.address.chat_id == ATIENO]


async def test_learners_never_read_circle_member_as_her_name(phones: Phones) -> None:
    await with_rehema(phones)
    await nameless(phones.core, "Atieno")
    help_ = await phones.say(REHEMA, "HELP")
    assert "Circle member" not in help_, help_
    answer = await phones.say(REHEMA, "Do I need to bring my own computer to the class?")
    assert "Circle member" not in answer and "your facilitator" in answer, answer
