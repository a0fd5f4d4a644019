"""Retention (issue 17, item 2): RETENTION_DAYS after a circle's last meeting its names and words
go, its numbers stay, and its learners were told when at the close-out.

The main scenario plants a marker in every text field of an old circle (a learner's name, goal,
check-in answer, reflection, reply to an announcement, letter signature, a letter still waiting,
a facilitator's announcements, another learner's answer) and runs a newer circle beside it that
shares a learner. The tick just before the date changes nothing; the tick after it leaves the
marker in no row of any table, /report shows the same numbers, and the newer circle is untouched.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from adapters.shell.settings import Settings
from bot.chat import segments
from bot.chat.clock import FakeClock
from bot.chat.messages import Address
from bot.core import Core
from bot.letters.letters import LetterPolicy
from bot.reports.retention import RetentionPolicy
from bot.storage.models import (
    CheckIn,
    Circle,
    CourseSurvey,
    Letter,
    Meeting,
    OutboxMessage,
    OutboxStatus,
    Person,
    Reflection,
    Role,
)
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import leaks as stored_leaks
from tests.database import open_session, readable
from tests.platforms import PLATFORMS
from tests.seasons import Week, checkin_due, handle, open_circle, play_week, starts

MARKER = "zqx"  # every planted word starts with it; searched case-insensitively
NAME = "Brian Zqxname"
GOAL = "Zqxgoal: to build a budget app for my family."
CHECKIN = (
    "Zqxcheckin: loops finally clicked for me this week. I practised at the library twice "
    "and once at home after work, and by Sunday I could read the examples without help. "
    "Zqxcheckin again: next I want to try lists, and maybe write a small program for the shop."
)
REFLECTION = "Zqxreflect: I learn best when someone explains it back to me."
ANNOUNCEMENT = "Zqxannounce: bring your laptops on Thursday."
REPLY = "Zqxreply: may I bring my sister along?"
CHIOMA_OLD = "Zqxchioma: the loops exercise took me an hour but I got it."
SIGNATURE = "Brian Zqxsig"
KEPT_TEXT = "Hello from Detroit! Come every week, even when you feel behind. It gets easier."
WAITING_TEXT = "Zqxletter: the second week is the hardest, and then it gets easier."
LATE = "Zqxlate: the library has our photos from the last meeting."
# Chioma's words in the newer circle: they stay.
CHIOMA_GOAL = "Keepgoal: to analyse the shop's sales."
CHIOMA_NEW = "Keepanswer: pivot tables make sense now, thank you all."

TWO_MEETINGS = DETROIT_CIRCLE.replace("meetings=6", "meetings=2")  # 29 Oct and 5 Nov 2026
NEWER_DAY = date(2026, 11, 19)
# In another city: letters never go to a circle in their own city.
NEWER = (
    '/newcircle name="Data Basics" course="Data Analysis" venue="Dearborn Public Library" '
    "city=Dearborn country=US zone=America/Detroit start=2026-11-19 time=18:00 meetings=6"
)
GLOBAL = Address("console", "global")
PHONE = "+15550100"
# The old circle's last meeting ends at 19:30 on 5 November in Detroit (00:30 UTC the 6th);
# 180 days later it is anonymised.
LAST_ENDS = datetime(2026, 11, 6, 0, 30, tzinfo=UTC)
KEPT_UNTIL = LAST_ENDS + timedelta(days=180)


class AnsweringChat(Chat):
    """Answers the way an adapter does (Core.answer): every reply is an outbox row too, so a
    facilitator's /roster or /export is stored like any message."""

    async def say(self, name: str, text: str, **extra: object) -> str:
        before = len(self.sent)
        inbound = self.inbound(name, text)
        await self.core.answer(inbound, self)
        return "\n".join(m.text for m in self.sent[before:] if m.address.chat_id == inbound.chat_id)


async def leaks(core: Core) -> list[str]:
    """Every stored value that still holds the marker, as "table #id column: the words"."""
    return await stored_leaks(core, MARKER)


async def drain(*chats: Chat) -> None:
    for chat in chats:
        while await chat.deliver():
            pass


async def report_text(chat: Chat) -> str:
    return "\n".join(reply.text for reply in await handle(chat, "Amina", "/report"))


