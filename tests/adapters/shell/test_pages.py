"""The public pages over real HTTP on 127.0.0.1: the credential verification page and its short
link, the signed file, the issuer's keys and profile, the network of letters, the directory of
open circles, the courses; languages from ?lang= then Accept-Language; unknown links answered
404."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer, make_mocked_request
from multidict import CIMultiDictProxy
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from adapters.shell.pages.rendering import Pages
from adapters.shell.web import build_app
from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Capabilities
from bot.circles.discovery import OpenCircle
from bot.core import Core
from bot.network import courses
from bot.reports.credentials import CredentialIssuer, SigningKeys
from bot.storage.models import Circle, Credential, Letter, LetterDelivery, LetterStatus, Meeting
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.seasons import starts

BASE = "https://circles.example.org"
SHORT_CIRCLE = (
    '/newcircle name="Python for Everyone" course="Python for Everybody" '
    'url=https://www.py4e.com venue="Detroit Public Library" city=Detroit country=US '
    "zone=America/Detroit start=2026-10-29 time=18:00 meetings=2"
)
NAIROBI_CIRCLE = (
    '/newcircle name="Nairobi Coders" course="Python for Everybody" '
    'venue="McMillan Library" city=Nairobi country=KE zone=Africa/Nairobi '
    "start=2026-12-08 time=17:00 meetings=6"
)
WITH_FILES = Capabilities(max_text_length=4000, files=True)


@dataclass
class Site:
    core: Core
    server: TestServer
    public_id: str  # Brian's credential
    code: str

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))


async def seed(core: Core, clock: FakeClock) -> tuple[str, str]:
    """Brian completes a two-meeting circle in Detroit and takes his credential; three letters
    from Detroit are read in Nairobi. Returns the credential's public id and short code."""
    chat = Chat(core)
    assert "is ready" in await chat.say("Amina", SHORT_CIRCLE)
    assert "is ready" in await chat.say("Wanjiru", NAIROBI_CIRCLE)
    await chat.say("Wanjiru", "/listing on")  # the directory shows it
    code = await code_of(core, "Python for Everyone")
    assert "Welcome" in await chat.say("Brian", f"/join {code}")
    await chat.say("Brian", "To learn Python with others.")
    await chat.say("Brian", "no")
    for number in (1, 2):
        clock.set(starts(number) + timedelta(minutes=5))
        assert "You're here" in await chat.say("Brian", "/here")
    clock.set(starts(2) + timedelta(hours=3))
    await core.handle(chat.inbound("Brian", "/portfolio"), WITH_FILES)
    async with open_session(core) as session:
        detroit = (await session.exec(select(Circle).where(Circle.city == "Detroit"))).one()
        nairobi = (await session.exec(select(Circle).where(Circle.city == "Nairobi"))).one()
        first = (await session.exec(select(Meeting).where(Meeting.circle_id == nairobi.id))).first()
        assert first is not None and first.id is not None
        for n, city in enumerate(("Detroit", "Detroit", "detroit ")):
            letter = Letter(
                circle_id=detroit.id,  # type: ignore[arg-type]
                signature=f"Writer {n}",
                city=city,
                country_code="US",
                language="en",
                text="A private word that never shows on the page.",
                status=LetterStatus.POOLED,
                created_at=datetime(2026, 11, 5, tzinfo=UTC),
                deliveries=1,
            )
            session.add(letter)
            await session.flush()
            session.add(
                LetterDelivery(
                    letter_id=letter.id,  # type: ignore[arg-type]
                    circle_id=nairobi.id,  # type: ignore[arg-type]
                    meeting_id=first.id,
                    matched_at=datetime(2026, 12, 8, tzinfo=UTC),
                )
            )
        for circle in (detroit, nairobi):  # the course record both circles share
            await courses.link_circle(session, circle)
        credential = (await session.exec(select(Credential))).one()
        await session.commit()
    return credential.public_id, credential.code


@pytest.fixture
async def site(sqlite_engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[Site]:
    issuer = CredentialIssuer(SigningKeys.generate(), BASE, "Circles Example", 5)
    core = Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS, credentials=issuer)
    public_id, code = await seed(core, clock)
    server = TestServer(build_app(core), host="127.0.0.1")
    await server.start_server()
    try:
        yield Site(core, server, public_id, code)
    finally:
        await server.close()


