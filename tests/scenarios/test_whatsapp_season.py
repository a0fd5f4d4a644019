"""A whole season on WhatsApp alone: Wanjiru, in Nairobi, joins a circle by WhatsApp and never
uses anything else. Every step goes through the real web app (webhooks signed as Meta signs
them) and the real pywa client sending to a fake Graph API on 127.0.0.1, on a fake clock.

She hides her number behind a WhatsApp username, so the bot knows her by her business-scoped id
alone. She joins, sets a goal, answers reminders and check-ins, gets the letters read at her
circle's first meeting, reflects, and writes a letter at the last meeting. The test also holds
the 24-hour rule over the whole season: nothing but an approved template reaches her more than
a day after her last message, and a message that has no template waits for her next one.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from itertools import count

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import CheckIn, Letter, LetterStatus, OutboxMessage, Reflection, Rsvp
from tests.adapters.platforms import fake_whatsapp as meta
from tests.adapters.platforms.test_whatsapp import Bot, serve, text_of, whatsapp_core
from tests.conftest import DETROIT_CIRCLE, T0, code_of
from tests.database import open_session
from tests.scenarios.test_sms_season import KAMPALA_LETTER, MEETINGS, pooled_letter_from_kampala

WANJIRU = "KE.3141592653589"  # her business-scoped user id; no phone number comes with it
LETTER = (
    "Hello from Detroit! I followed every week on my phone on the bus home. Ask your "
    "questions early; everyone is learning too. It is cold and bright here today."
)


@pytest.fixture
def core(sqlite_engine: AsyncEngine) -> Core:
    return whatsapp_core(sqlite_engine, FakeClock(T0), seed=5)


@pytest.fixture
async def graph() -> AsyncIterator[meta.FakeGraphApi]:
    fake = meta.FakeGraphApi()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def bot(core: Core, graph: meta.FakeGraphApi) -> AsyncIterator[Bot]:
    bot = await serve(core, graph)
    yield bot
    await bot.client.close()
    await bot.server.close()
    await bot.adapter.stop()


class Wanjiru:
    """Her phone: what she writes, and every WhatsApp message that reaches it, with when."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.wamids = count(1)
        self.wrote: list[datetime] = []
        self.received: list[tuple[datetime, dict]] = []

    @property
    def now(self) -> datetime:
        return self.bot.core.clock.now()

    async def write(self, text: str) -> str:
        wamid = f"wamid.WANJIRU{next(self.wamids):04d}"
        body = meta.text_message(wamid, WANJIRU, None, text, name="Wanjiru")
        assert await self.bot.post(body) == 200
        self.wrote.append(self.now)
        return self._read(self.bot.new())

    async def pick(self, message: dict, title: str) -> str:
        """Tap the button called `title` on `message`."""
        [button] = [
            b["reply"]
            for b in message["interactive"]["action"]["buttons"]
            if b["reply"]["title"] == title
        ]
        wamid = f"wamid.WANJIRU{next(self.wamids):04d}"
        body = meta.picked(wamid, WANJIRU, None, button["id"], title)
        assert await self.bot.post(body) == 200
        self.wrote.append(self.now)
        return self._read(self.bot.new())

    async def at(self, when: datetime) -> str:
        return self._read(await self.bot.at(when))

    def _read(self, messages: list[dict]) -> str:
        for message in messages:
            assert message.get("recipient") == WANJIRU, message
            self.received.append((self.now, message))
        return "\n---\n".join(text_of(message) for message in messages)

    def last(self) -> dict:
        return self.received[-1][1]


async def rows_of(core: Core, model: type) -> list:
    async with open_session(core) as session:
        return list((await session.exec(select(model))).all())


