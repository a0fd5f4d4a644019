"""A learner on a feature phone in several circles (walk D48: up to six texts a day): the
weekly rhythm's messages due to her number together for different circles go as one text where
that costs no more parts, each still naming its circle; every message goes once. A choice to
answer stays last, under its own message; in a chat app nothing changes."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Capabilities, Outbound, Receipt
from bot.chat.platforms import RateLimit
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.delivery import outbox
from bot.delivery.dispatcher import Throttle, dispatch_due
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.storage.database import session_factory
from bot.storage.models import OutboxMessage, OutboxStatus
from locales import LOCALES_DIR
from tests.chat.test_sms_costs import _core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones
from tests.database import open_session

PHONE = "+13135550101"
CIRCLES = ("Python for Everyone", "Excel Basics")
SECOND = DETROIT_CIRCLE.replace('"Python for Everyone"', '"Excel Basics"')
DAY_BEFORE = datetime(2026, 10, 28, 22, 0, tzinfo=UTC)  # 24 hours before both meet
CHECKINS = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)  # the morning after


@pytest.fixture
def chats(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Phones]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def in_two_circles(chats: tuple[Chat, Phones], rsvp: bool = False) -> None:
    """Wanjiru, by SMS, and Bob, in a chat app, are in two circles meeting at the same hour."""
    console, sms = chats
    await console.say("Amina", DETROIT_CIRCLE)
    await console.say("Dede", SECOND)
    for number, circle in enumerate(CIRCLES, start=1):
        code = await code_of(console.core, circle)
        for said in (f"JOIN {code}", "Wanjiru", "/skip", "2"):
            await sms.say(PHONE, said)
        await console.say("Bob", f"/join {code}")
        await console.say("Bob", "/skip")
        if rsvp:
            await sms.say(PHONE, f"#{number} /rsvp yes")
    await sms.deliver()
    await console.deliver()


async def texts_at(chats: tuple[Chat, Phones], clock: FakeClock, at: datetime) -> list[str]:
    clock.set(at)
    await chats[1].core.tick()
    sent = [m.text for m in await chats[1].deliver() if m.address.chat_id == PHONE]
    assert not await chats[1].deliver(), "nothing goes twice"
    return sent


async def rows_of(chats: tuple[Chat, Phones], kind: str) -> list[OutboxMessage]:
    async with open_session(chats[1].core) as session:
        found = await session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.chat_id == PHONE)
        )
        return list(found.all())


async def test_two_checkins_due_together_are_one_text(
    chats: tuple[Chat, Phones], clock: FakeClock
) -> None:
    await in_two_circles(chats)
    [text] = await texts_at(chats, clock, CHECKINS)
    assert all(f"meeting 1 of {circle}?" in text for circle in CIRCLES), text
    assert sms_segments(text) <= 2, text  # no more than the two texts it replaces
    assert {row.status for row in await rows_of(chats, "checkin")} == {OutboxStatus.SENT}
    # Bob, in a chat app, still gets each with its five buttons.
    bobs = [m for m in await chats[0].deliver() if m.address.chat_id == "bob"]
    assert len([m for m in bobs if "meeting 1 of" in m.text]) == 2


async def test_reminders_already_answered_are_one_text(
    chats: tuple[Chat, Phones], clock: FakeClock
) -> None:
    await in_two_circles(chats, rsvp=True)
    [text] = await texts_at(chats, clock, DAY_BEFORE)
    assert all(text.count(circle) == 1 for circle in CIRCLES), text
    assert "Reply 1" not in text


async def test_reminders_each_asking_go_apart(chats: tuple[Chat, Phones], clock: FakeClock) -> None:
    """Two "Reply 1 for Yes or 2 for No." in one text: which circle would a 1 answer?"""
    await in_two_circles(chats)
    sent = await texts_at(chats, clock, DAY_BEFORE)
    assert len(sent) == 2 and all("Reply 1 for Yes or 2 for No." in text for text in sent)


# -- exactly once, when a combined text is cut short --------------------------------------------


@dataclass
class FlakyPhone:
    """An SMS gateway that fails once, on the second part it is given."""

    platform: str = "sms"
    capabilities: Capabilities = SMS_CAPABILITIES
    sent: list[str] = field(default_factory=list)
    failed: bool = False

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        if len(self.sent) == 1 and not self.failed:
            self.failed = True
            raise ConnectionError("gateway hiccup")
        self.sent.append(message.text)
        return Receipt(platform_message_id=str(len(self.sent)))


async def test_a_combined_text_cut_short_goes_on_and_nothing_goes_twice(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    sessions = session_factory(sqlite_engine)
    catalogs = Catalogs(LOCALES_DIR)
    words = {
        "Python for Everyone": "How was meeting 1 of Python for Everyone? " + "a " * 250,
        "Excel Basics": "How was meeting 1 of Excel Basics? " + "b" * 250,
    }
    async with sessions() as session, session.begin():
        for circle, text in words.items():
            key = OutboxKey(MessageKind.CHECKIN, f"circle:{circle}", f"chat:{PHONE}")
            message = Outbound(Address("sms", PHONE), text)
            assert await outbox.enqueue(session, key, message, "en", clock.now())
    phone = FlakyPhone()
    throttle = Throttle({"sms": RateLimit(1000, None, 8)})
    for _ in range(3):
        await dispatch_due(
            sessions, clock, catalogs, {"sms": phone}, throttle=throttle, rng=random.Random(1)
        )
        clock.advance(timedelta(minutes=10))
    # One text in two parts, cut inside the first's words: the first part, then (after the
    # hiccup) the second, each once; the second circle's words never again on their own.
    assert phone.failed and len(phone.sent) == 2, phone.sent
    joined = "".join(phone.sent)
    assert joined.count("b" * 250) == 1, phone.sent
    assert all(joined.count(circle) == 1 for circle in words), phone.sent
    async with sessions() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
        assert {row.status for row in rows} == {OutboxStatus.SENT}
