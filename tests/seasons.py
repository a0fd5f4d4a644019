"""Driving a circle week by week for the report, export, calendar, close-out and team tests:
RSVPs before each meeting, /here during it, the check-in the next morning."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Outbound
from bot.circles.meetings import local_instant
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CIRCLE = "Python for Everyone"
ZONE = "America/Detroit"
FIRST_DAY = date(2026, 10, 29)  # a Thursday; daylight saving time ends on Sunday 1 November
WITH_FILES = Capabilities(max_text_length=4000, files=True)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def starts(number: int, first_day: date = FIRST_DAY, zone: str = ZONE) -> datetime:
    """Meeting `number` of a weekly 18:00 circle, as the UTC instant."""
    return local_instant(first_day + timedelta(weeks=number - 1), time(18, 0), zone)


def checkin_due(number: int, first_day: date = FIRST_DAY, zone: str = ZONE) -> datetime:
    """The check-in after meeting `number`: the next day at 10:00 local."""
    return local_instant(first_day + timedelta(weeks=number - 1, days=1), time(10, 0), zone)


@dataclass
class Week:
    yes: tuple[str, ...] = ()
    no: tuple[str, ...] = ()
    came: tuple[str, ...] = ()
    ratings: dict[str, int] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)


async def open_circle(
    chat: Chat, core: Core, learners: dict[str, bool], command: str = DETROIT_CIRCLE
) -> str:
    """Amina's circle, joined by `learners`, each saying whether the facilitator may read
    their written answers. Returns the join code."""
    assert "is ready" in await chat.say("Amina", command)
    name = command.split('name="', 1)[1].split('"', 1)[0]
    code = await code_of(core, name)
    for learner, shares in learners.items():
        assert "Welcome" in await chat.say(learner, f"/join {code}")
        await chat.say(learner, "To learn Python with others.")
        await chat.say(learner, "yes" if shares else "no")
    return code


async def play_week(
    chat: Chat, core: Core, clock: FakeClock, number: int, week: Week, first_day: date = FIRST_DAY
) -> None:
    clock.set(starts(number, first_day) - timedelta(hours=2))
    for name in week.yes:
        assert "see you" in (await chat.say(name, f"/rsvp yes {number}")).casefold()
    for name in week.no:
        await chat.say(name, f"/rsvp no {number}")
    clock.set(starts(number, first_day) + timedelta(minutes=5))
    for name in week.came:
        assert "You're here" in await chat.say(name, "/here")
    clock.set(checkin_due(number, first_day))
    await core.tick()
    await chat.deliver()
    for name, rating in week.ratings.items():
        assert "Thanks" in await chat.say(name, str(rating))
        await chat.say(name, week.answers.get(name, f"Week {number} went fine."))


async def handle(
    chat: Chat, name: str, text: str, capabilities: Capabilities = WITH_FILES
) -> list[Outbound]:
    """The replies to `name` on a chat with the given capabilities (files by default)."""
    return await chat.core.handle(chat.inbound(name, text), capabilities)
