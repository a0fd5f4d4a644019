"""Dates, times and counts read the way people in each language write them (issue 16)."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.chat.errors import UserError
from bot.circles import circles, timezones
from bot.dialogue.values import number_word, parse_date, parse_time, read_count, settle

SUNDAY = date(2026, 12, 6)
TUESDAY_8 = date(2026, 12, 8)


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en", "12/8/2026"),  # a US librarian: month first
        ("en", "Dec 8"),
        ("en", "December 8 2026"),
        ("en", "Tuesday, December 8th"),
        ("en", "tuesday"),
        ("fr", "08/12/2026"),
        ("fr", "8 décembre"),
        ("fr", "mardi"),
        ("fr", "mar. 8 déc."),  # "mar." is Tuesday beside a month, not March
        ("de", "8.12.2026"),
        ("de", "8. Dezember"),
        ("es", "8 de diciembre de 2026"),
        ("sw", "8 Desemba"),
        ("sw", "Jumanne"),
        ("da", "8.12.26"),
        ("en", "2026-12-08"),
    ],
)
def test_a_date_is_read_as_people_write_it_in_their_language(locale: str, typed: str) -> None:
    assert parse_date(typed, locale, SUNDAY) == TUESDAY_8


def test_a_date_without_its_year_is_the_next_one_and_next_leaves_today_out() -> None:
    assert parse_date("5 March", "en", SUNDAY) == date(2027, 3, 5)
    assert parse_date("next Wednesday", "en", SUNDAY) == date(2026, 12, 9)
    assert parse_date("mercredi prochain", "fr", SUNDAY) == date(2026, 12, 9)
    assert parse_date("sunday", "en", SUNDAY) == SUNDAY
    assert parse_date("next sunday", "en", SUNDAY) == date(2026, 12, 13)
    assert parse_date("12/8", "fr", SUNDAY) == date(2027, 8, 12)  # day first in French


def test_an_unreadable_date_shows_an_example_in_the_readers_own_form() -> None:
    with pytest.raises(UserError) as refused:
        parse_date("13/13/2026", "en", SUNDAY)
    assert refused.value.params["example"] == "12/20/2026"
    with pytest.raises(UserError) as refused:
        parse_date("bientôt", "fr", SUNDAY)
    assert refused.value.params["example"] == "20/12/2026"
    assert refused.value.params["words"] == "20 décembre"


def test_a_weekday_read_before_today_is_known_is_settled_on_the_readers_today() -> None:
    read = parse_date("wednesday", "en")
    assert settle(read, SUNDAY) == date(2026, 12, 9)
    assert settle(TUESDAY_8, SUNDAY) == TUESDAY_8


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("18h30", time(18, 30)),
        ("18h", time(18)),
        ("6:30pm", time(18, 30)),
        ("6:30 pm", time(18, 30)),
        ("6pm", time(18)),
        ("18.30", time(18, 30)),
        ("6 p.m.", time(18)),
        ("18 Uhr", time(18)),
        ("kl. 18.30", time(18, 30)),
    ],
)
def test_a_time_is_read_as_people_write_it(typed: str, meant: time) -> None:
    assert parse_time(typed) == meant


def test_a_bare_hour_is_still_refused() -> None:
    with pytest.raises(UserError):
        parse_time("12")


@pytest.mark.parametrize(
    ("typed", "count"),
    [
        ("six", 6),
        ("six weeks", 6),
        ("sita", 6),
        ("huit semaines", 8),
        ("wiki nane", 8),
        ("zwölf", 12),
        ("vingt et un", 21),
        ("einundzwanzig", 21),
        ("enogtyve", 21),
        ("ishirini na moja", 21),
        ("fifty-two", 52),
        ("8", 8),
    ],
)
def test_a_count_is_read_in_words(typed: str, count: int) -> None:
    assert read_count(typed) == count
    assert circles.parse_count(typed) == count


def test_what_is_not_a_count_is_refused() -> None:
    assert read_count("6 or 8") is None
    with pytest.raises(UserError):
        circles.parse_count("a few")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("United States of America", "US"),
        ("the United States", "US"),
        ("USA", "US"),
        ("Kenya", "KE"),
        ("Sénégal", "SN"),
        ("le Sénégal", "SN"),
        ("Senagal", "SN"),  # one letter off
        ("Marekani", "US"),  # Swahili
    ],
)
def test_a_country_is_read_by_its_name(typed: str, code: str) -> None:
    assert circles.parse_country(typed) == code


@pytest.mark.parametrize("typed", ["eastern", "Eastern", "eastern time", "ET", "EST"])
def test_a_regions_zone_name_in_detroit_is_detroits_zone(typed: str) -> None:
    assert timezones.resolve(typed, country="US", city="Detroit") == "America/Detroit"
    assert timezones.resolve("EAT", country="KE", city="Kisumu") == "Africa/Nairobi"


def test_a_region_with_several_zones_offers_them() -> None:
    with pytest.raises(timezones.UnclearZone) as unclear:
        timezones.resolve("eastern", country="US", city="Ann Arbor")
    assert "America/Detroit" in unclear.value.zones


def test_a_course_link_with_words_around_it_is_read() -> None:
    assert circles.parse_url("py4e.com i think") == "https://py4e.com"
    assert circles.parse_url("it's at www.py4e.com/lessons") == "https://www.py4e.com/lessons"
    with pytest.raises(UserError):
        circles.parse_url("no idea yet")


def test_a_city_typed_in_lower_case_is_capitalised() -> None:
    assert circles.parse_city("detroit") == "Detroit"
    assert circles.parse_city("dar es salaam") == "Dar es Salaam"
    assert circles.parse_city("McAllen") == "McAllen"
    # A17: a state's two letters after the city are capitals, not a word.
    assert circles.parse_city("cleveland oh") == "Cleveland, OH"
    assert circles.parse_city("cleveland, oh") == "Cleveland, OH"
    assert circles.parse_city("san juan") == "San Juan"


@pytest.mark.parametrize(
    ("typed", "number"),
    [("UNO", 1), ("Dos!", 2), ("two", 2), ("trois", 3), ("mbili", 2), ("eins", 1), ("1", None),
     ("un", None), ("to", None), ("uno dos", None), ("no", None)],
)  # fmt: skip
def test_a_number_word_alone(typed: str, number: int | None) -> None:
    """C2, C5, C18: a number written out answers a numbered choice; a word of two letters
    ("un", "to") is as often another word."""
    assert number_word(typed) == number
