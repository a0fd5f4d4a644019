"""A one-line /newcircle in plain words (walkthrough 8, fac 7 and lang 5): "Resume Writing,
online on Zoom https://..., Tuesdays 7pm starting January 12, 6 weeks" kept only the name and
asked everything again. Now what can be read is kept and said back, what can't is named, and
only the rest is asked."""

from __future__ import annotations

from sqlmodel import select

from bot.chat.i18n import Catalogs
from bot.circles.circles import Field
from bot.circles.commands import newcircle
from bot.core import Core
from bot.storage.models import Circle
from locales import LOCALES_DIR
from tests.conftest import T0, Chat
from tests.database import open_session


async def _circle(core: Core, name: str) -> Circle:
    async with open_session(core) as session:
        return (await session.exec(select(Circle).where(Circle.name == name))).one()


async def test_an_english_sentence_keeps_link_day_time_start_and_weeks(
    chat: Chat, core: Core
) -> None:
    said = await chat.say(
        "Denise",
        "/newcircle Resume Writing, online on Zoom https://zoom.us/j/5551234567, "
        "Tuesdays 7pm starting January 12, 6 weeks",
    )
    assert "I've taken the name “Resume Writing”" in said, said
    assert "https://zoom.us/j/5551234567" in said and "Tuesday, January 12, 2027" in said
    assert "time: 19:00" in said and "meetings: 6" in said, said
    assert "Which online course" in said  # asked next, not the name or the place
    for answer in ("Resume Writing Basics", "skip", "Cleveland", "US", "America/New_York"):
        said = await chat.say("Denise", answer)
        assert "What time" not in said and "On what date" not in said, said
        assert "How many weekly meetings" not in said, said
    said = await chat.say("Denise", "skip")  # the circle's language: hers
    assert "Your circle Resume Writing is ready" in said, said
    circle = await _circle(core, "Resume Writing")
    assert circle.venue == "https://zoom.us/j/5551234567"
    assert (circle.start_date.isoformat(), circle.start_time.hour, circle.meeting_count) == (
        "2027-01-12",
        19,
        6,
    )


async def test_a_swahili_sentence_keeps_place_day_swahili_time_and_weeks(
    chat: Chat, core: Core
) -> None:
    said = await chat.say(
        "Mwanaisha",
        "/kikundipya Ujuzi wa Kompyuta, Maktaba ya Kitaifa Mombasa, Jumamosi saa nne asubuhi, "
        "wiki 6",
        locale_hint="sw",
    )
    assert "Ujuzi wa Kompyuta" in said and "Maktaba ya Kitaifa Mombasa" in said, said
    assert "Jumamosi" in said and "10:00" in said, said  # saa nne asubuhi is 10 am
    assert "Nimechukua “Ujuzi wa Kompyuta” kuwa jina la kikundi" not in said
    for answer in ("Ujuzi wa Kidijitali", "skip", "Mombasa", "KE", "Africa/Nairobi"):
        said = await chat.say("Mwanaisha", answer, locale_hint="sw")
    await chat.say("Mwanaisha", "2026-11-07", locale_hint="sw")  # a Saturday: no time asked
    await chat.say("Mwanaisha", "skip", locale_hint="sw")
    circle = await _circle(core, "Ujuzi wa Kompyuta")
    assert circle.venue == "Maktaba ya Kitaifa Mombasa"
    assert (circle.weekday, circle.start_time.hour, circle.meeting_count) == (5, 10, 6)


async def test_what_cannot_be_read_is_named(chat: Chat) -> None:
    said = await chat.say(
        "Denise", "/newcircle Knitting Club, Fleet Branch, Cleveland, every full moon ~~"
    )
    assert "place: Fleet Branch" in said or "venue: Fleet Branch" in said, said
    assert "city: Cleveland" in said, said
    assert "I couldn't read: “every full moon ~~”" in said, said


def test_the_help_example_is_read_whole_in_every_language() -> None:
    """The sentence /help newcircle shows is one the bot reads, in each language's words."""
    catalogs = Catalogs(LOCALES_DIR)
    for code in catalogs.locales:
        tr = catalogs.translator(code)
        read = newcircle._read_sentence(tr._(newcircle.SENTENCE_EXAMPLE), tr, T0)
        assert read.unread == [], (code, read)
        assert {Field.VENUE, Field.START, Field.WEEKDAY, Field.TIME, Field.MEETINGS} <= set(
            read.raw
        ), (code, read)
        assert (read.raw[Field.TIME], read.raw[Field.MEETINGS]) == ("18:00", "6"), (code, read)
