"""Circles: creation with validation (one-line /newcircle and the service), joining, leaving, the
roster and roles."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.chat.clock import FakeClock
from bot.chat.errors import UserError
from bot.circles import circles, meetings
from bot.core import Core
from bot.storage.models import Circle, Meeting, Membership, Person, Role
from tests.conftest import DETROIT_CIRCLE, DETROIT_DRAFT, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"

DETAILS = {
    "name": '"Python for Everyone"',
    "course": '"Python for Everybody"',
    "venue": '"Detroit Public Library"',
    "city": "Detroit",
    "country": "US",
    "zone": "America/Detroit",
    "start": "2026-10-29",
    "time": "18:00",
    "meetings": "6",
}

DRAFT = DETROIT_DRAFT


def newcircle(**changes: str) -> str:
    """The one-line /newcircle of DETROIT_CIRCLE with some details changed or added."""
    return "/newcircle " + " ".join(
        f"{key}={value}" for key, value in {**DETAILS, **changes}.items()
    )


async def row_counts(core: Core) -> dict[str, int]:
    async with open_session(core) as session:
        return {
            model.__name__: len((await session.exec(select(model))).all())
            for model in (Circle, Membership, Meeting)
        }


async def memberships(core: Core) -> list[tuple[str, Membership]]:
    async with open_session(core) as session:
        rows = await session.exec(
            select(Person.display_name, Membership)
            .join(Person, Person.id == Membership.person_id)  # type: ignore[arg-type]
            .order_by(Membership.id)  # type: ignore[arg-type]
        )
        return [(name, membership) for name, membership in rows.all()]


async def new_person(session: AsyncSession, now: datetime, name: str = "Amina") -> Person:
    person = Person(display_name=name, created_at=now)
    session.add(person)
    await session.flush()
    return person


async def create(core: Core, clock: FakeClock, **changes: object) -> Circle:
    async with open_session(core) as session, session.begin():
        person = await new_person(session, clock.now())
        draft = dataclasses.replace(DRAFT, **changes)  # type: ignore[arg-type]
        return await circles.create(session, clock.now(), random.Random(3), person, draft)


async def detroit_circle(chat: Chat, core: Core, *learners: str) -> str:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for name in learners:
        assert "Welcome" in await chat.say(name, f"/join {code}")
    return code


# --- Creation -----------------------------------------------------------------------------------


async def test_newcircle_stores_the_circle_its_facilitator_and_its_meetings(
    chat: Chat, core: Core
) -> None:
    answer = await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    assert f"Join code: {code}. Learners send /join {code} to join." in answer
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
    assert (circle.timezone, circle.weekday, circle.start_time, circle.meeting_count) == (
        "America/Detroit",
        3,  # Thursday
        time(18, 0),
        6,
    )
    assert await row_counts(core) == {"Circle": 1, "Membership": 1, "Meeting": 6}
    [(name, membership)] = await memberships(core)
    assert (name, membership.role, membership.left_at) == ("Amina", Role.FACILITATOR, None)


# One-line /newcircle details that are refused, and how the answer starts.
ZONE_UNKNOWN = "zone: I don't know the time zone"
BAD_COUNT = "meetings: The number of meetings must be a whole number from 1 to 52."
IN_THE_PAST = "The first meeting can't be in the past."
BAD_TIME = "is not a time I can read. Write it as HH:MM, like 18:00."
REFUSED: list[tuple[dict[str, str], str]] = [
    (
        {"zone": "America/Detriot"},
        f"{ZONE_UNKNOWN} “America/Detriot”. Did you mean America/Detroit",
    ),
    (  # nothing like it anywhere, and Flint has no zone of its own among the many of the US
        {"zone": "Mars/Olympus", "city": "Flint"},
        f"{ZONE_UNKNOWN} “Mars/Olympus”. Use a name like America/Detroit or Africa/Nairobi.",
    ),
    (  # nothing like it anywhere, but Detroit has a zone of its own
        {"zone": "Mars/Olympus"},
        f"{ZONE_UNKNOWN} “Mars/Olympus”. Did you mean America/Detroit?",
    ),
    ({"meetings": "0"}, BAD_COUNT),
    ({"meetings": "53"}, BAD_COUNT),
    ({"meetings": "lots"}, BAD_COUNT),
    ({"start": "2026-10-19"}, "start: " + IN_THE_PAST),
    ({"start": "2026-10-20", "time": "09:00"}, IN_THE_PAST),  # it is 10:00 in Detroit
    (  # 29/10/2026 is read (29 can't be a month); neither way round is this one a date
        {"start": "29/13/2026"},
        "start: “29/13/2026” is not a date I can read. Write it like 11/3/2026 or November 3",
    ),
    (
        {"weekday": "funday"},
        "weekday: “funday” is not a weekday I know. Use a day's name or its short form: mon, "
        "tue, wed, thu, fri, sat or sun.",
    ),
    ({"time": "25:00"}, f"time: “25:00” {BAD_TIME}"),
    ({"time": "noonish"}, f"time: “noonish” {BAD_TIME}"),
]


async def test_newcircle_refuses_bad_details_and_stores_nothing(chat: Chat, core: Core) -> None:
    for changes, expected in REFUSED:
        answer = await chat.say("Amina", newcircle(**changes))
        assert answer.startswith(expected), (changes, answer)
        assert "is ready" not in answer
        assert await row_counts(core) == {"Circle": 0, "Membership": 0, "Meeting": 0}, changes
    # The same person can then create it correctly.
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert await row_counts(core) == {"Circle": 1, "Membership": 1, "Meeting": 6}


async def test_a_city_or_lower_case_zone_resolves_to_its_iana_name(chat: Chat, core: Core) -> None:
    for name, typed in [("Wanjiru", "Nairobi"), ("Otieno", "africa/nairobi")]:
        answer = await chat.say(name, newcircle(name=name, zone=typed))
        assert "6 weekly meetings on Thursday at 6:00 PM (EAT)" in answer, typed
    async with open_session(core) as session:
        stored = (await session.exec(select(Circle).order_by(Circle.id))).all()  # type: ignore[arg-type]
        firsts = [(await meetings.schedule(session, c.id))[0] for c in stored if c.id]
    assert [circle.timezone for circle in stored] == ["Africa/Nairobi", "Africa/Nairobi"]
    # 18:00 EAT is 15:00 UTC.
    assert {m.starts_at for m in firsts} == {datetime(2026, 10, 29, 15, 0, tzinfo=UTC)}


async def test_one_and_fifty_two_meetings_are_accepted(chat: Chat, core: Core) -> None:
    for count in (1, 52):
        answer = await chat.say("Amina", newcircle(name=f"Circle{count}", meetings=str(count)))
        assert "is ready" in answer, answer
    async with open_session(core) as session:
        stored = (await session.exec(select(Circle).order_by(Circle.id))).all()  # type: ignore[arg-type]
        schedules = [await meetings.schedule(session, c.id) for c in stored if c.id]
    assert [circle.meeting_count for circle in stored] == [1, 52]
    for schedule, last_day in zip(schedules, [date(2026, 10, 29), date(2027, 10, 21)], strict=True):
        assert [m.number for m in schedule] == list(range(1, len(schedule) + 1))
        last = schedule[-1].starts_at.astimezone(ZoneInfo("America/Detroit"))
        assert (last.date(), last.time()) == (last_day, time(18, 0))
    assert [len(schedule) for schedule in schedules] == [1, 52]


async def test_a_weekday_moves_the_first_meeting_to_that_day(chat: Chat, core: Core) -> None:
    answer = await chat.say("Amina", newcircle(start="2026-10-20", weekday="mon"))
    assert (
        "6 weekly meetings on Monday at 6:00 PM (EDT, then EST), starting Monday, October 26"
        in answer
    )
    # Said, not done silently: the date given was a Tuesday.
    assert "October 20 is a Tuesday. Your circle meets every Monday" in answer
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
    assert (circle.weekday, circle.start_date) == (0, date(2026, 10, 26))


async def test_the_create_service_refuses_bad_drafts_and_stores_nothing(
    core: Core, clock: FakeClock
) -> None:
    refused_drafts: list[tuple[dict[str, object], str]] = [
        (
            {"timezone": "America/Detriot"},
            "I don't know the time zone “America/Detriot”. Did you mean America/Detroit",
        ),
        (
            {"timezone": "Mars/Olympus"},
            "I don't know the time zone “Mars/Olympus”. Use a name like",
        ),
        ({"meeting_count": 0}, BAD_COUNT.removeprefix("meetings: ")),
        ({"meeting_count": 53}, BAD_COUNT.removeprefix("meetings: ")),
        ({"start_date": date(2026, 10, 19)}, IN_THE_PAST),
        ({"start_date": date(2026, 10, 20), "start_time": time(10, 0)}, IN_THE_PAST),  # now
    ]
    for changes, expected in refused_drafts:
        with pytest.raises(UserError) as refused:
            await create(core, clock, **changes)
        assert (refused.value.message % refused.value.params).startswith(expected), changes
        assert await row_counts(core) == {"Circle": 0, "Membership": 0, "Meeting": 0}, changes


async def test_the_create_service_resolves_a_city_name_to_its_zone(
    core: Core, clock: FakeClock
) -> None:
    circle = await create(core, clock, timezone="Nairobi", meeting_count=52)
    assert circle.timezone == "Africa/Nairobi"
    assert await row_counts(core) == {"Circle": 1, "Membership": 1, "Meeting": 52}


async def test_the_create_service_accepts_a_first_meeting_later_today(
    core: Core, clock: FakeClock
) -> None:
    circle = await create(core, clock, start_date=date(2026, 10, 20), start_time=time(10, 1))
    assert circle.start_date == date(2026, 10, 20)
    assert await row_counts(core) == {"Circle": 1, "Membership": 1, "Meeting": 6}


async def test_the_create_service_refuses_a_weekday_outside_monday_to_sunday(
    core: Core, clock: FakeClock
) -> None:
    # /newcircle only ever passes 0-6, but the service is the guard for every other caller.
    with pytest.raises(UserError):
        await create(core, clock, weekday=7)
    assert await row_counts(core) == {"Circle": 0, "Membership": 0, "Meeting": 0}


# --- Joining and leaving ------------------------------------------------------------------------


async def test_a_join_code_ignores_case_and_dashes(chat: Chat, core: Core) -> None:
    code = await detroit_circle(chat, core)
    typed = {
        "Brian": code.lower(),
        "Chen": f"{code[:3]}-{code[3:]}",
        "Dana": f"--{code[:2].lower()}-{code[2:]}-",
    }
    for name, text in typed.items():
        answer = await chat.say(name, f"/join {text}")
        assert answer.startswith(f"Welcome to Python for Everyone, {name}!"), text
    assert [(name, m.role) for name, m in await memberships(core)] == [
        ("Amina", Role.FACILITATOR),
        ("Brian", Role.LEARNER),
        ("Chen", Role.LEARNER),
        ("Dana", Role.LEARNER),
    ]


async def test_a_join_code_typed_with_a_space_still_joins(chat: Chat, core: Core) -> None:
    # Codes are read aloud ("C Z 6 ... "); joincodes.normalize drops spaces, /join should too.
    code = await detroit_circle(chat, core)
    answer = await chat.say("Brian", f"/join {code[:3].lower()} {code[3:].lower()}")
    assert answer.startswith("Welcome to Python for Everyone, Brian!")
    assert [name for name, _ in await memberships(core)] == ["Amina", "Brian"]


async def test_joining_twice_says_already_a_member_and_adds_no_row(chat: Chat, core: Core) -> None:
    code = await detroit_circle(chat, core, "Brian")
    assert await chat.say("Brian", f"/join {code}") == (
        "You're already in Python for Everyone. /next shows when you meet."
    )
    assert await chat.say("Amina", f"/join {code.lower()}") == (
        "You're already in Python for Everyone. /next shows when you meet."
    )
    assert [(name, m.role) for name, m in await memberships(core)] == [
        ("Amina", Role.FACILITATOR),
        ("Brian", Role.LEARNER),
    ]


async def test_leave_then_rejoin_reuses_the_membership(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await detroit_circle(chat, core, "Brian")
    [_, (_, joined)] = await memberships(core)

    clock.advance(timedelta(days=1))
    assert await chat.say("Brian", "/leave") == (
        "Leave Python for Everyone? You'll stop getting its reminders and check-ins.\n"
        "Reply 1 for Yes or 2 for No."
    )
    assert await chat.say("Brian", "1") == (
        "You've left Python for Everyone. You're welcome back any time: send /join "
        + await code_of(core, "Python for Everyone")
        + "."
    )
    [_, (_, left)] = await memberships(core)
    assert (left.id, left.left_at) == (joined.id, clock.now())
    assert "You're not in a circle yet." in await chat.say("Brian", "/next")
    assert "Brian" not in await chat.say("Amina", "/roster")

    clock.advance(timedelta(days=1))
    # Welcomed back, not as someone new (issue 16).
    assert "Welcome back to Python for Everyone, Brian!" in await chat.say("Brian", f"/join {code}")
    rows = await memberships(core)
    assert len(rows) == 2
    [_, (_, back)] = rows
    # The first join date stands (walkthrough 8, lang 29 and 31: rejoining lost his
    # attendance and told him the circle had met fewer times).
    assert (back.id, back.left_at, back.joined_at, back.role) == (
        joined.id,
        None,
        joined.joined_at,
        Role.LEARNER,
    )
    assert "2. Brian, learner (console)" in await chat.say("Amina", "/roster")


async def test_the_lead_facilitator_cannot_leave(chat: Chat, core: Core) -> None:
    await detroit_circle(chat, core, "Brian")
    assert await chat.say("Amina", "/leave") == (
        "You facilitate this circle, so you can't leave it. Hand it to a co-facilitator "
        "with /handover NAME, or end it with /close."
    )
    [(name, membership), _] = await memberships(core)
    assert (name, membership.role, membership.left_at) == ("Amina", Role.FACILITATOR, None)


# --- Roster and roles ---------------------------------------------------------------------------


async def test_roster_lists_the_facilitator_first_with_roles(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit_circle(chat, core)
    code = await code_of(core, CIRCLE)
    for name in ("Brian", "Chen"):
        clock.advance(timedelta(minutes=5))
        await chat.say(name, f"/join {code}")
    assert await chat.say("Amina", "/roster") == (
        "Python for Everyone has 3 members:\n"
        "1. Amina, facilitator (console)\n"
        "2. Brian, learner (console)\n"
        "3. Chen, learner (console)"
    )


async def test_a_promoted_cofacilitator_can_see_the_roster_and_invite(
    chat: Chat, core: Core
) -> None:
    code = await detroit_circle(chat, core, "Brian", "Chen")
    await chat.deliver()  # the join notices

    assert await chat.say("Amina", "/cofacilitator chen") == (
        "Chen now co-facilitates Python for Everyone."
    )
    roles = {name: m.role for name, m in await memberships(core)}
    assert roles == {"Amina": Role.FACILITATOR, "Brian": Role.LEARNER, "Chen": Role.COFACILITATOR}
    [notice] = await chat.deliver()
    assert notice.address.chat_id == "chen"
    assert notice.text.startswith("Amina has made you a co-facilitator of Python for Everyone.")

    assert await chat.say("Chen", "/roster") == (
        "Python for Everyone has 3 members:\n"
        "1. Amina, facilitator (console)\n"
        "2. Chen, co-facilitator (console)\n"  # ahead of Brian, who joined first
        "3. Brian, learner (console)"
    )
    invite = await chat.say("Chen", "/invite")
    assert f"/join {code}" in invite and f"JOIN {code}" in invite


async def test_a_learner_is_refused_roster_and_cofacilitator_naming_the_role(
    chat: Chat, core: Core
) -> None:
    await detroit_circle(chat, core, "Brian", "Chen")
    assert await chat.say("Brian", "/roster") == (
        "Only a facilitator or co-facilitator can use /roster."
    )
    assert await chat.say("Brian", "/invite") == (
        "Only a facilitator or co-facilitator can use /invite."
    )
    assert await chat.say("Brian", "/cofacilitator Brian") == (
        "Only the circle's facilitator can use /cofacilitator."
    )
    roles = {name: m.role for name, m in await memberships(core)}
    assert roles == {"Amina": Role.FACILITATOR, "Brian": Role.LEARNER, "Chen": Role.LEARNER}


async def test_only_the_lead_can_make_cofacilitators(chat: Chat, core: Core) -> None:
    await detroit_circle(chat, core, "Brian", "Chen")
    await chat.say("Amina", "/cofacilitator Chen")
    assert await chat.say("Chen", "/cofacilitator Brian") == (
        "Only the circle's facilitator can use /cofacilitator."
    )
    roles = {name: m.role for name, m in await memberships(core)}
    assert roles["Brian"] == Role.LEARNER


async def test_cofacilitator_explains_unknown_names_and_repeat_promotions(
    chat: Chat, core: Core
) -> None:
    await detroit_circle(chat, core, "Brian")
    assert await chat.say("Amina", "/cofacilitator Zoe") == (
        "No one called Zoe is in Python for Everyone yet. A co-facilitator joins first, like "
        f"everyone: ask them to send /join {await code_of(core, 'Python for Everyone')} (they "
        "can /skip the questions that follow). Then send /cofacilitator Zoe again."
    )
    assert "Brian now co-facilitates" in await chat.say("Amina", "/cofacilitator 2")
    assert await chat.say("Amina", "/cofacilitator Brian") == (
        "Brian already helps facilitate this circle."
    )
    # Naming herself: that's her (walkthrough A27, session 9), not "already helps".
    assert (await chat.say("Amina", "/cofacilitator Amina")).startswith("That's you:")
    roles = {name: m.role for name, m in await memberships(core)}
    assert roles == {"Amina": Role.FACILITATOR, "Brian": Role.COFACILITATOR}


async def test_a_promotion_after_leaving_and_rejoining_is_announced_again(
    chat: Chat, core: Core
) -> None:
    code = await detroit_circle(chat, core, "Brian")
    await chat.deliver()
    await chat.say("Amina", "/cofacilitator Brian")
    await chat.say("Brian", "/leave")
    await chat.say("Brian", "yes")
    await chat.say("Brian", "/join " + code)
    await chat.say("Amina", "/cofacilitator Brian")
    to_brian = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert len(to_brian) == 2
    assert all("made you a co-facilitator" in text for text in to_brian)


async def test_a_bare_abbreviation_is_not_taken_for_a_zone(chat: Chat, core: Core) -> None:
    # "EST" is a fixed offset with no daylight saving: a Detroit circle would drift an hour.
    # In Detroit it means Detroit's own zone (issue 16), which keeps daylight saving.
    answer = await chat.say("Amina", newcircle(zone="EST"))
    assert "6:00 PM (EDT, then EST)" in answer  # the season crosses November 1st's change
    async with open_session(core) as session:
        [circle] = (await session.exec(select(Circle))).all()
    assert circle.timezone == "America/Detroit"


async def test_zone_suggestions_come_from_the_circles_country_and_city(
    chat: Chat, core: Core
) -> None:
    """A facilitator in Kenya typing "EAT" is offered Kenya's zone, not Pacific/Efate."""
    nairobi = {"city": "Nairobi", "country": "KE", "venue": '"Kenya National Library"'}
    # Issue 16: where the place says which zone is meant, it is taken, and said.
    answer = await chat.say("Wanjiru", newcircle(**nairobi, zone="EAT"))
    assert "6:00 PM (EAT)" in answer
    # In Flint, which has no zone of its own, "Eastern" is offered as numbered choices.
    answer = await chat.say("Amina", newcircle(zone="Eastern", city="Flint"))
    assert "“Eastern” covers several time zones" in answer and "2 for America/Detroit" in answer
    # Asked one question at a time, the city and country answered before count just the same.
    await chat.say("Otieno", "/newcircle")
    for answer in ["Digital Skills", "Learning How to Learn", "skip", "Library", "Mombasa"]:
        await chat.say("Otieno", answer)
    # Kenya's one zone: set, not asked (walkthrough D5).
    assert "Time zone: Africa/Nairobi." in await chat.say("Otieno", "KE")
    assert await row_counts(core) == {"Circle": 1, "Membership": 1, "Meeting": 6}


