"""`circlebot demo`: a scripted season on a fake clock, through the real router, services, outbox
and storage (SQLite in a temporary directory). It prints a transcript a newcomer can read.

Grow it with every feature: it is the first thing a newcomer runs.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.platforms import sms_platform
from adapters.platforms.console import ConsoleAdapter
from bot.chat.clock import FakeClock
from bot.chat.messages import Address
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.delivery.dispatcher import RateLimit, Throttle
from bot.letters.letters import LetterPolicy
from bot.rhythm import checkins
from bot.storage.database import create_engine, session_factory
from bot.storage.migrate import upgrade
from bot.storage.models import Circle, Letter, Meeting, MeetingStatus, Person, Team

DETROIT = "America/Detroit"
NAIROBI = "Africa/Nairobi"
START = datetime(2026, 10, 20, 14, 0, tzinfo=UTC)
GRACE = "+254712345678"
# The demo's global relay channel: on the console, where Telegram and Discord have channels.
GLOBAL_CHANNEL = Address("console", "global-channel")  # Tue 10:00 in Detroit, 17:00 in Nairobi


class Season:
    def __init__(
        self,
        core: Core,
        clock: FakeClock,
        output: TextIO,
        sessions: async_sessionmaker[AsyncSession],
    ) -> None:
        self.core = core
        # The script looks up ids and codes in the database itself (Core keeps its own private).
        self.sessions = sessions
        self.clock = clock
        self.output = output
        self.console = ConsoleAdapter(core, output)
        # Grace has a basic phone: she uses SMS only, and SMS gives no names.
        self.sms = ConsoleAdapter(
            core, output, platform="sms", capabilities=SMS_CAPABILITIES, numbers={"Grace": GRACE}
        )
        self.console.delivery = self.sms.delivery = {"console": self.console, "sms": self.sms}
        self.console.name(
            GLOBAL_CHANNEL.chat_id, core.catalogs.translator("en")._("Global channel")
        )
        self.tr = core.catalogs.translator("en")

    async def at(self, instant: datetime) -> None:
        """Move the fake clock on, print where each city is, and deliver what fell due."""
        if instant < self.clock.now():  # a script that went back would replay the season
            raise ValueError(
                f"the demo's clock cannot go back from {self.clock.now()} to {instant}"
            )
        self.clock.set(instant)
        tr = self.tr
        header = tr._(
            "── %(date)s · Detroit %(detroit)s · Nairobi %(nairobi)s ──",
            date=tr.date(instant, DETROIT),
            detroit=tr.time(instant, DETROIT) + " " + tr.zone_name(instant, DETROIT),
            nairobi=tr.time(instant, NAIROBI) + " " + tr.zone_name(instant, NAIROBI),
        )
        self.output.write("\n" + header + "\n")
        await self.core.tick()
        await self.core.dispatch(self.console.delivery)

    async def say(self, name: str, text: str) -> None:
        await (self.sms if name in self.sms.numbers else self.console).say(name, text)

    async def detroit_meeting(self, number: int) -> tuple[Circle, Meeting]:
        async with self.sessions() as session:
            circle = (
                await session.exec(select(Circle).where(Circle.name == "Python for Everyone"))
            ).one()
            meeting = (
                await session.exec(
                    select(Meeting).where(Meeting.circle_id == circle.id, Meeting.number == number)
                )
            ).one()
            return circle, meeting

    async def team_code(self, name: str) -> str:
        async with self.sessions() as session:
            return (await session.exec(select(Team.code).where(Team.name == name))).one()

    async def letter_of(self, author: str) -> int:
        async with self.sessions() as session:
            row = (
                await session.exec(
                    select(Letter.id)
                    .join(Person, col(Person.id) == Letter.author_id)
                    .where(Person.display_name == author)
                )
            ).one()
            assert row is not None
            return row

    async def code_of(self, circle_name: str) -> str:
        async with self.sessions() as session:
            circle = (await session.exec(select(Circle).where(Circle.name == circle_name))).one()
            return circle.join_code


async def play(season: Season) -> None:
    say = season.say
    await season.at(START)
    await say(
        "Amina",
        '/newcircle name="Python for Everyone" course="Python for Everybody" '
        'url=https://www.py4e.com venue="Detroit Public Library, Room 2" city=Detroit '
        "country=US zone=America/Detroit start=2026-10-29 time=18:00 meetings=6",
    )
    detroit_code = await season.code_of("Python for Everyone")

    await season.at(START + timedelta(hours=1))
    await say("Wanjiru", "/newcircle")
    for answer in (
        "Digital Skills for Work",
        "Learning How to Learn",
        "skip",
        "Kenya National Library, Upper Hill",
        "Nairobi",
        "KE",
        "1",
        "2026-11-03",
        "17:30",
        "8",
        "English",
    ):
        await say("Wanjiru", answer)
    nairobi_code = await season.code_of("Digital Skills for Work")

    await season.at(START + timedelta(days=1))
    await say("Brian", "/start")
    await say("Brian", "/join ABC234")
    await say("Brian", "/join " + detroit_code.lower())
    # Joining asks for a goal, then whether the facilitator may read written answers.
    await say("Brian", "Write a small script that sorts the invoices at work")
    await say("Brian", "1")
    await say("Carlos", "/join " + detroit_code)
    await say("Carlos", "/skip")
    await say("Achieng", "/join " + nairobi_code)
    await say("Achieng", "Feel confident using spreadsheets for my shop")
    await say("Achieng", "2")
    await say("Otieno", "/join " + nairobi_code)
    await say("Grace", "JOIN " + nairobi_code)  # on a phone, keywords need no slash
    await say("Grace", "/name Grace")
    await say("Grace", "Learn to write a CV on the computer")
    await say("Grace", "1")
    # Joins that come close together reach the facilitator as one notice, ten minutes on.
    await season.at(START + timedelta(days=1, minutes=10))
    await say("Brian", "/roster")
    await say("Amina", "/roster")

    for number in range(1, 7):
        await detroit_week(season, number)
        if number == 1:
            await after_week_one(season)
        if number == 4:
            # A newcomer four meetings in is never shown a past meeting or reminded of one.
            await season.at(datetime(2026, 11, 20, 16, 0, tzinfo=UTC))
            await say("Dana", "/join " + detroit_code)
            await say("Dana", "/next")
            await say("Dana", "Finish the course this time, with company")
            await say("Dana", "2")
            # Achieng, a learner in Nairobi, starts a circle of her own: its first meeting
            # will hear letters from Detroit.
            await season.at(datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
            await say(
                "Achieng",
                '/newcircle name="Spreadsheets for Small Shops" course="Spreadsheets 101" '
                'venue="Kenya National Library, Buruburu" city=Nairobi country=KE '
                "zone=Africa/Nairobi start=2026-12-08 time=17:00 meetings=6",
            )
            await say("Otieno", "/join " + await season.code_of("Spreadsheets for Small Shops"))
            await say("Otieno", "/skip")
            # She lists it, so learners without a code can find it; Njeri, in Nairobi, does.
            await say("Achieng", "/listing on")
            await say("Achieng", "/listing capacity 10")
            await say("Njeri", "/find Nairobi")
            await say("Njeri", "1")  # one number joins; no code is shown
            await say("Njeri", "/skip")

    # The last check-in is in: a record to keep, and a last look at the circle.
    await season.at(season.clock.now() + timedelta(hours=2))
    await say("Brian", "/portfolio")
    await say("Amina", "/digest")
    await say("Amina", "/export")

    # Two days after Detroit's last meeting, the end-of-circle survey: a few taps for the
    # course's record, and one tip for the next circle taking it, passed on if Brian agrees.
    _, final = await season.detroit_meeting(6)
    await season.at(final.ends_at + timedelta(days=2))
    # Rating, would recommend, the tip, share it (whether he reached his goal, his goal review
    # in the last week said already).
    for answer in ("5", "1", "Type every example yourself, even the short ones.", "1"):
        await say("Brian", answer)
    for answer in ("4", "Keep a spare laptop charged for whoever forgets theirs.", "1"):
        await say("Amina", answer)  # the facilitator's own two questions
    await say("Amina", "/courses")
    # Kamau, in Nairobi, starts a circle on the same course; Grace joins it by SMS.
    await say(
        "Kamau",
        '/newcircle name="Python Nairobi" course="Python for Everybody" '
        'url=https://www.py4e.com venue="Kenya National Library, Upper Hill" city=Nairobi '
        "country=KE zone=Africa/Nairobi start=2026-12-15 time=17:30 meetings=6",
    )
    await say("Grace", "JOIN " + await season.code_of("Python Nairobi"))
    await say("Grace", "/skip")
    await say("Grace", "/skip")

    # Achieng's circle meets for the first time: two hours before, she gets the letters from
    # Detroit to read aloud; at the start, her learners and the global channel get them, and
    # the authors hear that their letters arrived.
    first = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)  # 17:00 in Nairobi
    await season.at(first - timedelta(hours=2))
    await season.at(first)
    await say("Otieno", "1")  # a thank-you, relayed without his name
    # Monday: the global channel's weekly roll-up, and the team's weekly summary.
    await season.at(datetime(2026, 12, 14, 12, 0, tzinfo=UTC))
    await say("Wanjiku", "/team")
    # A facilitator may take their circle out of the team again; the organizer is told.
    await say("Wanjiru", "/team leave")
    # Two days before Python Nairobi first meets, Kamau has Detroit's tips and links; at the
    # first meeting, Grace gets one learner's tip by SMS.
    python_first = datetime(2026, 12, 15, 14, 30, tzinfo=UTC)  # 17:30 in Nairobi
    await season.at(python_first)


async def after_week_one(season: Season) -> None:
    say = season.say
    # Detroit leaves daylight saving time on 1 November; the circle still meets at 18:00.
    await season.at(datetime(2026, 11, 2, 15, 0, tzinfo=UTC))
    await say("Brian", "/next")
    await say("Amina", "/reschedule 2 2026-11-06 18:00")
    await say("Brian", "/nxt")
    await say("Brian", "/schedule")
    await say("Achieng", "/next")
    await say("Wanjiru", "/cancel 4")
    await say("Wanjiru", "1")  # /cancel asks first: everyone in the circle is told
    # One message to everyone, on whatever they use; Grace's reply goes back to Wanjiru.
    await say(
        "Wanjiru", "/announce Bring your library card tomorrow: we start in the computer lab."
    )
    await say("Wanjiru", "1")  # /announce shows it first, then sends it
    await say("Grace", "Asante! I will bring it.")
    # Nairobi's first check-in, the morning after its first meeting: Grace answers by SMS.
    await season.at(datetime(2026, 11, 4, 7, 0, tzinfo=UTC))
    await say("Grace", "4")
    await say("Grace", "Meeting people who also want to find better work.")
    # Plain SMS keywords: what is this, stop everything, and come back.
    await say("Grace", "HELP")
    await say("Grace", "Stop")
    await say("Grace", "START")
    # Wanjiku organizes circles for the library service; the facilitators add theirs.
    await say("Wanjiku", "/team new Kenya National Library Service")
    team = await season.team_code("Kenya National Library Service")
    await say("Wanjiru", "/team add " + team)
    await say("Wanjiku", "/team weekly on")


# What Brian and Carlos say at each check-in: (rating, answer); no entry = no answer.
BRIAN = {
    1: ("4", "Meeting everyone. I was nervous, but it felt easy."),
    2: ("3", "How to read a file line by line. Work was busy, so only one video."),
    3: ("5", "Nothing got in the way. Working in pairs helps."),
    4: ("4", "Dictionaries still confuse me. Could we go through one example together?"),
    5: ("3", "Less overtime! I missed the meeting, but did the exercises on my phone."),
    6: ("5", "I want to keep meeting with Dana after the course."),
}
LETTERS = {
    "Brian": (
        "Hello from Detroit! The highlight for me was fixing my first bug with the group "
        "cheering. I wish I had known at the start that nobody expects you to know anything. "
        "Advice: come every week, even when you are behind. It is snowing here today."
    ),
    "Dana": (
        "I joined late and thought I would never catch up. The group proved me wrong. Ask "
        "the silly questions, everyone has them. Cold and grey in Detroit, warm in our room."
    ),
}
CARLOS = {1: ("3", "Honestly, setting up Python on the library computer was hard.")}
DANA = {5: ("4", "The loops made sense when Brian drew them on the whiteboard.")}


async def detroit_week(season: Season, number: int) -> None:
    """One meeting of the Detroit circle, from its reminders to its check-in."""
    say = season.say
    circle, meeting = await season.detroit_meeting(number)
    if meeting.status == MeetingStatus.CANCELLED:
        return
    # Reminders to learners (24 h and 1 h before, unless Amina changes it) and the digest.
    before = sorted({*circle.reminder_offsets, circle.digest_minutes_before}, reverse=True)
    for index, minutes in enumerate(before):
        await season.at(meeting.starts_at - timedelta(minutes=minutes))
        if index == 0:  # the first reminder: RSVPs
            await say("Brian", "1" if number != 5 else "/rsvp no")
            if number in DANA:
                await say("Dana", "1")
    if number == 3:
        await say("Amina", "/reminders 48h 1h")

    await season.at(meeting.starts_at + timedelta(minutes=20))
    if number != 5:
        await say("Brian", "/here")
    await say("Amina", "/attendance")
    await say("Amina", {1: "1 2", 5: "3"}.get(number, "1" if number < 5 else "1 3"))
    await say("Amina", "done")
    if number == 6:  # 30 minutes into the last meeting: the invitation to write a letter
        await season.at(meeting.starts_at + timedelta(minutes=30))
        await say("Brian", "/letter")
        await say("Brian", LETTERS["Brian"])
        await say("Brian", "1")  # signed with his first name
        await say("Dana", "/letter")
        await say("Dana", LETTERS["Dana"])
        await say("Dana", "Dana from Detroit")
        await say("Amina", "/letters")
        await say("Amina", "1")
        await say("Amina", "/letters approve " + str(await season.letter_of("Dana")))

    await season.at(checkins.due_at(circle, meeting))
    for name, answers in (("Brian", BRIAN), ("Carlos", CARLOS), ("Dana", DANA)):
        if number in answers:
            rating, answer = answers[number]
            await say(name, rating)
            await say(name, answer)
    if number == 2:  # two days on, one gentle nudge to whoever hasn't answered
        await season.at(checkins.due_at(circle, meeting) + checkins.NUDGE_AFTER)
    if number == 3:
        await say("Brian", "/reflect")
        await say("Brian", "How do you all find time to practise during the week?")
        # Halfway: how is the circle going, and the meetings in Brian's own calendar.
        await say("Amina", "/report")
        await say("Brian", "/calendar")
        # A link worth keeping for the next circles on the course; Amina approves it.
        await say("Brian", "/share https://www.py4e.com/lessons/files The files chapter, slowly")
        await say("Amina", "/share")
        await say("Amina", "/share approve 1")
    if number == 5:  # the final week: how close did Brian get to his goal?
        _, final = await season.detroit_meeting(6)
        await season.at(final.starts_at - timedelta(days=2, hours=8))
        await say("Brian", "Very close: the script runs every Friday now.")


async def run_demo(output: TextIO, directory: Path) -> None:
    clock = FakeClock(START)
    engine = create_engine(f"sqlite:///{directory / 'demo.db'}")
    await upgrade(engine)
    # The console, and SMS as its adapter describes it (Grace's phone is the console standing in
    # for it) but with no gateway rate to wait for on a fake clock.
    platforms = (
        ConsoleAdapter.description,
        replace(sms_platform.DESCRIPTION, limit=RateLimit(math.inf, None, 1)),
    )
    core = Core(
        engine,
        clock,
        random.Random(2026),
        letter_policy=LetterPolicy(global_channels=(GLOBAL_CHANNEL,)),
        # One send at a time, so every run prints the same transcript.
        throttle=Throttle.of(platforms, concurrency=1),
        platforms=platforms,
    )
    try:
        await play(Season(core, clock, output, session_factory(engine)))
    finally:
        await core.close()
