"""Several open questions, and which one an answer belongs to (wave 2, group G2): a check-in's
rating stays answerable by its number until the week ends, whatever reminder came after it
(C26, the morning-of-the-meeting "4"); a number that fits none of the newest choices goes to the
older 1-5 question it fits (D26, D27); a number never silently changes a rating already given
while another question waits for it (C28, D15)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Circle, Rsvp, RsvpAnswer
from tests.conftest import Chat, code_of
from tests.core.test_precedence import joined_and_settled
from tests.core.test_several_circles import SECOND_CIRCLE, two_circles
from tests.core.test_two_circles_questions import CHECKIN, brian_in_both
from tests.database import open_session
from tests.letters.test_letters import AFTER_MEETING_3, write
from tests.network.test_survey import TWO_WEEKS, answers_of, delivered, end_the_circle
from tests.rhythm.test_calendar_changes import circle_with_learners
from tests.rhythm.test_private_words import reflections
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, ratings
from tests.rhythm.test_rhythm import circle_row, start_circle
from tests.seasons import checkin_due, open_circle, starts


async def test_a_rating_after_the_reminder_and_the_nudge_is_taken(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """The check-in, its nudge two days later, the next meeting's reminder: on the morning of
    the meeting "4" is the week's rating, not "Sorry, I didn't catch that. Reply 1 for Yes or 2
    for No." (C26: "Reply when you can" lasted less than two days)."""
    await open_circle(chat, core, {"Brian": True})
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()
    clock.set(checkin_due(1) + timedelta(hours=49))  # the nudge
    await core.tick()
    await chat.deliver()
    clock.set(starts(2) - timedelta(hours=23))  # the reminder
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("Reply 1 for Yes or 2 for No" in text or "Yes" in text for text in sent)
    clock.set(starts(2) - timedelta(hours=8))  # the morning of the meeting
    reply = await chat.say("Brian", "4")
    assert "didn't catch" not in reply
    assert await ratings(core) == [4]
    # The reminder's Yes still answers by its number.
    assert "see you" in (await chat.say("Brian", "1")).casefold()


async def test_a_bare_number_after_a_rating_answers_the_other_circles_reminder(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C28: "4" to one circle's check-in, then "1" meant for the other circle's reminder: a
    yes to that meeting, never "I changed your rating from 4 to 1"."""
    await brian_in_both(chat, core, clock)
    assert "Python for Everyone, meeting 1" in await chat.say("Brian", "4")
    reply = await chat.say("Brian", "1")
    assert reply.startswith("Digital Skills: Great, see you at meeting 1")
    assert await ratings(core) == [4]
    async with open_session(core) as session:
        assert [RsvpAnswer(r.answer) for r in (await session.exec(select(Rsvp))).all()] == [
            RsvpAnswer.YES
        ]


async def test_no_nudge_after_the_check_in_was_answered_in_words(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D18: rated in words, then /checkin to see it (which asks again, so a number changes
    it): two days later no "how is it going? Reply when you can" chaser."""
    await open_circle(chat, core, {"Brian": True})
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()
    await chat.say("Brian", "it was great!! everyone was so nice")
    assert "5" in await chat.say("Brian", "/checkin")  # rated already; a number changes it
    clock.set(checkin_due(1) + timedelta(hours=49))
    await core.tick()
    assert not [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert await ratings(core) == [5]


async def circle_id(core: Core, name: str) -> int:
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == name))).one()
    assert circle.id is not None
    return circle.id


LATER_CIRCLE = SECOND_CIRCLE.replace("start=2026-11-02", "start=2026-11-10")


