"""The calendar: weekly meetings stay at the same local wall time across DST changes; one meeting
can be moved or cancelled; `upcoming` (and /next) never shows a meeting that has ended."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import FakeClock
from bot.chat.errors import UserError
from bot.circles import circles, meetings
from bot.core import Core
from bot.storage.models import (
    Circle,
    Meeting,
    MeetingStatus,
    Membership,
    OutboxMessage,
    Person,
    Role,
)
from tests.conftest import DETROIT_CIRCLE, DETROIT_DRAFT, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS

DETROIT = "America/Detroit"
CIRCLE = "Python for Everyone"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


DRAFT = DETROIT_DRAFT  # Thursdays: 2026-10-29 is one

# DETROIT_CIRCLE / DRAFT: Thursdays 18:00 local from 2026-10-29; DST ends on Sunday 2026-11-01.
DETROIT_STARTS = [
    utc(2026, 10, 29, 22),  # EDT, UTC-4
    utc(2026, 11, 5, 23),  # EST, UTC-5
    utc(2026, 11, 12, 23),
    utc(2026, 11, 19, 23),
    utc(2026, 11, 26, 23),
    utc(2026, 12, 3, 23),
]


async def create_circle(core: Core, clock: FakeClock, **changes: object) -> int:
    """A circle made through the service, facilitated by a fresh person; its id."""
    async with open_session(core) as session, session.begin():
        person = Person(display_name="Amina", created_at=clock.now())
        session.add(person)
        await session.flush()
        draft = dataclasses.replace(DRAFT, **changes)  # type: ignore[arg-type]
        circle = await circles.create(session, clock.now(), random.Random(1), person, draft)
        assert circle.id is not None
        return circle.id


async def stored(core: Core, circle_id: int) -> list[Meeting]:
    async with open_session(core) as session:
        return await meetings.schedule(session, circle_id)


async def circle_id_of(core: Core, name: str = CIRCLE) -> int:
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == name))).one()
        assert circle.id is not None
        return circle.id


async def circle_with_learners(chat: Chat, core: Core) -> str:
    """Amina's Detroit circle with Brian and Chen; the join notices are already delivered."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    assert "Welcome" in await chat.say("Brian", f"/join {code}")
    assert "Welcome" in await chat.say("Chen", f"/join {code}")
    # One notice to Amina: "2 people joined Python for Everyone: Brian and Chen."
    assert len(await chat.deliver()) == 1
    return code


# --- Weekly meetings across DST changes ---------------------------------------------------------


