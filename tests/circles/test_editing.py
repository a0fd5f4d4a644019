"""/edit: a facilitator changes a circle's name, course, venue (for every meeting to come or
for one), meeting link and number of meetings; members hear once of what changes where or when
they meet; a learner is refused. And circles that meet online, with a link for a venue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import Meeting
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.seasons import handle

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursday 18:00 EDT
ONLINE_CIRCLE = (
    '/newcircle name="Python Online" course="Python for Everybody" venue=online '
    "link=https://meet.jit.si/py4e-detroit city=Detroit country=US zone=America/Detroit "
    "start=2026-10-29 time=18:00 meetings=6"
)


async def circle_with_members(chat: Chat, core: Core, text: str = DETROIT_CIRCLE) -> str:
    """Amina's circle with Brian (learner) and Chen (co-facilitator); notices delivered."""
    assert "is ready" in await chat.say("Amina", text)
    name = text.split('name="', 1)[1].split('"', 1)[0]
    code = await code_of(core, name)
    for learner in ("Brian", "Chen"):
        assert "Welcome" in await chat.say(learner, f"/join {code}")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Chen")
    await chat.deliver()
    return code


def texts_to(sent: list, name: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == name.casefold()]


async def calendar_events(chat: Chat, name: str) -> dict[int, dict[str, str]]:
    """Each meeting's LOCATION, URL and SEQUENCE in the .ics /calendar sends, by number."""
    [reply] = await handle(chat, name, "/calendar")
    [attachment] = reply.attachments
    found = {}
    for event in Calendar.from_ical(attachment.data).walk("VEVENT"):
        number = int(str(event["summary"]).rsplit(" ", 1)[1])
        found[number] = {
            "location": str(event.get("location")),
            "url": str(event.get("url", "")),
            "sequence": str(event["sequence"]),
        }
    return found