@pytest.mark.parametrize("number", [4, 5])
async def test_a_rating_the_newer_choices_cant_take_answers_the_open_survey(
    chat: Chat, core: Core, clock: FakeClock, number: int
) -> None:
    """D26, D27: the course survey's 1-5, then another circle's "Reply 1 for Yes or 2 for No":
    a "5" (or "4") is the survey's answer, never "Sorry, I didn't catch that"."""
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    sent = await end_the_circle(chat, core, clock)
    assert "from 1 to 5" in sent["brian"]
    await chat.say("Dede", LATER_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    clock.set(datetime(2026, 11, 9, 16, 5, tzinfo=UTC))  # Digital Skills' 24-hour reminder
    await core.tick()
    assert "Reply 1 for Yes or 2 for No" in (await delivered(chat))["brian"]
    reply = await chat.say("Brian", str(number))
    assert "didn't catch" not in reply
    assert "Did you reach your goal?" in reply
    brian = await answers_of(core, "Brian")
    assert brian is not None and brian.rating == number
    # The reminder's Yes / No still answers by its number once the survey's choices are done.
    await chat.say("Brian", "/skip")


@pytest.mark.parametrize(
    ("language", "typed", "asked"),
    [
        ("sw", "unamaanisha kwenye kozi ama kwenye kikundi?", "Je, huu ni ujumbe"),  # B13
        ("en", "huh? so is it approved or not??", "Is this a message for Amina?"),  # D37
    ],
)
async def test_a_question_back_to_a_reflection_is_not_filed_as_its_answer(
    chat: Chat, core: Core, language: str, typed: str, asked: str
) -> None:
    """B13, D37: a question asked back at an open reflection prompt is never kept in the
    portfolio as its answer: the learner is asked whether it is a message for the facilitator;
    the prompt still waits for the real answer."""
    await open_circle(chat, core, {"Brian": True})
    await chat.say("Brian", "/language " + language)
    await chat.deliver()
    await chat.say("Brian", "/reflect")
    assert asked in await chat.say("Brian", typed)
    await chat.say("Brian", "1")
    assert [typed in text for text in passed_on_to(await chat.deliver(), "Amina")] == [True]
    assert await reflections(core) == []
    await chat.say("Brian", "Loops finally make sense.")
    assert await reflections(core) == ["Loops finally make sense."]


async def test_a_sentence_answers_the_open_reflection_not_the_newer_rating(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C34: a question in words (the goal review, a reflection) and then another circle's
    1-5 check-in: a sentence goes to the question in words, never "send a number from 1 to 5"
    and a message to the facilitators."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    clock.set(CHECKIN - timedelta(hours=2))
    digital_skills = await circle_id(core, "Digital Skills")
    asked = await chat.say("Brian", f"#{digital_skills} /reflect")
    assert "portfolio" in asked
    clock.set(CHECKIN)
    await core.tick()
    assert "How did meeting 1 of Python for Everyone go" in "".join(
        m.text for m in await chat.deliver() if m.address.chat_id == "brian"
    )
    typed = "I can now send photos to my daughter and voice notes too"
    reply = await chat.say("Brian", typed)
    assert "portfolio" in reply and "number from 1 to 5" not in reply
    assert await reflections(core) == [typed]
    assert not passed_on_to(await chat.deliver(), "amina")
    assert "Python for Everyone, meeting 1" in await chat.say("Brian", "4")
    assert await ratings(core) == [4]


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("2 stunden vorher und am vortag", [2 * 60, 24 * 60]),  # D45
        ("the day before and 2 hours before", [24 * 60, 2 * 60]),
        ("la veille et 1 heure avant", [24 * 60, 60]),
        ("el día anterior y 2 horas antes", [24 * 60, 2 * 60]),
        ("2 timer før og dagen før", [2 * 60, 24 * 60]),
        ("siku moja kabla na saa 2 kabla", [24 * 60, 2 * 60]),
    ],
)
async def test_the_day_before_is_a_reminder_a_day_ahead(
    chat: Chat, core: Core, typed: str, minutes: list[int]
) -> None:
    """D45: "/erinnerungen 2 stunden vorher und am vortag" is 2 hours and 24 hours, never
    "Is 2 hours or minutes?"."""
    await start_circle(chat, core, "Brian")
    reply = await chat.say("Amina", "/reminders " + typed)
    assert "hours or minutes" not in reply and "two reminders" in reply
    assert sorted((await circle_row(core)).reminder_offsets) == sorted(minutes)


async def test_a_question_the_same_command_made_moot_is_dropped_quietly(
    chat: Chat, core: Core
) -> None:
    """A11: "/addmeeting nov 30" (asked "...Add it?"), unanswered; "/addmeeting dec 10" adds
    a meeting; a later /announce never says "I've stopped what we were doing with
    /addmeeting"."""
    await circle_with_learners(chat, core)
    assert "Add it?" in await chat.say("Amina", "/addmeeting nov 30 2027")
    assert "Meeting 7 is added" in await chat.say("Amina", "/addmeeting dec 10")
    shown = await chat.say("Amina", "/announce Bring your laptops on Thursday.")
    assert "Bring your laptops" in shown
    assert "stopped" not in shown


async def test_a_plea_for_a_language_wins_over_a_question_waiting_for_words(
    chat: Chat, core: Core
) -> None:
    """C38: switched to English by mistake, with a question waiting for words, "NO ENTIENDO
    QUIERO EN ESPAÑOL" switches back to Spanish, never kept as the answer."""
    await open_circle(chat, core, {"Brian": True})
    await chat.say("Brian", "/language en")
    await chat.say("Brian", "/reflect")
    assert "español" in await chat.say("Brian", "NO ENTIENDO QUIERO EN ESPAÑOL")
    assert await reflections(core) == []


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("es", "no, mejor que no"),  # C37
        ("en", "no, I would rather not"),
        ("fr", "non, je préfère pas"),
        ("de", "nein danke, lieber nicht"),
        ("da", "nej tak, hellere ikke"),
        ("sw", "hapana asante, bora isiwe"),
    ],
)
async def test_a_no_that_only_says_no_again_is_not_passed_on_too(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    """C37: a no understood as the answer is not ALSO forwarded to the facilitators as a
    message they cannot make sense of."""
    await answer_reminder(chat, core, clock, "Diego", language, typed)
    async with open_session(core) as session:
        assert [RsvpAnswer(r.answer) for r in (await session.exec(select(Rsvp))).all()] == [
            RsvpAnswer.NO
        ]
    assert passed_on_to(await chat.deliver(), "Amina") == []


async def test_a_question_at_the_forget_confirmation_is_answered(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D40: the /forget confirmation says what happens to a letter still travelling, and a
    question asked back gets that answer, not "Please answer yes or no"."""
    await joined_and_settled(chat, core)
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    asked = await chat.say("Brian", "/forget")
    assert "Your letter waiting to reach another circle still travels" in asked
    answer = await chat.say("Brian", "and what happens to my letter?")
    assert "Please answer yes or no" not in answer
    assert "still travels, without your name" in answer
    assert "Nothing is deleted until you say so." in answer
    assert "nothing was deleted" in await chat.say("Brian", "no")


async def test_a_late_answer_to_a_reminder_ends_with_one_point(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B27: "La réunion 1 a eu lieu le jeudi 29 oct.." (a short month's point, then the
    sentence's): one point."""
    assert "1" in await answer_reminder(chat, core, clock, "Fatou", "fr", "/next")
    clock.set(starts(1) + timedelta(days=2))
    late = await chat.say("Fatou", "1")
    assert "a eu lieu le" in late
    assert ".." not in late
