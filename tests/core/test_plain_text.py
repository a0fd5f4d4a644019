"""Plain SMS keywords: STOP is honoured at once and for good, START and YES bring a number back,
HELP says what this is, YES/NO answer the coming meeting, JOIN and NEXT work without a slash,
in English and in the circle's language; other text answers the waiting question or reaches the
facilitator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.keywords import Keyword, plain, read
from bot.chat.messages import Capabilities, Outbound
from bot.core import Core
from bot.storage.models import (
    Account,
    OutboxMessage,
    OutboxStatus,
    Reflection,
    Rsvp,
    RsvpAnswer,
)
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)
NAIROBI_CIRCLE = (
    '/newcircle name="Kusoma Pamoja" course="Python for Everybody" venue="Maktaba ya Kenya" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-29 time=17:00 meetings=6 "
    "language=sw"
)
PHONE = "+254700000001"


@pytest.fixture
def phones(core: Core) -> Chat:
    return Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))


async def texted(phones: Chat, text: str, who: str = PHONE) -> str:
    return await phones.say(who, text)


async def deliver_all(core: Core, *chats: Chat) -> dict[str, list[Outbound]]:
    """Run the dispatcher for every platform; what each chat received, by chat id."""
    before = {chat.platform: len(chat.sent) for chat in chats}
    await core.dispatch({chat.platform: chat for chat in chats})
    received: dict[str, list[Outbound]] = {}
    for chat in chats:
        for message in chat.sent[before[chat.platform] :]:
            received.setdefault(message.address.chat_id, []).append(message)
    return received


async def join_detroit(chat: Chat, phones: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    assert "Welcome to Python for Everyone" in await texted(phones, f"JOIN {code}")
    # The goal question skipped: the sharing one, naming Amina by text (sms 35).
    assert "May Amina read" in await texted(phones, "/skip")
    assert "skipped" in await texted(phones, "/skip")  # the sharing question


async def account(core: Core, address: str = PHONE.casefold()) -> Account:
    async with open_session(core) as session:
        return (await session.exec(select(Account).where(Account.address == address))).one()


def test_keywords_ignore_case_accents_spaces_and_punctuation(core: Core) -> None:
    tr = core.catalogs.translator("en")
    for text in ("STOP", "stop", "Stop!", " s t o p ", "Unsubscribe.", "QUIT", "end", "Cancel"):
        match = read(tr, text)
        assert match is not None and match.keyword is Keyword.OPT_OUT, text
    assert plain("Sí.") == "si"
    assert read(tr, "stop texting me about the reading please") is None  # a sentence
    assert read(tr, "Next week I will finish chapter 3") is None
    joined = read(tr, "join ab12cd")
    assert joined is not None and (joined.keyword, joined.argument) == (Keyword.JOIN, "ab12cd")


async def test_stop_opts_out_at_once_and_nothing_else_is_sent(
    chat: Chat, phones: Chat, core: Core, clock: FakeClock
) -> None:
    await join_detroit(chat, phones, core)
    # A reminder is already waiting in the outbox when STOP arrives.
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    answer = await texted(phones, "Stop!")
    assert "won't get any more messages" in answer and "START" in answer
    assert (await account(core)).opted_out
    # The replies to her own texts go back in the gateway's response, kept as sent (sms 34);
    # every other row to her phone is dead.
    rows = [
        row
        for row in await phones.outbox()
        if row.platform == "sms" and row.status != OutboxStatus.SENT
    ]
    assert rows and all(row.status == OutboxStatus.DEAD for row in rows)

    # Nothing of any kind afterwards: no reminders, no answers, no second confirmation.
    clock.set(MEETING_1 - timedelta(hours=1))
    await core.tick()
    received = await deliver_all(core, chat, phones)
    assert PHONE.casefold() not in received
    assert await texted(phones, "NEXT") == ""
    assert await texted(phones, "STOP") == ""
    # Her words still reach her facilitator (sms 4), with nothing said back to her.
    assert await texted(phones, "I'll be late") == ""
    received = await deliver_all(core, chat, phones)
    assert PHONE.casefold() not in received
    assert "I'll be late" in received["amina"][0].text


async def test_stop_in_the_middle_of_a_conversation_still_stops(
    chat: Chat, phones: Chat, core: Core
) -> None:
    await join_detroit(chat, phones, core)
    assert "?" in await texted(phones, "/reflect")  # a reflection prompt waits for an answer
    assert "won't get any more messages" in await texted(phones, "QUIT")
    assert (await account(core)).opted_out


async def test_start_and_yes_bring_an_opted_out_number_back(
    chat: Chat, phones: Chat, core: Core, clock: FakeClock
) -> None:
    await join_detroit(chat, phones, core)
    await texted(phones, "STOP")
    answer = await texted(phones, "start")
    assert "Welcome back" in answer
    assert not (await account(core)).opted_out
    await texted(phones, "UNSUBSCRIBE")
    # From a number that has opted out, YES means "start again", not "I'll come".
    assert "Welcome back" in await texted(phones, "Yes")
    async with open_session(core) as session:
        assert (await session.exec(select(Rsvp))).all() == []
    # And messages flow again.
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    received = await deliver_all(core, chat, phones)
    assert any("Will you come?" in m.text for m in received[PHONE.casefold()])


async def test_yes_and_no_answer_the_coming_meeting(
    chat: Chat, phones: Chat, core: Core, clock: FakeClock
) -> None:
    await join_detroit(chat, phones, core)
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    await deliver_all(core, chat, phones)
    assert "Great, see you at meeting 1" in await texted(phones, "YES")
    assert "We'll miss you at meeting 1" in await texted(phones, "no.")
    async with open_session(core) as session:
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert rsvp.answer == RsvpAnswer.NO


async def test_help_names_the_facilitator_and_how_to_stop(
    chat: Chat, phones: Chat, core: Core
) -> None:
    assert "JOIN" in await texted(phones, "HELP")  # not in a circle yet: how to join
    await join_detroit(chat, phones, core)
    answer = await texted(phones, "info")
    assert "circlebot" in answer and "Amina" in answer and "STOP" in answer
    await texted(phones, "STOP")
    assert "Amina" in await texted(phones, "HELP")  # carriers require HELP to be answered


async def test_join_and_next_without_a_slash(chat: Chat, phones: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "I couldn't find a circle with the code ZZZZ99" in await texted(phones, "JOIN ZZZZ99")
    code = await code_of(core, CIRCLE)
    assert "Welcome to Python for Everyone" in await texted(phones, f"join {code.lower()}.")
    await texted(phones, "/skip")
    assert "Meeting 1" in await texted(phones, "Next")


async def test_other_text_reaches_the_facilitator_unless_a_question_waits(
    chat: Chat, phones: Chat, core: Core
) -> None:
    await join_detroit(chat, phones, core)
    assert "passed that on to Amina" in await texted(phones, "Next week I will be late, sorry")
    received = await deliver_all(core, chat, phones)
    [forwarded] = [m for m in received["amina"] if "texted about" in m.text]
    assert "Next week I will be late, sorry" in forwarded.text
    # With a reflection waiting, the text answers it instead.
    await texted(phones, "/reflect")
    answer = await texted(phones, "I learned to ask for help")
    assert "passed that on" not in answer
    later = await deliver_all(core, chat, phones)
    assert not [m for m in later.get("amina", []) if "texted about" in m.text]


async def test_a_text_after_start_reaches_the_facilitator(
    chat: Chat, phones: Chat, core: Core
) -> None:
    """Back from STOP, "I will be late on Tuesday" is for Amina, and the learner hears so."""
    await join_detroit(chat, phones, core)
    await texted(phones, "STOP")
    assert "Welcome back" in await texted(phones, "START")
    await deliver_all(core, chat, phones)  # Amina hears of the STOP and of the START (C11)
    answer = await texted(phones, "I will be late on Tuesday")
    assert answer == "Thanks, I've passed that on to Amina."
    received = await deliver_all(core, chat, phones)
    assert [m.text for m in received["amina"] if "Tuesday" in m.text] == [
        f"{PHONE} texted about Python for Everyone:\nI will be late on Tuesday\n"
        "(To answer, send /reply 1 and your answer.)"
    ]


async def test_each_text_after_an_announcement_reaches_the_facilitator(
    chat: Chat, phones: Chat, core: Core
) -> None:
    await join_detroit(chat, phones, core)
    await chat.say("Amina", "/announce We meet in room B this week.")
    assert "Sent to 1 member" in await chat.say("Amina", "1")
    await deliver_all(core, chat, phones)
    assert "passed that on to Amina" in await texted(phones, "Is there parking?")
    assert "passed that on to Amina" in await texted(phones, "I will be late on Tuesday")
    received = await deliver_all(core, chat, phones)
    assert [m.text.split("\n")[1] for m in received["amina"] if "replied" in m.text] == [
        "Is there parking?",
        "I will be late on Tuesday",
    ]


async def test_free_text_with_nothing_waiting_reaches_the_facilitator_on_every_platform(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    await chat.say("Brian", f"/join {code}")
    await chat.say("Brian", "/skip")
    answer = await chat.say("Brian", "I will be late on Tuesday")
    # Passed on, and the sharing question the skip brought is said to be still open.
    assert answer.startswith("Thanks, I've passed that on to Amina.")
    assert "your answer isn't noted yet" in answer
    received = await deliver_all(core, chat)
    assert [m.text for m in received["amina"] if "Tuesday" in m.text] == [
        "Brian wrote about Python for Everyone:\nI will be late on Tuesday\n"
        "(To answer, send /reply 1 and your answer.)"
    ]


async def test_keywords_in_the_circles_language(
    chat: Chat, phones: Chat, core: Core, clock: FakeClock
) -> None:
    assert await chat.say("Achieng", NAIROBI_CIRCLE, locale_hint="sw")
    code = await code_of(core, "Kusoma Pamoja")
    await texted(phones, f"JOIN {code}")
    await texted(phones, "/skip")
    clock.set(datetime(2026, 10, 28, 14, 0, tzinfo=UTC))  # the day before the first meeting
    assert "1" in await texted(phones, "NDIYO")
    async with open_session(core) as session:
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert rsvp.answer == RsvpAnswer.YES
    await texted(phones, "Hapana")
    async with open_session(core) as session:
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert rsvp.answer == RsvpAnswer.NO
    # English keywords keep working beside Swahili ones.
    await texted(phones, "STOP")
    assert (await account(core)).opted_out


async def test_pending_rows_to_a_number_that_stopped_are_never_sent(
    chat: Chat, phones: Chat, core: Core, clock: FakeClock
) -> None:
    await join_detroit(chat, phones, core)
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    # The STOP arrives through another process after these rows were written: the dispatcher
    # still checks the account before it sends.
    async with open_session(core) as session, session.begin():
        sms_account = (await session.exec(select(Account).where(Account.platform == "sms"))).one()
        sms_account.opted_out = True
        session.add(sms_account)
    received = await deliver_all(core, chat, phones)
    assert PHONE.casefold() not in received
    async with open_session(core) as session:
        rows = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.platform == "sms"))
        ).all()
    rows = [row for row in rows if row.status != OutboxStatus.SENT]  # replies, sent at once
    assert rows and all(row.last_error == "recipient opted out" for row in rows)


async def test_commands_without_arguments_work_as_one_word(
    chat: Chat, phones: Chat, core: Core
) -> None:
    await join_detroit(chat, phones, core)
    assert "?" in await texted(phones, "Reflect")  # the reflection prompt
    assert "Thank" in await texted(phones, "Asking questions early helps me most")
    assert "0 check-ins, 1 reflection" in await texted(phones, "PORTFOLIO")  # the summary
    # NAME alone, as the SMS help lists it, asks for the name (wave 2, C57), never passed on.
    assert "What should the group call you?" in await texted(phones, "name")


async def test_a_waiting_question_takes_yes_as_its_answer_but_not_a_command_word(
    chat: Chat, phones: Chat, core: Core
) -> None:
    await join_detroit(chat, phones, core)
    await chat.say("Amina", "/announce Can everyone bring a laptop next week?")
    await chat.say("Amina", "1")
    await deliver_all(core, chat, phones)
    assert "passed that on to Amina" in await texted(phones, "Yes")
    async with open_session(core) as session:
        assert (await session.exec(select(Rsvp))).all() == []  # not an RSVP
    received = await deliver_all(core, chat, phones)
    assert any("Yes" in m.text and "replied" in m.text for m in received["amina"])
    # A reflection answered with a word that is also a command is not kept as the answer; and
    # LEAVE only asks its question by SMS (issue 16: "send /leave" can't be texted).
    await texted(phones, "/reflect")
    answer = await texted(phones, "Leave")
    assert "Leave Python for Everyone?" in answer and "/leave" not in answer
    assert "still in" in await texted(phones, "2")
    assert "Python for Everyone" in await texted(phones, "/next")  # still a member
    async with open_session(core) as session:
        assert (await session.exec(select(Reflection))).all() == []
    assert "portfolio" in await texted(phones, "Leaving work on time to come each week")


async def test_slash_cancel_on_sms_stops_a_conversation_not_the_messages(
    chat: Chat, phones: Chat, core: Core
) -> None:
    await join_detroit(chat, phones, core)
    await texted(phones, "/newcircle")
    assert "stopped" in await texted(phones, "/cancel")
    assert not (await account(core)).opted_out


async def test_an_invitation_forwarded_in_another_language_joins_by_its_keyword(
    chat: Chat, phones: Chat, core: Core
) -> None:
    """A French facilitator's invitation says REJOINDRE; a number the bot has never seen (so no
    language of its own yet) texts it as written."""
    await chat.say("Amina", "/language fr")
    assert "est prêt" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    assert "REJOINDRE" in await chat.say("Amina", "/invite")
    assert "Python for Everyone" in await texted(phones, f"REJOINDRE {code}", "+15550001111")
    assert "Python for Everyone" in await texted(phones, f"JIUNGE {code}", "+15550002222")
    async with open_session(core) as session:
        numbers = (await session.exec(select(Account.external_id))).all()
    assert {"+15550001111", "+15550002222"} <= set(numbers)


async def test_joining_with_the_swahili_word_answers_in_swahili(
    chat: Chat, phones: Chat, core: Core
) -> None:
    """Second walkthrough: a number that joined with JIUNGA got everything in English, and its
    RUKA (skip) was kept as its goal."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    welcome = await texted(phones, f"JIUNGA {code}", "+254711000222")
    assert "Karibu" in welcome and "Welcome" not in welcome
    async with open_session(core) as session:
        account = (
            await session.exec(select(Account).where(Account.external_id == "+254711000222"))
        ).one()
    assert account.locale_hint == "sw"


async def test_help_after_stop_says_how_to_come_back(phones: Chat) -> None:
    """Second walkthrough: HELP after STOP said "Text STOP to stop all messages"."""
    await texted(phones, "STOP")
    answer = await texted(phones, "HELP")
    assert "Text START if you want them again." in answer and "to stop all" not in answer


async def test_stop_ends_a_guided_command_so_words_after_start_are_not_its_answer(
    phones: Chat,
) -> None:
    """Second walkthrough: /newcircle survived STOP and START, and the next text became the new
    circle's name."""
    assert "called" in await texted(phones, "/newcircle")
    await texted(phones, "STOP")
    await texted(phones, "START")
    answer = await texted(phones, "I want to analyse my small shop sales")
    assert "Which online course" not in answer
