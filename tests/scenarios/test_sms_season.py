"""A whole season by SMS alone: Grace has a basic phone. Every step goes through the real web app
(Twilio webhooks signed with twilio's RequestValidator, answered in TwiML) and the real SMS
adapter sending to a fake Twilio Messages API on 127.0.0.1, on a fake clock.

She joins with JOIN CODE, sets a goal, gets reminders and answers YES, receives the letters read
at her circle's first meeting, answers check-ins, reflects, texts STOP (and the test proves
nothing at all reaches her phone afterwards, through two weeks of reminders and check-ins),
texts START, and writes a letter at the last meeting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from itertools import count

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import (
    CheckIn,
    Circle,
    CircleStatus,
    Letter,
    LetterStatus,
    Reflection,
    Rsvp,
    RsvpAnswer,
)
from tests.adapters.platforms.fake_sms import FakeTwilio, sms_core
from tests.adapters.platforms.test_sms_twilio import LEARNER, Bot, serve
from tests.conftest import DETROIT_CIRCLE, T0, Chat, code_of
from tests.database import open_session

# Detroit: Thursdays 18:00 from 2026-10-29, six meetings (EDT, then EST from 1 November).
MEETINGS = [
    datetime(2026, 10, 29, 22, 0, tzinfo=UTC),
    *(datetime(2026, 11, 5, 23, 0, tzinfo=UTC) + timedelta(weeks=n) for n in range(5)),
]
KAMPALA_LETTER = (
    "Greetings from Kampala! The best part was learning together after work. Ask every "
    "question you have; nobody minds. It is raining softly here."
)
GRACE_LETTER = (
    "Hello from Detroit! I only had my small phone and still never missed a week. Come "
    "even when you are tired. It is snowing today."
)


@pytest.fixture
def core(sqlite_engine: AsyncEngine) -> Core:
    return sms_core(sqlite_engine, FakeClock(T0), seed=5)


@pytest.fixture
async def bot(core: Core, twilio: FakeTwilio) -> AsyncIterator[Bot]:
    bot = await serve(core, twilio)
    yield bot
    await bot.client.close()
    await bot.server.close()
    await bot.adapter.stop()


class Grace:
    """Grace's phone: what she texts, and every SMS that reaches it."""

    def __init__(self, bot: Bot, console: Chat) -> None:
        self.bot = bot
        self.console = console
        self.sids = count(1)
        self.seen = 0  # messages from the fake Twilio already read

    async def text(self, body: str) -> str:
        replies = await self.bot.text(LEARNER, body, sid=f"SM{next(self.sids):032d}")
        return "\n".join(replies)

    async def at(self, when: datetime) -> str:
        """Move the clock, run the scheduler and the dispatcher; the SMS that reached her."""
        clock = self.bot.core.clock
        assert isinstance(clock, FakeClock)
        clock.set(when)
        await self.bot.core.tick()
        adapters = {"sms": self.bot.adapter, "console": self.console}
        while (await self.bot.core.dispatch(adapters)) > 0:
            pass
        return self.inbox()

    def inbox(self) -> str:
        accepted = self.bot.twilio.accepted
        new = [form["Body"] for form in accepted[self.seen :] if form["To"] == LEARNER]
        self.seen = len(accepted)
        return "\n---\n".join(new)


async def pooled_letter_from_kampala(core: Core) -> None:
    """A letter approved last month by a Kampala circle waits in the pool. (How letters get
    there is tests/core/test_letters.py's subject; here only their arrival by SMS matters.)"""
    async with open_session(core) as session, session.begin():
        kampala = Circle(
            name="Digital Skills Kampala",
            course_title="Learning How to Learn",
            venue="Kampala Public Library",
            city="Kampala",
            country_code="UG",
            timezone="Africa/Kampala",
            language="en",
            join_code="KLA2345",
            weekday=1,
            start_time=time(17, 0),
            duration_minutes=90,
            meeting_count=6,
            start_date=date(2026, 8, 25),
            status=CircleStatus.CLOSED,
            created_at=T0 - timedelta(days=60),
        )
        session.add(kampala)
        await session.flush()
        assert kampala.id is not None
        session.add(
            Letter(
                circle_id=kampala.id,
                signature="Sarah",
                city="Kampala",
                country_code="UG",
                language="en",
                text=KAMPALA_LETTER,
                status=LetterStatus.POOLED,
                created_at=T0 - timedelta(days=10),
                approved_at=T0 - timedelta(days=9),
            )
        )


