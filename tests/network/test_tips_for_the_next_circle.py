"""Walkthroughs (issue 16): the tip a learner gets at a circle's first meeting is one they
were never sent, and not a fellow learner's of their own past circle shown as "a past
circle's" (fac 25); a Swahili circle after a Swahili circle gets its tip (frsw 23)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.storage.models import Circle, CourseSurvey, Meeting, Person, Role
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.network.test_survey import delivered

SMS = Capabilities(max_text_length=459)


def _circle(name: str, start: str, language: str = "en", city: str = "Oakland") -> str:
    places = {
        "Oakland": "country=US zone=America/Los_Angeles",
        "Dakar": "country=SN zone=Africa/Dakar",
        "Nairobi": "country=KE zone=Africa/Nairobi",
    }
    return (
        f'/newcircle name="{name}" course="Python for Everybody" url=https://www.py4e.com '
        f"venue=Library city={city} {places[city]} start={start} time=18:00 meetings=4 "
        f"language={language}"
    )


async def _tip(core: Core, circle_name: str, author: str, text: str, later: int = 0) -> None:
    """`author`'s shared learner tip from `circle_name` (its survey, as answered `later`
    minutes after the circle was made: the newest comes first)."""
    async with open_session(core) as session, session.begin():
        circle = (await session.exec(select(Circle).where(Circle.name == circle_name))).one()
        person = (await session.exec(select(Person).where(Person.display_name == author))).one()
        now = circle.created_at + timedelta(minutes=later)
        session.add(
            CourseSurvey(
                circle_id=circle.id or 0,
                person_id=person.id or 0,
                course_id=circle.course_id,
                role=Role.LEARNER,
                tip=text,
                tip_shared=True,
                answered_at=now,
                updated_at=now,
            )
        )


async def _join(chat: Chat, core: Core, name: str, circle_name: str) -> None:
    reply = await chat.say(name, "JOIN " + await code_of(core, circle_name))
    assert await code_of(core, circle_name) and reply
    await chat.say(name, "/skip")
    await chat.say(name, "/skip")


async def _first_meeting(core: Core, circle_name: str) -> datetime:
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == circle_name))).one()
        found = (
            await session.exec(
                select(Meeting).where(Meeting.circle_id == circle.id, Meeting.number == 1)
            )
        ).one()
        return found.starts_at


async def _at_first_meeting(
    chats: list[Chat], core: Core, clock: FakeClock, name: str
) -> dict[str, str]:
    """What each person was sent at the first meeting of `circle_name`."""
    starts = await _first_meeting(core, name)
    clock.set(starts - timedelta(hours=1))
    await core.tick()
    for chat in chats:
        await delivered(chat)
    clock.set(starts + timedelta(minutes=1))
    await core.tick()
    sent: dict[str, str] = {}
    for chat in chats:
        sent |= await delivered(chat)
    return sent


PAST_TIPS = {
    "Rosa": "Read the chapter before the meeting.",
    "Lena": "Bring your own laptop if you can.",
    "Devon": "Do the exercises with someone else, pair programming helps a lot",
}


async def test_a_learner_is_never_sent_the_same_tip_twice(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 25: Mr. Okafor (by SMS) got Devon's tip at his first circle's first meeting, then
    the same tip again at his second circle's; Devon was a learner of his first circle."""
    phones = Chat(core, platform="sms", capabilities=SMS)
    assert "is ready" in await chat.say("Amina", _circle("Oakland Python", "2027-01-04"))
    for learner in PAST_TIPS:
        await _join(chat, core, learner, "Oakland Python")
    for later, (learner, text) in enumerate(PAST_TIPS.items()):  # Devon's first: the newest
        await _tip(core, "Oakland Python", learner, text, later)
    assert "is ready" in await chat.say("Amina", _circle("Python Spring Club", "2027-03-01"))
    await _join(phones, core, "Okafor", "Python Spring Club")
    await _join(chat, core, "Devon", "Python Spring Club")  # Devon takes it again
    first = (await _at_first_meeting([chat, phones], core, clock, "Python Spring Club"))["okafor"]
    assert "A tip from a past circle" in first
    assert PAST_TIPS["Devon"] not in first  # a learner of his own circle: not "a past circle"

    assert "is ready" in await chat.say("Amina", _circle("Python Summer Club", "2027-06-07"))
    await _join(phones, core, "Okafor", "Python Summer Club")
    second = (await _at_first_meeting([chat, phones], core, clock, "Python Summer Club"))["okafor"]
    assert "A tip from a past circle" in second
    assert PAST_TIPS["Devon"] not in second
    sent_before = [text for text in PAST_TIPS.values() if text in first]
    assert sent_before and sent_before[0] not in second, (first, second)


