"""The ready message of /newcircle says what was made: a start date moved to the circle's
weekday is said, not done silently; a season across a daylight-saving change is not given the
first meeting's zone abbreviation; a French first of the month is "1er"."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_newcircle import circles_in
from tests.conftest import DETROIT_CIRCLE, Chat

NAIROBI_CIRCLE = (
    '/newcircle name="Digital Skills" course="Digital Skills for Work" venue="Upper Hill" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-11-03 time=17:30 meetings=8"
)


async def test_a_start_date_off_the_weekday_is_said_in_the_ready_message(
    chat: Chat, core: Core
) -> None:
    answer = await chat.say(
        "Amina", DETROIT_CIRCLE.replace("start=2026-10-29", "start=2026-12-08 weekday=wed")
    )
    assert "6 weekly meetings on Wednesday" in answer
    assert (
        "December 8 is a Tuesday. Your circle meets every Wednesday, so the first meeting is on "
        "Wednesday, December 9, 2026." in answer
    )
    [circle] = await circles_in(core)
    assert circle.start_date.isoformat() == "2026-12-09"


async def test_a_start_date_on_the_weekday_needs_no_word(chat: Chat) -> None:
    answer = await chat.say("Amina", DETROIT_CIRCLE.replace("start=", "weekday=thu start="))
    assert "is a " not in answer and "meets every" not in answer


async def test_a_season_across_a_daylight_saving_change_names_the_zone_once(
    chat: Chat,
) -> None:
    # 29 October to 3 December 2026: EDT for the first meeting, EST for the other five.
    answer = await chat.say("Amina", DETROIT_CIRCLE)
    # The first meeting's name, as its invitation says it, then the change (dada 3).
    assert "6:00 PM (EDT, then EST)" in answer
    assert "Eastern Time" not in answer


async def test_a_season_within_one_abbreviation_keeps_it(chat: Chat) -> None:
    winter = DETROIT_CIRCLE.replace("start=2026-10-29", "start=2026-11-05")
    assert "6:00 PM (EST)" in await chat.say("Amina", winter)
    assert "5:30 PM (EAT)" in await chat.say("Wanjiru", NAIROBI_CIRCLE)


async def test_the_french_ready_message_writes_the_first_as_1er(chat: Chat) -> None:
    await chat.say("Amélie", "/language fr")
    answer = await chat.say(
        "Amélie",
        '/newcircle name="Python" course="Py4E" venue="Bibliothèque" city=Paris country=FR '
        "zone=Europe/Paris start=2027-03-01 time=18:30 meetings=3",
    )
    assert "à partir du lundi 1er mars 2027" in answer
    assert "(heure de Paris)" in answer  # one name for a zone French writes no letters for