async def test_a_new_name_and_course_reach_every_member(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    assert await chat.say("Amina", "/edit name Python Evenings") == (
        "Your circle is now called Python Evenings."
    )
    assert "Python Evenings\nMeeting 1 of 6" in await chat.say("Brian", "/next")
    # A co-facilitator may edit too; a title and its link in one go.
    assert await chat.say("Chen", "/edit course Python for Everybody https://www.py4e.com") == (
        "The course is now Python for Everybody, https://www.py4e.com"
    )
    # A title alone keeps the link.
    assert await chat.say("Amina", "/edit course Python Basics") == (
        "The course is now Python Basics, https://www.py4e.com"
    )
    details = await chat.say("Amina", "/edit")
    assert details.startswith("Python Evenings\nCourse: Python Basics, https://www.py4e.com\n")
    assert "Where: Detroit Public Library, Detroit\n" in details
    assert "City: Detroit, US. Time zone: America/Detroit\n6 meetings\n" in details
    assert "/edit venue [MEETING] VENUE" in details and "/edit meetings COUNT" in details
    # A name is for the facilitators to announce: nobody was messaged.
    assert await chat.deliver() == []

    assert await chat.say("Brian", "/edit name Mine now") == (
        "Only a facilitator or co-facilitator can use /edit name."
    )
    assert "Usage: /edit name NAME" in await chat.say("Amina", "/edit name")


async def test_a_new_venue_for_every_meeting_to_come_is_told_once(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_members(chat, core)
    clock.set(MEETING_1 + timedelta(days=1))  # meeting 1 was held at the library
    asked = await chat.say("Amina", "/edit venue Main Library, Room 2")
    assert asked == (
        "Python for Everyone meets somewhere new from meeting 2 (Thursday, November 5, 2026 "
        "at 6:00 PM (EST)): Main Library, Room 2, Detroit.\n\n"
        "Change the venue and send this to 2 members?\nReply 1 for Yes or 2 for No."
    )
    assert await chat.deliver() == []  # nobody told before the facilitator says so
    answer = await chat.say("Amina", "yes")
    assert answer == (
        "From meeting 2, Python for Everyone meets here: Main Library, Room 2, Detroit. "
        "I'm letting 2 members know."
    )
    sent = await chat.deliver()
    assert texts_to(sent, "Brian") == [
        "Python for Everyone meets somewhere new from meeting 2 (Thursday, November 5, 2026 "
        "at 6:00 PM (EST)): Main Library, Room 2, Detroit."
    ]
    assert len(texts_to(sent, "Chen")) == 1 and texts_to(sent, "Amina") == []
    assert "meets at Main Library, Room 2, Detroit" in await chat.say("Brian", "/schedule")
    events = await calendar_events(chat, "Brian")
    assert events[1]["location"] == "Detroit Public Library, Detroit"  # where it was held
    assert events[2]["location"] == "Main Library, Room 2, Detroit"
    assert events[2]["sequence"] == "1"  # calendar apps take the change
    # The same venue again changes nothing and tells nobody.
    assert await chat.say("Amina", "/edit venue Main Library, Room 2") == (
        "Python for Everyone already meets there."
    )
    assert await chat.deliver() == []
    assert "Only a facilitator" in await chat.say("Brian", "/edit venue My place")


async def test_one_meeting_can_be_held_somewhere_else(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    await chat.say("Amina", "/edit venue 3 Room B")
    answer = await chat.say("Amina", "1")
    assert answer == "Meeting 3 is here now: Room B, Detroit. I'm letting 2 members know."
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert notice == (
        "Python for Everyone: meeting 3 (Thursday, November 12, 2026 at 6:00 PM (EST)) is "
        "somewhere else: Room B, Detroit."
    )
    events = await calendar_events(chat, "Brian")
    assert events[3]["location"] == "Room B, Detroit"
    assert events[4]["location"] == "Detroit Public Library, Detroit"
    # A number beyond the circle's meetings is part of a street address.
    assert "There's no meeting 21." in await chat.say("Amina", "/edit venue 21 Main Street")
    await chat.say("Amina", "1")
    events = await calendar_events(chat, "Brian")
    assert events[3]["location"] == "Room B, Detroit"  # its own venue stays (see below)
    assert {e["location"] for n, e in events.items() if n != 3} == {"21 Main Street, Detroit"}
    assert await chat.say("Amina", "/edit venue 3") == (
        "Usage: /edit venue [MEETING] VENUE\nFor example: /edit venue 3 Room B"
    )


async def test_moving_every_meeting_keeps_a_meeting_moved_on_its_own_and_says_so(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Before, /edit venue PLACE silently undid an earlier /edit venue 3 PLACE."""
    await circle_with_members(chat, core)
    await chat.say("Amina", "/edit venue 3 Central Library")
    await chat.say("Amina", "yes")
    await chat.deliver()
    clock.advance(timedelta(minutes=11))  # a change of its own, not gathered with the first
    asked = await chat.say("Amina", "/edit venue Main Library, Room 2")
    assert asked.endswith(
        ": Main Library, Room 2, Detroit. Meeting 3 stays at Central Library.\n\n"
        "Change the venue and send this to 2 members?\nReply 1 for Yes or 2 for No."
    )
    answer = await chat.say("Amina", "yes")
    assert answer == (
        "From meeting 1, Python for Everyone meets here: Main Library, Room 2, Detroit. "
        "I'm letting 2 members know. Meeting 3 stays at Central Library."
    )
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert notice.endswith(": Main Library, Room 2, Detroit. Meeting 3 stays at Central Library.")
    events = await calendar_events(chat, "Brian")
    assert events[3]["location"] == "Central Library, Detroit"
    assert {events[n]["location"] for n in (1, 2, 4, 5, 6)} == {"Main Library, Room 2, Detroit"}
    # Moved to where meeting 3 already is: no meeting apart any more, nothing more to say.
    assert "stays" not in await chat.say("Amina", "/edit venue Central Library")
    answer = await chat.say("Amina", "yes")
    assert "stays" not in answer and "Central Library, Detroit" in answer, answer
    clock.advance(timedelta(minutes=11))  # the notice gathered meanwhile goes
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert "stays" not in notice and "Central Library, Detroit" in notice, notice


async def test_more_meetings_are_added_weekly_and_fewer_remove_the_last(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_members(chat, core)
    answer = await chat.say("Amina", "/edit meetings 8")
    assert answer == (
        "Python for Everyone now has 8 meetings, the last on Thursday, December 17, 2026 at "
        "6:00 PM (EST). /schedule shows them all. I'm letting 2 members know."
    )
    assert len(texts_to(await chat.deliver(), "Brian")) == 1
    listing = await chat.say("Brian", "/schedule")
    assert "7. Thursday, December 10, 2026 at 6:00 PM (EST)\n" in listing
    assert listing.endswith("8. Thursday, December 17, 2026 at 6:00 PM (EST)")
    assert "moved" not in listing
    assert "Meeting 1 of 8" in await chat.say("Brian", "/next")

    assert "meeting 7" in await chat.say("Brian", "/rsvp yes 7")  # goes with meeting 7
    assert "Drop the last 3 meetings" in await chat.say("Chen", "/edit meetings 5")
    assert "now has 5 meetings, the last on Thursday, November 26" in await chat.say("Chen", "yes")
    async with open_session(core) as session:
        numbers = (await session.exec(select(Meeting.number).order_by(col(Meeting.number)))).all()
    assert list(numbers) == [1, 2, 3, 4, 5]

    # Not below what has started, nor so few that nothing is left to come (that's /close).
    clock.set(MEETING_1 + timedelta(weeks=1, hours=3))  # meetings 1 and 2 are over
    assert await chat.say("Amina", "/edit meetings 2") == (
        "That would leave no meeting still to come, which ends the circle. To end it now, "
        "send /close."
    )
    assert "from 1 to 52" in await chat.say("Amina", "/edit meetings 0")
    assert "Only a facilitator" in await chat.say("Brian", "/edit meetings 9")


async def test_a_circle_can_meet_online_with_a_link_for_a_venue(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await circle_with_members(chat, core, ONLINE_CIRCLE)
    ready = (await chat.say("Wanjiru", ONLINE_CIRCLE.replace("Python Online", "Another"))).split(
        "\n"
    )[0]
    assert ready.endswith(
        "starting Thursday, October 29, 2026, online at https://meet.jit.si/py4e-detroit"
    )
    # /next, the invitation and the calendar show the link; the reminder too.
    assert "at https://meet.jit.si/py4e-detroit" in await chat.say("Brian", "/next")
    invitation = await chat.say("Amina", "/invite")
    assert "online at https://meet.jit.si/py4e-detroit" in invitation and code in invitation
    event = (await calendar_events(chat, "Brian"))[1]
    assert event["location"] == event["url"] == "https://meet.jit.si/py4e-detroit"
    clock.set(MEETING_1 - timedelta(hours=1))
    await core.tick()
    [reminder] = texts_to(await chat.deliver(), "Brian")
    assert "at https://meet.jit.si/py4e-detroit." in reminder

    # A new link: members hear once, after the facilitator has seen what they'll read.
    assert "Change the venue and send this to 2 members?" in await chat.say(
        "Amina", "/edit link https://meet.jit.si/py4e-2"
    )
    answer = await chat.say("Amina", "yes")
    assert answer.startswith(
        "From meeting 1, Python Online meets here: online at https://meet.jit.si/py4e-2."
    )
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert notice.endswith("online at https://meet.jit.si/py4e-2.")
    assert await chat.say("Amina", "/edit link meet.jit.si") == (
        "Please give the meeting link as a web address starting with https://."
    )
    assert "/edit link LINK" in await chat.say("Amina", "/edit venue online")
    assert "Only a facilitator" in await chat.say("Brian", "/edit link https://evil.example")


async def test_newcircle_asks_for_the_link_of_a_circle_that_meets_online(chat: Chat) -> None:
    assert await chat.say(
        "Amina", ONLINE_CIRCLE.replace(" link=https://meet.jit.si/py4e-detroit", "")
    ) == ("To meet online, give the meeting link too: link=https://...")
    await chat.say("Amina", "/newcircle")
    await chat.say("Amina", "Python Online")
    await chat.say("Amina", "Python for Everybody")
    assert "Meeting online? Send the link." in await chat.say("Amina", "skip")
    assert "Please send the meeting link" in await chat.say("Amina", "online")
    assert "Which city" in await chat.say("Amina", "https://meet.jit.si/py4e")
    for answer in ("Detroit", "US", "America/Detroit", "2026-10-29", "18:00"):
        await chat.say("Amina", answer)
    await chat.say("Amina", "skip")
    ready = await chat.say("Amina", "skip")  # the number of meetings, the language
    assert "online at https://meet.jit.si/py4e" in ready
    # Learners on SMS can't open it: the facilitator hears how to give them a number to call.
    assert "If your meeting has a number to call in, add it: /edit dialin NUMBER" in ready


async def test_a_change_refused_or_sent_twice_tells_nobody_twice(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    before = len(await chat.outbox())
    assert await chat.say("Amina", "/edit meetings 6") == (
        "Python for Everyone already has 6 meetings."
    )
    assert await chat.say("Amina", "/edit venue 2 Detroit Public Library") == (
        "Meeting 2 is already there."
    )
    assert len(await chat.outbox()) == before
    # A gateway resending the same message: one notice each, not two.
    resent = chat.inbound("Amina", "/edit venue 2 Room B", message_id="sms-1")
    for _ in range(2):
        await core.handle(resent, chat.capabilities)
    confirmed = chat.inbound("Amina", "yes", message_id="sms-2")
    for _ in range(2):
        await core.handle(confirmed, chat.capabilities)
    assert len(texts_to(await chat.deliver(), "Brian")) == 1


async def test_a_meeting_held_elsewhere_shows_its_venue_to_members(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_members(chat, core)
    await chat.say("Amina", "/edit venue 1 Room B")
    await chat.say("Amina", "yes")
    assert "Meeting 1 of 6: Thursday, October 29, 2026 at 6:00 PM (EDT), at Room B." in (
        await chat.say("Brian", "/next")
    )
    listing = await chat.say("Brian", "/schedule")
    assert "1. Thursday, October 29, 2026 at 6:00 PM (EDT), at Room B\n" in listing
    assert "2. Thursday, November 5, 2026 at 6:00 PM (EST)\n" in listing
    await chat.deliver()
    clock.set(MEETING_1 - timedelta(hours=1))
    await core.tick()
    [reminder] = texts_to(await chat.deliver(), "Brian")
    assert "at Room B." in reminder


async def test_another_course_moves_the_circle_to_that_courses_record(
    chat: Chat, core: Core
) -> None:
    """Its survey and tips then go to the course it takes now (bot/network/courses.py)."""
    from bot.storage.models import Circle, Course

    await circle_with_members(chat, core)
    await chat.say("Amina", "/edit course Learning How to Learn https://example.org/lhtl")
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
        course = await session.get(Course, circle.course_id)
    assert course is not None and course.url == "https://example.org/lhtl"
    assert course.title == "Learning How to Learn"


async def test_an_online_circle_gives_learners_on_sms_a_number_to_call(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A video link is no use on a basic phone: a dial-in number given in /newcircle reaches
    an SMS learner's reminder and /next, and everyone's as "or call NUMBER"."""
    dialed = ONLINE_CIRCLE + ' dialin="+1 646 558 8656 PIN 4821#"'
    ready = await chat.say("Amina", dialed)
    assert "Or call +1 646 558 8656 PIN 4821# to join by phone." in ready
    code = await code_of(core, "Python Online")
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "Welcome" in await sms.say("+13135550147", f"JOIN {code}")
    await sms.deliver()
    assert "Or call +1 646 558 8656 PIN 4821# to join by phone." in await sms.say(
        "+13135550147", "NEXT"
    )
    clock.set(MEETING_1 - timedelta(hours=1))
    await core.tick()
    # One SMS: "in 60 minutes" left out where it made two (walkthrough 8, lang 24).
    [reminder] = [m.text for m in await sms.deliver() if " meets " in m.text]
    assert "at https://meet.jit.si/py4e-detroit, or call +1 646 558 8656 PIN 4821#." in reminder


async def test_edit_dialin_sets_and_takes_away_the_number_to_call(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core, ONLINE_CIRCLE)
    assert "/edit dialin NUMBER" in await chat.say("Amina", "/edit")
    assert await chat.say("Amina", "/edit dialin +254 20 765 4321") == (
        "Learners can call +254 20 765 4321 to join Python Online online. Reminders and /next "
        "give the number."
    )
    assert "Or call: +254 20 765 4321" in await chat.say("Amina", "/edit")
    assert "Or call +254 20 765 4321 to join by phone." in await chat.say("Brian", "/next")
    assert await chat.say("Amina", "/edit dialin 12") == (
        "Please send the phone number to call, like +1 646 558 8656 (a PIN may follow)."
    )
    assert await chat.say("Amina", "/edit dialin none") == (
        "Python Online has no number to call in now."
    )
    assert "call" not in await chat.say("Brian", "/next")
    assert "Only a facilitator" in await chat.say("Brian", "/edit dialin +1 646 558 8656")


async def test_a_circle_meeting_in_a_room_has_no_number_to_call(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    assert await chat.say("Amina", "/edit dialin +1 646 558 8656") == (
        "A number to call in is for a circle that meets online. To meet online: /edit link LINK"
    )
    assert await chat.say("Wanjiru", DETROIT_CIRCLE + " dialin=+16465588656") == (
        "A number to call in is for a circle that meets online: add link=https://..."
    )


async def test_a_corrected_course_title_is_the_course_name_in_courses(
    chat: Chat, core: Core
) -> None:
    """fac 29: /edit course on the only circle taking the course renamed the circle's course but
    not the course: /courses and the next /newcircle kept the sentence first typed."""
    await circle_with_members(chat, core)
    await chat.say("Amina", "/edit course we use py4e but offline mostly https://www.py4e.com")
    await chat.say("Amina", "/edit course Python for Everybody")
    from bot.network import courses

    async with open_session(core) as session:
        offered = [course.title for course in await courses.known_courses(session, "en")]
    # What /courses and /newcircle show: the corrected title, not the sentence.
    assert "Python for Everybody" in offered
    assert not [title for title in offered if "offline mostly" in title]


async def test_a_usage_example_speaks_the_readers_words(chat: Chat, core: Core) -> None:
    """Walk (dede 4, frsw 1): "/rediger sprog" alone showed "/rediger language sw", the
    sub-command's English word in a Danish example."""
    await circle_with_members(chat, core)
    await chat.say("Amina", "/language da")
    usage = await chat.say("Amina", "/edit language")
    assert "/rediger sprog sw" in usage
    assert "language" not in usage


async def test_the_venue_question_says_no_keeps_the_old_venue(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Fac 4: "Send this to 3 members?" read as "tell them?"; her No (she had announced it
    herself) kept the old venue. The question asks about the change itself."""
    await circle_with_members(chat, core)
    asked = await chat.say("Amina", "/edit venue Main Library, Room 2")
    assert asked.endswith(
        "Change the venue and send this to 2 members?\nReply 1 for Yes or 2 for No."
    )
    assert "Send this to" not in asked
    asked = await chat.say("Amina", "/edit venue 3 Central Library")
    assert "Change the venue and send this to 2 members?\n" in asked
    assert await chat.say("Amina", "2") == "OK, the venue stays as it was."