async def _two_swahili_circles_after_a_french_one(
    chat: Chat, core: Core, clock: FakeClock, linked: bool
) -> str:
    """The course first taken in French (Dakar), then in Swahili (Nairobi), both by its
    link; then a second Swahili circle, by its link or by its title only. What its learner
    was sent at its first meeting."""
    dakar = _circle("Code Dakar", "2027-01-04", "fr", "Dakar")
    assert "is ready" in await chat.say("Amina", dakar)
    await _join(chat, core, "Awa", "Code Dakar")
    await _tip(core, "Code Dakar", "Awa", "Faites les exercices ensemble.", 1)  # the newest
    kenya = _circle("Python Nairobi", "2027-02-01", "sw", "Nairobi")
    assert "is ready" in await chat.say("Amina", kenya)
    await _join(chat, core, "Baraka", "Python Nairobi")
    await _tip(core, "Python Nairobi", "Baraka", "Fanya mazoezi kila siku.")
    again = kenya.replace("Python Nairobi", "Python Nairobi 2").replace("02-01", "04-05")
    if not linked:
        again = again.replace(" url=https://www.py4e.com", "")
    assert "is ready" in await chat.say("Wanjiru", again)
    await _join(chat, core, "Neema", "Python Nairobi 2")
    return (await _at_first_meeting([chat], core, clock, "Python Nairobi 2")).get("neema", "")


async def test_a_swahili_circle_gets_the_tip_of_the_swahili_circle_before(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """frsw 23: tips are chosen by the language of the circle they were written in, not by
    the course's: the Swahili one, though the French one is newer."""
    neema = await _two_swahili_circles_after_a_french_one(chat, core, clock, linked=True)
    assert "Fanya mazoezi kila siku." in neema and "Faites" not in neema, neema


async def test_a_course_set_up_in_the_wrong_language_follows_its_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """frsw 23: Juma made his Swahili circle in French by slip and put it right at once with
    /edit language; the course kept "(fr)", so the next Swahili circle typing its title alone
    found no Swahili course, made a new one and got no tip from the circle before."""
    slip = _circle("Python Nairobi", "2027-02-01", "fr", "Nairobi")
    assert "is ready" in await chat.say("Juma", slip)
    await chat.say("Juma", "/edit language sw")
    await chat.say("Juma", "1")
    await _join(chat, core, "Baraka", "Python Nairobi")
    await _tip(core, "Python Nairobi", "Baraka", "Fanya mazoezi kila siku.")
    again = _circle("Python Nairobi 2", "2027-04-05", "sw", "Nairobi")
    assert "is ready" in await chat.say("Wanjiru", again.replace(" url=https://www.py4e.com", ""))
    await _join(chat, core, "Neema", "Python Nairobi 2")
    sent = await _at_first_meeting([chat], core, clock, "Python Nairobi 2")
    assert "Fanya mazoezi kila siku." in sent.get("neema", ""), sent


async def test_a_tip_of_his_own_circle_only_when_there_is_no_other_and_once(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 25: with only tips of his own circles on the course, one he was never sent; then
    none, rather than the same again."""
    assert "is ready" in await chat.say("Amina", _circle("Python Spring Club", "2027-03-01"))
    await _join(chat, core, "Okafor", "Python Spring Club")
    await _join(chat, core, "Devon", "Python Spring Club")
    await _tip(core, "Python Spring Club", "Devon", PAST_TIPS["Devon"])
    for name, start in [("Python Summer Club", "2027-06-07"), ("Python Fall Club", "2027-09-06")]:
        assert "is ready" in await chat.say("Amina", _circle(name, start))
        await _join(chat, core, "Okafor", name)
    summer = (await _at_first_meeting([chat], core, clock, "Python Summer Club"))["okafor"]
    assert PAST_TIPS["Devon"] in summer
    fall = await _at_first_meeting([chat], core, clock, "Python Fall Club")
    assert PAST_TIPS["Devon"] not in fall.get("okafor", "")
