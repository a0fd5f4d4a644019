"""The end-of-circle survey: asked when the last meeting ends, answered with taps (or their
numbers by SMS), kept for the course; a tip is passed on only when its author agrees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from bot.storage.models import (
    CheckIn,
    Circle,
    CourseSurvey,
    Meeting,
    Person,
    Question,
    QuestionKind,
)
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.seasons import Week, open_circle, play_week, starts

TWO_WEEKS = DETROIT_CIRCLE.replace("meetings=6", "meetings=2")


async def answers_of(core: Core, name: str) -> CourseSurvey | None:
    async with open_session(core) as session:
        return (
            await session.exec(
                select(CourseSurvey)
                .join(Person, Person.id == CourseSurvey.person_id)  # type: ignore[arg-type]
                .where(Person.display_name == name)
            )
        ).first()


async def end_the_circle(chat: Chat, core: Core, clock: FakeClock) -> dict[str, str]:
    """Two meetings; the ticks after the last one ends, and when the survey is due. What each
    person was sent then."""
    if clock.now() < starts(1):
        await play_week(chat, core, clock, 1, Week(came=("Brian", "Dana")))
    clock.set(starts(2) + timedelta(minutes=5))
    assert "You're here" in await chat.say("Brian", "/here")
    clock.set(starts(2) + timedelta(hours=2))
    await core.tick()  # the close-out
    await delivered(chat)
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    return await delivered(chat)


async def delivered(chat: Chat) -> dict[str, str]:
    sent: dict[str, str] = {}
    while delivered := await chat.deliver():  # a few rows per chat at a time
        for message in delivered:
            sent[message.address.chat_id] = sent.get(message.address.chat_id, "") + message.text
    return sent


async def test_the_survey_in_english_feeds_the_course(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    sent = await end_the_circle(chat, core, clock)
    assert "Help the next circle: how was Python for Everybody, from 1 to 5?" in sent["brian"]
    assert "how well did the course work for a learning circle" in sent["amina"]

    assert "Did you reach your goal?" in await chat.say("Brian", "4")
    assert "recommend Python for Everybody" in await chat.say("Brian", "2")  # partly
    assert "one tip for the next circle" in await chat.say("Brian", "1")  # yes
    assert "May I pass your tip on" in await chat.say("Brian", "Do the exercises twice.")
    assert "will reach the next circles" in await chat.say("Brian", "1")

    answers = await answers_of(core, "Brian")
    assert answers is not None
    assert (answers.rating, answers.goal_met, answers.recommend) == (4, "partly", True)
    assert (answers.tip, answers.tip_shared) == ("Do the exercises twice.", True)

    # The facilitator's two questions.
    assert "one tip for the next person facilitating" in await chat.say("Amina", "5")
    assert "May I pass your tip on" in await chat.say("Amina", "Bring snacks.")
    assert "stays private" in await chat.say("Amina", "2")
    amina = await answers_of(core, "Amina")
    assert amina is not None and (amina.rating, amina.tip_shared) == (5, False)


async def test_the_goal_is_asked_about_once(chat: Chat, core: Core, clock: FakeClock) -> None:
    """The survey's goal step builds on the final week's goal review (the goal quoted, not
    asked about again); a learner who set no goal is not asked about one."""
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    assert "Welcome" in await chat.say("Dana", "/join " + (await _code(core)))
    await chat.say("Dana", "/skip")  # no goal
    await chat.say("Dana", "/skip")  # nor sharing
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Dana")))
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    assert "How close did you get?" in "".join(m.text for m in await chat.deliver())
    await chat.say("Brian", "I write small scripts now.")
    await end_the_circle(chat, core, clock)
    asked = await chat.say("Brian", "3")
    # The goal they set is what is quoted as their goal, never the review's words (B10).
    assert 'Your goal at the start was: "To learn Python with others", and you have told' in asked
    assert "I write small scripts now" not in asked
    assert "did you reach your goal?" not in asked and "How close did you get?" not in asked
    assert "recommend" in asked
    async with open_session(core) as session:
        assert not (
            await session.exec(select(Question).where(Question.kind == QuestionKind.GOAL_REVIEW))
        ).all()
    assert "recommend" in await chat.say("Dana", "3")  # straight on: no goal to ask about


async def test_the_survey_waits_for_the_last_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    assert "opens after your circle's last meeting" in await chat.say("Brian", "/survey")
    assert "opens after" in await chat.say("Brian", "/survey rating 5")
    assert await answers_of(core, "Brian") is None


async def test_wrong_and_huge_answers_change_nothing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    assert "number from 1 to 5" in await chat.say("Brian", "/survey rating 9")
    assert "number from 1 to 5" in await chat.say("Brian", "/survey rating " + "9" * 400)
    assert await answers_of(core, "Brian") is None
    await chat.say("Brian", "/survey rating 3")
    await chat.say("Brian", "/survey goal no")
    assert "one tip" in await chat.say("Brian", "/survey recommend no")
    assert "under 500 characters" in await chat.say("Brian", "word " * 400)
    assert "May I pass" in await chat.say("Brian", "Ask questions early.")
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.tip == "Ask questions early."


async def _code(core: Core) -> str:
    return await code_of(core, "Python for Everyone")


SMS = Capabilities(max_text_length=459)


NAIROBI = (
    '/newcircle name="Python Nairobi" course="Python for Everybody" url=https://www.py4e.com '
    "venue=KNLS city=Nairobi country=KE zone=Africa/Nairobi start=2026-12-08 time=17:00 "
    "meetings=2 language=sw"
)


async def test_by_sms_in_swahili_numbers_answer(chat: Chat, core: Core, clock: FakeClock) -> None:
    phones = Chat(core, platform="sms", capabilities=SMS)
    await chat.say("Amina", NAIROBI)
    code = await code_of(core, "Python Nairobi")
    await phones.say("Grace", "JOIN " + code)
    await phones.say("Grace", "Kujifunza Python.")
    await phones.say("Grace", "NDIYO")  # may the facilitator read it
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == "Python Nairobi"))).one()
        final = (
            await session.exec(
                select(Meeting).where(Meeting.circle_id == circle.id, Meeting.number == 2)
            )
        ).one()
    clock.set(final.ends_at + AFTER_THE_END)
    await core.tick()
    texts = []
    while delivered := await phones.deliver():
        texts += [message.text for message in delivered]
    [question] = [text for text in texts if "Python for Everybody" in text and "1 " in text]
    assert "Jibu 1 (" in question  # its choices as numbers, in Swahili

    await phones.say("Grace", "5")
    await phones.say("Grace", "1")  # reached her goal
    await phones.say("Grace", "2")  # would not recommend it
    assert "Jibu 1 (" in await phones.say("Grace", "Fanya mazoezi kila siku.")  # share it?
    await phones.say("Grace", "2")  # no
    grace = await answers_of(core, "Grace")
    assert grace is not None
    assert (grace.rating, grace.goal_met, grace.recommend) == (5, "yes", False)
    assert (grace.tip, grace.tip_shared) == ("Fanya mazoezi kila siku.", False)


async def test_the_last_check_in_lapses_when_the_survey_comes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthroughs: the last meeting's check-in and the survey (both 1 to 5) waited at once,
    so the survey's "Partly" or "excellent" answered the check-in, and the survey was lost."""
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    sent = await end_the_circle(chat, core, clock)
    assert "Help the next circle: how was" in sent["brian"]
    async with open_session(core) as session:
        waiting = (await session.exec(select(Question))).all()
        assert {q.kind for q in waiting} == {QuestionKind.REPLY}  # the survey's, for words
    assert "Did you reach your goal?" in await chat.say("Brian", "4")
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.rating == 4


