"""Two seasons on one course: what the first circle leaves (tips its learners agreed to share,
a link its facilitator approved) reaches the second circle's facilitator before it starts, and
its learners get one tip at the first meeting. What was not shared never travels."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.network import courses
from bot.storage.models import Circle, Meeting
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.seasons import Week, open_circle, play_week, starts

DETROIT = (
    '/newcircle name="Python for Everyone" course="Python for Everybody" '
    'url=https://www.py4e.com venue="Detroit Public Library" city=Detroit country=US '
    "zone=America/Detroit start=2026-10-29 time=18:00 meetings=3"
)
NAIROBI = (
    '/newcircle name="Python Nairobi" course="Python 4 Everybody" url=https://py4e.com/ '
    "venue=KNLS city=Nairobi country=KE zone=Africa/Nairobi start=2026-12-08 time=17:00 "
    "meetings=3"
)


async def delivered(chat: Chat) -> dict[str, list[str]]:
    sent: dict[str, list[str]] = {}
    while messages := await chat.deliver():
        for message in messages:
            sent.setdefault(message.address.chat_id, []).append(message.text)
    return sent


async def test_the_second_circle_receives_the_first_ones_tips(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # Season one, in Detroit.
    await open_circle(chat, core, {"Brian": True, "Dana": False}, DETROIT)
    assert "Once your facilitator approves it" in await chat.say(
        "Brian", "/share https://www.py4e.com/lessons/strings The strings chapter, slowly"
    )
    await delivered(chat)
    assert "Approved" in await chat.say("Amina", "1")
    for number in (1, 2):
        await play_week(chat, core, clock, number, Week(came=("Brian", "Dana")))
    clock.set(starts(3) + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    clock.set(starts(3) + timedelta(hours=2))
    await core.tick()  # the close-out
    await delivered(chat)
    clock.set(starts(3) + timedelta(days=2, hours=2))
    await core.tick()  # the survey
    sent = await delivered(chat)
    assert any("Help the next circle: how was" in text for text in sent["brian"])
    for answer in ["5", "1", "1", "Read the chapter before each meeting.", "1"]:
        await chat.say("Brian", answer)  # rated 5, goal reached, recommends it, tip shared
    for answer in ["3", "2", "1", "Call me at +1 313 555 0100 for help."]:
        await chat.say("Dana", answer)  # a tip with contact details: never asked to share it
    for answer in ["4", "Keep the laptops charged.", "2"]:
        await chat.say("Amina", answer)  # the facilitator's tip, kept private

    # Season two, in Nairobi, on the same course (another title, the same link).
    clock.set(starts(3) + timedelta(days=10))
    assert "is ready" in await chat.say("Wanjiru", NAIROBI)
    await chat.say("Grace", "/join " + await code_of(core, "Python Nairobi"))
    await chat.say("Grace", "/skip")
    await chat.say("Grace", "/skip")
    async with open_session(core) as session:
        nairobi = (await session.exec(select(Circle).where(Circle.name == "Python Nairobi"))).one()
        first = (
            await session.exec(
                select(Meeting).where(Meeting.circle_id == nairobi.id, Meeting.number == 1)
            )
        ).one()
        detroit = (
            await session.exec(select(Circle).where(Circle.name == "Python for Everyone"))
        ).one()
        assert (await courses.link_circle(session, nairobi)).id == detroit.course_id

    clock.set(first.starts_at - timedelta(hours=47))
    await core.tick()
    sent = await delivered(chat)
    [pack] = [text for text in sent["wanjiru"] if "left these for you" in text]
    assert '"Read the chapter before each meeting." (a learner in Detroit)' in pack
    assert "https://www.py4e.com/lessons/strings — The strings chapter, slowly" in pack
    assert "laptops" not in pack and "555" not in pack  # not shared, or held
    assert "one learner's tip at the first meeting" in pack

    clock.set(first.starts_at + timedelta(minutes=1))
    await core.tick()
    sent = await delivered(chat)
    [tip] = [text for text in sent["grace"] if "A tip from a past circle" in text]
    assert "Read the chapter before each meeting." in tip

    async with open_session(core) as session:
        record = await courses.course_record(session, detroit.course_id or 0)
    assert record is not None
    assert [t.text for t in record.tips] == ["Read the chapter before each meeting."]
    assert [r.url for r in record.resources] == ["https://www.py4e.com/lessons/strings"]
    # Two learners rated it: too few to show a rating (walkthrough B11, session 9).
    assert record.figures.rating is None and record.figures.circles == 1
