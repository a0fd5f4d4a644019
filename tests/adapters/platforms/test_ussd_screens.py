"""Every USSD screen fits what a phone shows, in every shipped language: the menu and each
screen of its flows (with long circle names, long questions, a long answer from the core) are
rendered page by page for each locale, and the pager is tried on generated text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.platforms.ussd.desk import Desk
from adapters.platforms.ussd.menu import Frame, Kind, State, render
from adapters.platforms.ussd.screens import MORE, Option, fits, length, pages
from adapters.platforms.ussd_platform import SCREEN_SEPTETS, SCREEN_UCS2_UNITS
from bot.chat.i18n import Catalogs
from bot.chat.messages import Choice
from bot.core import CircleChoice, Core, Standing
from locales import LOCALES_DIR

LOCALES = Catalogs(LOCALES_DIR).locales
LONG_NAME = "Introduction to Community Health Work for Volunteers in Kisumu County, Cohort 3"
CIRCLES = tuple(CircleChoice(n, f"{LONG_NAME} ({n})") for n in range(1, 5))
QUESTION = (
    "Think of a moment this week when you got stuck. What did you do next, and what would "
    "you try differently if it happened again?"
)
CORE_ANSWER = (
    "Welcome to Python for Everyone! You'll take Python for Everybody together with the "
    "group, meeting at Detroit Public Library.\n\nThere's no teacher here: everyone learns "
    "and everyone helps. Come as you are, ask anything.\n\nMeeting 1 of 6: Thursday, October "
    "29, 2026 at 6:00 PM (EDT), at https://meet.jit.si/PythonForEveryoneDetroitPublicLibrary"
    "WednesdayEveningGroup.\n\nWhat should the group call you?"
)
FRAMES = (
    Frame(Kind.MENU),
    Frame(Kind.PICK, item=2, circles=CIRCLES),
    Frame(Kind.RSVP, circle=CIRCLES[0]),
    Frame(Kind.RATE, circle=CIRCLES[0]),
    Frame(Kind.ANSWER, text=QUESTION),
    Frame(Kind.ANSWER, text=""),
    Frame(Kind.JOIN),
    Frame(Kind.STOP),
    Frame(Kind.SAID, text=CORE_ANSWER),
    Frame(Kind.SAID, text=CORE_ANSWER, choices=(Choice("Yes, share", "yes"), Choice("No", "no"))),
    Frame(Kind.SAID, text=""),
)


def walk(desk: Desk, state: State) -> list[str]:
    """Every page of the state's top screen, as the phone shows them (without CON / END)."""
    shown: list[str] = []
    frames = state.frames
    for page in range(20):
        top = Frame(**{**frames[-1].__dict__, "page": page})
        screen = render(desk, State((*frames[:-1], top), state.invalid))
        if shown and screen.text == shown[-1]:
            break
        shown.append(screen.text)
        if screen.end or ("\n" + MORE + " ") not in screen.text:
            break
    return shown


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("opted_out", [False, True])
async def test_every_screen_fits_in_every_language(
    core: Core, locale: str, opted_out: bool
) -> None:
    desk = Desk(core, "+254712345678", "ATUid_screens", Standing(locale, opted_out))
    for frame in FRAMES:
        for invalid in (False, True):
            below = (Frame(Kind.MENU), frame) if frame.kind is not Kind.MENU else (frame,)
            shown = walk(desk, State(below, invalid))
            assert shown
            for text in shown:
                assert fits(text), (locale, frame.kind, text)
                assert len(text) <= SCREEN_SEPTETS


async def test_the_english_menu_is_one_screen(core: Core) -> None:
    desk = Desk(core, "+254712345678", "ATUid_screens", Standing("en"))
    [menu] = walk(desk, State())
    assert menu.splitlines()[1:] == [
        "1 Next meeting",
        "2 Say if you'll come",
        "3 Rate this week",
        "4 Answer a question",
        "5 My circles",
        "6 Join a circle",
        "7 Stop messages",
    ]


def test_a_screen_is_counted_as_the_network_sends_it() -> None:
    assert fits("a" * SCREEN_SEPTETS) and not fits("a" * (SCREEN_SEPTETS + 1))
    assert length("Grüße, Søren: è ñ") == (17, SCREEN_SEPTETS)  # all in the GSM alphabet
    assert length("€") == (2, SCREEN_SEPTETS)  # an escape and a septet
    # One letter outside it and the whole screen is UCS-2: 80 of them.
    assert fits("ê" * SCREEN_UCS2_UNITS) and not fits("ê" * (SCREEN_UCS2_UNITS + 1))
    assert not fits("a" * 100 + "ê")


TEXT = st.text(
    alphabet=st.sampled_from("abc ABC\n.,'ê€🌍" + "x" * 5),
    max_size=900,
)


@settings(max_examples=150, deadline=None)
@given(
    text=TEXT,
    labels=st.lists(st.text(alphabet="abcdé ", min_size=1, max_size=40), max_size=9),
    back_first=st.booleans(),
)
def test_pages_always_fit_and_lose_no_word(
    text: str, labels: list[str], back_first: bool, core_catalogs: Catalogs
) -> None:
    tr = core_catalogs.translator("en")
    options = [Option(str(n), label) for n, label in enumerate(labels, start=1)]
    found = pages(tr, text, options, back_first=back_first)
    assert all(fits(page) for page in found)
    body = "".join(
        page.replace("\n0 More", "").replace("\n00 Back", "").replace("\n", "").replace(" ", "")
        for page in found
    )
    for word in text.split():
        assert word in body
    for option in options:
        assert any(option.line.strip() in page for page in found)


@pytest.fixture(scope="module")
def core_catalogs() -> Catalogs:
    return Catalogs(LOCALES_DIR)
