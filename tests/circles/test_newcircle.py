"""/newcircle in one line and as a guided conversation that survives a restart."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.errors import UserError
from bot.core import Core
from bot.storage.models import Circle, Meeting
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session
from tests.platforms import PLATFORMS

ANSWERS = [
    "Digital Skills for Work",
    "Learning How to Learn",
    "https://example.org/course",
    "Kenya National Library, Upper Hill",
    "Nairobi",
    "ke",  # one time zone: set, not asked (walkthrough D5)
    "2026-11-03",
    "5:30pm",
    "8",
]


async def circles_in(core: Core) -> list[Circle]:
    async with open_session(core) as session:
        return list((await session.exec(select(Circle))).all())


async def test_one_line_creates_the_circle_with_its_meetings(chat: Chat, core: Core) -> None:
    answer = await chat.say("Amina", DETROIT_CIRCLE)
    assert "Your circle Python for Everyone is ready: 6 weekly meetings on Thursday" in answer
    assert "6:00 PM (EDT, then EST)" in answer  # EDT, then EST from November 1st
    assert "Join code:" in answer
    [circle] = await circles_in(core)
    assert (circle.timezone, circle.country_code, circle.meeting_count) == (
        "America/Detroit",
        "US",
        6,
    )
    async with open_session(core) as session:
        meetings = (await session.exec(select(Meeting))).all()
    assert len(meetings) == 6


async def test_the_guided_conversation_asks_for_each_field(chat: Chat, core: Core) -> None:
    assert "Let's set up your circle" in await chat.say("Wanjiru", "/newcircle")
    replies = [await chat.say("Wanjiru", answer) for answer in ANSWERS]
    assert "Which language does your circle speak?" in replies[-1]
    replies.append(await chat.say("Wanjiru", "skip"))  # hers
    assert "Which online course" in replies[0]
    assert "Time zone: Africa/Nairobi." in replies[5]  # Kenya's only zone: not asked
    assert (
        "Your circle Digital Skills for Work is ready: 8 weekly meetings on Tuesday"
        in (replies[-1])
    )
    assert "5:30 PM (EAT)" in replies[-1]
    [circle] = await circles_in(core)
    assert circle.course_url == "https://example.org/course"
    assert circle.start_time.hour == 17 and circle.start_time.minute == 30


async def test_the_one_line_form_fills_in_what_it_has_and_asks_the_rest(
    chat: Chat, core: Core
) -> None:
    answer = await chat.say("Amina", '/newcircle name="Python for Everyone" course=Python')
    assert "What's the course's web address?" in answer
    await chat.say("Amina", "skip")
    assert "Which city" in await chat.say("Amina", "Main Library")


async def test_bare_words_are_taken_as_the_name(chat: Chat, core: Core) -> None:
    answer = await chat.say("Amina", "/newcircle Python for Everyone")
    assert "Which online course" in answer


async def test_a_second_circle_in_the_same_city_offers_its_country(chat: Chat, core: Core) -> None:
    """fac 3: the country was asked again, with nothing to tap, right after "Nairobi"."""
    await chat.say("Wanjiru", "/newcircle")
    for answer in [*ANSWERS, "skip"]:
        await chat.say("Wanjiru", answer)
    await chat.say("Wanjiru", "/newcircle Public Speaking")
    for answer in (ANSWERS[1], ANSWERS[3]):  # the course known, its link with it
        await chat.say("Wanjiru", answer)
    asked = await chat.say("Wanjiru", "nairobi")
    assert "Which country?" in asked and "Reply 1 for Kenya" in asked
    assert "Time zone: Africa/Nairobi." in await chat.say("Wanjiru", "1")


async def test_details_in_a_sentence_give_the_name_only_and_say_so(chat: Chat, core: Core) -> None:
    """fac 2: the whole sentence, link and all, became the circle's name. (Walkthrough 8,
    fac 7: the details it can read are kept and said back too.)"""
    answer = await chat.say(
        "Joseph",
        "/newcircle Public Speaking, online on https://meet.google.com/abc-defg-hij, "
        "wednesdays 18:30 for 6 weeks",
    )
    assert "I've taken the name “Public Speaking”" in answer
    assert "weekday: Wednesday; time: 18:30; meetings: 6" in answer, answer
    assert "Which online course" in answer
    answer = await chat.say("Joseph", "/newcircle Public Speaking https://meet.google.com/abc")
    assert "“Public Speaking”" in answer


async def test_a_wrong_answer_is_explained_and_the_question_asked_again(chat: Chat) -> None:
    await chat.say("Wanjiru", "/newcircle")
    for answer in [*ANSWERS[:3], "Detroit Public Library", "Detroit", "US"]:
        await chat.say("Wanjiru", answer)
    retry = await chat.say("Wanjiru", "Amrica/Detriot")
    assert "I don't know the time zone" in retry and "Did you mean America/Detroit" in retry
    past = await chat.say("Wanjiru", "America/Detroit")
    assert "On what date" in past
    assert "can't be in the past" in await chat.say("Wanjiru", "2026-01-05")
    assert "What time" in await chat.say("Wanjiru", "2026-11-03")


async def test_cancel_stops_the_conversation_and_saves_nothing(chat: Chat, core: Core) -> None:
    await chat.say("Wanjiru", "/newcircle")
    await chat.say("Wanjiru", "Digital Skills")
    assert "Nothing was saved" in await chat.say("Wanjiru", "cancel")
    after = await chat.say("Wanjiru", "Learning How to Learn")
    assert "web address" not in after and "/newcircle" in after  # how to start one again
    assert await circles_in(core) == []


async def test_other_commands_work_mid_conversation_and_it_resumes(chat: Chat, core: Core) -> None:
    await chat.say("Wanjiru", "/newcircle")
    await chat.say("Wanjiru", "Digital Skills")
    assert "Here's what you can do" in await chat.say("Wanjiru", "/help")
    assert "web address" in await chat.say("Wanjiru", "Learning How to Learn")
    assert "Nothing was saved" in await chat.say("Wanjiru", "/cancel")


async def test_the_conversation_survives_a_restart(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    first = Chat(Core(sqlite_engine, clock, random.Random(1), platforms=PLATFORMS))
    await first.say("Wanjiru", "/newcircle")
    for answer in ANSWERS[:4]:
        await first.say("Wanjiru", answer)
    # A new process: a new Core on the same database, nothing kept in memory.
    second = Chat(Core(sqlite_engine, clock, random.Random(2), platforms=PLATFORMS))
    assert "Which country?" in await second.say("Wanjiru", ANSWERS[4])
    for answer in ANSWERS[5:]:
        await second.say("Wanjiru", answer)
    assert "is ready" in await second.say("Wanjiru", "English")


async def test_conversations_are_kept_per_person(chat: Chat, core: Core) -> None:
    await chat.say("Wanjiru", "/newcircle")
    assert "Which online course" not in await chat.say("Brian", "Digital Skills")
    assert "Which online course" in await chat.say("Wanjiru", "Digital Skills")


async def test_a_first_meeting_earlier_today_sends_back_to_the_date(
    chat: Chat, clock: FakeClock
) -> None:
    # 10:00 in Detroit: a meeting today at 09:00 has already passed.
    await chat.say("Amina", "/newcircle")
    for answer in ["Circle", "Course", "skip", "Library", "Detroit", "US", "America/Detroit"]:
        await chat.say("Amina", answer)
    await chat.say("Amina", "2026-10-20")
    await chat.say("Amina", "09:00")
    await chat.say("Amina", "skip")  # the number of meetings
    retry = await chat.say("Amina", "skip")  # the language
    assert "can't be in the past" in retry
    assert "On what date" in retry
    await chat.say("Amina", "2026-10-22")
    # The number of meetings and language were already answered (skipped): this completes it.
    assert "is ready" in await chat.say("Amina", "09:00")


async def test_unknown_detail_keys_and_broken_quotes_are_explained(chat: Chat, core: Core) -> None:
    assert "the keys are: name, course" in await chat.say("Amina", "/newcircle colour=blue")
    assert "quote is missing" in await chat.say("Amina", '/newcircle name="Python')
    assert await circles_in(core) == []


async def test_a_past_start_is_refused_at_once_whatever_the_order_of_details(
    chat: Chat, core: Core
) -> None:
    answer = await chat.say("Amina", "/newcircle start=2026-01-05 zone=America/Detroit name=X")
    assert "can't be in the past" in answer
    assert await circles_in(core) == []


async def test_a_number_answers_the_meetings_question_as_itself(chat: Chat, core: Core) -> None:
    await chat.say("Wanjiru", "/newcircle")
    for answer in ANSWERS[:-1]:
        await chat.say("Wanjiru", answer)
    assert "Which language" in await chat.say("Wanjiru", "2")
    assert "is ready: 2 weekly meetings" in await chat.say("Wanjiru", "skip")


async def test_apostrophes_and_phone_quotes_in_the_one_line_form(chat: Chat, core: Core) -> None:
    assert "Which online course" in await chat.say("Amina", "/newcircle Women's Code Club")
    await chat.say("Amina", "cancel")
    answer = await chat.say(
        "Amina",
        "/newcircle name=“Women's Code Club” course=“Python” venue=Library city=Detroit "
        "country=US zone=America/Detroit start=2026-11-02 time=18:00",
    )
    assert "Your circle Women's Code Club is ready" in answer


async def test_far_dates_are_refused_clearly(chat: Chat, core: Core) -> None:
    answer = await chat.say("Amina", DETROIT_CIRCLE.replace("2026-10-29", "9999-12-01"))
    assert answer == "start: Please pick a date between 2000 and 2100."
    answer = await chat.say("Amina", DETROIT_CIRCLE.replace("2026-10-29", "2030-10-29"))
    assert answer == "The first meeting should be within the next two years."
    assert await circles_in(core) == []


async def test_an_abandoned_conversation_expires_even_if_other_commands_are_used(
    chat: Chat, clock: FakeClock
) -> None:
    await chat.say("Wanjiru", "/newcircle")
    for _ in range(5):
        clock.advance(timedelta(hours=20))
        await chat.say("Wanjiru", "/help")
    assert "I didn't catch that" in await chat.say("Wanjiru", "thanks!")


def test_weekdays_are_understood_in_every_shipped_language() -> None:
    from bot.circles.circles import parse_weekday

    thursday = ["Thursday", "thu", "jueves", "Jue.", "jeudi", "Donnerstag", "alhamisi", "torsdag"]
    assert {parse_weekday(name) for name in thursday} == {3}
    assert parse_weekday("Mié.") == parse_weekday("mittwoch") == parse_weekday("onsdag") == 2
    with pytest.raises(UserError):
        parse_weekday("someday")


async def test_a_one_meeting_circle_is_confirmed_with_its_time(chat: Chat, core: Core) -> None:
    answer = await chat.say("Amina", DETROIT_CIRCLE.replace("meetings=6", "meetings=1"))
    assert answer.startswith(
        "Your circle Python for Everyone is ready: 1 meeting, on Thursday, October 29, 2026 at "
        "6:00 PM (EDT), at Detroit Public Library, Detroit."
    )


async def test_skip_skips_the_optional_question_being_asked(chat: Chat, core: Core) -> None:
    await chat.say("Wanjiru", "/newcircle")
    await chat.say("Wanjiru", ANSWERS[0])
    assert "web address" in await chat.say("Wanjiru", ANSWERS[1])
    skipped = await chat.say("Wanjiru", "/skip")
    assert "nothing to skip" not in skipped
    assert "Where will you meet?" in skipped  # on to the next question
    for answer in ANSWERS[3:-1]:
        await chat.say("Wanjiru", answer)
    assert "Which language" in await chat.say("Wanjiru", "/skip")  # the default 6
    assert "ready: 6 weekly meetings" in await chat.say("Wanjiru", "/skip")
    [circle] = await circles_in(core)
    assert circle.course_url is None and circle.meeting_count == 6


async def test_a_question_that_cannot_be_skipped_says_so_and_asks_again(
    chat: Chat, core: Core
) -> None:
    await chat.say("Wanjiru", "/newcircle")
    for said in ("/skip", "skip"):
        answer = await chat.say("Wanjiru", said)
        assert "nothing to skip" not in answer
        assert "can't skip" in answer
        assert "What's the circle called?" in answer
    # "skip" was not taken as the circle's name: the same question is still open.
    assert "Which online course" in await chat.say("Wanjiru", ANSWERS[0])
    assert "can't skip" in await chat.say("Wanjiru", "/skip")
    assert "Which online course" in await chat.say("Wanjiru", "skip")


async def test_the_course_question_offers_courses_other_circles_took_with_their_link(
    chat: Chat, core: Core
) -> None:
    """A course other circles took is one tap away, and brings its link: the link question is
    not asked, and the new circle shares the course record (so past circles' tips reach it)."""
    await chat.say(
        "Amina",
        '/newcircle name="Python for Everyone" course="Python for Everybody" '
        "url=https://www.py4e.com venue=Library city=Detroit country=US "
        "zone=America/Detroit start=2026-10-29 time=18:00",
    )
    await chat.say("Dana", "/newcircle")
    asked = await chat.say("Dana", "Evening Python")
    assert "Which online course" in asked and "1 for Python for Everybody" in asked
    assert "Where will you meet" in await chat.say("Dana", "1")  # no link question
    for answer in ("Branch library", "Detroit", "US", "America/Detroit", "2026-11-05", "18:00"):
        await chat.say("Dana", answer)
    await chat.say("Dana", "/skip")  # the number of meetings
    assert "is ready" in await chat.say("Dana", "/skip")
    async with open_session(core) as session:
        first, second = (await session.exec(select(Circle).order_by(Circle.id))).all()
    assert second.course_url == "https://www.py4e.com"
    assert second.course_id is not None and second.course_id == first.course_id


async def test_a_country_typed_in_full_still_suggests_its_own_zones(chat: Chat) -> None:
    """Second walkthrough: country "USA" then zone "Eastern" suggested Pacific/Easter."""
    await chat.say("Dana", "/newcircle")
    for answer in ("Evening Python", "Python for Everybody", "/skip", "Library", "Detroit"):
        await chat.say("Dana", answer)
    assert "time zone" in await chat.say("Dana", "USA")
    suggested = await chat.say("Dana", "Eastern")
    assert "America/Detroit" in suggested and "Pacific" not in suggested
    await chat.say("Kamau", "/newcircle")
    for answer in ("Kusoma", "Python for Everybody", "/skip", "Maktaba", "Nairobi"):
        await chat.say("Kamau", answer)
    assert "Time zone: Africa/Nairobi." in await chat.say("Kamau", "Kenya")


async def test_the_course_choices_keep_their_order_own_first(chat: Chat, core: Core) -> None:
    """fac 45: the numbered courses changed order between runs (by how many circles took
    each), so a "2" typed from habit picked another course."""

    def on(course: str, name: str) -> str:
        return DETROIT_CIRCLE.replace("Python for Everybody", course).replace(
            "Python for Everyone", name
        )

    assert "is ready" in await chat.say("Joseph", on("Middle Course", "Mine"))
    for number, course in enumerate(("Zeta Course", "Zeta Course", "Alpha Course")):
        assert "is ready" in await chat.say(f"Other{number}", on(course, f"Theirs {number}"))
    asked = await chat.say("Joseph", "/newcircle Again")
    assert "Reply 1 for Middle Course, 2 for Alpha Course, or 3 for Zeta Course." in asked, asked