def numbers(report: str) -> list[str]:
    """The figures of a report; of the names of who may be drifting away (or, once the circle
    is over, was not with the group at the end), how many."""
    figures = []
    for line in report.splitlines():
        if line.startswith(("May be drifting away", "Not with the group at the end")):
            figures.append(str(len(line.split(":", 1)[1].split(","))))
        else:
            figures += re.findall(r"\d+(?:\.\d+)?", line)
    return figures


async def old_circle_id(core: Core) -> int:
    async with open_session(core) as session:
        circle = await session.exec(select(Circle).where(Circle.name == "Python for Everyone"))
        found = circle.one().id
        assert found is not None
        return found


async def outbox_rows(core: Core) -> dict[int, OutboxMessage]:
    async with open_session(core) as session:
        return {row.id or 0: row for row in (await session.exec(select(OutboxMessage))).all()}


async def two_circles(engine: AsyncEngine, clock: FakeClock) -> tuple[Core, Chat, Chat]:
    """Amina's circle ends on 5 November; Wanjiru's starts on 19 November, with Chioma in both.
    Brian writes everywhere he can; his approved letter is read at Wanjiru's first meeting."""
    core = Core(
        engine,
        clock,
        random.Random(7),
        letter_policy=LetterPolicy(global_channels=(GLOBAL,)),
        platforms=PLATFORMS,
    )
    chat = AnsweringChat(core)
    phone = Chat(core, platform="sms", capabilities=segments.SMS_CAPABILITIES)
    assert "Nice to meet you" in await chat.say("Brian", f"/name {NAME}")
    assert "is ready" in await chat.say("Amina", TWO_MEETINGS)
    code = await code_of(core, "Python for Everyone")
    for name, goal in (("Brian", GOAL), ("Chioma", "To learn Python with others.")):
        assert "Welcome" in await chat.say(name, f"/join {code}")
        await chat.say(name, goal)
        await chat.say(name, "yes")  # the facilitator may read their written answers
    await phone.say(PHONE, f"/join {code}")  # a learner on a feature phone: SMS segments
    await phone.say(PHONE, "/skip")
    assert "is ready" in await chat.say("Wanjiru", NEWER)
    newer = await code_of(core, "Data Basics")
    await chat.say("Otieno", f"/join {newer}")
    await chat.say("Otieno", "/skip")

    await chat.say("Amina", f"/announce {ANNOUNCEMENT}")
    assert "Sent to" in await chat.say("Amina", "1")
    await drain(chat, phone)
    assert "passed that on" in await chat.say("Brian", REPLY)
    await play_week(
        chat,
        core,
        clock,
        1,
        Week(
            yes=("Brian", "Chioma"),
            came=("Brian", "Chioma"),
            ratings={"Brian": 5, "Chioma": 4},
            answers={"Brian": CHECKIN, "Chioma": CHIOMA_OLD},
        ),
    )
    await chat.say("Brian", "/reflect")
    await chat.say("Brian", REFLECTION)

    # Letters open after the midpoint: one approved, one still waiting for Amina.
    clock.set(starts(2) - timedelta(hours=3))
    for text, signature in ((KEPT_TEXT, SIGNATURE), (WAITING_TEXT, "Zqxsig2")):
        assert "Write to a new circle far away" in await chat.say("Brian", "/letter")
        assert "How should it be signed?" in await chat.say("Brian", text)
        assert "Thank you" in await chat.say("Brian", signature)
    async with open_session(core) as session:
        kept = (await session.exec(select(Letter.id).where(Letter.text == KEPT_TEXT))).one()
    assert "approved" in await chat.say("Amina", f"/letters approve {kept}")
    assert "Zqxsig2" in await chat.say("Amina", "/letters")

    # The last meeting, the close-out, and the facilitator's records.
    await play_week(chat, core, clock, 2, Week(came=("Brian", "Chioma")))
    await chat.say("Amina", "/roster")
    await chat.say("Amina", "/export")
    await drain(chat, phone)

    # Brian's letter is matched to Wanjiru's circle two hours before its first meeting; then
    # Chioma joins it (a letter never goes to a circle a classmate of its writer is already
    # in, so she joins after the match), and the meeting reads it.
    clock.set(starts(1, NEWER_DAY) - timedelta(hours=2))
    await core.tick()
    assert "Welcome" in await chat.say("Chioma", f"/join {newer}")
    await chat.say("Chioma", CHIOMA_GOAL)
    await chat.say("Chioma", "yes")
    clock.set(starts(1, NEWER_DAY))
    await core.tick()
    clock.set(checkin_due(1, NEWER_DAY))
    await core.tick()
    await drain(chat, phone)
    assert "Thanks" in await chat.say("Chioma", "5")
    await chat.say("Chioma", CHIOMA_NEW)
    assert SIGNATURE in await chat.say("Otieno", f"/thanks {kept}")
    await drain(chat, phone)
    return core, chat, phone


