"""A date written after its weekday ("Donnerstag, 17.12.", "jueves 17/12"), the common way in
German (walkthrough): read, and a weekday that is another day's is said."""

from __future__ import annotations

from datetime import date

import pytest

from bot.chat.errors import UserError
from bot.dialogue.values import parse_date
from tests.circles.test_newcircle import circles_in
from tests.conftest import Chat

SUNDAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("typed", "locale"),
    [
        ("Donnerstag, 17.12.", "de"),
        ("Do., 17.12.", "de"),
        ("jueves 17/12", "es"),
        ("Thu 12/17", "en"),
        ("jeudi 17/12/2026", "fr"),
    ],
)
def test_a_numeric_date_after_its_weekday_is_read(typed: str, locale: str) -> None:
    assert parse_date(typed, locale, SUNDAY) == date(2026, 12, 17)


def test_a_weekday_that_is_not_the_dates_is_said() -> None:
    with pytest.raises(UserError) as raised:
        parse_date("Freitag, 17.12.", "de", SUNDAY)
    assert raised.value.params == {"date": "17.12.", "weekday": "Donnerstag", "named": "Freitag"}


async def test_a_german_start_date_with_its_weekday_makes_the_circle(chat: Chat) -> None:
    await chat.say("Klaus", "/language de")
    answer = await chat.say(
        "Klaus",
        '/newcircle name="Python lernen" course="Python für Einsteiger" venue="Bibliothek" '
        'city=Berlin country=DE zone=Europe/Berlin start="Donnerstag, 17.12.2026" time=19:00',
    )
    assert "kann ich nicht als Datum lesen" not in answer
    [circle] = await circles_in(chat.core)
    assert circle.start_date == date(2026, 12, 17)


async def test_a_weekday_that_disagrees_is_said_in_the_readers_language(chat: Chat) -> None:
    await chat.say("Klaus", "/language de")
    answer = await chat.say(
        "Klaus",
        '/newcircle name="Python lernen" course="Python für Einsteiger" venue="Bibliothek" '
        'city=Berlin country=DE zone=Europe/Berlin start="Freitag, 17.12.2026" time=19:00',
    )
    assert "Der 17.12.2026 ist ein Donnerstag, kein Freitag." in answer