async def stored(core: Core, model: type) -> list:
    async with open_session(core) as session:
        return list((await session.exec(select(model))).all())


async def test_a_learner_plays_a_whole_season_by_sms_alone(
    bot: Bot, core: Core, twilio: FakeTwilio
) -> None:
    console = Chat(core)
    assert "is ready" in await console.say("Amina", DETROIT_CIRCLE)
    await pooled_letter_from_kampala(core)
    grace = Grace(bot, console)
    code = await code_of(core, "Python for Everyone")

    # Joining, her name and her goal, all by text.
    welcome = await grace.text(f"join {code}")
    assert "Welcome to Python for Everyone" in welcome and "Reply with your first name" in welcome
    assert "/name" not in welcome  # no slash commands on a feature phone
    assert "Nice to meet you, Grace" in await grace.text("Grace")
    assert "Thank you!" in await grace.text("Read and write simple programs")  # one SMS (C8)
    assert "Thanks!" in await grace.text("1")  # the facilitator may read her answers

    # The reminder a day ahead, with its choices as text, answered YES.
    reminder = await grace.at(MEETINGS[0] - timedelta(hours=24))
    assert "meets in 24 hours" in reminder and "Reply 1 for Yes or 2 for No" in reminder
    assert "Great, see you at meeting 1" in await grace.text("YES")
    [rsvp] = await stored(core, Rsvp)
    assert rsvp.answer == RsvpAnswer.YES

    # At the first meeting the letters arrive on her phone too.
    await grace.at(MEETINGS[0] - timedelta(hours=2))
    arrived = await grace.at(MEETINGS[0])
    assert KAMPALA_LETTER in arrived
    assert "Kampala" in arrived

    # The check-in the next morning: a rating, then a few words.
    checkin = await grace.at(MEETINGS[0] + timedelta(hours=16))
    # By SMS the question is the short one, with the 1-5 said in one line: one SMS part.
    assert "Hi Grace! How was meeting 1 of Python for Everyone?" in checkin
    assert "Reply 1 (hard going) to 5 (great)." in checkin
    await grace.text("4")
    assert "Thank you" in await grace.text("Everyone was kind and I could follow on my phone.")
    [checkin_row] = await stored(core, CheckIn)
    assert checkin_row.rating == 4

    # A reflection, by one word.
    assert "?" in await grace.text("REFLECT")
    assert "Thank" in await grace.text("I learn best when I explain it to someone else.")
    written = {row.prompt_key: row.text for row in await stored(core, Reflection)}
    assert written.pop("goal") == "Read and write simple programs"
    assert list(written.values()) == ["I learn best when I explain it to someone else."]

    # STOP: one confirmation, then nothing of any kind for two weeks of the season.
    assert "won't get any more messages" in await grace.text("STOP")
    silent = ""
    for meeting in MEETINGS[1:3]:
        silent += await grace.at(meeting - timedelta(hours=24))
        silent += await grace.at(meeting - timedelta(hours=1))
        silent += await grace.at(meeting + timedelta(hours=16))
        silent += await grace.at(meeting + timedelta(days=3))  # the nudge
    assert silent == ""
    assert await grace.text("NEXT") == ""  # nor answers

    # START: back in; the next reminder reaches her.
    assert "Welcome back" in await grace.text("START")
    assert "meets in 24 hours" in await grace.at(MEETINGS[3] - timedelta(hours=24))

    # At the last meeting she is invited to write a letter, and replies with it by SMS.
    invitation = await grace.at(MEETINGS[5] + timedelta(minutes=30))
    assert "reply with your letter" in invitation.casefold()
    assert "How should it be signed?" in await grace.text(GRACE_LETTER)
    assert "Thank you, Grace!" in await grace.text("1")  # signed with her first name
    [letter] = [row for row in await stored(core, Letter) if row.signature == "Grace"]
    assert (letter.text, letter.city, letter.status) == (
        GRACE_LETTER,
        "Detroit",
        LetterStatus.REVIEW,
    )
    # Every SMS she got went through Twilio from the bot's number.
    assert all(form["From"] == "+13135550100" for form in twilio.accepted)