async def test_after_the_retention_period_a_circle_keeps_its_numbers_and_nothing_else(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat, phone = await two_circles(any_engine, clock)
    report_before = await report_text(chat)
    assert "SMS: " in report_before and "SMS: 0 " not in report_before
    # An announcement nobody has received yet: still waiting when the circle is anonymised.
    await chat.say("Amina", f"/announce {LATE}")
    assert "Sent to" in await chat.say("Amina", "1")

    # Just before the date, everything is still there.
    clock.set(KEPT_UNTIL - timedelta(hours=2))
    await core.tick()
    before = await leaks(core)
    tables = {leak.split(" ", 1)[0] for leak in before}
    assert {"person", "checkin", "reflection", "letter", "outboxmessage"} <= tables
    planted = {word.casefold() for leak in before for word in re.findall(r"zqx\w*", leak, re.I)}
    every_field = "name goal checkin reflect announce reply chioma sig letter late"
    assert {MARKER + field for field in every_field.split()} <= planted
    rows_before = await outbox_rows(core)

    clock.set(KEPT_UNTIL + timedelta(hours=1))
    await core.tick()

    left = await leaks(core)
    assert left == [], "\n".join(left)
    # The numbers are the same: attendance, RSVPs, check-ins and ratings, letters, SMS.
    report_after = await report_text(chat)
    assert numbers(report_after) == numbers(report_before)
    assert "Attendance: 2 at meeting 1, 2 at meeting 2" in report_after

    circle_id = await old_circle_id(core)
    async with open_session(core) as session:
        circles = {c.name: c for c in (await session.exec(select(Circle))).all()}
        assert circles["Python for Everyone"].anonymised_at is not None
        assert circles["Data Basics"].anonymised_at is None
        # Chioma is still in a circle: her name stays, and her words there.
        names = set((await session.exec(select(Person.display_name))).all())
        assert {"Chioma", "Otieno", "Wanjiru"} <= names and NAME not in names
        answers = (await session.exec(select(CheckIn.answer, CheckIn.circle_id))).all()
        assert (CHIOMA_NEW, circles["Data Basics"].id) in answers
        assert all(answer is None for answer, circle in answers if circle == circle_id)
        writings = (await session.exec(select(Reflection.text))).all()
        assert CHIOMA_GOAL in writings
        # The letter read in Wanjiru's circle keeps its words, from "a learner in Detroit".
        letter = (await session.exec(select(Letter).where(Letter.text == KEPT_TEXT))).one()
        assert (letter.author_id, letter.signature) == (None, "")

    # Every other message is as it was, unless it held the old circle's words: the old circle's
    # own messages and those to Brian, whose name went, are emptied.
    async with open_session(core) as session:
        meetings = await session.exec(select(Meeting.id).where(Meeting.circle_id == circle_id))
        own = [f"|circle:{circle_id}|", *(f"|meeting:{m}|" for m in meetings.all())]
    rows_after = await outbox_rows(core)
    changed = [
        (row.kind, row.chat_id)
        for row_id, row in rows_before.items()
        if rows_after[row_id].payload != row.payload
        and MARKER not in readable(row.payload).casefold()
        and not any(part in row.idempotency_key for part in own)
        and row.chat_id not in ("brian", PHONE)
    ]
    assert changed == []
    emptied = [row for row in rows_after.values() if row.chat_id == "brian"]
    assert emptied and all(row.payload["text"] == "" for row in emptied)
    assert "- a learner in Detroit" in await chat.say("Wanjiru", "/letters")
    # The announcement still waiting is not sent: nothing empty goes out.
    late = [
        i
        for i, r in rows_before.items()
        if r.status == OutboxStatus.PENDING and LATE in r.payload["text"]
    ]
    assert late and all(rows_after[i].status == OutboxStatus.DEAD for i in late)
    await drain(chat, phone)
    assert all(message.text.strip() for message in chat.sent + phone.sent)


# --- the close-out says until when, and names go once nothing needs them ----------------------


async def closed_circle(chat: Chat, core: Core, clock: FakeClock, command: str) -> None:
    """Brian and Chioma in Amina's circle, both writing; it ends on 5 November."""
    await open_circle(chat, core, {"Brian": True, "Chioma": True}, command)
    for number in (1, 2):
        await play_week(
            chat,
            core,
            clock,
            number,
            Week(came=("Brian", "Chioma"), ratings={"Brian": 4, "Chioma": 5}),
        )


async def test_the_close_out_says_until_when_the_circles_words_are_kept(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await closed_circle(chat, core, clock, TWO_MEETINGS)
    sent = {m.address.chat_id: m.text for m in chat.sent if "has had its last meeting" in m.text}
    # 180 days after 19:30 on 5 November in Detroit, in the reader's words.
    until = "Your answers stay with your circle until Tuesday, May 4, 2027; after that I keep only"
    assert until in sent["brian"] and until in sent["chioma"]
    assert "send /portfolio for your record" in sent["brian"]
    assert "Names and answers stay until Tuesday, May 4, 2027" in sent["amina"]
    assert "/export" in sent["amina"]


async def test_the_date_follows_the_retention_setting(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS, retention_days=30)
    chat = Chat(core)
    await closed_circle(chat, core, clock, TWO_MEETINGS)
    [farewell] = [
        m.text for m in chat.sent if m.address.chat_id == "brian" and "last meeting" in m.text
    ]
    assert "until Saturday, December 5, 2026;" in farewell


async def test_a_circle_within_retention_keeps_everything_and_names_go_once_unneeded(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """The last meeting held decides, not a cancelled one after it; a person who still writes to
    the bot keeps their name until they have been quiet as long."""
    three = DETROIT_CIRCLE.replace("meetings=6", "meetings=3")
    await open_circle(chat, core, {"Brian": True, "Chioma": True}, three)
    for number in (1, 2):
        await play_week(
            chat,
            core,
            clock,
            number,
            Week(
                came=("Brian", "Chioma"),
                ratings={"Brian": 4, "Chioma": 5},
                answers={"Brian": "Brian's loops finally work."},
            ),
        )
    await chat.say("Amina", "/cancel 3")
    assert "Meeting 3 is cancelled" in await chat.say("Amina", "yes")
    [farewell] = [
        m.text
        for m in await chat.deliver()
        if m.address.chat_id == "brian" and "last meeting" in m.text
    ]
    assert "until Tuesday, May 4, 2027;" in farewell
    clock.set(KEPT_UNTIL - timedelta(days=10))
    await chat.say("Chioma", "/help")  # she still uses the bot

    clock.set(KEPT_UNTIL - timedelta(hours=2))
    await core.tick()
    async with open_session(core) as session:
        answers = (await session.exec(select(CheckIn.answer))).all()
        assert "Brian's loops finally work." in answers
        assert (await session.exec(select(Circle.anonymised_at))).one() is None

    clock.set(KEPT_UNTIL + timedelta(hours=1))
    await core.tick()
    async with open_session(core) as session:
        assert (await session.exec(select(Circle.anonymised_at))).one() is not None
        checkins = (await session.exec(select(CheckIn))).all()
        assert sorted(c.rating or 0 for c in checkins) == [4, 4, 5, 5]  # the ratings stay
        assert all(c.answer is None for c in checkins)
        # Brian answered the last check-in the morning after: his name stays 180 days from then.
        names = set((await session.exec(select(Person.display_name))).all())
        assert {"Brian", "Chioma"} <= names

    clock.set(KEPT_UNTIL + timedelta(days=1))
    await core.tick()
    async with open_session(core) as session:
        names = set((await session.exec(select(Person.display_name))).all())
        assert "Brian" not in names and {"Chioma", "Circle member"} <= names

    clock.set(KEPT_UNTIL + timedelta(days=171))  # 180 days after Chioma last wrote
    await core.tick()
    async with open_session(core) as session:
        names = set((await session.exec(select(Person.display_name))).all())
        assert "Chioma" not in names


def test_retention_is_at_least_a_day_and_180_by_default() -> None:
    assert Settings().retention_days == 180
    assert Settings(retention_days=30).retention_days == 30
    for wrong in (0, -1):
        with pytest.raises(ValidationError):
            Settings(retention_days=wrong)
        with pytest.raises(ValueError):
            RetentionPolicy(wrong)


async def test_after_retention_the_portfolio_says_the_words_were_removed(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough ops 23: "Did you reach it? Partly" under no goal, after "everything you
    wrote": the portfolio now says plainly that the circle's words went, and when."""
    await closed_circle(chat, core, clock, TWO_MEETINGS)
    circle_id = await old_circle_id(core)
    async with open_session(core) as session, session.begin():
        chioma = (await session.exec(select(Person).where(Person.display_name == "Chioma"))).one()
        assert chioma.id is not None
        session.add(
            CourseSurvey(
                circle_id=circle_id,
                person_id=chioma.id,
                role=Role.LEARNER,
                goal_met="partly",
                answered_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    before = await chat.say("Chioma", "/portfolio")
    assert "everything you wrote" in before and "Did you reach it? Partly" in before

    clock.set(KEPT_UNTIL + timedelta(hours=1))
    await core.tick()

    after = await chat.say("Chioma", "/portfolio")
    assert "everything you wrote" not in after
    assert (
        "Your words in Python for Everyone were removed on Tuesday, May 4, 2027, as announced "
        "when it ended; the numbers are kept." in after
    )
    assert "Did you reach your goal? Partly" in after and "Did you reach it?" not in after


# --- fac 31: after the date, no learner is named anywhere; a week before, a reminder -----------


async def test_after_the_date_export_and_roster_name_nobody_and_a_week_before_a_reminder(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """The close-out said "Names and answers stay until Tuesday, May 4, 2027"; the /export the
    day after still named every learner (they had written to the bot since the last meeting,
    so their names were still needed elsewhere), and nothing reminded the facilitator to export
    before the date."""
    await closed_circle(chat, core, clock, TWO_MEETINGS)
    await drain(chat)
    # A week before: the facilitators, and only they, are reminded, once.
    clock.set(KEPT_UNTIL - timedelta(days=7, hours=2))
    await core.tick()
    assert not [m for m in await chat.deliver() if "/export" in m.text]
    clock.set(KEPT_UNTIL - timedelta(days=7) + timedelta(hours=1))
    await core.tick()
    clock.set(KEPT_UNTIL - timedelta(days=6))
    await core.tick()
    reminders = [m for m in await chat.deliver() if "/export" in m.text]
    assert [m.address.chat_id for m in reminders] == ["amina"]
    assert "Tuesday, May 4, 2027" in reminders[0].text
    assert "Python for Everyone" in reminders[0].text

    clock.set(KEPT_UNTIL + timedelta(hours=1))
    await core.tick()
    await chat.deliver()
    [reply] = await handle(chat, "Amina", "/export")
    assert len(reply.attachments) == 3
    for attachment in reply.attachments:
        text = attachment.data.decode("utf-8-sig")
        assert "Brian" not in text and "Chioma" not in text, (attachment.filename, text)
    roster = await chat.say("Amina", "/roster")
    assert "Brian" not in roster and "Chioma" not in roster
    assert "Member 2" in roster and "Member 3" in roster


async def test_after_the_date_the_report_names_nobody(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Fac 31: /report of an anonymised circle named who was not with the group at the end."""
    three = DETROIT_CIRCLE.replace("meetings=6", "meetings=3")
    await open_circle(chat, core, {"Brian": True, "Chioma": True}, three)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma")))
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))
    await play_week(chat, core, clock, 3, Week(came=("Brian",)))
    assert "Chioma" in await report_text(chat)
    clock.set(KEPT_UNTIL + timedelta(days=7, hours=1))
    await core.tick()
    after = await report_text(chat)
    assert "Chioma" not in after and "Brian" not in after
    assert "Member 3" in after
