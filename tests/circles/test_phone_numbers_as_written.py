"""A phone number is taken as people write it: the area code in brackets, spaces, dashes or
dots ("(414) 555-0188"), wherever the bot asks for one (/movenumber, /newnumber)."""

from __future__ import annotations

from bot.circles.phone_numbers import e164, name_and_number
from bot.core import Core
from tests.circles.test_new_phone_number import mercy_joins, phones_of
from tests.conftest import Chat


def test_written_forms_of_a_number_read_as_one() -> None:
    for written in (
        "(414) 555-0188",
        "414-555-0188",
        "414.555.0188",
        "+1 (414) 555 0188",
        "414–555–0188",
    ):
        assert e164(written, "US") == "+14145550188", written
    assert name_and_number("Eddie (414) 555-0188") == ("Eddie", "(414) 555-0188")
    assert name_and_number("Mercy Wanjiru +1 (414) 555-0188") == (
        "Mercy Wanjiru",
        "+1 (414) 555-0188",
    )


async def test_movenumber_takes_a_number_with_its_area_code_in_brackets(
    chat: Chat, core: Core
) -> None:
    await mercy_joins(chat, phones_of(core), core)
    question = await chat.say("Amina", "/movenumber Mercy (414) 555-0188")
    assert question.startswith("Move Mercy to +1 414-555-0188?")
