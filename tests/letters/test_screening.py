"""Screening flags real contact details, not the way people write sentences."""

from __future__ import annotations

import pytest

from bot.letters.screening import Flag, screen


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("It was great.Me and my friends loved every week of it.", "en"),  # no space after "."
        ("We learned a lot, e.g. loops, lists and dictionaries.", "en"),
        ("Python 3.12/3.13 was new to all of us, and that was fine.", "en"),
        ("We met at 6.30/7.00 most weeks, after work.", "en"),
        ("Nous étions 8.Ça/cela nous a beaucoup aidés.", "fr"),
        ("Bonne chance.De tout coeur, on pense à vous.", "fr"),
        ("Courage, c.-à-d. venez chaque semaine, même fatigués.", "fr"),
        ("Kazi nzuri.Co-operation ndiyo siri yetu.", "sw"),
        ("Asante sana.Me na wenzangu tulifurahi sana.", "sw"),
        ("Tulisoma pamoja kila wiki.Ni vizuri kuuliza maswali.", "sw"),
        ("Karibu Kenya.Io ni jina la mwezi, tulijifunza hilo pia.", "sw"),
    ],
)
def test_sentences_are_not_web_addresses(text: str, language: str) -> None:
    assert Flag.URL not in screen(text, language, "US")


@pytest.mark.parametrize(
    "text",
    [
        "Our course is at https://www.py4e.com, have a look.",
        "Try www.py4e.com when you can.",
        "We loved khanacademy.org for the exercises.",
        "Find us on p2pu.org/en/learning-circles/ any time.",
        "Short link: bit.ly/3xYz9 for the slides.",
        "Mtandao wetu ni knls.go.ke kwa maelezo zaidi.",
        "Notre groupe: apprendre-ensemble.fr/cercle",
        "Schaut auf meineseite.de vorbei!",
        "EXAMPLE.COM has it all.",
    ],
)
def test_web_addresses_are_flagged(text: str) -> None:
    assert Flag.URL in screen(text, "en", "US")


@pytest.mark.parametrize("country", ["US", "DE", "DK", ""])
def test_a_number_written_as_another_country_writes_it_is_caught(country: str) -> None:
    """lang 25: a Swahili letter from a circle set in another country went out with a Kenyan
    number and WhatsApp in it, while a German letter with an e-mail was held."""
    letter = "Msikate tamaa! Kiingereza kinakuja polepole. Tuandikiane WhatsApp 0712 345 678"
    flags = screen(letter, "sw", country)
    assert Flag.PHONE in flags and Flag.APP in flags


@pytest.mark.parametrize(
    "text",
    [
        "We met in 2019 2020 and 2021.",
        "On 07.12.2026 we met for the last time.",
        "We scored 95 98 99 100 on the tests.",
    ],
)
def test_years_dates_and_scores_are_not_phone_numbers(text: str) -> None:
    assert Flag.PHONE not in screen(text, "en", "KE")
