"""Learners on feature phones (issue 16, walkthrough in Kenya and Senegal): a first text in
Swahili or French is read and answered in it; join codes as people copy them; the welcome's
questions read a language asked for and "my name is ..."; HERE and every command word by SMS;
EXIT, never CANCEL, stops a guided conversation; answers to a check-in from someone who wasn't
there, yes typed with a typo, and a bare number with nothing waiting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.keywords import COMMAND_NAMES, for_texting, local_name
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.core import Core
from bot.core.command_table import build_registry
from bot.delivery.kinds import MessageKind
from bot.rhythm.commands.answers import SAID_ALONE, yes_or_no
from bot.storage.models import (
    Account,
    Attendance,
    CheckIn,
    Conversation,
    OutboxMessage,
    Person,
    Reflection,
    Rsvp,
    RsvpAnswer,
)
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones
from tests.database import open_session

CIRCLE = "Python for Everyone"
NAIROBI = "Kusoma Pamoja"
NAIROBI_CIRCLE = (
    f'/newcircle name="{NAIROBI}" course="Python for Everybody" venue="Maktaba ya Kenya" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-29 time=17:00 meetings=6 "
    "language=sw"
)
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Detroit's first meeting, 18:00 local
PHONE = "+254711000001"


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def detroit_code(chat: Chat) -> str:
    if "is ready" not in await chat.say("Amina", "/next"):
        await chat.say("Amina", DETROIT_CIRCLE)
    return await code_of(chat.core, CIRCLE)


async def joined(chat: Chat, phones: Phones, number: str = PHONE) -> None:
    """A learner on a phone in the Detroit circle, named, goal and sharing skipped."""
    assert "Welcome to" in await phones.say(number, f"JOIN {await detroit_code(chat)}")
    await phones.say(number, "Wanjiru")
    await phones.say(number, "/skip")
    await phones.say(number, "/skip")


async def person(core: Core, number: str = PHONE) -> Person:
    async with open_session(core) as session:
        account = (await session.exec(select(Account).where(Account.external_id == number))).one()
        return await session.get_one(Person, account.person_id)


async def account(core: Core, number: str = PHONE) -> Account:
    async with open_session(core) as session:
        return (await session.exec(select(Account).where(Account.external_id == number))).one()


async def passed_on_rows(core: Core) -> list[OutboxMessage]:
    """The messages passed on to a facilitator."""
    async with open_session(core) as session:
        rows = await session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.FORWARDED_TEXT)
        )
        return list(rows.all())


# -- 1. a first text in another language -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("msaada", "Tuma JIUNGE na msimbo"),  # HELP
        ("habari", "TAFUTA na mji wako"),  # hello: the greeting, with FIND
        ("jiunge", "Tuma JIUNGE na msimbo"),  # JOIN without its code
        ("TAFUTA nairobi", "kisha tuma JIUNGE na msimbo"),  # FIND, nothing found: the code
    ],
)
async def test_a_first_swahili_text_is_read_and_answered_in_swahili(
    phones: Phones, core: Core, text: str, expected: str
) -> None:
    answer = await phones.say(PHONE, text)
    assert expected in answer
    assert "didn't catch" not in answer and "Text" not in answer
    assert (await account(core)).locale_hint == "sw"


async def test_a_french_greeting_is_answered_in_french(phones: Phones) -> None:
    assert "CHERCHER et votre ville" in await phones.say("+221770000001", "Bonjour")


@pytest.mark.parametrize(
    ("hello", "expected"), [("hello", "FIND"), ("habari", "TAFUTA"), ("Hej", "SØG")]
)
async def test_the_first_greeting_by_sms_is_one_message(
    phones: Phones, hello: str, expected: str
) -> None:
    """Walkthrough sms 5: Danish "Hej" was answered in 165 characters, two SMS parts."""
    [answer] = await phones.core.handle(phones.inbound("+4512345678", hello), SMS_CAPABILITIES)
    assert expected in answer.text and sms_segments(answer.text) == 1, answer.text


async def test_the_english_greeting_says_how_to_find_a_circle(phones: Phones, core: Core) -> None:
    answer = await phones.say(PHONE, "hello")
    assert "FIND and your town" in answer
    assert (await account(core)).locale_hint is None  # English words say nothing


# -- 2. join codes as people copy them ---------------------------------------------------------


def spaced(code: str) -> str:
    return f"{code[:4]} {code[4:]}"


@pytest.mark.parametrize(
    "written",
    [
        lambda code: f"join {spaced(code)}",
        lambda code: f"JIUNGE {code.lower()}",
        lambda code: f"Pour rejoindre le cercle, envoyez /join {code} au bot qui vous l'envoie.",
        lambda code: f"By SMS, text: JOIN {code}",
    ],
)
async def test_a_code_as_people_copy_it_joins(chat: Chat, phones: Phones, written: object) -> None:
    code = await detroit_code(chat)
    assert callable(written)
    welcome = await phones.say(PHONE, written(code))
    # "Karibu ..." too; the French invitation, clearly French, is welcomed in French
    assert CIRCLE in welcome and "couldn't find" not in welcome


async def test_an_invitation_pasted_in_a_chat_joins(chat: Chat) -> None:
    code = await detroit_code(chat)
    pasted = f"Pour rejoindre le cercle, envoyez /join {code} au bot qui vous l'envoie."
    assert f"Welcome to {CIRCLE}, Brian!" in await chat.say("Brian", pasted)


async def test_a_sentence_with_join_in_it_stays_a_sentence(chat: Chat, phones: Phones) -> None:
    await detroit_code(chat)
    answer = await phones.say(PHONE, "I want to join me later")
    assert "couldn't find a circle" not in answer


# -- 3. the welcome's questions ----------------------------------------------------------------


async def test_a_language_asked_for_as_the_goal_switches_language(
    chat: Chat, phones: Phones, core: Core
) -> None:
    assert await chat.say("Achieng", NAIROBI_CIRCLE, locale_hint="sw")
    code = await code_of(core, NAIROBI)
    assert "Karibu" in await phones.say(PHONE, f"JIUNGE {code}")
    assert "Neema" in await phones.say(PHONE, "naitwa Neema")  # then the goal question
    answer = await phones.say(PHONE, "English please")
    assert "From now on I'll write to you in English." in answer
    assert "What do you hope" in answer  # asked again, in English
    answer = await phones.say(PHONE, "en français svp")
    assert "francais" in answer and "What do you hope" not in answer
    async with open_session(core) as session:
        assert not (await session.exec(select(Reflection))).all()  # no goal kept
    assert (await person(core)).locale == "fr"
    answer = await phones.say(PHONE, "Kiingereza")
    assert "in English" in answer
    # A goal that names a language is a goal.
    assert "Thank you" in await phones.say(PHONE, "to learn English for my work")


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("naitwa Neema", "Neema"),
        ("jina langu ni Neema", "Neema"),
        ("My name is Neema.", "Neema"),
        ("je m'appelle Fatou", "Fatou"),
        ("Je m’appelle Fatou Diop", "Fatou Diop"),
        ("Nicole", "Nicole"),
    ],
)
async def test_the_name_answer_keeps_the_name_not_its_opening(
    chat: Chat, phones: Phones, core: Core, said: str, name: str
) -> None:
    await phones.say(PHONE, f"JOIN {await detroit_code(chat)}")
    assert f"Nice to meet you, {name}!" in await phones.say(PHONE, said)
    assert (await person(core)).display_name == name


async def test_a_known_name_is_not_asked_again_in_a_second_circle(
    chat: Chat, phones: Phones, core: Core
) -> None:
    await joined(chat, phones)
    assert await chat.say("Achieng", NAIROBI_CIRCLE, locale_hint="sw")
    welcome = await phones.say(PHONE, f"JOIN {await code_of(core, NAIROBI)}")
    assert "call you" not in welcome and "kukuita" not in welcome.casefold()
    assert "Kusoma Pamoja" in welcome
    answer = await phones.say(PHONE, "Kupata kazi")  # the goal question waits: this answers it
    assert (await person(core)).display_name == "Wanjiru"
    async with open_session(core) as session:
        [goal] = (await session.exec(select(Reflection))).all()
    assert goal.text == "Kupata kazi" and answer


# -- 4. HERE and the command words by SMS ------------------------------------------------------


@pytest.mark.parametrize(("language", "word"), [("sw", "HAPA"), ("sw", "nimefika"), ("fr", "ICI")])
async def test_here_in_the_learners_language(
    chat: Chat, phones: Phones, core: Core, clock: FakeClock, language: str, word: str
) -> None:
    await joined(chat, phones)
    await phones.say(PHONE, f"/language {language}")
    clock.set(MEETING_1 + timedelta(minutes=10))
    await phones.say(PHONE, word)
    async with open_session(core) as session:
        assert len((await session.exec(select(Attendance))).all()) == 1


@pytest.mark.parametrize("language", ["sw", "fr"])
async def test_every_command_word_works_by_sms(
    chat: Chat, phones: Phones, core: Core, language: str
) -> None:
    """Each word for a command that needs nothing more, in the learner's language, texted
    alone, runs it: never passed on to the facilitator as a message. (One that needs more,
    "JINA", is a message: it is not guessed from one word; so is "ASANTE", a thank-you.)"""
    await joined(chat, phones)
    await phones.say(PHONE, f"/language {language}")
    catalogs = Catalogs(LOCALES_DIR)
    tr = catalogs.translator(language)
    registry = build_registry()
    words = [
        local_name(tr, name)
        for name in COMMAND_NAMES
        if (command := registry.get(name)) is not None
        and not any(arg.required for arg in command.args)
        and name not in SAID_ALONE
    ]
    words += ["JITOA", "MAONI"] if language == "sw" else ["PRÉSENT"]
    passed_on = []
    for word in words:
        await phones.say(PHONE, word.upper())
        await phones.say(PHONE, "EXIT")  # a conversation it began stops
        if await passed_on_rows(core):
            passed_on.append(word)
            break
    assert not passed_on


async def test_leave_while_a_checkin_waits_asks_first_and_the_checkin_still_waits(
    chat: Chat, phones: Phones, core: Core, clock: FakeClock
) -> None:
    await joined(chat, phones)
    clock.set(MEETING_1 + timedelta(hours=3))
    assert "1" in await phones.say(PHONE, "CHECKIN")  # the rating question
    answer = await phones.say(PHONE, "LEAVE")
    assert f"Leave {CIRCLE}?" in answer and "/leave" not in answer
    assert "still in" in await phones.say(PHONE, "2")  # No
    await phones.say(PHONE, "4")
    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.rating == 4


# -- 5. EXIT stops a guided conversation; CANCEL is never suggested ------------------------------


async def test_exit_stops_a_guided_conversation_by_sms(phones: Phones, core: Core) -> None:
    prompt = await phones.say(PHONE, "NEWCIRCLE")
    assert "EXIT" in prompt and "/cancel" not in prompt and "CANCEL" not in prompt.upper()
    assert "stopped" in await phones.say(PHONE, "EXIT")
    assert not (await account(core)).opted_out
    async with open_session(core) as session:
        assert not [c for c in (await session.exec(select(Conversation))).all() if c.flow]


CARRIER_WORDS = re.compile(r"\b(CANCEL|END|QUIT|STOP)\b")


def test_no_sms_text_tells_a_reader_to_text_cancel() -> None:
    """Every text that says "/cancel" to stop, in every language, names the safe word by SMS."""
    catalogs = Catalogs(LOCALES_DIR)
    for code in catalogs.locales:
        tr = catalogs.translator(code)
        cancel = "/" + local_name(tr, "cancel")
        for msgid in _msgids_quoting_cancel():
            sms = for_texting(tr, tr._(msgid))
            assert not re.search(re.escape(cancel) + r"(?![ \t]+(?:[A-Z]{2}|\d))", sms), (code, sms)
            assert not CARRIER_WORDS.search(sms.replace("STOP", "")), (code, sms)


def _msgids_quoting_cancel() -> list[str]:
    from babel.messages.pofile import read_po

    with (LOCALES_DIR / "messages.pot").open("rb") as template:
        catalog = read_po(template)
    return [
        str(message.id)
        for message in catalog
        if isinstance(message.id, str) and re.search(r"/cancel(?! [A-Z%])", message.id)
    ]


# -- 6. answers: not there, a typo of yes, a bare number -----------------------------------------


@pytest.mark.parametrize(
    ("language", "said", "answer"),
    [
        ("sw", "sikuja", "Tulikukosa"),
        ("en", "I didn't come", "We missed you"),
        ("fr", "je n'étais pas là", "Vous nous avez manqué"),
    ],
)
async def test_a_learner_who_wasnt_there_is_not_asked_for_a_rating_again(
    chat: Chat,
    phones: Phones,
    core: Core,
    clock: FakeClock,
    language: str,
    said: str,
    answer: str,
) -> None:
    await joined(chat, phones)
    await phones.say(PHONE, f"/language {language}")
    clock.set(MEETING_1 + timedelta(hours=3))
    await phones.say(PHONE, "/checkin")
    reply = await phones.say(PHONE, said)
    assert answer in reply and "1" not in reply.split("\n")[0]
    async with open_session(core) as session:
        assert not [c for c in (await session.exec(select(CheckIn))).all() if c.rating]
    assert not await passed_on_rows(core)


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("en", "Yess!", True),
        ("en", "ok", True),
        ("en", "noo", False),
        ("sw", "ndyo", True),
        ("sw", "sawa", True),
        ("fr", "ouii", True),
        ("fr", "d'accord", True),
        ("en", "maybe", None),
        ("en", "on", None),
    ],
)
def test_typos_and_agreeing_words_read_as_yes_or_no(
    language: str, typed: str, said: bool | None
) -> None:
    assert yes_or_no(Catalogs(LOCALES_DIR).translator(language), typed) is said


async def test_a_typo_of_yes_answers_the_reminder(
    chat: Chat, phones: Phones, core: Core, clock: FakeClock
) -> None:
    await joined(chat, phones)
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    await phones.deliver()  # the reminder, with its Yes / No
    await phones.say(PHONE, "Yess!")
    async with open_session(core) as session:
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert rsvp.answer == RsvpAnswer.YES


async def test_a_bare_number_with_nothing_waiting_is_not_passed_on(
    chat: Chat, phones: Phones, core: Core
) -> None:
    await joined(chat, phones)
    assert "Nothing is waiting for an answer" in await phones.say(PHONE, "3")
    assert not await passed_on_rows(core)
