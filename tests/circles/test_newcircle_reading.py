"""/newcircle and /reschedule read answers as a Detroit librarian and a Dakar facilitator type
them (issue 16): dates and times in their own form, "Eastern", "six weeks", a bare meeting
link, and "back"."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.storage.models import Circle, Meeting
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session

# The clock starts on Tuesday 2026-10-20, 10:00 in Detroit.
UP_TO_THE_CITY = ["Evening Python", "Python for Everybody", "py4e.com i think", "Main Library"]


async def only_circle(core: Core) -> Circle:
    async with open_session(core) as session:
        [circle] = (await session.exec(select(Circle))).all()
    return circle


async def test_a_librarian_answers_as_she_talks_and_sees_how_it_was_read(
    chat: Chat, core: Core
) -> None:
    await chat.say("Dana", "/newcircle")
    for said in UP_TO_THE_CITY:
        await chat.say("Dana", said)
    await chat.say("Dana", "detroit")
    await chat.say("Dana", "United States of America")
    asked_date = await chat.say("Dana", "eastern")
    assert "Time zone: America/Detroit." in asked_date
    assert "YYYY-MM-DD" not in asked_date and "For example 11/3/2026" in asked_date
    asked_time = await chat.say("Dana", "11/5/2026")
    assert "First meeting: Thursday, November 5, 2026." in asked_time
    await chat.say("Dana", "6:30 pm")
    await chat.say("Dana", "six weeks")
    assert "is ready: 6 weekly meetings on Thursday" in await chat.say("Dana", "English")
    circle = await only_circle(core)
    assert (circle.city, circle.country_code, circle.timezone) == (
        "Detroit",
        "US",
        "America/Detroit",
    )
    assert circle.course_url == "https://py4e.com"
    assert (circle.start_time.hour, circle.start_time.minute) == (18, 30)


async def test_a_weekday_answers_the_date_question(chat: Chat, core: Core) -> None:
    await chat.say("Dana", "/newcircle")
    for said in [*UP_TO_THE_CITY, "Detroit", "US", "America/Detroit"]:
        await chat.say("Dana", said)
    assert "First meeting: Thursday, October 22, 2026." in await chat.say("Dana", "thursday")


async def test_a_zone_it_cannot_pick_alone_is_offered_as_numbered_choices(
    chat: Chat, core: Core
) -> None:
    await chat.say("Dana", "/newcircle")
    for said in [*UP_TO_THE_CITY, "Ann Arbor", "US"]:
        await chat.say("Dana", said)
    offered = await chat.say("Dana", "eastern")
    assert "Reply 1 for America/New_York" in offered and "2 for America/Detroit" in offered
    assert "On what date" in await chat.say("Dana", "2")
    await chat.say("Dana", "2026-11-05")
    await chat.say("Dana", "18:00")
    await chat.say("Dana", "skip")
    await chat.say("Dana", "skip")  # the language: hers
    assert (await only_circle(core)).timezone == "America/Detroit"


async def test_the_one_line_form_reads_eastern_from_the_city(chat: Chat, core: Core) -> None:
    answer = await chat.say("Amina", DETROIT_CIRCLE.replace("zone=America/Detroit", "zone=eastern"))
    assert "is ready" in answer
    assert (await only_circle(core)).timezone == "America/Detroit"


async def test_the_one_line_form_asks_only_an_unclear_zone(chat: Chat, core: Core) -> None:
    line = DETROIT_CIRCLE.replace("zone=America/Detroit", "zone=eastern").replace(
        "city=Detroit", 'city="Ann Arbor"'
    )
    asked = await chat.say("Amina", line)
    assert "Which one is yours?" in asked and "2 for America/Detroit" in asked
    assert "is ready" in await chat.say("Amina", "2")


async def test_a_bare_meeting_link_makes_an_online_circle(chat: Chat, core: Core) -> None:
    await chat.say("Awa", "/newcircle")
    for said in ["Python du soir", "Python for Everybody", "skip"]:
        await chat.say("Awa", said)
    asked_city = await chat.say("Awa", "meet.jit.si/dpl-python")
    assert "most of you in" in asked_city
    for said in ["Dakar", "Sénégal", "Africa/Dakar", "2026-11-05", "18h30"]:
        await chat.say("Awa", said)
    await chat.say("Awa", "sita")
    ready = await chat.say("Awa", "skip")
    assert "online at https://meet.jit.si/dpl-python" in ready and "Dakar." not in ready
    circle = await only_circle(core)
    assert (circle.venue, circle.country_code, circle.meeting_count) == (
        "https://meet.jit.si/dpl-python",
        "SN",
        6,
    )


async def test_back_asks_the_question_before_again(chat: Chat, core: Core) -> None:
    assert "This is the first question" in await chat.say("Dana", "/newcircle") + await chat.say(
        "Dana", "back"
    )
    await chat.say("Dana", "Evening Python")
    await chat.say("Dana", "Python for Everybody")
    assert "web address" in await chat.say("Dana", "skip") + await chat.say("Dana", "back")
    assert "Which online course" in await chat.say("Dana", "back")
    assert "web address" in await chat.say("Dana", "Learning How to Learn")
    await chat.say("Awa", "/newcircle", locale_hint="fr")
    assert "C'est la première question." in await chat.say("Awa", "retour", locale_hint="fr")
    assert await core_circles(core) == []


async def test_back_typed_without_its_umlaut(chat: Chat, core: Core) -> None:
    """Walk dede 30: "Zurueck" at the course question was kept as the course's title."""
    await chat.say("Katrin", "/neuerkreis", locale_hint="de")
    await chat.say("Katrin", "Digitale Fotografie", locale_hint="de")
    asked = await chat.say("Katrin", "Zurueck", locale_hint="de")
    assert "Zurueck" not in asked, asked
    assert asked.startswith("Wie heißt der Kreis?"), asked  # the question before again


