"""Walkthrough findings on setting up a circle and changing its schedule (wave 2, group 6):
a weekday with a day number ("samedi 12", "tirsdag d. 15"), a weekday in the plural with a
time ("montags 18:30"), and the rest below."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.dialogue.values import parse_date
from bot.storage.models import Circle
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

SUNDAY = date(2026, 12, 6)


async def only_circle(core: Core) -> Circle:
    async with open_session(core) as session:
        [circle] = (await session.exec(select(Circle))).all()
    return circle


@pytest.mark.parametrize(
    ("typed", "locale", "meant"),
    [
        ("samedi 12", "fr", date(2026, 12, 12)),
        ("samedis 12", "fr", date(2026, 12, 12)),
        ("tirsdag d. 15", "da", date(2026, 12, 15)),
        ("Samstag, den 12.", "de", date(2026, 12, 12)),
        ("sabado 12", "es", date(2026, 12, 12)),
        ("Saturday the 12th", "en", date(2026, 12, 12)),
        ("Jumamosi 12", "sw", date(2026, 12, 12)),
        ("montags", "de", date(2026, 12, 7)),
        ("mondays", "en", date(2026, 12, 7)),
        ("los lunes", "es", date(2026, 12, 7)),
        ("mandage", "da", date(2026, 12, 7)),
        ("les lundis", "fr", date(2026, 12, 7)),
    ],
)
def test_a_weekday_with_its_day_number_or_in_the_plural_is_a_date(
    typed: str, locale: str, meant: date
) -> None:
    assert parse_date(typed, locale, SUNDAY) == meant


async def at_the_date_question(chat: Chat, clock: FakeClock, language: str) -> None:
    clock.set(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    await chat.say("Mette", f"/language {language}")
    await chat.say(
        "Mette",
        '/newcircle name="Foto" course="Foto" url=https://example.org '
        'venue="Hovedbiblioteket" city=Aarhus country=DK zone=Europe/Copenhagen',
    )


@pytest.mark.parametrize(
    ("language", "typed", "meant", "at"),
    [
        ("da", "tirsdag d. 15", date(2026, 12, 15), None),
        ("fr", "samedi 12", date(2026, 12, 12), None),
        ("de", "montags 18:30", date(2026, 12, 7), time(18, 30)),
        ("fr", "samedi 12 à 10h", date(2026, 12, 12), time(10, 0)),
        ("en", "Tuesday 6pm", date(2026, 12, 8), time(18, 0)),
    ],
)
async def test_the_first_meeting_answered_so_makes_the_circle(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, meant: date, at: time
) -> None:
    await at_the_date_question(chat, clock, language)
    await chat.say("Mette", typed)
    for said in ([] if at else ["19:00"]) + ["skip", "skip"]:
        await chat.say("Mette", said)
    circle = await only_circle(core)
    assert circle.start_date == meant
    assert circle.start_time == (at or time(19, 0))


async def test_a_sentence_saying_when_and_where_in_one_piece_keeps_them_apart(
    chat: Chat, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    await chat.say("Élodie", "/language fr")
    answer = await chat.say(
        "Élodie", "/newcircle Initiation au code, les samedis à 10h à la bibliothèque de Dakar"
    )
    assert "lieu : bibliothèque de Dakar" in answer or "lieu: bibliothèque de Dakar" in answer
    assert "samedi" in answer and "10:00" in answer
    assert "les samedis à 10h à la" not in answer


async def test_a_link_in_a_sentence_is_the_online_place_never_the_town(
    chat: Chat, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    await chat.say("Lena", "/language de")
    answer = await chat.say(
        "Lena",
        "/newcircle Fotografie, online, mittwochs 19 uhr, link https://meet.jit.si/fotokreis-leipzig",
    )
    assert "https://meet.jit.si/fotokreis-leipzig" in answer
    assert "Https" not in answer and "Leipzig" not in answer


async def test_a_course_title_naming_its_website_keeps_a_whole_title(
    chat: Chat, core: Core
) -> None:
    await chat.say("Lena", "/newcircle")
    for said in [
        "Fotografie",
        "Fotografie für Anfänger (Kurs von fotografieren-lernen.de)",
        "Stadtbibliothek",
        "Leipzig",
        "DE",
        "Europe/Berlin",
        "2026-11-04",
        "19:00",
        "skip",
        "skip",
    ]:
        await chat.say("Lena", said)
    invitation = await chat.say("Lena", "/invite")
    assert "Fotografie für Anfänger" in invitation and "(Kurs von" not in invitation
    assert "https://fotografieren-lernen.de" in invitation


async def test_next_counts_calendar_days_where_the_circle_meets(
    chat: Chat, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    await chat.say("Lena", "/language de")
    await chat.say(
        "Lena",
        '/newcircle name="Foto" course="Foto" url=https://example.org venue="Bibliothek" '
        "city=Leipzig country=DE zone=Europe/Berlin start=2026-12-09 time=19:00",
    )
    clock.set(datetime(2026, 12, 7, 3, 51, tzinfo=UTC))  # Monday, 4:51 in Leipzig
    said = await chat.say("Lena", "/next")
    assert "in 2 Tagen" in said


async def test_a_huge_meeting_number_is_no_meeting_of_the_circle(chat: Chat) -> None:
    await chat.say("Linda", DETROIT_CIRCLE)
    said = await chat.say("Linda", "/reschedule 99999999999999999999 jan 5")
    assert "There is no meeting 99999999999999999999. This circle has meetings 1 to 6." in said


async def test_a_day_just_passed_without_its_year_is_said_to_have_passed(
    chat: Chat, clock: FakeClock
) -> None:
    await chat.say("Linda", DETROIT_CIRCLE.replace("start=2026-10-29", "start=2026-12-10"))
    clock.set(datetime(2026, 12, 7, 2, 48, tzinfo=UTC))  # Sunday evening, December 6
    said = await chat.say("Linda", "/reschedule 1 dec 1")
    assert "December 1 has already passed." in said
    assert "has to come before" not in said
    said = await chat.say("Linda", "/listing deadline dec 1")
    assert "December 1 has already passed." in said and "2027" not in said


# -- gathered schedule notices -------------------------------------------------------------------

LATER = "They'll hear in %d minutes, with any other changes you make meanwhile."


async def circle_with_learners(
    chat: Chat, core: Core, first: str = "/reschedule 6 2026-12-04 18:00"
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for learner in ("Brian", "Chen"):
        assert "Welcome" in await chat.say(learner, f"/join {code}")
    await chat.deliver()
    # A first change goes at once: the ones below are gathered after it.
    await chat.say("Amina", first)
    await chat.deliver()


def texts_to(sent: list, name: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == name.casefold()]


async def test_changes_undone_inside_the_window_are_not_told_and_the_rest_go_in_order(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    clock.advance(timedelta(minutes=1))
    assert (await chat.say("Amina", "/reschedule 3 2026-11-13 18:00")).endswith(LATER % 9)
    await chat.say("Amina", "/cancel 4")
    await chat.say("Amina", "yes")
    await chat.say("Amina", "/uncancel 4")  # changed her mind
    await chat.say("Amina", "/reschedule 2 2026-11-04 18:00")
    await chat.say("Amina", "/reschedule 5 2026-11-27 18:00")
    await chat.say("Amina", "/reschedule 5 2026-11-26 18:00")  # and back
    clock.advance(timedelta(minutes=10))
    assert texts_to(await chat.deliver(), "Brian") == [
        "Changes to Python for Everyone: meeting 2 is now Wednesday, Nov 4, 6:00 PM; "
        "meeting 3 is now Friday, Nov 13, 6:00 PM."
    ]


async def test_a_meeting_moved_and_moved_back_inside_the_window_is_not_told(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    clock.advance(timedelta(minutes=1))
    await chat.say("Amina", "/reschedule 4 2026-11-20 18:00")
    await chat.say("Amina", "/reschedule 4 2026-11-19 18:00")
    clock.advance(timedelta(minutes=10))
    assert await chat.deliver() == []


async def test_a_meeting_added_then_cut_inside_the_window_is_not_told(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    clock.advance(timedelta(minutes=1))
    await chat.say("Amina", "/addmeeting 2026-12-10 18:00")
    await chat.say("Amina", "/edit meetings 6")
    await chat.say("Amina", "yes")  # if she is asked
    clock.advance(timedelta(minutes=10))
    sent = texts_to(await chat.deliver(), "Brian")
    assert not any("meeting 7" in text for text in sent), sent
    assert sent == []


async def test_meetings_on_christmas_eve_and_new_years_eve_are_hinted_at(
    chat: Chat, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 12, 7, 2, 48, tzinfo=UTC))
    ready = await chat.say(
        "Linda",
        "/newcircle Intro to Spreadsheets, Central Library room 2B, Thursdays 6pm starting "
        "Dec 10, 6 weeks, Chicago, US",
    )
    if "is ready" not in ready:  # whatever the sentence left out
        for said in ["Spreadsheets for All", "skip", "America/Chicago", "skip", "skip"]:
            ready = await chat.say("Linda", said)
            if "is ready" in ready:
                break
    assert (
        "Meetings 3 and 4 fall on December 24 and December 31, when many libraries are closed. "
        "/skipweek 3 2 moves them and the ones after 2 weeks later." in ready
    )


async def test_an_online_circle_hears_of_holidays_not_of_libraries_closed(
    chat: Chat, clock: FakeClock
) -> None:
    """D1: a circle meeting online is told the meetings fall on holidays, not that libraries
    close, and /find lets anyone find it, not "anyone nearby"."""
    clock.set(datetime(2026, 12, 7, 2, 48, tzinfo=UTC))
    ready = await chat.say(
        "Sabine",
        '/newcircle name="Web Design" course="Web Design" url=https://example.org '
        "venue=https://meet.jit.si/webdesign city=Vienna country=AT zone=Europe/Vienna "
        "start=2026-12-10 time=19:00 meetings=6",
    )
    assert "libraries" not in ready and "nearby" not in ready, ready
    assert (
        "Meetings 3 and 4 fall on December 24 and December 31, holidays when many people have "
        "other plans. /skipweek 3 2 moves them and the ones after 2 weeks later." in ready
    ), ready
    assert "To let anyone find your circle with /find, send /listing on." in ready, ready


async def test_a_time_without_am_or_pm_is_the_evening_where_clocks_say_am_and_pm(
    chat: Chat, core: Core
) -> None:
    ready = await chat.say(
        "Tom",
        '/newcircle name="Excel Two" course="Excel" url=https://example.org venue="Room 2B" '
        "city=Milwaukee country=US zone=America/Chicago start=2026-11-02 time=5:30",
    )
    assert "5:30 PM" in ready
    assert (await only_circle(core)).start_time == time(17, 30)


async def test_a_new_circle_at_the_same_time_as_another_of_hers_is_said(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    ready = await chat.say(
        "Amina",
        '/newcircle name="Photo Club" course="Photography" url=https://example.org '
        'venue="Room 3" city=Detroit country=US zone=America/Detroit start=2026-11-05 '
        "time=18:30",
    )
    assert "is ready" in ready
    assert (
        "Note: Python for Everyone, which you also run, meets at the same time: its meeting 2 "
        "is Thursday, November 5, 2026 at 6:00 PM (EST)." in ready
    )
    apart = await chat.say(
        "Amina",
        '/newcircle name="Book Club" course="Books" url=https://example.org '
        'venue="Room 3" city=Detroit country=US zone=America/Detroit start=2026-11-06 '
        "time=18:30",
    )
    assert "is ready" in apart and "at the same time" not in apart


@pytest.mark.parametrize(
    ("country", "zone"), [("dk", "Europe/Copenhagen"), ("DE", "Europe/Berlin")]
)
async def test_a_country_whose_clocks_agree_has_its_zone_set_not_asked(
    chat: Chat, core: Core, country: str, zone: str
) -> None:
    await chat.say("Mette", "/newcircle")
    for said in ["Foto", "Foto for begyndere", "skip", "Hovedbiblioteket", "Aarhus"]:
        await chat.say("Mette", said)
    asked = await chat.say("Mette", country)
    assert f"Time zone: {zone}." in asked
    assert "Which time zone" not in asked and "Busingen" not in asked
    assert "On what date" in asked
    for said in ["2026-11-05", "19:00", "skip", "skip"]:
        await chat.say("Mette", said)
    assert (await only_circle(core)).timezone == zone


async def test_a_weekday_for_a_meeting_is_the_one_in_its_own_week(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)  # Thursdays; meeting 3 is Thursday, November 12
    clock.set(datetime(2026, 11, 6, 15, 0, tzinfo=UTC))  # Friday, after meeting 2
    said = await chat.say("Amina", "/reschedule 3 friday 6pm")
    assert "Meeting 3 is now Friday, November 13, 2026 at 6:00 PM" in said
    said = await chat.say("Amina", "/reschedule 4 wednesday")
    assert "Meeting 4 is now Wednesday, November 18, 2026" in said


async def test_a_time_the_clocks_skip_is_said_not_shifted(chat: Chat, core: Core) -> None:
    await chat.say("Linda", DETROIT_CIRCLE.replace("meetings=6", "meetings=30"))
    said = await chat.say("Linda", "/reschedule 20 2027-03-14 2:30am")
    assert "That time doesn't exist where your circle meets" in said
    assert "3:30 AM" not in said


async def test_a_link_as_one_meetings_venue_is_that_meeting_online(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    asked = await chat.say(
        "Amina", "/edit venue 4 zoom.us/j/999 (library closed, online this week)"
    )
    assert "online at https://zoom.us/j/999" in asked
    assert "Detroit" not in asked.split("Send this")[0].split("somewhere else")[-1]


async def test_quotes_around_one_meetings_venue_are_not_part_of_it(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    asked = await chat.say("Amina", '/edit venue 5 "Central Library, Room 2B"')
    assert "Central Library, Room 2B, Detroit" in asked and '"' not in asked


async def test_the_address_hint_uses_quotes_a_keyboard_types(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    asked = await chat.say("Amina", "/edit venue 2 Computer lab, 3rd floor")
    assert '/edit venue "2 Computer lab, 3rd floor".' in asked and "“" not in asked


async def test_rhythm_names_the_circles_zone_for_a_facilitator_living_in_another(
    chat: Chat,
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    assert "(" not in (await chat.say("Amina", "/rhythm")).split("Check-in:")[1].split("\n")[0]
    await chat.say("Amina", "/timezone Istanbul")
    shown = await chat.say("Amina", "/rhythm")
    checkin = shown.split("Check-in:")[1].split("\n")[0]
    assert "(EDT)" in checkin or "(EST)" in checkin, checkin


async def test_a_digest_moved_before_the_rsvp_question_is_warned_about(chat: Chat) -> None:
    await chat.say("Linda", DETROIT_CIRCLE)
    said = await chat.say("Linda", "/rhythm digest 2 days")
    assert (
        "Note: your digest will now come before I ask who's coming (24 hours before each "
        "meeting), so it won't say who is coming. To ask earlier: /reminders 2 days 1 hour"
    ) in said
    follow = await chat.say("Linda", "/reminders 2 days 1 hour")
    assert "2 days" in follow
    assert "Note:" not in await chat.say("Linda", "/rhythm digest 1 day")


async def test_cutting_meetings_is_confirmed_with_their_dates_and_undoing_it_tells_nobody(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core, "/reschedule 1 2026-10-29 18:30")
    clock.advance(timedelta(minutes=1))
    asked = await chat.say("Amina", "/edit meetings 3")
    assert asked.startswith(
        "Drop the last 3 meetings of Python for Everyone? They would be:\n"
        "4. Thursday, Nov 19, 6:00 PM\n5. Thursday, Nov 26, 6:00 PM\n6. Thursday, Dec 3, 6:00 PM"
    ), asked
    assert await chat.say("Amina", "no") == "OK, the meetings stay as they are."
    assert "now has 3 meetings" in await chat.say("Amina", "/edit meetings 3") + await chat.say(
        "Amina", "yes"
    )
    await chat.say("Amina", "/edit meetings 6")
    clock.advance(timedelta(minutes=10))
    assert texts_to(await chat.deliver(), "Brian") == []
