"""Real concurrency on PostgreSQL: several Cores, each on its own engine (as separate processes
would be), handle messages and drain the outbox at the same moment, and the invariants hold.

SQLite has one writer at a time, so these run on PostgreSQL only (`pg_engine`).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Address, Capabilities, Inbound, Outbound, Receipt
from bot.circles.joincodes import MAX_WRONG_CODES
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.outbox import OutboxKey
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import (
    Account,
    InboundReceipt,
    JoinAttempt,
    Membership,
    OutboxStatus,
    Person,
    Role,
)
from tests.conftest import DETROIT_CIRCLE, T0, Chat, code_of
from tests.database import head_revision, open_session
from tests.platforms import PLATFORMS

CORES = 4  # engines (connection pools) on the same database, like four worker processes
POOL_SIZE = 5  # SQLAlchemy's default: the connections each engine keeps open
CAPABILITIES = Capabilities(max_text_length=4000)
WENT_WRONG = "something went wrong"


@pytest.fixture
async def cores(pg_engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[list[Core]]:
    """Cores on separate engines pointing at the test database, so transactions truly overlap."""
    url = pg_engine.url.render_as_string(hide_password=False)
    engines = [create_engine(url) for _ in range(CORES)]
    try:
        # Open every pooled connection first: connecting takes a while, and a burst that waited
        # for it would be staggered instead of simultaneous.
        await asyncio.gather(*(_warm(engine) for engine in engines))
        yield [
            Core(engine, clock, random.Random(index), platforms=PLATFORMS)
            for index, engine in enumerate(engines)
        ]
    finally:
        for engine in engines:
            await engine.dispose()


async def _warm(engine: AsyncEngine) -> None:
    async def hold(barrier: asyncio.Barrier) -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            await barrier.wait()  # all at once, so the pool opens that many connections

    barrier = asyncio.Barrier(POOL_SIZE)
    await asyncio.gather(*(hold(barrier) for _ in range(POOL_SIZE)))


async def handle_at_once(cores: list[Core], inbounds: list[Inbound]) -> list[str]:
    """Every inbound handled at the same time, spread over the cores: each reply set as text."""
    reply_sets = await asyncio.gather(
        *(
            cores[index % len(cores)].handle(inbound, CAPABILITIES)
            for index, inbound in enumerate(inbounds)
        )
    )
    return ["\n".join(reply.text for reply in replies) for replies in reply_sets]


async def count(core: Core, table: type[SQLModel], *where: object) -> int:
    async with open_session(core) as session:
        statement = select(func.count()).select_from(table).where(*where)  # type: ignore[arg-type]
        return (await session.exec(statement)).one()


async def account_id_of(core: Core, external_id: str) -> int:
    async with open_session(core) as session:
        account = (
            await session.exec(select(Account).where(Account.external_id == external_id))
        ).one()
        assert account.id is not None
        return account.id


async def test_two_first_messages_from_one_new_person_make_one_person(
    cores: list[Core],
) -> None:
    chat = Chat(cores[0])

    answers = await handle_at_once(
        cores,
        [
            chat.inbound("Amina", "/help", message_id="first-1"),
            chat.inbound("Amina", "/start", message_id="first-2"),
        ],
    )

    assert all(answer and WENT_WRONG not in answer for answer in answers), answers
    assert "Here's what you can do" in answers[0]
    assert "I'm circlebot" in answers[1]
    assert await count(cores[0], Person) == 1
    assert await count(cores[0], Account) == 1


async def test_the_same_join_sent_three_times_at_once_joins_once(cores: list[Core]) -> None:
    chat = Chat(cores[0])
    assert "is ready" in await chat.say("Rosa", DETROIT_CIRCLE)
    code = await code_of(cores[0], "Python for Everyone")
    assert "Here's what you can do" in await chat.say("Brian", "/help")  # Brian is known

    answers = await handle_at_once(
        cores,
        [chat.inbound("Brian", f"/join {code}", message_id=f"join-{n}") for n in range(3)],
    )

    assert WENT_WRONG not in "\n".join(answers), answers
    assert sum("Welcome to Python for Everyone" in answer for answer in answers) == 1, answers
    assert sum("already in Python for Everyone" in answer for answer in answers) == 2, answers
    assert await count(cores[0], Membership, Membership.role == Role.LEARNER) == 1
    to_rosa = [row for row in await chat.outbox() if row.chat_id == "rosa"]
    assert [row.kind for row in to_rosa] == ["member-joined"]
    assert "Brian joined Python for Everyone" in to_rosa[0].payload["text"]


async def test_twenty_wrong_codes_at_once_record_at_most_the_limit(cores: list[Core]) -> None:
    chat = Chat(cores[0])
    assert "Here's what you can do" in await chat.say("Mallory", "/help")
    account_id = await account_id_of(cores[0], "mallory")

    answers = await handle_at_once(
        cores,
        [chat.inbound("Mallory", "/join ZZZZ222", message_id=f"guess-{n}") for n in range(20)],
    )

    attempts = await count(cores[0], JoinAttempt, JoinAttempt.account_id == account_id)
    assert attempts <= MAX_WRONG_CODES
    wrong = [answer for answer in answers if "couldn't find a circle" in answer]
    slowed = [answer for answer in answers if "Please wait" in answer]
    assert len(wrong) == attempts, answers
    assert len(slowed) == len(answers) - attempts, answers


@dataclass
class SlowAdapter:
    """A platform that takes a moment to accept each message, so two dispatchers overlap."""

    platform: str = "console"
    capabilities: Capabilities = CAPABILITIES
    received: list[Outbound] = field(default_factory=list)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        await asyncio.sleep(0.05)
        self.received.append(message)
        return Receipt(platform_message_id=str(len(self.received)))


async def test_two_dispatchers_at_once_send_every_row_exactly_once(cores: list[Core]) -> None:
    rows = 120  # more than one run takes: the two split them
    async with open_session(cores[0]) as session, session.begin():
        for n in range(rows):
            message = Outbound(Address("console", f"learner-{n}"), f"Message {n}")
            key = OutboxKey("test", f"row:{n}", f"person:{n}")
            assert await outbox.enqueue(session, key, message, "en", T0)
    first, second = SlowAdapter(), SlowAdapter()

    async def drain(core: Core, adapter: SlowAdapter) -> int:
        sent = 0
        while sent < rows and (just := await core.dispatch({"console": adapter})):
            sent += just
        return sent

    sent = await asyncio.gather(drain(cores[0], first), drain(cores[1], second))

    keys = [message.idempotency_key for message in first.received + second.received]
    duplicates = [key for key, times in Counter(keys).items() if times > 1]
    assert duplicates == []
    assert sorted(keys) == sorted(f"test|row:{n}|person:{n}|" for n in range(rows))
    assert sum(sent) == rows
    assert first.received and second.received  # the two dispatchers really shared the work
    stored = await Chat(cores[0]).outbox()
    assert [(row.status, row.attempts) for row in stored] == [(OutboxStatus.SENT, 1)] * rows


async def test_one_message_delivered_twice_at_once_is_answered_once(cores: list[Core]) -> None:
    chat = Chat(cores[0])
    inbound = chat.inbound("Amina", "/start", message_id="resent-1")

    answers = await handle_at_once(cores, [inbound, inbound])

    assert sorted(bool(answer) for answer in answers) == [False, True], answers
    assert "I'm circlebot" in "".join(answers)
    assert await count(cores[0], InboundReceipt) == 1
    assert await count(cores[0], Person) == 1


async def test_two_processes_upgrading_a_fresh_database_at_once_both_succeed(
    pg_engine: AsyncEngine,
) -> None:
    """Two `circlebot run` started together on an empty database: one migrates, one waits."""
    async with pg_engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    other = create_engine(pg_engine.url.render_as_string(hide_password=False))
    try:
        # Without the lock the two DDL transactions block each other: fail, do not hang.
        await asyncio.wait_for(asyncio.gather(upgrade(pg_engine), upgrade(other)), timeout=60)
    finally:
        await other.dispose()
    async with pg_engine.connect() as connection:
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    assert version == head_revision()


async def test_two_schedulers_never_deliver_a_letter_beyond_its_limit(
    cores: list[Core], clock: FakeClock
) -> None:
    """Two processes match at once for two starting circles; the pool holds one letter that
    may reach one circle: exactly one circle gets it."""
    from bot.letters import letters
    from bot.storage.models import Circle, Letter, LetterDelivery, LetterStatus, Meeting

    chat = Chat(cores[0])
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    for name, city in (("Wanjiru", "Nairobi"), ("Akello", "Kampala")):
        await chat.say(
            name,
            f'/newcircle name="First in {city}" course="Course" venue="Library" city={city} '
            "country=KE zone=Africa/Nairobi start=2026-12-08 time=17:00 meetings=6",
        )
    async with open_session(cores[0]) as session, session.begin():
        detroit = (await session.exec(select(Circle).where(Circle.city == "Detroit"))).one()
        session.add(
            Letter(
                circle_id=detroit.id or 0,
                signature="Brian",
                city="Detroit",
                country_code="US",
                language="en",
                text="Come every week, even when you feel behind. It gets easier.",
                status=LetterStatus.POOLED,
                created_at=T0,
                approved_at=T0,
            )
        )

    async def match(core: Core, city: str) -> None:
        async with open_session(core) as session, session.begin():
            circle = (await session.exec(select(Circle).where(Circle.city == city))).one()
            first = (
                await session.exec(select(Meeting).where(Meeting.circle_id == circle.id))
            ).first()
            assert first is not None
            await letters.match_for(session, [(circle, first)], 1, T0)

    await asyncio.gather(match(cores[1], "Nairobi"), match(cores[2], "Kampala"))
    async with open_session(cores[0]) as session:
        deliveries = (await session.exec(select(LetterDelivery))).all()
        [letter] = (await session.exec(select(Letter))).all()
    assert len(deliveries) == 1
    assert letter.deliveries == 1
