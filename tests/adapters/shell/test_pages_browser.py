"""The public pages in a real headless browser: Debian's chromium, driven by Selenium through
the system chromedriver, at a small phone's width (360 px) with JavaScript disabled, in two
languages. Screenshots are kept in test-artifacts/pages/ (CIRCLEBOT_ARTIFACTS overrides it)."""

from __future__ import annotations

import asyncio
import base64
import os
import random
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.shell.web import build_app
from bot.chat.clock import FakeClock
from bot.core import Core
from bot.reports.credentials import CredentialIssuer, SigningKeys
from tests.adapters.shell.test_pages import BASE, seed
from tests.platforms import PLATFORMS

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = Path(os.environ.get("CIRCLEBOT_ARTIFACTS", ROOT / "test-artifacts")) / "pages"
PHONE_WIDTH = 360
PHONE_HEIGHT = 740
# The browser's own language (Accept-Language); ?lang= asks for another.
BROWSER_LANGUAGE = "sw"


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "profile.managed_default_content_settings.javascript": 2,  # JavaScript off
            "intl.accept_languages": BROWSER_LANGUAGE,
        },
    )
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        # A phone's screen: headless windows are never narrower than 500 px.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": PHONE_WIDTH, "height": PHONE_HEIGHT, "deviceScaleFactor": 1, "mobile": True},
        )
        yield driver
    finally:
        driver.quit()


@dataclass
class Served:
    server: TestServer
    public_id: str
    code: str

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))


@pytest.fixture
async def served(sqlite_engine: AsyncEngine, clock: FakeClock) -> AsyncIterator[Served]:
    issuer = CredentialIssuer(SigningKeys.generate(), BASE, "Circles Example", 5)
    core = Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS, credentials=issuer)
    public_id, code = await seed(core, clock)
    server = TestServer(build_app(core), host="127.0.0.1")
    await server.start_server()
    try:
        yield Served(server, public_id, code)
    finally:
        await server.close()


@dataclass(frozen=True)
class Seen:
    lang: str
    title: str
    heading: str
    text: str
    page_width: int


def _visit(driver: webdriver.Chrome, url: str, shot: str) -> Seen:
    driver.get(url)
    # Read through the DevTools protocol, not the page: the page itself runs no script.
    width = driver.execute_script("return document.documentElement.scrollWidth")
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang") or ""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    picture = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}
    )
    (ARTIFACTS / f"{shot}.png").write_bytes(base64.b64decode(picture["data"]))
    return Seen(
        lang=lang,
        title=driver.title,
        heading=driver.find_element(By.TAG_NAME, "h1").text,
        text=driver.find_element(By.TAG_NAME, "body").text,
        page_width=int(width),
    )


async def visit(driver: webdriver.Chrome, url: str, shot: str) -> Seen:
    """The page as the phone shows it (the driver waits in a thread while the app serves)."""
    return await asyncio.to_thread(_visit, driver, url, shot)


async def test_javascript_is_really_off(browser: webdriver.Chrome) -> None:
    page = "data:text/html,<title>off</title><script>document.title='on'</script>"
    await asyncio.to_thread(browser.get, page)
    assert browser.title == "off"


async def test_the_short_link_opens_the_verified_credential_on_a_phone(
    browser: webdriver.Chrome, served: Served
) -> None:
    # As an SMS reader types it, in the browser's own language (Swahili)...
    seen = await visit(browser, served.url(f"/c/{served.code}"), "credential-sw")
    assert seen.lang == "sw"
    assert "Alhamisi" in seen.text  # the day it was issued in Detroit, in Swahili
    assert "Brian" in seen.text and "Python for Everybody" in seen.text
    assert seen.page_width <= PHONE_WIDTH  # nothing wider than the phone: no sideways scroll
    # ...and in Spanish when asked.
    seen = await visit(browser, served.url(f"/c/{served.code}?lang=es"), "credential-es")
    assert seen.lang == "es"
    assert "jueves" in seen.text  # Thursday in Detroit, as in Swahili above
    assert seen.page_width <= PHONE_WIDTH


async def test_the_network_page_on_a_phone(browser: webdriver.Chrome, served: Served) -> None:
    seen = await visit(browser, served.url("/network?lang=fr"), "network-fr")
    assert seen.lang == "fr"
    assert "Détroit" in seen.text or "Detroit" in seen.text
    assert "Kenya" in seen.text and "États-Unis" in seen.text  # country names in French
    assert seen.page_width <= PHONE_WIDTH
    seen = await visit(browser, served.url("/network"), "network-sw")
    assert seen.lang == "sw"
    assert seen.page_width <= PHONE_WIDTH


async def test_a_link_that_leads_nowhere_says_so(browser: webdriver.Chrome, served: Served) -> None:
    seen = await visit(browser, served.url("/c/ZZZZZZZZ?lang=en"), "not-found-en")
    assert seen.heading == "Nothing here"
    assert seen.page_width <= PHONE_WIDTH


async def test_the_directory_and_the_courses_on_a_phone(
    browser: webdriver.Chrome, served: Served
) -> None:
    seen = await visit(browser, served.url("/circles?lang=de&place=Nairobi"), "circles-de")
    assert seen.lang == "de"
    assert "Nairobi Coders" in seen.text and "Kenia" in seen.text  # Kenya, in German
    assert seen.page_width <= PHONE_WIDTH
    seen = await visit(browser, served.url("/courses"), "courses-sw")
    assert seen.lang == "sw"
    assert "Python for Everybody" in seen.text
    assert seen.page_width <= PHONE_WIDTH
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "Python for Everybody").get_attribute("href")
    assert link is not None
    seen = await visit(browser, link, "course-sw")
    assert seen.heading == "Python for Everybody"
    assert seen.page_width <= PHONE_WIDTH