async def test_detroit_meetings_stay_at_1800_local_across_the_end_of_dst(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(any_engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    schedule = await stored(core, await circle_id_of(core))

    assert [m.number for m in schedule] == [1, 2, 3, 4, 5, 6]
    assert [m.starts_at for m in schedule] == DETROIT_STARTS  # 22:00 UTC before, 23:00 after
    assert [m.ends_at - m.starts_at for m in schedule] == [timedelta(minutes=90)] * 6
    for index, meeting in enumerate(schedule):
        local = meeting.starts_at.astimezone(ZoneInfo(DETROIT))
        assert local.date() == date(2026, 10, 29) + timedelta(weeks=index)
        assert local.time() == time(18, 0)

    answer = await chat.say("Amina", "/schedule")
    assert "1. Thursday, October 29, 2026 at 6:00 PM (EDT)" in answer
    assert "2. Thursday, November 5, 2026 at 6:00 PM (EST)" in answer
    assert "6. Thursday, December 3, 2026 at 6:00 PM (EST)" in answer


@pytest.mark.parametrize(
    ("zone", "start", "at", "expected"),
    [
        pytest.param(
            DETROIT,
            date(2027, 3, 4),  # Thursday; DST starts Sunday 2027-03-14
            time(18, 0),
            [
                utc(2027, 3, 4, 23),
                utc(2027, 3, 11, 23),
                utc(2027, 3, 18, 22),
                utc(2027, 3, 25, 22),
                utc(2027, 4, 1, 22),
                utc(2027, 4, 8, 22),
            ],
            id="detroit-dst-start-2027-03-14",
        ),
        pytest.param(
            "Europe/Berlin",
            date(2026, 10, 20),  # Tuesday; CEST ends Sunday 2026-10-25
            time(19, 0),
            [utc(2026, 10, 20, 17), utc(2026, 10, 27, 18), utc(2026, 11, 3, 18)],
            id="berlin-autumn-2026-10-25",
        ),
        pytest.param(
            "Europe/Berlin",
            date(2027, 3, 23),  # Tuesday; CEST starts Sunday 2027-03-28
            time(19, 0),
            [utc(2027, 3, 23, 18), utc(2027, 3, 30, 17), utc(2027, 4, 6, 17)],
            id="berlin-spring-2027-03-28",
        ),
    ],
)
async def test_weekly_meetings_keep_their_local_time_across_a_dst_change(
    core: Core, clock: FakeClock, zone: str, start: date, at: time, expected: list[datetime]
) -> None:
    circle_id = await create_circle(
        core, clock, timezone=zone, start_date=start, start_time=at, meeting_count=len(expected)
    )
    schedule = await stored(core, circle_id)
    assert [m.starts_at for m in schedule] == expected
    local = [m.starts_at.astimezone(ZoneInfo(zone)) for m in schedule]
    assert {moment.time() for moment in local} == {at}
    assert [moment.date() for moment in local] == [
        start + timedelta(weeks=week) for week in range(len(expected))
    ]


def test_local_instant_in_a_spring_forward_gap_lands_after_the_gap() -> None:
    # 02:30 does not exist in Detroit on 2027-03-14 (02:00 EST jumps to 03:00 EDT). It is read
    # with the offset in force before the gap, so it becomes 07:30 UTC = 03:30 EDT: as far past
    # the end of the gap as the typed time was past its start.
    instant = meetings.local_instant(date(2027, 3, 14), time(2, 30), DETROIT)
    assert instant == utc(2027, 3, 14, 7, 30)
    local = instant.astimezone(ZoneInfo(DETROIT))
    assert (local.date(), local.time(), local.tzname()) == (date(2027, 3, 14), time(3, 30), "EDT")

    # Same rule in Berlin (02:00 CET jumps to 03:00 CEST on 2027-03-28).
    berlin = meetings.local_instant(date(2027, 3, 28), time(2, 30), "Europe/Berlin")
    assert berlin == utc(2027, 3, 28, 1, 30)
    assert berlin.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 30)

    # A time that happens twice (01:30 on 2026-11-01 in Detroit) is the first one, in EDT.
    twice = meetings.local_instant(date(2026, 11, 1), time(1, 30), DETROIT)
    assert twice == utc(2026, 11, 1, 5, 30)


async def test_a_weekly_meeting_in_the_gap_moves_one_hour_that_day_only(
    core: Core, clock: FakeClock
) -> None:
    circle_id = await create_circle(
        core, clock, start_date=date(2027, 3, 7), start_time=time(2, 30), meeting_count=3
    )
    local = [m.starts_at.astimezone(ZoneInfo(DETROIT)) for m in await stored(core, circle_id)]
    assert [(moment.date(), moment.time()) for moment in local] == [
        (date(2027, 3, 7), time(2, 30)),
        (date(2027, 3, 14), time(3, 30)),  # 02:30 does not exist that night
        (date(2027, 3, 21), time(2, 30)),
    ]


# --- Rescheduling -------------------------------------------------------------------------------


async def test_reschedule_uses_the_local_wall_time_of_the_new_date(
    core: Core, clock: FakeClock
) -> None:
    circle_id = await create_circle(core, clock)
    async with open_session(core) as session, session.begin():
        circle = await session.get_one(Circle, circle_id)
        # From Thursday 29 October (EDT) to Monday 2 November, after the clocks went back.
        meeting, old_start = await meetings.reschedule(
            session, circle, 1, date(2026, 11, 2), time(18, 0), clock.now()
        )
        assert meeting.number == 1

    assert old_start == DETROIT_STARTS[0]
    schedule = await stored(core, circle_id)
    moved = schedule[0]
    assert (moved.starts_at, moved.ends_at) == (utc(2026, 11, 2, 23), utc(2026, 11, 3, 0, 30))
    assert moved.status == MeetingStatus.MOVED
    assert [m.starts_at for m in schedule[1:]] == DETROIT_STARTS[1:]
    assert {m.status for m in schedule[1:]} == {MeetingStatus.SCHEDULED}


async def refusal(
    core: Core, circle_id: int, act: Callable[[AsyncSession, Circle], Awaitable[object]]
) -> str:
    """The message of the UserError that `act` raises (its transaction rolled back)."""
    with pytest.raises(UserError) as refused:
        async with open_session(core) as session, session.begin():
            await act(session, await session.get_one(Circle, circle_id))
    return refused.value.message % refused.value.params


async def test_reschedule_and_cancel_refuse_what_cannot_change(
    core: Core, clock: FakeClock
) -> None:
    circle_id = await create_circle(core, clock)
    async with open_session(core) as session, session.begin():
        await meetings.cancel(session, await session.get_one(Circle, circle_id), 5, clock.now())

    def move(
        number: int, day: date, at: time
    ) -> Callable[[AsyncSession, Circle], Awaitable[object]]:
        return lambda session, circle: meetings.reschedule(
            session, circle, number, day, at, clock.now()
        )

    passed = "That time has already passed. Pick a time in the future."
    assert await refusal(core, circle_id, move(4, date(2026, 10, 20), time(9, 0))) == passed
    # 10:00 in Detroit is exactly now: also refused.
    assert await refusal(core, circle_id, move(4, date(2026, 10, 20), time(10, 0))) == passed
    assert await refusal(core, circle_id, move(5, date(2026, 11, 27), time(18, 0))) == (
        "Meeting 5 is cancelled, so it can't be moved."
    )
    assert await refusal(core, circle_id, move(7, date(2026, 11, 27), time(18, 0))) == (
        "There is no meeting 7. This circle has meetings 1 to 6."
    )
    # Its own slot: nothing moves, and nobody is told it did (second walkthrough).
    assert await refusal(core, circle_id, move(4, date(2026, 11, 19), time(18, 0))) == (
        "Meeting 4 is already then."
    )

    clock.set(utc(2026, 11, 6, 0, 30))  # meeting 2 (23:00-00:30 UTC) has just ended
    async with open_session(core) as session, session.begin():
        # Someone joined: the meetings gone by were held (with nobody in, they could still
        # move: tests/circles/test_sched_schedule_changes.py).
        learner = Person(display_name="Brian", created_at=clock.now())
        session.add(learner)
        await session.flush()
        assert learner.id is not None
        session.add(
            Membership(
                circle_id=circle_id, person_id=learner.id, role=Role.LEARNER, joined_at=clock.now()
            )
        )
    for number in (1, 2):
        assert await refusal(core, circle_id, move(number, date(2026, 11, 20), time(18, 0))) == (
            f"Meeting {number} has already happened."
        )
        assert await refusal(
            core, circle_id, lambda s, c, n=number: meetings.cancel(s, c, n, clock.now())
        ) == (f"Meeting {number} has already happened.")
    assert await refusal(core, circle_id, lambda s, c: meetings.cancel(s, c, 5, clock.now())) == (
        "Meeting 5 is already cancelled."
    )

    schedule = await stored(core, circle_id)
    assert [m.starts_at for m in schedule] == DETROIT_STARTS
    assert [m.status for m in schedule] == [MeetingStatus.SCHEDULED] * 4 + [
        MeetingStatus.CANCELLED,
        MeetingStatus.SCHEDULED,
    ]


async def test_reschedule_in_chat_tells_each_member_once(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)

    answer = await chat.say("Amina", "/reschedule 3 2026-11-13 19:00")
    assert answer == (
        "Meeting 3 is now Friday, November 13, 2026 at 7:00 PM (EST). I'm letting 2 members know."
    )
    sent = await chat.deliver()
    assert Counter(message.address.chat_id for message in sent) == {"brian": 1, "chen": 1}
    for message in sent:
        assert message.text == (
            "Python for Everyone: meeting 3 has moved to Friday, Nov 13, 7:00 PM "
            "(it was Thursday, Nov 12, 6:00 PM). Same place: Detroit Public Library."
        )
    assert await chat.deliver() == []  # nothing is sent twice

    schedule = await stored(core, await circle_id_of(core))
    assert schedule[2].starts_at == utc(2026, 11, 14, 0)  # 19:00 EST
    assert [m.starts_at for i, m in enumerate(schedule) if i != 2] == [
        s for i, s in enumerate(DETROIT_STARTS) if i != 2
    ]
    listing = await chat.say("Brian", "/schedule")
    assert "3. Friday, November 13, 2026 at 7:00 PM (EST) (moved)" in listing
    assert "4. Thursday, November 19, 2026 at 6:00 PM (EST)\n" in listing


async def test_a_move_notice_never_names_the_place_cut_short(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B20: where the whole place makes the notice two SMS, it says "Same place." rather than
    the building without the room, which reads as another place."""
    await chat.say(
        "Amina",
        DETROIT_CIRCLE.replace(
            "Detroit Public Library", "Centre communautaire de la Medina, salle 3, 1er etage"
        ),
    )
    code = await code_of(core, CIRCLE)
    await chat.say("Brian", f"/join {code}")
    await chat.deliver()
    await chat.say("Amina", "/reschedule 3 2026-11-15 16:00")
    [told] = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "Medina." not in told, told
    assert told.endswith("Same place.") or "Medina, salle 3" in told, told
    # The whole place where it fits.
    clock.advance(timedelta(minutes=11))
    await chat.say("Amina", "/reschedule 4 7pm")
    [told] = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    whole = "Same place: Centre communautaire de la Medina, salle 3, 1er etage."
    assert told.endswith(whole), told


async def test_a_refused_reschedule_in_chat_changes_nothing_and_tells_no_one(
    chat: Chat, core: Core
) -> None:
    await circle_with_learners(chat, core)
    outbox_before = len(await chat.outbox())

    answer = await chat.say("Amina", "/reschedule 4 2026-10-20 09:00")
    # With the date and time it understood (issue 16, dede 43).
    assert answer == (
        "I read that as Tuesday, October 20, 2026 at 9:00 AM (EDT). "
        "That time has already passed. Pick a time in the future."
    )
    assert "Only a facilitator or co-facilitator can use /reschedule." in await chat.say(
        "Brian", "/reschedule 4 2026-11-20 18:00"
    )

    assert len(await chat.outbox()) == outbox_before
    assert await chat.deliver() == []
    schedule = await stored(core, await circle_id_of(core))
    assert [m.starts_at for m in schedule] == DETROIT_STARTS
    assert {m.status for m in schedule} == {MeetingStatus.SCHEDULED}


# --- Cancelling ---------------------------------------------------------------------------------


async def test_cancel_keeps_the_other_numbers_and_next_skips_it(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)

    assert await chat.say("Amina", "/cancel 1") == (
        "Cancel meeting 1 of Python for Everyone (Thursday, October 29, 2026 at 6:00 PM (EDT))? "
        "Everyone in the circle will be told.\nReply 1 for Yes or 2 for No."
    )
    assert await chat.deliver() == []  # nobody is told before the answer
    assert await chat.say("Amina", "1") == "Meeting 1 is cancelled. I'm letting 2 members know."
    sent = await chat.deliver()
    assert Counter(message.address.chat_id for message in sent) == {"brian": 1, "chen": 1}
    assert all(
        message.text == "Python for Everyone: meeting 1 on Thursday, Oct 29, 6:00 PM won't take "
        "place. You meet next on Thursday, Nov 5, 6:00 PM."
        for message in sent
    )
    kinds = [row.kind for row in await chat.outbox()]
    assert kinds.count("schedule-changed") == 2

    circle_id = await circle_id_of(core)
    schedule = await stored(core, circle_id)
    assert [(m.number, m.starts_at) for m in schedule] == list(enumerate(DETROIT_STARTS, start=1))
    assert [m.status for m in schedule] == [MeetingStatus.CANCELLED] + [MeetingStatus.SCHEDULED] * 5
    async with open_session(core) as session:
        upcoming = await meetings.upcoming(session, circle_id, core.clock.now())
    assert upcoming is not None and upcoming.number == 2

    # Not "of 6": one of the six won't take place; what is left is what a learner wants. Nor
    # "Meeting 2": nothing has met yet, so it is the first (fac 43).
    assert "First meeting: Thursday, November 5, 2026 at 6:00 PM (EST)" in (
        await chat.say("Brian", "/next")
    )
    listing = await chat.say("Chen", "/schedule")
    assert "1. Thursday, October 29, 2026 at 6:00 PM (EDT) (cancelled)" in listing
    assert "2. Thursday, November 5, 2026 at 6:00 PM (EST)\n" in listing

    # Cancelling again is refused and tells no one a second time.
    assert await chat.say("Amina", "/cancel 1") == "Meeting 1 is already cancelled."
    assert await chat.deliver() == []


# --- What comes next ----------------------------------------------------------------------------


async def test_upcoming_never_returns_a_meeting_that_has_ended(
    core: Core, clock: FakeClock
) -> None:
    circle_id = await create_circle(core, clock)
    checkpoints = [
        (clock.now(), 1),
        (utc(2026, 10, 29, 22), 1),  # meeting 1 starts
        (utc(2026, 10, 29, 23, 29, 59), 1),  # still on
        (utc(2026, 10, 29, 23, 30), 2),  # meeting 1 has ended
        (utc(2026, 11, 13, 0, 30), 4),  # meeting 3 has ended
        (utc(2026, 12, 3, 23, 45), 6),  # the last one is on
        (utc(2026, 12, 4, 0, 30), None),  # all over
    ]
    async with open_session(core) as session:
        seen = []
        for now, _ in checkpoints:
            meeting = await meetings.upcoming(session, circle_id, now)
            assert meeting is None or meeting.ends_at > now
            seen.append(meeting.number if meeting else None)
    assert seen == [number for _, number in checkpoints]


async def test_someone_joining_mid_run_is_shown_the_next_meeting_not_a_past_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    code = await code_of(core, CIRCLE)

    clock.set(utc(2026, 11, 12, 23, 30))  # meeting 3 is on
    during = await chat.say("Brian", "/next")
    assert "Meeting 3 of 6: Thursday, November 12, 2026 at 6:00 PM (EST)" in during
    assert "It's happening now!" in during

    clock.set(utc(2026, 11, 13, 0, 30))  # meeting 3 has just ended
    welcome = await chat.say("Dana", f"/join {code}")
    assert "Welcome to Python for Everyone, Dana!" in welcome
    assert "Meeting 4 of 6: Thursday, November 19, 2026 at 6:00 PM (EST)" in welcome

    clock.advance(timedelta(hours=1))
    after = await chat.say("Dana", "/next")
    assert after.startswith(
        "Python for Everyone\nMeeting 4 of 6: Thursday, November 19, 2026 at 6:00 PM (EST), "
        "at Detroit Public Library."
    )
    assert "Meeting 3" not in after
    assert "happening now" not in after

    clock.set(utc(2026, 12, 4, 0, 30))  # the last meeting has ended
    assert (await chat.say("Dana", "/next")).startswith(  # then where to go next (B28)
        "Python for Everyone has no more meetings planned. To find another circle, send /find"
    )


async def test_a_moved_meeting_is_flagged_by_next(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    await chat.say("Amina", "/reschedule 1 2026-10-30 17:30")
    answer = await chat.say("Chen", "/next")
    assert "Meeting 1 of 6: Friday, October 30, 2026 at 5:30 PM (EDT)" in answer
    assert "Note: this meeting was moved from its usual time." in answer
    async with open_session(core) as session:
        outbox = (await session.exec(select(OutboxMessage))).all()
    moved = [row for row in outbox if row.kind == "schedule-changed"]
    assert sorted(row.chat_id for row in moved) == ["brian", "chen"]


async def test_moving_a_meeting_back_to_an_earlier_choice_is_announced_too(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    moves = [("19:00", "7:00 PM"), ("20:00", "8:00 PM"), ("19:00", "7:00 PM")]  # and back
    for number, (when, shown) in enumerate(moves, start=1):
        clock.advance(timedelta(minutes=11))  # apart: not gathered into one notice
        answer = await chat.say("Amina", f"/reschedule 3 2026-11-13 {when}")
        assert answer == (
            f"Meeting 3 is now Friday, November 13, 2026 at {shown} (EST). "
            "I'm letting 2 members know."
        )
        sent = await chat.deliver()
        received = Counter(message.address.chat_id for message in sent)
        assert received == {"brian": 1, "chen": 1}, f"move {number} to {when}: {received}"
        # From Thursday, then within Friday (the day said once, after the time).
        moved = f"has moved to Friday, Nov 13, {shown}", f"is now at {shown} instead of"
        assert all(any(words in m.text for words in moved) for m in sent)


async def test_a_meeting_cannot_be_moved_onto_or_past_its_neighbours(
    chat: Chat, core: Core
) -> None:
    """Meetings keep their order: meeting 3 stays after meeting 2 ends and ends before meeting 4
    starts, so two meetings never share a start and the numbers keep following the calendar."""
    await circle_with_learners(chat, core)
    outbox_before = len(await chat.outbox())
    between = (
        "Meeting 3 has to come after meeting 2 and before meeting 4. /schedule shows when they are."
    )
    for day_and_time in (
        "2026-11-19 18:00",  # meeting 4's start
        "2026-11-20 18:00",  # past meeting 4
        "2026-11-19 17:00",  # ends after meeting 4 starts
        "2026-11-05 18:00",  # meeting 2's start
        "2026-11-05 19:00",  # while meeting 2 is on
        "2026-11-04 18:00",  # before meeting 2
    ):
        answer = await chat.say("Amina", f"/reschedule 3 {day_and_time}")
        # After the date and time it understood (issue 16, dede 43).
        assert answer.startswith("I read that as ") and answer.endswith(between), day_and_time
    assert await chat.say("Amina", "/reschedule 1 2026-11-05 18:00") == (
        "I read that as Thursday, November 5, 2026 at 6:00 PM (EST). "
        "Meeting 1 has to come before meeting 2. /schedule shows when they are."
    )
    assert await chat.say("Amina", "/reschedule 6 2026-11-26 18:00") == (
        "I read that as Thursday, November 26, 2026 at 6:00 PM (EST). "
        "Meeting 6 has to come after meeting 5. /schedule shows when they are."
    )

    assert len(await chat.outbox()) == outbox_before  # no one was told of a move
    schedule = await stored(core, await circle_id_of(core))
    assert [m.starts_at for m in schedule] == DETROIT_STARTS
    assert {m.status for m in schedule} == {MeetingStatus.SCHEDULED}
    # Right after meeting 2 and right before meeting 4 are both fine.
    assert "is now" in await chat.say("Amina", "/reschedule 3 2026-11-05 19:30")
    assert "is now" in await chat.say("Amina", "/reschedule 3 2026-11-19 16:30")


async def test_a_meeting_may_take_the_slot_of_a_cancelled_one(chat: Chat, core: Core) -> None:
    """A cancelled meeting does not take place, so its time is free: meeting 3 can be held on
    the day meeting 4 was cancelled (and the order of the meetings held is kept)."""
    await circle_with_learners(chat, core)
    await chat.say("Amina", "/cancel 4")
    assert "is cancelled" in await chat.say("Amina", "yes")
    answer = await chat.say("Amina", "/reschedule 3 2026-11-19 18:00")
    assert answer.startswith("Meeting 3 is now Thursday, November 19, 2026 at 6:00 PM (EST).")
    assert await chat.say("Amina", "/reschedule 5 2026-11-19 18:00") == (
        "I read that as Thursday, November 19, 2026 at 6:00 PM (EST). "
        "Meeting 5 has to come after meeting 3 and before meeting 6. /schedule shows when they are."
    )


async def test_moving_a_meeting_back_to_its_planned_time_clears_the_moved_mark(
    chat: Chat, core: Core
) -> None:
    await circle_with_learners(chat, core)
    await chat.say("Amina", "/reschedule 3 2026-11-13 19:00")
    assert "(moved)" in await chat.say("Brian", "/schedule")

    answer = await chat.say("Amina", "/reschedule 3 2026-11-12 18:00")
    assert answer.startswith("Meeting 3 is now Thursday, November 12, 2026 at 6:00 PM (EST).")
    listing = await chat.say("Brian", "/schedule")
    assert "3. Thursday, November 12, 2026 at 6:00 PM (EST)\n" in listing
    assert "(moved)" not in listing
    clock = core.clock
    assert isinstance(clock, FakeClock)
    clock.set(utc(2026, 11, 6, 12))  # meeting 3 is next
    assert "moved from its usual time" not in await chat.say("Brian", "/next")
    schedule = await stored(core, await circle_id_of(core))
    assert schedule[2].status == MeetingStatus.SCHEDULED
    assert schedule[2].starts_at == DETROIT_STARTS[2]


async def test_once_every_meeting_is_cancelled_invite_and_join_say_so(
    chat: Chat, core: Core
) -> None:
    code = await circle_with_learners(chat, core)
    for number in range(1, 7):
        await chat.say("Amina", f"/cancel {number}")
        assert "is cancelled" in await chat.say("Amina", "yes")

    # Cancelling the last one closed it (the question said so): it stays closed.
    invite = await chat.say("Amina", "/invite")
    assert invite == (
        "Python for Everyone has finished, so there is nothing to invite people to. To meet "
        "again, start a new circle with /newcircle."
    )
    assert code not in invite
    joined = await chat.say("Dana", f"/join {code}")
    assert joined == "Python for Everyone has finished, so it isn't taking new members."
    assert "You're not in a circle yet." in await chat.say("Dana", "/next")


async def test_next_lists_the_soonest_meeting_first(chat: Chat, core: Core) -> None:
    """lang 58: /next listed circles in the order they were joined, not by date."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)  # first meets October 29
    early = DETROIT_CIRCLE.replace("Python for Everyone", "Early Birds").replace(
        "2026-10-29", "2026-10-27"
    )
    assert "is ready" in await chat.say("Amina", early)
    # Brian joins the early circle first, Chen the late one: both see the early one on top.
    for learner, order in (("Brian", ("Early Birds", CIRCLE)), ("Chen", (CIRCLE, "Early Birds"))):
        for name in order:
            await chat.say(learner, "/join " + await code_of(core, name))
            await chat.say(learner, "/skip")
        answer = await chat.say(learner, "/next")
        assert answer.index("Early Birds") < answer.index(CIRCLE), (learner, answer)


async def test_a_meeting_can_be_named_by_its_date(chat: Chat, core: Core) -> None:
    """fac 7: "/skipweek 26 dec" got "Usage: /skipweek MEETING": facilitators think in dates."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)  # Thursdays from October 29
    answer = await chat.say("Amina", "/skipweek 19 nov")
    assert answer.startswith(
        "Python for Everyone skips a week: meeting 4 is now Thursday, November 26, 2026"
    ), answer
    assert "Cancel meeting 2 of Python for Everyone" in await chat.say("Amina", "/cancel nov 5")
    await chat.say("Amina", "no")
    assert await chat.say("Amina", "/cancel 10 nov") == (
        "No meeting of Python for Everyone is on Tuesday, November 10, 2026. /schedule shows "
        "when they are."
    )
    assert "Cancel meeting 3 " in await chat.say("Amina", "/cancel 3")
