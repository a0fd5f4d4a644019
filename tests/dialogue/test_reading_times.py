"""Times said the way people say them, not only in figures: "half past six in the evening",
"7 in the morning", "6h30 du soir", "6:30 de la tarde", "halb sieben abends", "saa kumi na
mbili jioni" (Swahili hours count from six o'clock)."""

from __future__ import annotations

from datetime import time

import pytest

from bot.chat.errors import UserError
from bot.dialogue.values import parse_time


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("6:30 in the evening", time(18, 30)),
        ("half past six in the evening", time(18, 30)),
        ("quarter to seven in the evening", time(18, 45)),
        ("7 in the morning", time(7)),
        ("seven in the morning", time(7)),
        ("18.30", time(18, 30)),
        ("6.30 pm", time(18, 30)),
        ("at 6pm", time(18)),
        ("11 at night", time(23)),
        ("6h30 du soir", time(18, 30)),
        ("18h30 du soir", time(18, 30)),
        ("6 de l'après-midi", time(18)),
        ("6:30 de la tarde", time(18, 30)),
        ("a las 7 de la mañana", time(7)),
        ("18:30 Uhr", time(18, 30)),
        ("halb sieben abends", time(18, 30)),
        ("6:30 om aftenen", time(18, 30)),
        ("saa kumi na mbili jioni", time(18)),
        ("saa moja asubuhi", time(7)),
        ("saa tatu na nusu usiku", time(21, 30)),
    ],
)
def test_a_time_in_words_is_read(typed: str, meant: time) -> None:
    assert parse_time(typed) == meant


@pytest.mark.parametrize(
    "typed", ["six", "6", "evening", "18 in the morning", "saa", "18pm"]
)
def test_what_could_be_any_time_is_still_refused(typed: str) -> None:
    with pytest.raises(UserError):
        parse_time(typed)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("19 hrs", time(19)),
        ("19:00 hrs", time(19)),
        ("19:30 hrs.", time(19, 30)),
        ("19 horas", time(19)),
        ("a las 19 hrs", time(19)),
        ("18 heures", time(18)),
    ],
)
def test_a_time_with_the_hours_word_after_it_is_read(typed: str, meant: time) -> None:
    # The usual way to write a time in Mexico ("19 hrs") and in France ("18 heures").
    assert parse_time(typed) == meant