@pytest.mark.parametrize("sentence_first", [True, False])
async def test_a_bare_number_rates_the_survey_and_a_sentence_the_last_meeting(
    chat: Chat, core: Core, clock: FakeClock, sentence_first: bool
) -> None:
    """B11: the last meeting's check-in waits, and the survey arrives (/survey) before it is
    answered: a bare 1-5 is the survey's rating, a sentence with a number the meeting's (it
    was taken as the survey's, or passed on to the facilitator)."""
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",), ratings={"Brian": 3}))
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))  # its check-in asked
    clock.set(clock.now() + timedelta(hours=1))
    assert "Help the next circle: how was" in await chat.say("Brian", "/survey")
    sentence = "It was a lovely last meeting, I would give it a 4"
    for typed in [sentence, "5"] if sentence_first else ["5", sentence]:
        reply = await chat.say("Brian", typed)
        if typed == "5":
            assert "Did you reach your goal?" in reply, reply
        else:
            assert reply.startswith("I noted 4 out of 5"), reply
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.rating == 5
    async with open_session(core) as session:
        rated = (
            await session.exec(
                select(Meeting.number, CheckIn.rating).join(
                    CheckIn,
                    CheckIn.meeting_id == Meeting.id,  # type: ignore[arg-type]
                )
            )
        ).all()
    assert sorted(rated) == [(1, 3), (2, 4)]
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]


async def test_a_bare_number_is_not_taken_as_a_tip(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough ops 20: a choice sent one step late ("1") was kept as the tip and went to
    another circle's learners; the tip is asked for again, and the real one is kept."""
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    await chat.say("Brian", "2")
    assert "one tip for the next circle" in await chat.say("Brian", "1")  # yes
    assert "A tip needs a few words" in await chat.say("Brian", "1")  # the same choice again
    assert "May I pass your tip on" in await chat.say("Brian", "Type every example yourself.")
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.tip == "Type every example yourself."
