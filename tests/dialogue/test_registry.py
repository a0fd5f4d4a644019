"""Command arguments: numbers are checked before anything can take them to the database."""

from __future__ import annotations

import pytest

from bot.chat.errors import UserError
from bot.chat.i18n import Catalogs
from bot.dialogue.registry import Arg, ArgKind, Args, Command, parse_args
from bot.dialogue.values import MAX_NUMBER, parse_number
from locales import LOCALES_DIR

TR = Catalogs(LOCALES_DIR).translator("en")


async def _nothing(ctx: object, args: Args) -> None:
    return None


THANKS = Command("thanks", "", _nothing, (Arg("letter", "LETTER", ArgKind.NUMBER),))


def test_numbers_as_large_as_a_database_id_are_read() -> None:
    assert parse_args(THANKS, "12345", TR) == {"letter": 12345}
    assert parse_args(THANKS, str(MAX_NUMBER), TR) == {"letter": 2**31 - 1}


@pytest.mark.parametrize("typed", [str(MAX_NUMBER + 1), "99999999999999999999999", "9" * 5000])
def test_numbers_no_row_can_have_get_the_usage_line(typed: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_args(THANKS, typed, TR)
    assert TR._(refused.value.message, **refused.value.params) == "Usage: /thanks LETTER"


@pytest.mark.parametrize("typed", ["", "-1", "1.5", "١٢x", "²"])
def test_what_is_not_a_whole_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_number(typed)
