"""A join code wrapped in a sentence at the welcome ("si, el codigo es 5c5hd2m") joins, as the
bare code does (walkthrough in Spanish)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.core import Core
from bot.storage.models import Membership, Role
from tests.conftest import Chat, code_of
from tests.core.test_sms_words import Phones
from tests.database import open_session
from tests.seasons import open_circle


async def learners(core: Core) -> int:
    async with open_session(core) as session:
        found = await session.exec(select(Membership).where(Membership.role == Role.LEARNER))
        return len(found.all())


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("es", "si, el codigo es {code}"), ("de", "mein Code ist {code}!"), ("en", "code: {code}")],
)
async def test_a_newcomers_sentence_holding_a_circles_code_joins_it(
    chat: Chat, core: Core, language: str, sentence: str
) -> None:
    await open_circle(chat, core, {})
    code = await code_of(core, "Python for Everyone")
    await chat.say("Lucia", "/language " + language)
    reply = await chat.say("Lucia", sentence.format(code=code.lower()))
    assert "Python for Everyone" in reply
    assert await learners(core) == 1


async def test_a_sentence_with_no_circles_code_joins_nothing(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {})
    await chat.say("Lucia", "my code is ABCDEFG")  # shaped like a code, but no circle's
    assert await learners(core) == 0


async def test_a_newcomers_long_first_text_with_the_code_joins_and_reaches_the_facilitator(
    chat: Chat, core: Core
) -> None:
    # Walkthrough sms 3: her first text, with the code in the middle of it and a question.
    await open_circle(chat, core, {})
    code = await code_of(core, "Python for Everyone")
    sms = Chat(core, platform="sms")
    text = (
        "Hello, my neighbour told me about the computer class at the library. Can I join? "
        f"She said the code is {code}. Do I need to bring my own computer? Thank you"
    )
    reply = await sms.say("+254700000005", text)
    assert await learners(core) == 1
    assert reply.startswith("Thanks, I've passed that on to Amina.")
    assert "Welcome to Python for Everyone" in reply
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert any("Do I need to bring my own computer?" in t for t in told), told


async def test_a_members_long_sentence_with_another_code_joins_nothing(
    chat: Chat, core: Core
) -> None:
    await open_circle(chat, core, {"Lucia": True})
    await chat.say("Amina", EXCEL_CLUB)
    other = await code_of(core, "Excel Club")
    await chat.say(
        "Lucia",
        f"My friend says the code {other} is for the Excel club on Fridays, is it good for "
        "beginners like me?",
    )
    assert await learners(core) == 1  # Lucia's words are a message for Amina, not a join


EXCEL_CLUB = (
    '/newcircle name="Excel Club" course=Excel venue=Library city=Detroit country=US '
    "zone=America/Detroit start=2026-10-30 time=18:00 meetings=6"
)


async def test_a_short_first_text_with_the_code_and_a_question_reaches_the_facilitator(
    chat: Chat, core: Core
) -> None:
    # D2: ten words, the code and "brauche ich einen laptop?": joined, the question lost.
    await open_circle(chat, core, {})
    code = await code_of(core, "Python for Everyone")
    sms = Phones(core, platform="sms")
    text = f"Hallo, Sabine hat gesagt der code ist {code}. brauche ich einen laptop?"
    await sms.say("+436641234567", text)
    assert await learners(core) == 1
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert any("brauche ich einen laptop?" in t for t in told), told


async def test_a_question_about_the_code_alone_is_only_a_join(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {})
    code = await code_of(core, "Python for Everyone")
    sms = Phones(core, platform="sms")
    await sms.say("+254700000005", f"Hello, is this the right code {code}?")
    assert await learners(core) == 1
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]


async def test_a_newcomer_with_no_name_yet_is_not_called_circle_member(
    chat: Chat, core: Core
) -> None:
    # D23: Freja and Jonas read "Circle member har sendt en sms om Excel for alle".
    await open_circle(chat, core, {})
    await chat.say("Amina", "/language da")
    code = await code_of(core, "Python for Everyone")
    sms = Phones(core, platform="sms")
    text = f"Hej! Min nabo sagde koden er {code}. Skal jeg selv have en computer med?"
    await sms.say("+4520999888", text)
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    asked = [t for t in told if "computer med?" in t]
    assert asked and "Circle member" not in asked[0], told
    assert asked[0].startswith("En ny deltager"), asked


@pytest.mark.parametrize("typed", ["rejoindre {code}", "JOIN {code}"])
async def test_a_member_typing_the_sms_join_form_in_a_chat_app_joins(
    chat: Chat, core: Core, typed: str
) -> None:
    """B19: Ousmane, in a circle already, typed the invitation's SMS form "rejoindre AJNPP8G"
    in his chat app and was told the bot didn't understand."""
    await open_circle(chat, core, {"Lucia": True})
    await chat.say("Amina", EXCEL_CLUB)
    said = await chat.say("Lucia", typed.format(code=await code_of(core, "Excel Club")))
    assert "Excel Club" in said and "didn't understand" not in said, said
    assert await learners(core) == 2
