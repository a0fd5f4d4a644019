"""Storage on both back ends: the migrated schema, UTC datetimes, constraints, the insert-once
helpers behind the outbox and inbound de-duplication, and a whole conversation through a Core."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, func, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel, col, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Address, Outbound
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.outbox import OutboxKey
from bot.dialogue import receipts
from bot.storage.database import async_url, session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import Account, Circle, Meeting, OutboxMessage, Person
from tests.conftest import DETROIT_CIRCLE, DETROIT_DRAFT, T0, Chat, code_of
from tests.database import head_revision, open_session
from tests.platforms import PLATFORMS


def _schema_differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


def _circle(join_code: str = "ABCDEFG") -> Circle:
    draft = DETROIT_DRAFT
    return Circle(
        name=draft.name,
        course_title=draft.course_title,
        venue=draft.venue,
        city=draft.city,
        country_code=draft.country_code,
        timezone=draft.timezone,
        language=draft.language,
        weekday=draft.start_date.weekday(),
        start_time=draft.start_time,
        duration_minutes=draft.duration_minutes,
        meeting_count=draft.meeting_count,
        start_date=draft.start_date,
        join_code=join_code,
        created_at=T0,
    )


def _person(name: str = "Amina") -> Person:
    return Person(display_name=name, created_at=T0)


def _account(person_id: int, platform: str = "telegram", external_id: str = "amina") -> Account:
    return Account(
        person_id=person_id,
        platform=platform,
        external_id=external_id,
        address=external_id,
        created_at=T0,
        last_seen_at=T0,
    )


async def _stored_circle(engine: AsyncEngine) -> int:
    async with session_factory(engine)() as session, session.begin():
        circle = _circle()
        session.add(circle)
        await session.flush()
        assert circle.id is not None
        return circle.id


async def test_migrations_produce_exactly_the_models_schema(any_engine: AsyncEngine) -> None:
    async with any_engine.connect() as connection:
        assert await connection.run_sync(_schema_differences) == []


async def test_upgrade_twice_is_harmless_and_keeps_data(any_engine: AsyncEngine) -> None:
    await _stored_circle(any_engine)

    await upgrade(any_engine)

    async with any_engine.connect() as connection:
        assert await connection.run_sync(_schema_differences) == []
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
        assert version == head_revision()
    async with session_factory(any_engine)() as session:
        names = (await session.exec(select(Circle.name))).all()
    assert names == ["Python for Everyone"]


async def test_a_circle_from_before_the_weekly_rhythm_gets_its_defaults(
    any_engine: AsyncEngine,
) -> None:
    """Upgrading a live database: circles created under 0001 get the default rhythm."""
    async with any_engine.begin() as connection:
        await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    for table in reversed(SQLModel.metadata.sorted_tables):
        async with any_engine.begin() as connection:
            await connection.execute(text(f'DROP TABLE IF EXISTS "{table.name}"'))
    await upgrade(any_engine, "0001")
    async with any_engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO circle (name, course_title, venue, city, country_code, timezone, "
                "language, weekday, start_time, duration_minutes, meeting_count, start_date, "
                "join_code, status, created_at) VALUES ('Old', 'Course', 'Library', 'Detroit', "
                "'US', 'America/Detroit', 'en', 3, '18:00:00', 90, 6, '2026-10-29', 'ABCDEFG', "
                "'active', '2026-10-01 12:00:00')"
            )
        )
        # A row pointing at the circle: on SQLite, rebuilding the circle table must not fail
        # on it (it did, from 0015 on, for every live database with a meeting).
        await connection.execute(
            text(
                "INSERT INTO meeting (circle_id, number, starts_at, ends_at, status) VALUES "
                "(1, 1, '2026-10-29 22:00:00', '2026-10-29 23:30:00', 'scheduled')"
            )
        )
    await upgrade(any_engine)
    async with session_factory(any_engine)() as session:
        circle = (await session.exec(select(Circle))).one()
        meeting = (await session.exec(select(Meeting))).one()
    assert meeting.circle_id == circle.id
    assert circle.reminder_offsets == [24 * 60, 60]
    assert circle.checkin_days_after == 1
    assert circle.checkin_time == time(10, 0)
    assert circle.digest_minutes_before == 24 * 60


async def test_aware_datetimes_come_back_as_the_same_utc_instant(any_engine: AsyncEngine) -> None:
    circle_id = await _stored_circle(any_engine)
    # 18:00 in Nairobi (UTC+3) is 15:00 UTC.
    starts = datetime(2026, 10, 29, 18, 0, tzinfo=ZoneInfo("Africa/Nairobi"))
    async with session_factory(any_engine)() as session, session.begin():
        session.add(
            Meeting(
                circle_id=circle_id,
                number=1,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=90),
            )
        )

    async with session_factory(any_engine)() as session:
        meeting = (await session.exec(select(Meeting))).one()
    assert meeting.starts_at == starts
    assert meeting.starts_at.utcoffset() == timedelta(0)
    assert meeting.starts_at.tzinfo is UTC
    assert (meeting.starts_at.hour, meeting.starts_at.minute) == (15, 0)
    assert meeting.ends_at == datetime(2026, 10, 29, 16, 30, tzinfo=UTC)


async def test_naive_datetimes_are_refused(any_engine: AsyncEngine) -> None:
    async with session_factory(any_engine)() as session:
        session.add(Person(display_name="Amina", created_at=datetime(2026, 10, 20, 14, 0)))
        with pytest.raises(StatementError, match="naive datetime"):
            await session.commit()


async def test_one_account_per_platform_and_external_id(any_engine: AsyncEngine) -> None:
    sessions = session_factory(any_engine)
    async with sessions() as session, session.begin():
        amina, other = _person("Amina"), _person("Someone else")
        session.add_all([amina, other])
        await session.flush()
        assert amina.id is not None and other.id is not None
        session.add(_account(amina.id))
        # The same external id on another platform is a different account.
        session.add(_account(amina.id, platform="discord"))
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            session.add(_account(other.id))


async def test_join_codes_are_unique(any_engine: AsyncEngine) -> None:
    await _stored_circle(any_engine)
    with pytest.raises(IntegrityError):
        async with session_factory(any_engine)() as session, session.begin():
            session.add(_circle(join_code="ABCDEFG"))


async def test_a_circle_has_one_meeting_per_number(any_engine: AsyncEngine) -> None:
    circle_id = await _stored_circle(any_engine)
    sessions = session_factory(any_engine)

    def meeting(number: int) -> Meeting:
        return Meeting(circle_id=circle_id, number=number, starts_at=T0, ends_at=T0)

    async with sessions() as session, session.begin():
        session.add_all([meeting(1), meeting(2)])
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            session.add(meeting(2))


async def test_foreign_keys_are_enforced(any_engine: AsyncEngine) -> None:
    with pytest.raises(IntegrityError):
        async with session_factory(any_engine)() as session, session.begin():
            session.add(Meeting(circle_id=999, number=1, starts_at=T0, ends_at=T0))


async def test_enqueue_with_the_same_key_stores_one_row(any_engine: AsyncEngine) -> None:
    key = OutboxKey("meeting-moved", "meeting:12", "person:7", "2026-11-05T23:00:00+00:00")
    message = Outbound(Address("telegram", "4242"), "Meeting 2 has moved.")
    sessions = session_factory(any_engine)

    async with sessions() as session, session.begin():
        assert await outbox.enqueue(session, key, message, "en", T0) is True
        assert await outbox.enqueue(session, key, message, "en", T0) is False
    async with sessions() as session, session.begin():  # a second process deriving it again
        retry = Outbound(Address("telegram", "4242"), "Meeting 2 has moved (again).")
        assert await outbox.enqueue(session, key, retry, "en", T0 + timedelta(hours=1)) is False
        other = OutboxKey("meeting-moved", "meeting:12", "person:8", key.occurrence)
        assert await outbox.enqueue(session, other, message, "en", T0) is True

    async with sessions() as session:
        rows = (await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))).all()
    assert [row.idempotency_key for row in rows] == [str(key), str(other)]
    assert rows[0].payload["text"] == "Meeting 2 has moved."
    assert rows[0].created_at == T0


async def test_an_inbound_message_id_is_handled_once(any_engine: AsyncEngine) -> None:
    sessions = session_factory(any_engine)
    async with sessions() as session, session.begin():
        assert await receipts.first_time(session, "telegram", "1001", T0) is True
        assert await receipts.first_time(session, "telegram", "1001", T0) is False
    async with sessions() as session, session.begin():
        assert await receipts.first_time(session, "telegram", "1001", T0) is False
        # Message ids are only unique per platform.
        assert await receipts.first_time(session, "discord", "1001", T0) is True
        assert await receipts.first_time(session, "telegram", "1002", T0) is True


async def test_a_circle_is_created_joined_and_asked_about(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = Chat(Core(any_engine, clock, random.Random(1), platforms=PLATFORMS))

    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(chat.core, "Python for Everyone")
    assert "Welcome to Python for Everyone, Brian!" in await chat.say("Brian", f"/join {code}")
    answer = await chat.say("Brian", "/next")

    # Babel separates the time from AM/PM with a narrow no-break space.
    assert "6:00 PM" in " ".join(answer.split())
    assert "Thursday, October 29, 2026" in answer
    assert "Detroit Public Library" in answer
    sent = await chat.deliver()
    assert [(m.address.chat_id, m.text) for m in sent] == [
        ("amina", "Brian joined Python for Everyone. That's 1 learner now.")
    ]
    async with open_session(chat.core) as session:
        meetings = (await session.exec(select(func.count()).select_from(Meeting))).one()
    assert meetings == 6


async def test_sqlite_uses_wal_and_enforces_foreign_keys(sqlite_engine: AsyncEngine) -> None:
    async with sqlite_engine.connect() as connection:
        assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert await connection.scalar(text("PRAGMA foreign_keys")) == 1


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "postgres://u:secret@db.example:5432/circles",
            "postgresql+asyncpg://u:secret@db.example:5432/circles",
        ),
        (
            "postgresql://u:secret@db.example/circles",
            "postgresql+asyncpg://u:secret@db.example/circles",
        ),
        ("postgresql+psycopg://u@db.example/circles", "postgresql+asyncpg://u@db.example/circles"),
        ("sqlite:///circlebot.db", "sqlite+aiosqlite:///circlebot.db"),
        ("sqlite:////var/lib/circlebot/bot.db", "sqlite+aiosqlite:////var/lib/circlebot/bot.db"),
    ],
)
def test_async_url_picks_the_async_driver(given: str, expected: str) -> None:
    assert async_url(given) == expected


@pytest.mark.parametrize("url", ["mysql://u@db.example/circles", "mssql+pyodbc://u@dsn"])
def test_async_url_refuses_other_databases(url: str) -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        async_url(url)