async def core_circles(core: Core) -> list[Circle]:
    async with open_session(core) as session:
        return list((await session.exec(select(Circle))).all())


async def test_a_french_facilitator_is_asked_for_a_date_in_her_own_form(chat: Chat) -> None:
    await chat.say("Awa", "/newcircle", locale_hint="fr")
    for said in ["Python du soir", "Python for Everybody", "skip", "Bibliothèque", "Dakar", "SN"]:
        await chat.say("Awa", said, locale_hint="fr")
    asked = await chat.say("Awa", "Africa/Dakar", locale_hint="fr")
    assert "AAAA" not in asked and "YYYY" not in asked and "03/11/2026" in asked
    read = await chat.say("Awa", "5 novembre", locale_hint="fr")
    assert "jeudi 5 novembre 2026" in read


async def test_reschedule_reads_a_weekday_and_a_time_with_a_space(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)  # Thursdays from 2026-10-29, 18:00
    moved = await chat.say("Amina", "/reschedule 1 wednesday 6:30 pm")
    # The Wednesday of meeting 1's own week (walkthrough C41), not the coming one.
    assert moved == "Meeting 1 is now Wednesday, October 28, 2026 at 6:30 PM (EDT)."
    moved = await chat.say("Amina", "/reschedule 2 Nov 4 6pm")
    assert moved == "Meeting 2 is now Wednesday, November 4, 2026 at 6:00 PM (EST)."
    async with open_session(core) as session:
        first = (await session.exec(select(Meeting).where(Meeting.number == 1))).one()
    assert first.starts_at.hour == 22 and first.starts_at.minute == 30  # 18:30 EDT


async def test_reschedule_usage_shows_an_example_that_is_never_in_the_past(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    usage = await chat.say("Amina", "/reschedule 3")
    assert "For example: /reschedule 3 wednesday 18:30" in usage


async def test_a_french_facilitator_reschedules_in_her_own_words(chat: Chat) -> None:
    await chat.say("Awa", DETROIT_CIRCLE, locale_hint="fr")
    usage = await chat.say("Awa", "/reschedule 1", locale_hint="fr")
    assert "/deplacer 3 mercredi 18h30" in usage
    moved = await chat.say("Awa", "/reschedule 1 mercredi 18h30", locale_hint="fr")
    assert "mercredi 28 octobre 2026" in moved and "18:30" in moved
