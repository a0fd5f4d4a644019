"""A letter written in a circle that meets online (walkthrough in German and Danish): it said
"From Vienna, Austria", where its facilitator lives, though its learners are anywhere, and that
city kept it from a circle starting there. It comes "from an online circle", to any circle."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.letters.matching import PoolLetter, Recipient, match
from bot.letters.relay import first_meeting_letters_by_text
from bot.storage.models import Letter
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    GLOBAL,
    TEXT,
    approved_letter,
    detroit,
    drain,
    letters_in,
)
from tests.letters.test_walkthrough_letters import first_meeting, relaying

# Sabine lives in Vienna; her circle meets at a link, its learners anywhere.
ONLINE = (
    '/newcircle name="Web Design" course="Web Design" venue="Online" '
    "link=https://meet.example.org/wd city=Vienna country=AT zone=Europe/Vienna "
    "start=2026-10-29 time=18:00 meetings=6"
)
VIENNA = (
    '/newcircle name="Excel" course="Excel for All" venue="Hauptbücherei" city=Vienna '
    "country=AT zone=Europe/Vienna start=2026-12-08 time=17:00 meetings=6"
)
VIENNA_FIRST = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
AARHUS = (
    '/newcircle name="Foto" course="Fotografi for begyndere" venue="Dokk1" city=Aarhus '
    "country=DK zone=Europe/Copenhagen start=2026-12-08 time=17:00 meetings=6"
)


async def online_letter(core: Core, chat: Chat, clock: FakeClock) -> None:
    """Brian, in Sabine's online circle, writes the usual letter after meeting 3; she approves."""
    assert "is ready" in await chat.say("Sabine", ONLINE)
    await chat.say("Brian", "/join " + await code_of(core, "Web Design"))
    await chat.say("Brian", "/skip")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    assert "Write to a new circle far away" in await chat.say("Brian", "/letter")
    asked = await chat.say("Brian", TEXT)
    assert "It will say it comes from an online circle, never how to reach you." in asked, asked
    await chat.say("Brian", "1")
    [letter] = await letters_in(core)
    assert letter.online
    await chat.say("Sabine", f"/letters approve {letter.id}")


async def test_a_letter_from_an_online_circle_reaches_its_facilitators_city(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await online_letter(core, chat, clock)
    await chat.say("Anna", VIENNA)
    await chat.say("Dana", "/join " + await code_of(core, "Excel"))
    await chat.say("Dana", "/skip")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, VIENNA_FIRST)
    [read] = [m.text for m in sent if m.address.chat_id == "dana" and TEXT in m.text]
    assert "From an online circle" in read and "Vienna" not in read, read
    [posted] = [m.text for m in sent if m.address == GLOBAL]
    assert posted.startswith("From an online circle to Vienna, Austria:"), posted
    [told] = [m.text for m in sent if m.address.chat_id == "brian" and "reached" in m.text]
    assert "Your letter reached a learning circle in Vienna, Austria today." in told
    assert (await letters_in(core))[0].deliveries == 1


async def test_a_letter_from_an_online_circle_is_read_in_aarhus_from_an_online_circle(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await online_letter(core, chat, clock)
    await chat.say("Mette", AARHUS, locale_hint="da")
    await chat.say("Sofie", "/join " + await code_of(core, "Foto"), locale_hint="da")
    await chat.say("Sofie", "/skip", locale_hint="da")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, VIENNA_FIRST)
    [read] = [m.text for m in sent if m.address.chat_id == "sofie" and TEXT in m.text]
    assert "Fra en onlinecirkel:" in read and "Wien" not in read, read
    [posted] = [m.text for m in sent if m.address == GLOBAL]
    assert posted.startswith("From an online circle to Aarhus, Denmark:"), posted


async def test_a_letter_to_an_online_circle_says_it_reached_an_online_circle(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await approved_letter(core, chat, clock, "Brian")
    await chat.say("Sabine", ONLINE.replace("2026-10-29", "2026-12-08").replace("18:00", "17:00"))
    await chat.say("Dana", "/join " + await code_of(core, "Web Design"))
    await chat.say("Dana", "/skip")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, VIENNA_FIRST)
    assert [m for m in sent if m.address.chat_id == "dana" and TEXT in m.text]
    [posted] = [m.text for m in sent if m.address == GLOBAL]
    assert posted.startswith("From Detroit, United States to an online circle:"), posted
    told = [m.text for m in sent if m.address.chat_id == "brian" and "reached" in m.text]
    assert told == ["Your letter reached an online learning circle today."], told


def test_an_online_circle_is_in_no_city_for_matching() -> None:
    """A letter from an online circle in Vienna may go to a circle in Vienna, in person or
    online, and an online circle in Vienna may get a letter from an in-person one there; two
    in-person circles in Vienna still never exchange."""
    approved = datetime(2026, 11, 13, tzinfo=UTC)

    def written(id: int, online: bool) -> PoolLetter:
        return PoolLetter(id, 100 + id, 200 + id, "Vienna", "AT", "de", approved, online=online)

    def starting(id: int, online: bool) -> Recipient:
        return Recipient(id, "Vienna", "AT", "de", VIENNA_FIRST, wanted=1, online=online)

    for letter_online, circle_online in [(True, False), (True, True), (False, True)]:
        got = match([written(1, letter_online)], [starting(1, circle_online)])
        assert got == {1: [1]}, (letter_online, circle_online)
    assert match([written(1, False)], [starting(1, False)]) == {1: []}


def test_letters_by_text_name_an_online_circle(shared_catalogs: Catalogs) -> None:
    """By SMS, several letters in one text: each line says where it comes from."""

    def written(number: int, online: bool) -> Letter:
        return Letter(
            id=number,
            circle_id=number,
            author_id=number,
            signature="Brian",
            city="Vienna",
            country_code="AT",
            online=online,
            language="en",
            text=TEXT,
            created_at=datetime(2026, 11, 13, tzinfo=UTC),
        )

    tr = shared_catalogs.translator("en")
    lines = first_meeting_letters_by_text(tr, [written(1, True), written(2, False)]).splitlines()
    assert lines[1].startswith('#1 Online circle: "Hello from Detroit!'), lines
    assert lines[2].startswith('#2 Vienna, Austria: "Hello from Detroit!'), lines