async def get(
    site: Site, path: str, headers: dict[str, str] | None = None
) -> tuple[int, str, CIMultiDictProxy[str]]:
    async with aiohttp.ClientSession() as client:
        async with client.get(site.url(path), headers=headers, allow_redirects=False) as answer:
            return answer.status, await answer.text(), answer.headers


async def test_the_verification_page_shows_what_was_signed(site: Site) -> None:
    status, html, headers = await get(site, f"/credentials/{site.public_id}")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert '<html lang="en">' in html
    assert "Verified: signed by Circles Example" in html
    assert "Brian" in html and "Python for Everybody" in html
    assert "2 of 2 meetings" in html
    # When it was issued, in the reader's language: the day in Detroit (21:00 on Thursday),
    # not in UTC (02:00 on Friday).
    assert "Thursday, November 5, 2026" in html and "November 6" not in html
    _, french, _ = await get(site, f"/credentials/{site.public_id}?lang=fr")
    assert "jeudi 5 novembre 2026" in french
    assert "<script" not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html  # a learner's name


async def test_the_short_link_leads_to_the_page_in_any_case(site: Site) -> None:
    status, _, headers = await get(site, f"/c/{site.code.lower()}?lang=fr")
    assert status == 302
    assert headers["Location"] == f"/credentials/{site.public_id}?lang=fr"


async def test_the_signed_file_and_the_keys_are_published(site: Site) -> None:
    status, token, headers = await get(site, f"/credentials/{site.public_id}.jwt")
    assert status == 200 and headers["Content-Type"].startswith("application/vc+jwt")
    assert token.count(".") == 2
    status, keys, _ = await get(site, "/.well-known/jwks.json")
    assert status == 200 and '"kty": "EC"' in keys and '"d"' not in keys
    status, profile, _ = await get(site, "/issuer")
    assert status == 200 and '"Profile"' in profile and "Circles Example" in profile


async def test_unknown_credentials_are_not_found(site: Site) -> None:
    for path in (
        "/credentials/00000000-0000-4000-8000-000000000000",
        "/credentials/00000000-0000-4000-8000-000000000000.jwt",
        "/c/ZZZZZZZZ",
        "/c/" + "9" * 5000,
        "/credentials/%00%ff",
    ):
        status, html, _ = await get(site, path)
        assert status == 404, path
        assert "Nothing here" in html


async def test_the_language_comes_from_lang_then_accept_language(site: Site) -> None:
    path = f"/credentials/{site.public_id}"
    _, html, _ = await get(site, path, {"Accept-Language": "sw-KE, en;q=0.5"})
    assert '<html lang="sw">' in html
    assert "Alhamisi" in html  # Thursday, by Babel, whatever the catalog holds
    _, html, _ = await get(site, path + "?lang=de", {"Accept-Language": "sw"})
    assert '<html lang="de">' in html
    _, html, _ = await get(site, path, {"Accept-Language": "fr;q=0.2, es;q=0.9, *"})
    assert '<html lang="es">' in html
    _, html, _ = await get(site, path + "?lang=xx-nonsense")
    assert '<html lang="en">' in html


async def test_the_network_page_counts_letters_between_places_and_names_nobody(
    site: Site,
) -> None:
    status, html, _ = await get(site, "/network")
    assert status == 200
    assert "<svg" in html
    assert "United States → Kenya" in html
    # One route, whatever the case the city was typed in.
    assert html.count("<td>Detroit, United States</td>") == 1
    assert '<td class="n">3</td>' in html
    assert "Writer" not in html and "private word" not in html


