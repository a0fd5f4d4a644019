"""SMS walkthrough (es): BUSCAR's numbered list stayed open for a week and more, so a "2"
texted eight days later, meaning something else, joined circle 2 of the old list. A search's
numbers answer for a day; after that a "2" is read as if no list had been offered."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import Circle, Membership
from tests.circles.test_find import listed, names_in_order
from tests.circles.test_waiting_list import full_circle, leave
from tests.conftest import T0, Chat
from tests.database import open_session

# Short, so that both fit in BUSCAR's two SMS parts.
LIMA_CIRCLES = (
    '/newcircle name="Inglés" course="Inglés" venue="Biblioteca" city=Lima country=PE '
    "zone=America/Lima start=2026-11-05 time=19:00 meetings=6 language=es",
    '/newcircle name="Excel" course="Excel" venue="Biblioteca" city=Lima country=PE '
    "zone=America/Lima start=2026-11-12 time=18:00 meetings=6 language=es",
)
ROSA = "+51987000222"


async def lima_listing(chat: Chat, phones: Chat) -> list[str]:
    await listed(chat, "Carmen", LIMA_CIRCLES[0])
    await listed(chat, "Lucho", LIMA_CIRCLES[1])
    found = names_in_order(await phones.say(ROSA, "BUSCAR LIMA"))
    assert len(found) == 2, found
    return found


async def test_a_number_days_after_the_search_joins_no_circle_from_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    found = await lima_listing(chat, phones)
    clock.set(T0 + timedelta(days=8))
    answer = await phones.say(ROSA, "2")
    assert found[1] not in answer and found[0] not in answer, answer
    assert answer.startswith("No entend"), answer  # as if no list had been offered
    assert await members_of(core, "Excel") == 1  # Lucho alone: the old pick never happened


async def test_a_number_soon_after_the_search_still_joins_that_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    found = await lima_listing(chat, phones)
    clock.set(T0 + timedelta(hours=1))
    answer = await phones.say(ROSA, "2")
    assert found[1] in answer, answer
    assert await members_of(core, "Excel") == 2


async def test_a_seat_offered_is_still_taken_by_its_number_a_day_later(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A seat offered to someone waiting is held for two days (seats.OFFER_HOLD): its "1"
    answers for as long, unlike a search's listing."""
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await full_circle(chat, core)
    assert "waiting list" in await phone.say(ROSA, "#1 /find")
    await leave(chat, "Brian")
    assert [m for m in await phone.deliver() if "Python for Everyone" in m.text]  # the offer
    clock.advance(timedelta(hours=30))
    assert "bienvenida a Python for Everyone" in await phone.say(ROSA, "1")


async def members_of(core: Core, name: str) -> int:
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == name))).one()
        rows = await session.exec(select(Membership).where(Membership.circle_id == circle.id))
        return len(rows.all())
