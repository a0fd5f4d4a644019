"""The precedence of inputs (bot/core/router.py PRECEDENCE), as a table: for each row, a state and
a message where an earlier row does not apply, and what the person is told."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.core.router import PRECEDENCE
from bot.storage.models import Membership, Role
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.letters.test_letters import AFTER_MEETING_3, NAIROBI, NAIROBI_FIRST, write

Arrange = Callable[[Chat, Core], Awaitable[None]]


async def nothing(chat: Chat, core: Core) -> None:
    return None


async def a_circle(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)


async def joined(chat: Chat, core: Core) -> None:
    """Brian joined: the goal question waits for his words."""
    await a_circle(chat, core)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))


async def joined_and_settled(chat: Chat, core: Core) -> None:
    """Brian joined and answered the welcome questions: nothing waits."""
    await joined(chat, core)
    await chat.say("Brian", "To automate my spreadsheets.")
    await chat.say("Brian", "1")


PHONE = "+254700000001"


async def by_sms(core: Core, text: str) -> str:
    """A text from a phone: SMS gives no name."""
    phone = Chat(core, platform="sms")
    inbound = replace(phone.inbound(PHONE, text), display_name=None)
    return "\n".join(reply.text for reply in await core.handle(inbound, phone.capabilities))


async def joined_by_sms(chat: Chat, core: Core) -> None:
    await a_circle(chat, core)
    await by_sms(core, "/join " + await code_of(core, "Python for Everyone"))
    await by_sms(core, "/name Grace")
    await by_sms(core, "/skip")  # the goal
    await by_sms(core, "/skip")  # sharing


async def rated_late(chat: Chat, core: Core) -> None:
    """Brian's check-in after meeting 1, then meeting 2's reminder (Yes / No): the rating
    still waits behind it."""
    await joined_and_settled(chat, core)
    assert isinstance(core.clock, FakeClock)
    for at in (datetime(2026, 10, 30, 14, 5, tzinfo=UTC), datetime(2026, 11, 4, 23, 5, tzinfo=UTC)):
        core.clock.set(at)
        await core.tick()
    await chat.deliver()


async def starting_a_circle(chat: Chat, core: Core) -> None:
    await chat.say("Brian", "/newcircle")


async def offered(chat: Chat, core: Core) -> None:
    await chat.say("Brian", "/start")  # "... 2 for See all commands"


async def letter_read(chat: Chat, core: Core) -> None:
    """Brian's letter from Detroit was read at Nairobi's first meeting: Otieno's Send a
    thank-you is offered."""
    await joined_and_settled(chat, core)
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    assert isinstance(core.clock, FakeClock)
    core.clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    for at in (NAIROBI_FIRST - timedelta(hours=2), NAIROBI_FIRST):
        core.clock.set(at)
        await core.tick()


@dataclass(frozen=True)
class Row:
    rule: str  # the PRECEDENCE row it shows
    arrange: Arrange
    who: str
    text: str
    expect: str  # in the reply ("" for no reply at all)
    sms: bool = False
    group: bool = False


ROWS = (
    Row(
        "carrier keyword",
        joined_by_sms,
        "+254700000001",
        "STOP",
        "You won't get any more",
        sms=True,
    ),
    Row("choice", offered, "Brian", "2", "Here's what you can do"),
    Row("older 1-5", rated_late, "Brian", "4", "Thanks, got it!"),
    Row("keyword as a command", joined_by_sms, PHONE, "NEXT", "Meeting 1 of 6", sms=True),
    Row("help word", joined_and_settled, "Brian", "Hilfe!", "Here's what you can do"),
    Row("command word", joined, "Brian", "newcircle", "Let's set up your circle"),
    Row("aimed command", joined, "Brian", "#1 /schedule", "meets at Detroit Public Library"),
    Row("/cancel", starting_a_circle, "Brian", "/cancel", "OK, I've stopped. Nothing was saved."),
    Row("/skip", starting_a_circle, "Brian", "/skip", "can't skip it"),
    Row("command", starting_a_circle, "Brian", "/help", "Here's what you can do"),
    Row("flow answer", starting_a_circle, "Brian", "Evening Python", "Which online course"),
    Row("group talk", joined_and_settled, "Brian", "See you all on Thursday!", "", group=True),
    Row("stop asked", joined_by_sms, PHONE, "stop please", "text STOP on its own", sms=True),
    Row("question answer", joined, "Brian", "To automate my spreadsheets.", "May your facilitator"),
    Row("letter thanks", letter_read, "Otieno", "Thank you so much!", "on its way to Brian"),
    Row(
        "free text",
        joined_and_settled,
        "Brian",
        "I'll be late on Thursday",
        "passed that on to Amina",
    ),
    Row("choices again", offered, "Brian", "hmm", "Reply 1 for"),
    Row("newcomer", nothing, "Zawadi", "hi", "/join"),
    Row("fallback", a_circle, "Amina", "hmm", "I didn't catch that"),
)


def test_every_rule_of_the_precedence_has_a_row() -> None:
    assert [row.rule for row in ROWS] == [rule for rule, _ in PRECEDENCE]


@pytest.mark.parametrize("row", ROWS, ids=[row.rule for row in ROWS])
async def test_the_rule_that_applies_answers(chat: Chat, core: Core, row: Row) -> None:
    await row.arrange(chat, core)
    if row.sms:
        answer = await by_sms(core, row.text)
    elif row.group:
        inbound = replace(chat.inbound(row.who, row.text), chat_id="-100", is_group=True)
        answer = "\n".join(r.text for r in await core.handle(inbound, chat.capabilities))
    else:
        answer = await chat.say(row.who, row.text)
    if row.expect:
        assert row.expect.casefold() in answer.casefold(), answer
    else:
        assert answer == ""


async def test_a_question_waits_while_another_command_runs_and_is_answered_after(
    chat: Chat, core: Core
) -> None:
    """The sharing question offers Yes and No; /next runs in between; "1" still answers it,
    once: a choice answers once."""
    await joined(chat, core)
    question = await chat.say("Brian", "To automate my spreadsheets.")
    assert "May your facilitator read your written answers?" in question
    assert "Meeting 1 of 6" in await chat.say("Brian", "/next")
    assert "May your facilitator" not in await chat.say("Brian", "1")
    async with open_session(core) as session:
        [membership] = (
            await session.exec(select(Membership).where(Membership.role == Role.LEARNER))
        ).all()
    assert membership.shares_answers is True
    assert "May your facilitator" not in await chat.say("Brian", "1")
