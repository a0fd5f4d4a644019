"""Several letters by SMS in one text are listed in the order of their numbers, each line led
by the number that opens it: "2. Medellin ...", "3. ...", "4. ...", then "send LETTER 2,
LETTER 3, or LETTER 4" in that order, never LETTER 3 for the first line (C19)."""

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
    assert lines[1].startswith('2. Medellin, Colombia (in Spanish): "HOLA AMIGOS')
    assert lines[2].startswith('3. Medellin, Colombia (in Spanish): "animo')
    assert lines[3].startswith('4. Medellin, Colombia (in Spanish): "Hola!')
    assert lines[4] == "Each in full: send LETTER 2, LETTER 3, or LETTER 4."