# --- Circles with the same name -------------------------------------------------------------------


async def test_two_circles_with_one_name_are_told_apart_in_confirmations(
    chat: Chat, core: Core
) -> None:
    """Amina runs Python for Everyone twice, from 29 October and from 5 November: whichever she
    picks, the answer says which one it was."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", newcircle(start="2026-11-05"))
    assert "Which circle is that for?" in await chat.say("Amina", "/reminders off")
    assert await chat.say("Amina", "1") == (
        "Python for Everyone (from Thursday, November 5, 2026) sends no meeting reminders."
    )
    await chat.say("Amina", "/rhythm")
    assert (await chat.say("Amina", "2")).startswith(
        "The weekly rhythm of Python for Everyone (from Thursday, October 29, 2026):"
    )
    async with open_session(core) as session:
        codes = (await session.exec(select(Circle.join_code).order_by(Circle.id))).all()
    for code in codes:
        await chat.say("Brian", f"/join {code}")
        await chat.say("Brian", "/skip")
    upcoming = await chat.say("Brian", "/next")
    assert "Python for Everyone (from Thursday, October 29, 2026)\nMeeting 1 of 6" in upcoming
    assert "Python for Everyone (from Thursday, November 5, 2026)\nMeeting 1 of 6" in upcoming


async def test_distinct_names_add_the_first_date_then_the_join_code(
    core: Core, clock: FakeClock
) -> None:
    """What every list of circles to pick from shows (the router's "Which circle is that
    for?", the team choices): a name alone where it is unique."""
    first = await create(core, clock)
    later = await create(core, clock, start_date=date(2026, 11, 5))
    again = await create(core, clock)  # the same circle made twice by mistake
    other = await create(core, clock, name="Spanish Conversation")
    tr = core.catalogs.translator("en")
    assert circles.distinct_names(tr, [first, later, again, other]) == [
        f"Python for Everyone (code {first.join_code})",
        "Python for Everyone (from Thursday, November 5, 2026)",
        f"Python for Everyone (code {again.join_code})",
        "Spanish Conversation",
    ]
    assert circles.distinct_names(tr, [first, other]) == [
        "Python for Everyone",
        "Spanish Conversation",
    ]
