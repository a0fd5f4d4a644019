"""Issue 16 (walkthroughs): setting up a circle as everyday facilitators do it: a one-line
/nouveaucercle with "cours X, à la Bibliothèque ...", a second circle's course and place
offered from her first, and an online circle's schedule and invitation saying "online"."""

from __future__ import annotations

from sqlmodel import col, select

from bot.chat.segments import SMS_CAPABILITIES, gsm_safe, sms_segments
from bot.core import Core
from bot.storage.models import Circle
from tests.conftest import Chat, code_of
from tests.database import open_session

# The clock starts on Tuesday 2026-10-20, 10:00 in Detroit.


async def newest(core: Core) -> Circle | None:
    async with open_session(core) as session:
        rows = await session.exec(select(Circle).order_by(col(Circle.id).desc()))
        return rows.first()


async def test_a_french_line_reads_the_course_and_the_place(chat: Chat, core: Core) -> None:
    said = await chat.say(
        "Awa",
        "/nouveaucercle Entrepreneuriat 2e groupe, cours Entreprendre en Afrique, à la "
        "Bibliothèque municipale de Dakar, samedi 13 mars 2027 à 10h, 6 semaines",
        locale_hint="fr",
    )
    assert "cours: Entreprendre en Afrique" in said, said
    assert "lieu: Bibliothèque municipale de Dakar;" in said and "ville: Dakar" in said
    assert "lieu: cours" not in said
    for answer in ["passer", "SN"]:
        said = await chat.say("Awa", answer, locale_hint="fr")
    said = await chat.say("Awa", "passer", locale_hint="fr")
    assert "est prêt" in said, said
    circle = await newest(core)
    assert circle is not None
    assert (circle.course_title, circle.venue, circle.city, circle.country_code) == (
        "Entreprendre en Afrique",
        "Bibliothèque municipale de Dakar",
        "Dakar",
        "SN",
    )


async def test_labelled_pieces_in_other_languages(chat: Chat, core: Core) -> None:
    said = await chat.say(
        "Dana", "/newcircle Excel Club, course Excel Basics, at the Main Library, Oakland"
    )
    assert "course: Excel Basics; venue: Main Library; city: Oakland" in said, said
    said = await chat.say(
        "Juma",
        "/kikundipya Python Jumamosi, kozi ya Python kwa Wote, katika Maktaba ya Nairobi",
        locale_hint="sw",
    )
    assert "Python kwa Wote" in said and "Maktaba ya Nairobi" in said, said
    assert "katika" not in said, said
    for name, locale, line, course, place in [
        ("Lucia", "es", "/newcircle Excel, curso de Excel básico, en la Biblioteca Central",
         "Excel básico", "Biblioteca Central"),
        ("Jonas", "de", "/newcircle Foto, Kurs Fotografie Grundlagen, in der Stadtbibliothek",
         "Fotografie Grundlagen", "Stadtbibliothek"),
        ("Mads", "da", "/newcircle Excel, kursus Excel for begyndere, på Hovedbiblioteket",
         "Excel for begyndere", "Hovedbiblioteket"),
    ]:  # fmt: skip
        said = await chat.say(name, line, locale_hint=locale)
        assert f": {course};" in said and f": {place}." in said, said
    said = await chat.say("Pilar", "/newcircle Word, curso de 6 semanas", locale_hint="es")
    assert "reuniones: 6" in said and "curso: 6" not in said, said


async def first_circle(
    chat: Chat, name: str, locale: str, course: str, url: str, language: str = "skip"
) -> None:
    """A circle in Oakland made with the guided questions, its course and web address typed;
    `language`: the answer to the circle's language."""
    await chat.say(name, "/newcircle", locale_hint=locale)
    for said in ["Primero", course, url, "Main Library", "Oakland", "US", "America/Los_Angeles",
                 "2026-11-05", "18:00", "6", language]:  # fmt: skip
        await chat.say(name, said, locale_hint=locale)
    assert (await newest(chat.core)) is not None


async def test_a_new_title_beside_a_course_offered_is_asked_its_web_address(
    chat: Chat, core: Core
) -> None:
    await first_circle(chat, "Lucia", "es", "Excel básico de GCFGlobal", "edu.gcfglobal.org/es")
    await chat.say("Lucia", "/newcircle", locale_hint="es")
    await chat.say("Dana", "/newcircle")
    offered = await chat.say("Dana", "Spreadsheets Club")
    # Someone else's course in her language, offered as a choice, never as the only answer.
    assert "1 (Excel básico de GCFGlobal)" not in offered  # Lucia's is in Spanish
    await chat.say("Dana", "/cancel")
    await first_circle(chat, "Dana", "en", "Excel Basics", "edu.gcfglobal.org/en/excel")
    await chat.say("Dana", "/newcircle")
    offered = await chat.say("Dana", "Spreadsheets Club")
    assert "Excel Basics" in offered and "or write a new title" in offered, offered
    asked = await chat.say("Dana", "Excel")  # a word of the course offered: a new title
    assert "web address" in asked, asked


