"""Dates and numbers written the reader's way: the first of a month is "1er" in French wherever
a day is written, and numbers in prose are "4,000", "4 000" or "4.000" by the reader's locale."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.chat.i18n import Catalogs, Number, format_day
from bot.rhythm.calendars import day_of
from locales import LOCALES_DIR
from tests.conftest import Chat

CATALOGS = Catalogs(LOCALES_DIR)
# Monday 1 March 2027, 18:30 in Paris.
FIRST_OF_MARCH = datetime(2027, 3, 1, 17, 30, tzinfo=UTC)


def test_the_first_of_a_month_is_1er_in_french() -> None:
    french = CATALOGS.translator("fr")
    assert french.date(FIRST_OF_MARCH, "Europe/Paris") == "lundi 1er mars 2027"
    assert day_of(french, FIRST_OF_MARCH, "Europe/Paris") == "lundi 1er mars"
    assert french.when(FIRST_OF_MARCH, "Europe/Paris").startswith("lundi 1er mars 2027 à 18:30")
    assert format_day(date(2027, 3, 1), "long", "fr") == "1er mars 2027"


def test_only_the_first_and_only_in_french() -> None:
    assert format_day(date(2027, 3, 2), "full", "fr") == "mardi 2 mars 2027"
    assert format_day(date(2027, 3, 11), "MMMMd", "fr") == "11 mars"
    assert format_day(date(2027, 3, 1), "short", "fr") == "01/03/2027"  # figures stay figures
    assert format_day(date(2027, 3, 1), "full", "en") == "Monday, March 1, 2027"
    assert format_day(date(2027, 3, 1), "full", "de") == "Montag, 1. März 2027"


@pytest.mark.parametrize(
    ("code", "written"),
    [("en", "2,000"), ("fr", "2 000"), ("de", "2.000"), ("da", "2.000"), ("es", "2.000")],
)
def test_a_number_in_prose_is_written_the_readers_way(code: str, written: str) -> None:
    tr = CATALOGS.translator(code)
    answer = tr._(
        "Your answer was long, so I kept the first %(limit)s characters.", limit=Number(2000)
    )
    assert f" {written} " in answer


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "over 4,000 characters"),
        ("fr", "plus de 4 000 caractères"),
        ("de", "über 4.000 Zeichen"),
        ("da", "over 4.000 tegn"),
    ],
)
async def test_a_message_too_long_names_its_limit_the_readers_way(
    chat: Chat, code: str, expected: str
) -> None:
    answer = await chat.say("Amélie", "x" * 4001, locale_hint=code)
    assert expected in answer


# Saturday 30 January 2027, 10:00 and 19:00 in Nairobi.
NAIROBI_MORNING = datetime(2027, 1, 30, 7, 0, tzinfo=UTC)
NAIROBI_EVENING = datetime(2027, 1, 30, 16, 0, tzinfo=UTC)


def test_a_swahili_time_names_its_part_of_the_day() -> None:
    # Swahili counts hours from 6 am: "saa 10:00 asubuhi" reads as saa kumi, 4 am. Swahili
    # time first, the 24-hour clock after it (walkthrough 8, lang 4).
    swahili = CATALOGS.translator("sw")
    assert "saa nne asubuhi, 10:00 (EAT)" in swahili.when(NAIROBI_MORNING, "Africa/Nairobi")
    assert swahili.weekday_at(NAIROBI_EVENING, "Africa/Nairobi") == "Jumamosi saa moja usiku, 19:00"
    english = CATALOGS.translator("en")
    assert english.time(NAIROBI_MORNING, "Africa/Nairobi") == "10:00 AM"