async def test_without_a_key_there_are_no_credentials_to_show(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS)
    server = TestServer(build_app(core), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as client:
            async with client.get(server.make_url("/issuer")) as answer:
                assert answer.status == 404
            async with client.get(server.make_url("/.well-known/jwks.json")) as answer:
                assert await answer.json(content_type=None) == {"keys": []}
    finally:
        await server.close()


async def test_the_directory_shows_open_circles_and_how_to_join_without_a_code(
    site: Site,
) -> None:
    status, html, _ = await get(site, "/circles?place=Kenya&lang=en")
    assert status == 200
    assert "Nairobi Coders" in html and "Nairobi, Kenya" in html
    assert "FIND NAIROBI" in html
    assert "Python for Everyone" not in html  # over: nobody can join it now
    async with open_session(site.core) as session:
        nairobi = (await session.exec(select(Circle).where(Circle.city == "Nairobi"))).one()
    assert nairobi.join_code not in html and "Wanjiru" not in html


async def test_the_directory_filters_by_course_and_language(site: Site) -> None:
    _, html, _ = await get(site, "/circles?course=python&language=English")
    assert "Nairobi Coders" in html
    _, html, _ = await get(site, "/circles?course=knitting")
    assert "Nairobi Coders" not in html and "No open circle matches" in html
    _, html, _ = await get(site, "/circles?language=" + "x" * 5_000)  # cut to 100
    assert "No open circle matches" in html
    _, html, _ = await get(site, "/circles?city=nairobi")  # case and accents aside
    assert "Nairobi Coders" in html
    _, html, _ = await get(site, "/circles?city=Mombasa")  # a city leaves the others out
    assert "Nairobi Coders" not in html and "No open circle matches" in html


async def test_the_courses_and_a_course_page(site: Site) -> None:
    status, html, _ = await get(site, "/courses")
    assert status == 200
    assert "Python for Everybody" in html
    course_link = html.split('href="/courses/', 1)[1].split("?", 1)[0]
    status, html, _ = await get(site, f"/courses/{course_link}?lang=en")
    assert status == 200
    assert "<h1>Python for Everybody</h1>" in html
    assert "Detroit, United States" in html  # a circle that took it
    for missing in ("/courses/999999", "/courses/99999999999999999999", "/courses/abc"):
        status, _, _ = await get(site, missing)
        assert status == 404


def test_templates_are_translated_through_the_gettext_catalogs(tmp_path: Path) -> None:
    """Jinja2's i18n extension on a catalog like the shipped ones (these msgids are not
    translated yet in locales/, so a catalog of two entries stands in)."""
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Nothing here"\nmsgstr "Aquí no hay nada"\n\n'
        'msgid "%(num)d seat left"\nmsgid_plural "%(num)d seats left"\n'
        'msgstr[0] "Queda %(num)d plaza"\nmsgstr[1] "Quedan %(num)d plazas"\n',
        encoding="utf-8",
    )
    pages = Pages(Catalogs(tmp_path))
    request = make_mocked_request("GET", "/nowhere", headers={"Accept-Language": "es-MX"})
    answer = pages.render(request, "not_found.html", {})
    assert answer.text is not None and "<h1>Aquí no hay nada</h1>" in answer.text
    listed = [
        OpenCircle(
            circle_id=1,
            name="<script>alert(1)</script>",
            course_title="Python",
            course_url=None,
            city="Lima",
            country_code="PE",
            language="es",
            weekday=0,
            start_time=time(18, 0),
            timezone="America/Lima",
            next_meeting=datetime(2026, 12, 7, 23, tzinfo=UTC),
            seats_left=seats,
            waiting=0,
            signup_deadline=None,
        )
        for seats in (1, 3)
    ]
    seats = pages.render(request, "circles.html", {"circles": listed, "place": "", "course": ""})
    assert seats.text is not None and '<html lang="es">' in seats.text
    assert "Queda 1 plaza" in seats.text and "Quedan 3 plazas" in seats.text
    assert "Perú" in seats.text and "lunes" in seats.text  # Babel's names and dates
    assert "<script>" not in seats.text and "&lt;script&gt;" in seats.text  # escaped


async def test_the_directory_says_where_to_write_and_the_site_root_leads_there(
    site: Site,
) -> None:
    """The ways in the bot knows, as /invite gives them: the Telegram bot (and a link that
    opens it) and the number people in the circle's country text."""
    site.core.reach["telegram"] = ("@circle_test_bot",)
    site.core.join_links["telegram"] = "https://t.me/circle_test_bot?start={code}"
    site.core.reach["sms"] = ("+15005550006", "+254711082000")
    _, html, _ = await get(site, "/circles?place=Kenya&lang=en")
    assert "On Telegram: send /find Nairobi to @circle_test_bot" in html
    assert '<a href="https://t.me/circle_test_bot" rel="noopener">' in html
    assert "By SMS: text FIND NAIROBI to +254711082000" in html
    assert "to circlebot" not in html and "+15005550006" not in html
    async with open_session(site.core) as session:
        nairobi = (await session.exec(select(Circle).where(Circle.city == "Nairobi"))).one()
    assert nairobi.join_code not in html

    status, _, headers = await get(site, "/?lang=sw")
    assert status == 302 and headers["Location"] == "/circles?lang=sw"