async def test_a_known_course_picked_again_brings_its_link(chat: Chat, core: Core) -> None:
    await first_circle(
        chat, "Jonas", "de", "Fotografie Grundlagen", "coursera.org/learn/foto", "English"
    )
    await chat.say("Jonas", "/newcircle", locale_hint="de")
    offered = await chat.say("Jonas", "Foto 2", locale_hint="de")
    assert "1" in offered and "Fotografie Grundlagen" in offered, offered
    asked = await chat.say("Jonas", "1", locale_hint="de")
    assert "Webadresse" not in asked and "Wo" in asked, asked


async def test_a_number_is_never_kept_as_a_course_title(chat: Chat, core: Core) -> None:
    await first_circle(chat, "Mads", "da", "Excel for begyndere", "edu.gcfglobal.org/da", "English")
    await chat.say("Mads", "/newcircle", locale_hint="da")
    offered = await chat.say("Mads", "Excel 2", locale_hint="da")
    assert "1" in offered and "Excel for begyndere" in offered, offered
    asked = await chat.say("Mads", "3", locale_hint="da")
    assert "Excel for begyndere" in asked and "3" in asked, asked
    await chat.say("Mads", "1", locale_hint="da")
    for said in ["Hovedbiblioteket", "Oakland", "US", "America/Los_Angeles", "2026-11-12",
                 "18:00", "6", "skip"]:  # fmt: skip
        await chat.say("Mads", said, locale_hint="da")
    circle = await newest(core)
    assert circle is not None and circle.name == "Excel 2"
    assert (circle.course_title, circle.course_url) == (
        "Excel for begyndere",
        "https://edu.gcfglobal.org/da",
    )


async def test_a_second_circle_in_the_same_town_offers_its_country_and_zone(
    chat: Chat, core: Core
) -> None:
    await first_circle(chat, "Dana", "en", "Excel Basics", "edu.gcfglobal.org/en/excel")
    await chat.say("Dana", "/newcircle")
    for said in ["Spring Python", "Python for Everybody", "skip", "Main Library"]:
        await chat.say("Dana", said)
    asked = await chat.say("Dana", "Oakland")
    assert "United States" in asked, asked
    asked = await chat.say("Dana", "same as last time")
    assert "America/Los_Angeles" in asked, asked
    asked = await chat.say("Dana", "same as last time")
    assert "On what date" in asked, asked
    assert "Time zone: America/Los_Angeles." in asked


ONLINE = (
    '/newcircle name="Intro to Python - Spring" course="Python for Everybody" venue=online '
    "link=https://meet.google.com/abc-defg-hij city=Oakland country=US "
    "zone=America/Los_Angeles start=2026-11-04 time=19:00 meetings=6"
)
DIALIN = "+1 510 555 0100 PIN 5512#"


async def test_an_online_circles_schedule_says_online_not_a_town(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Dana", ONLINE)
    schedule = await chat.say("Dana", "/schedule")
    assert "meets online at https://meet.google.com/abc-defg-hij:" in schedule, schedule
    assert "Oakland" not in schedule
    code = await code_of(core, "Intro to Python - Spring")
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await sms.say("+15105550123", f"JOIN {code}")
    await sms.say("+15105550123", "Rosa")
    await sms.say("+15105550123", "2")  # her written answers: kept private
    dates = await sms.say("+15105550123", "SCHEDULE")
    assert "meets online at https://meet.google.com/abc-defg-hij:" in dates, dates
    assert "Oakland" not in dates


async def test_an_online_circles_one_text_invitation_says_online_and_the_number(
    chat: Chat, core: Core
) -> None:
    await chat.say("Dana", ONLINE)
    await chat.say("Dana", f"/edit dialin {DIALIN}")
    core.reach["sms"] = ("+15105550100",)
    replies = [
        r.text for r in await core.handle(chat.inbound("Dana", "/invite"), chat.capabilities)
    ]
    short = replies[-1]
    assert "online" in short and "+1 510 555 0100" in short, short
    assert sms_segments(gsm_safe(short)) == 1, short
    print(short)
