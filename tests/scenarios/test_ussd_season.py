"""A whole season by USSD plus SMS: Wanjiru, in Nairobi, has a basic phone. She dials the
service code for everything she does (joining, saying she'll come, the weekly rating and its
question) and gets what the bot starts (reminders, check-ins) by SMS, on the same number, as
one person. Every step goes through the real web app (Africa's Talking's USSD callbacks and its
SMS webhooks, with the webhook token) and the real SMS adapter sending to a fake Africa's
Talking messaging API on 127.0.0.1, on a fake clock.

Halfway through she stops messages from the menu: a week passes with no SMS at all, and the
menu tells her how to start them again; she does, and the rest of the season reaches her.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.contract import Adapter
from bot.core import Core
from bot.storage.models import CheckIn, Letter, Rsvp, RsvpAnswer
from tests.adapters.platforms.fake_sms import FakeAfricasTalking, sms_core
from tests.adapters.platforms.test_ussd import LEARNER, SERVICE_CODE, TOKEN, Bot, close, serve
from tests.conftest import T0, Chat, code_of
from tests.database import open_session
from tests.seasons import checkin_due, starts

NAIROBI = (
    '/newcircle name="Digital Skills Nairobi" course="Learning How to Learn" '
    'venue="Kenya National Library" city=Nairobi country=KE zone=Africa/Nairobi '
    "start=2026-10-29 time=18:00 meetings=6"
)
FIRST_DAY = date(2026, 10, 29)
ZONE = "Africa/Nairobi"
LETTER = (
    "Hello from Nairobi! I joined from my small phone and never missed a week. Come even "
    "when you are tired; the group carries you. It is sunny here."
)


def meeting(number: int) -> datetime:
    return starts(number, FIRST_DAY, ZONE)


def checkin(number: int) -> datetime:
    return checkin_due(number, FIRST_DAY, ZONE)


@pytest.fixture
def core(sqlite_engine: AsyncEngine) -> Core:
    return sms_core(sqlite_engine, FakeClock(T0), seed=11)


@pytest.fixture
async def bot(core: Core, at: FakeAfricasTalking) -> AsyncIterator[Bot]:
    bot = await serve(core, at)
    yield bot
    await close(bot)


class Wanjiru:
    """Her phone: what she dials and texts, and every SMS that reaches it."""

    def __init__(self, bot: Bot, console: Chat) -> None:
        self.bot = bot
        self.console = console
        self.texts = count(1)
        self.seen = 0  # messages from the fake gateway already read

    async def dial(self, *inputs: str) -> str:
        """One USSD session, the inputs in turn; the last screen."""
        return await self.bot.dial().through(*inputs) if inputs else await self.bot.dial().show()

    async def text(self, body: str) -> None:
        fields = {
            "from": LEARNER,
            "to": "20880",
            "text": body,
            "id": f"ATXid_{next(self.texts)}",
            "date": "2026-12-03 18:40:00",
        }
        status, _ = await self.bot.post("/sms/africastalking", fields)
        assert status == 200

    async def at(self, when: datetime) -> str:
        """Move the clock, run the scheduler and the dispatcher; the SMS that reached her."""
        clock = self.bot.core.clock
        assert isinstance(clock, FakeClock)
        clock.set(when)
        await self.bot.core.tick()
        adapters: dict[str, Adapter] = {"sms": self.bot.sms, "console": self.console}
        while (await self.bot.core.dispatch(adapters)) > 0:
            pass
        return self.inbox()

    def inbox(self) -> str:
        accepted = self.bot.at.accepted
        new = [form["message"] for form in accepted[self.seen :] if form["to"] == LEARNER]
        self.seen = len(accepted)
        return "\n---\n".join(new)


async def stored(core: Core, model: type) -> list:
    async with open_session(core) as session:
        return list((await session.exec(select(model))).all())


async def coming(wanjiru: Wanjiru, number: int) -> None:
    """The reminder by SMS, Yes by USSD."""
    reminder = await wanjiru.at(meeting(number) - timedelta(hours=24))
    assert "Digital Skills Nairobi meets in 24 hours" in reminder, reminder
    said = await wanjiru.dial("2", "1")
    assert said.startswith(f"END Great, see you at meeting {number}")


async def rating(wanjiru: Wanjiru, number: int) -> None:
    """The check-in by SMS, rated and answered by USSD (one session)."""
    asked = await wanjiru.at(checkin(number))
    # The SMS wording is the short one, with the 1-5 said in one line: one SMS part.
    assert f"How was meeting {number} of Digital Skills Nairobi?" in asked
    assert "Reply 1 (hard going) to 5 (great)." in asked
    phone = wanjiru.bot.dial()
    question = await phone.through("3", "4")
    assert question.startswith("CON Thanks") and "Type your answer:" in question
    assert (await phone.show(f"Week {number}: we built a budget sheet")).startswith("END Thank")


async def test_a_learner_plays_a_whole_season_by_ussd_and_sms(
    bot: Bot, core: Core, at: FakeAfricasTalking
) -> None:
    console = Chat(core)
    assert "is ready" in await console.say("Amina", NAIROBI)
    wanjiru = Wanjiru(bot, console)
    code = await code_of(core, "Digital Skills Nairobi")

    # Joining from the menu, then her name, her goal and sharing, in the same session.
    phone = bot.dial()
    assert (await phone.show()).startswith("CON Learning circle menu")
    welcome = await phone.through("6", code)
    assert welcome.startswith("CON Welcome to Digital Skills Nairobi!")
    await phone.show("Wanjiru")
    await phone.show("To use a spreadsheet for my shop")
    assert (await phone.show("1")).startswith("END Thanks!")

    for number in (1, 2):
        await coming(wanjiru, number)
        await rating(wanjiru, number)

    # Stop from the menu: nothing at all reaches her phone for a week.
    assert "won't get any more messages" in await wanjiru.dial("7", "1")
    silent = await wanjiru.at(meeting(3) - timedelta(hours=24))
    assert await wanjiru.dial("2") == (
        "END Your messages are off. Choose 7 in the menu to start them again."
    )
    silent += await wanjiru.at(meeting(3) - timedelta(hours=1))
    silent += await wanjiru.at(checkin(3))
    silent += await wanjiru.at(checkin(3) + timedelta(days=2))  # the nudge's time
    assert silent == ""
    assert "7 Start messages again" in await wanjiru.dial()
    assert "Welcome back" in await wanjiru.dial("7")

    for number in (4, 5):
        await coming(wanjiru, number)
        await rating(wanjiru, number)

    # The last meeting: invited by SMS to write to a new circle far away; written by SMS.
    await coming(wanjiru, 6)
    invitation = await wanjiru.at(meeting(6) + timedelta(minutes=30))
    assert "letter" in invitation.casefold()
    await wanjiru.text("LETTER")
    await wanjiru.text(LETTER)
    await wanjiru.text("1")  # signed with her first name
    assert "Thank you, Wanjiru!" in wanjiru.inbox()
    await rating(wanjiru, 6)

    # One person: the USSD sessions and the SMS are the same account's.
    rsvps = await stored(core, Rsvp)
    assert sorted(r.answer for r in rsvps) == [RsvpAnswer.YES] * 5
    checkins = sorted(await stored(core, CheckIn), key=lambda c: c.answered_at or T0)
    assert [c.rating for c in checkins] == [4] * 5
    assert all(c.answer and c.answer.startswith("Week ") for c in checkins)
    [letter] = await stored(core, Letter)
    assert (letter.signature, letter.city, letter.text) == ("Wanjiru", "Nairobi", LETTER)
    # Every SMS went through Africa's Talking, and every screen fitted.
    assert at.accepted and all(form["to"] == LEARNER for form in at.accepted)
    assert all(len(screen) - 4 <= 182 for screen in bot.screens)
    assert SERVICE_CODE and TOKEN  # the callbacks carried both (test_ussd's helpers)