async def test_a_learner_plays_a_whole_season_on_whatsapp_alone(
    bot: Bot, core: Core, graph: meta.FakeGraphApi
) -> None:
    assert "is ready" in await bot.console.say("Amina", DETROIT_CIRCLE)
    await pooled_letter_from_kampala(core)
    wanjiru = Wanjiru(bot)
    code = await code_of(core, "Python for Everyone")

    # Joining by a word, her goal, and the sharing question as two reply buttons.
    assert "Welcome to Python for Everyone" in await wanjiru.write(f"join {code}")
    await wanjiru.write("Build a small website for my tailoring shop")
    consent = wanjiru.last()
    assert consent["type"] == "interactive" and consent["interactive"]["type"] == "button"
    assert "Thanks" in await wanjiru.pick(consent, "Yes, share")

    # Eight days later the reminder comes as its template, choices in words; "1" answers.
    reminder = await wanjiru.at(MEETINGS[0] - timedelta(hours=24))
    assert wanjiru.last()["template"]["name"] == "circlebot_reminder"
    assert "meets in 24 hours" in reminder and "Reply 1 for Yes or 2 for No" in reminder
    assert "see you at meeting 1" in (await wanjiru.write("1")).casefold()
    [rsvp] = await rows_of(core, Rsvp)
    assert rsvp.answer == "yes"

    # The hour-before reminder is inside her window: free text, no template.
    assert "meets today at 6:00 PM" in await wanjiru.at(MEETINGS[0] - timedelta(hours=1))
    assert wanjiru.last()["type"] != "template"

    # At the first meeting the letters from Kampala reach her too.
    arrived = await wanjiru.at(MEETINGS[0] + timedelta(minutes=1))
    assert KAMPALA_LETTER in arrived.replace(" · ", "\n") or KAMPALA_LETTER in arrived

    # The check-in the next morning: a rating by number, then a few words.
    checkin = await wanjiru.at(MEETINGS[0] + timedelta(hours=16))
    assert "How did meeting 1 of Python for Everyone go for you?" in checkin
    await wanjiru.write("4")
    assert "Thank you" in await wanjiru.write("Everyone helped me and I kept up on my phone.")
    [rating] = await rows_of(core, CheckIn)
    assert rating.rating == 4

    # A reflection, asked for by one word.
    assert "?" in await wanjiru.write("REFLECT")
    assert "Thank" in await wanjiru.write("I learn best when I explain it to someone else.")

    # Weeks 2 to 5: reminders and check-ins as they fall, in or out of her window.
    for meeting in MEETINGS[1:5]:
        await wanjiru.at(meeting - timedelta(hours=24))
        await wanjiru.at(meeting + timedelta(hours=16))
    await wanjiru.write("5")  # the week-5 check-in
    await wanjiru.write("We built the first page together!")

    # At the last meeting she is invited to write a letter, and writes it on WhatsApp.
    invitation = await wanjiru.at(MEETINGS[5] + timedelta(minutes=30))
    assert "letter" in invitation.casefold()
    assert "Write to a new circle far away" in await wanjiru.write("LETTER")
    await wanjiru.write(LETTER)
    await wanjiru.write("1")  # signed with her first name
    [letter] = [row for row in await rows_of(core, Letter) if row.signature == "Wanjiru"]
    assert (letter.text, letter.status) == (LETTER, LetterStatus.REVIEW)

    # Her facilitator approves it two days later: WhatsApp has no template for that word, so it
    # waits for Wanjiru's next message, and comes right after her answer.
    approving = MEETINGS[5] + timedelta(days=2)
    await wanjiru.at(approving)
    review = await bot.console.say("Amina", "/letters")
    assert "Wanjiru" in review
    number = re.search(r"Letter (\d+):", review)
    assert number is not None
    assert (
        "approved" in (await bot.console.say("Amina", f"/letters approve {number[1]}")).casefold()
    )
    waiting = await wanjiru.at(approving + timedelta(minutes=5))
    assert "approved" not in waiting.casefold()
    await wanjiru.write("NEXT")
    assert "approved" in (await wanjiru.at(approving + timedelta(minutes=6))).casefold()

    # The whole season held the 24-hour rule: free text only within a day of her last word.
    for when, message in wanjiru.received:
        if message["type"] != "template":
            last_word = max(t for t in wanjiru.wrote if t <= when)
            assert when - last_word < timedelta(hours=24), (when, text_of(message))
    templates = {m["template"]["name"] for _, m in wanjiru.received if m["type"] == "template"}
    assert {"circlebot_reminder", "circlebot_checkin"} <= templates
    # They cost money: her facilitator's /report counts them.
    paid = sum(1 for _, m in wanjiru.received if m["type"] == "template")
    assert f"{paid} messages went as paid templates" in await bot.console.say("Amina", "/report")

    # Her delivery receipts land on the messages.
    wamid = graph.ids[-1]
    assert await bot.post(meta.status(wamid, "read", WANJIRU)) == 200
    [row] = [r for r in await rows_of(core, OutboxMessage) if r.receipt == wamid]
    assert row.delivery_status == "delivered"
    written = {r.prompt_key: r.text for r in await rows_of(core, Reflection)}
    assert written["goal"] == "Build a small website for my tailoring shop"
