"""Several letters by SMS in one text are listed in the order of their numbers, each line led
by the number that opens it: "#2 Medellin ...", "#3 ...", "#4 ...", then "send LETTER 2,
LETTER 3, or LETTER 4" in that order, never LETTER 3 for the first line (C19). The number is
marked "#", never a bare "2." above "Reply 1 for ..." (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.i18n import Catalogs
from bot.letters.relay import first_meeting_letters_by_text
from bot.storage.models import Letter


def _letter(number: int, text: str) -> Letter:
    return Letter(
        id=number,
        circle_id=1,
        author_id=number,
        signature="Gloria",
        city="Medellin",
        country_code="CO",
        language="es",
        text=text,
        created_at=datetime(2027, 2, 1, tzinfo=UTC),
    )


def test_each_line_says_the_number_that_opens_it(shared_catalogs: Catalogs) -> None:
    tr = shared_catalogs.translator("en")
    arrived = [
        _letter(3, "animo parceros!! si se puede, " * 5),
        _letter(2, "HOLA AMIGOS. SOY GLORIA DE MEDELLIN, " * 5),
        _letter(4, "Hola! lo mejor fue aprender a ahorrar, " * 5),
    ]
    lines = first_meeting_letters_by_text(tr, arrived, in_a_word=True).splitlines()
    assert lines[1].startswith('#2 Medellin, Colombia (in Spanish): "HOLA AMIGOS')
    assert lines[2].startswith('#3 Medellin, Colombia (in Spanish): "animo')
    assert lines[3].startswith('#4 Medellin, Colombia (in Spanish): "Hola!')
    assert lines[4] == "Each in full: send LETTER 2, LETTER 3, or LETTER 4."


def test_an_emoji_in_one_letter_leaves_room_for_the_words_of_both(
    shared_catalogs: Catalogs,
) -> None:
    """C24: an emoji in one letter (dropped from the quote as the text is sent) measured the
    text as UCS-2: each letter was cut to ~25 characters ("Hello friends! I am Okello...")."""
    tr = shared_catalogs.translator("es")
    arrived = [
        _letter(1, "Hello friends! I am Okello from Kampala and I learnt to use email. " * 3),
        _letter(
            2, "Hi! I learnt to send my CV by email and I got an interview 🙏🏾 Dont fear " * 2
        ),
    ]
    for letter in arrived:
        letter.language, letter.city, letter.country_code = "en", "Kampala", "UG"
    text = first_meeting_letters_by_text(tr, arrived, in_a_word=True)
    quoted = [line.split(': "', 1)[1] for line in text.splitlines() if ': "' in line]
    assert all(len(words) > 80 for words in quoted), text
