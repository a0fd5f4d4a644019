"""The end of a circle and who runs it: /close ends it now (its close-out goes as for a
circle that has had its last meeting), /delete removes one that hasn't met, /handover gives it
to a co-facilitator, /cofacilitator remove makes one a learner again. Each is the facilitator's
alone: a co-facilitator and a learner are refused."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import (
    Circle,
    Meeting,
    Membership,
    OutboxMessage,
    Question,
    Reflection,
    Role,
    Rsvp,
)
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursdays 18:00 in Detroit, 6 of them
MEETING_2 = datetime(2026, 11, 5, 23, 0, tzinfo=UTC)
LEAD_ONLY = "Only the circle's facilitator can use /%s."


async def circle_with_members(chat: Chat, core: Core) -> str:
    """Amina's circle: Brian a learner, Chen her co-facilitator; notices delivered."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for learner in ("Brian", "Chen"):
        assert "Welcome" in await chat.say(learner, f"/join {code}")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Chen")
    await chat.deliver()
    return code


def texts_to(sent: list, name: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == name.casefold()]


async def count(core: Core, model: type) -> int:
    async with open_session(core) as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def roles(core: Core) -> dict[int, str]:
    async with open_session(core) as session:
        return {m.person_id: m.role for m in (await session.exec(select(Membership))).all()}


async def test_close_ends_the_circle_now_with_its_close_out(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_members(chat, core)
    clock.set(MEETING_2 + timedelta(hours=12))  # two meetings held, four to come
    assert await chat.say("Chen", "/close") == LEAD_ONLY % "close"
    assert await chat.say("Brian", "/close") == LEAD_ONLY % "close"
    assert await chat.say("Amina", "/close") == (
        "Close Python for Everyone now? Its 4 meetings still to come won't take place, and "
        "everyone in the circle will be told.\nReply 1 for Yes or 2 for No."
    )
    assert await chat.say("Amina", "no") == "OK, Python for Everyone carries on."
    assert await chat.deliver() == []

    await chat.say("Amina", "/close")
    assert await chat.say("Amina", "yes") == (
        "Python for Everyone is closed. Everyone is getting its closing message now, you too."
    )
    sent = await chat.deliver()
    [farewell] = texts_to(sent, "Brian")
    assert farewell.startswith("Python for Everyone has had its last meeting. Thank you")
    for facilitator in ("Amina", "Chen"):
        [summary] = texts_to(sent, facilitator)
        assert "Thank you for facilitating it!" in summary
    listing = await chat.say("Brian", "/schedule")
    assert listing.count("(cancelled)") == 4
    assert "has no more meetings planned" in await chat.say("Brian", "/next")
    # No more reminders: a tick before meeting 3's old time queues none.
    clock.set(datetime(2026, 11, 12, 22, 0, tzinfo=UTC))
    assert (await core.tick()).reminders == 0
    assert await chat.say("Amina", "/close") == "Python for Everyone has already finished."


async def test_a_circle_closed_before_it_met_tells_its_members(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    await chat.say("Amina", "/close")
    assert await chat.say("Amina", "1") == (
        "Python for Everyone is closed. I'm letting 2 members know."
    )
    assert texts_to(await chat.deliver(), "Brian") == [
        "Python for Everyone has closed before its first meeting, so it won't meet. Thank you "
        "for joining!"
    ]


async def test_delete_removes_a_circle_that_has_not_met(chat: Chat, core: Core) -> None:
    code = await circle_with_members(chat, core)
    assert await chat.say("Chen", "/delete") == LEAD_ONLY % "delete"
    assert await chat.say("Brian", "/delete") == LEAD_ONLY % "delete"
    assert await chat.say("Dana", f"/join {code}") != ""  # a join notice still waiting
    await chat.say("Brian", "I want to write my first program")  # his goal
    assert "meeting 1" in await chat.say("Brian", "/rsvp yes")
    assert await count(core, Reflection) == await count(core, Rsvp) == 1
    assert await chat.say("Amina", "/delete") == (
        "Delete Python for Everyone? Its 3 members will be told, and this can't be undone.\n"
        "Reply 1 for Yes or 2 for No."
    )
    assert await chat.say("Amina", "yes") == (
        "Python for Everyone is deleted. I'm letting 3 members know."
    )
    sent = await chat.deliver()
    # Only the deletion reaches anyone: the join notice waiting for Amina went with the circle.
    assert texts_to(sent, "Amina") == []
    assert texts_to(sent, "Brian") == [
        "Python for Everyone won't go ahead: its facilitator deleted it before its first "
        "meeting. Thank you for joining!"
    ]
    assert "You're not in a circle yet" in await chat.say("Brian", "/next")
    assert "couldn't find a circle" in await chat.say("Eve", f"/join {code}")
    for model in (Circle, Meeting, Membership, Question, Reflection, Rsvp):
        assert await count(core, model) == 0, model
    async with open_session(core) as session:
        keys = (await session.exec(select(OutboxMessage.idempotency_key))).all()
    assert not [key for key in keys if "|circle:" in key and "circle-deleted" not in key]


async def test_a_circle_that_has_met_is_closed_not_deleted(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_members(chat, core)
    clock.set(MEETING_1 + timedelta(minutes=5))
    assert await chat.say("Amina", "/delete") == (
        "Python for Everyone has already met, so I keep its record. To end it now, send /close."
    )
    assert await count(core, Circle) == 1


async def test_two_circles_of_the_same_name_are_told_apart_and_one_deleted(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", DETROIT_CIRCLE)  # made twice by mistake: asked about (fac 22)...
    assert "is ready" in await chat.say("Amina", "yes")  # ...and the slip confirmed
    async with open_session(core) as session:
        first, second = (await session.exec(select(Circle).order_by(Circle.id))).all()
    question = await chat.say("Amina", "/delete")
    assert question == (
        "Which circle is that for?\n"
        f"Reply 1 for Python for Everyone (code {second.join_code}) or 2 for Python for "
        f"Everyone (code {first.join_code})."
    )
    assert await chat.say("Amina", "1") == (
        f"Delete Python for Everyone (code {second.join_code})? This can't be undone.\n"
        "Reply 1 for Yes or 2 for No."
    )
    assert await chat.say("Amina", "1") == (  # no one else in it: no word of telling anyone
        f"Python for Everyone (code {second.join_code}) is deleted."
    )
    async with open_session(core) as session:
        [left] = (await session.exec(select(Circle))).all()
    assert left.join_code == first.join_code
    # One circle left: no question any more.
    assert (await chat.say("Amina", "/schedule")).startswith("Python for Everyone meets at")


async def test_handover_makes_a_cofacilitator_the_facilitator(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    assert await chat.say("Brian", "/handover Chen") == LEAD_ONLY % "handover"
    assert await chat.say("Chen", "/handover Chen") == LEAD_ONLY % "handover"
    assert await chat.say("Amina", "/handover Brian") == (
        "Brian isn't a co-facilitator. Make them one first with /cofacilitator Brian, then "
        "hand the circle over."
    )
    assert await chat.say("Amina", "/handover Chen") == (
        "Hand Python for Everyone over to Chen? They'll be its facilitator, and you can "
        "co-facilitate it or step out for now. Chen and your 1 learner will be told.\n"
        "Reply 1 for Yes, I'll co-facilitate, 2 for No, or 3 for Yes, and I'll step out for now."
    )
    assert await chat.say("Amina", "no") == "OK, you still facilitate Python for Everyone."
    assert await chat.deliver() == []
    assert LEAD_ONLY % "close" not in await chat.say("Amina", "/close")  # still hers
    await chat.say("Amina", "/handover Chen")
    assert await chat.say("Amina", "yes") == (
        "Chen now facilitates Python for Everyone, and you co-facilitate it."
    )
    sent = await chat.deliver()
    [notice] = texts_to(sent, "Chen")
    assert notice.startswith("Amina has handed Python for Everyone over to you")
    # fac 44: the learners hear who leads now, or they keep writing to Amina alone.
    assert texts_to(sent, "Brian") == [
        "Chen now leads Python for Everyone, and Amina stays on as co-facilitator. Your "
        "messages reach them both."
    ]
    assert texts_to(sent, "Amina") == []
    assert sorted((await roles(core)).values()) == sorted(
        [Role.FACILITATOR, Role.COFACILITATOR, Role.LEARNER]
    )
    # The facilitator's commands are Chen's now; Amina still co-facilitates.
    assert await chat.say("Amina", "/close") == LEAD_ONLY % "close"
    assert "Close Python for Everyone now?" in await chat.say("Chen", "/close")
    assert "Python for Everyone has 3 members" in await chat.say("Amina", "/roster")


async def test_a_question_asked_before_a_handover_is_replaced_by_it(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    assert "Delete Python for Everyone?" in await chat.say("Amina", "/delete")
    assert "Hand Python for Everyone over to Chen?" in await chat.say("Amina", "/handover Chen")
    assert "Chen now facilitates" in await chat.say("Amina", "yes")  # the handover, not /delete
    assert await count(core, Circle) == 1
    assert "I didn't catch that" in await chat.say("Amina", "yes")  # nothing else waits


async def test_a_handover_to_someone_who_left_meanwhile_is_refused(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    assert "Hand Python for Everyone over to Chen?" in await chat.say("Amina", "/handover Chen")
    await chat.say("Chen", "/leave")
    assert "You've left" in await chat.say("Chen", "yes")
    assert await chat.say("Amina", "yes") == (
        "That person isn't in the circle any more. Send the command again."
    )
    assert Role.FACILITATOR in (await roles(core)).values()
    assert "Close Python for Everyone now?" in await chat.say("Amina", "/close")


async def test_a_cofacilitator_can_be_made_a_learner_again(chat: Chat, core: Core) -> None:
    await circle_with_members(chat, core)
    assert await chat.say("Brian", "/cofacilitator remove Chen") == (
        LEAD_ONLY % "cofacilitator remove"
    )
    assert await chat.say("Amina", "/cofacilitator remove Brian") == (
        "Brian isn't a co-facilitator."
    )
    assert "Keep them in it as a learner" in await chat.say("Amina", "/cofacilitator remove Chen")
    assert await chat.say("Amina", "1") == "Chen is a learner in Python for Everyone now."
    [notice] = texts_to(await chat.deliver(), "Chen")
    assert notice.startswith("You're a learner in Python for Everyone now")
    assert await chat.say("Chen", "/roster") == (
        "Only a facilitator or co-facilitator can use /roster."
    )
    # And back again, with the sub-command's word or without.
    assert "now co-facilitates" in await chat.say("Amina", "/cofacilitator add Chen")
    assert "Usage: /cofacilitator remove NAME" in await chat.say("Amina", "/cofacilitator remove")


async def test_deleting_and_removing_meetings_keep_the_database_whole(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    """On PostgreSQL too (foreign keys checked at once): RSVPs, goals and questions go with
    what they belong to."""
    core = Core(any_engine, clock, random.Random(2), platforms=PLATFORMS)
    chat = Chat(core)
    await circle_with_members(chat, core)
    await chat.say("Brian", "I want to write my first program")
    await chat.say("Brian", "/rsvp yes 6")
    assert "now has 5 meetings" in await chat.say("Amina", "/edit meetings 5")
    await chat.say("Amina", "/delete")
    assert "is deleted" in await chat.say("Amina", "yes")
    for model in (Circle, Meeting, Membership, Question, Reflection, Rsvp):
        assert await count(core, model) == 0, model


async def test_a_duplicate_is_deleted_by_its_code_or_name_whatever_the_default(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 27: with /default on the real circle (which has met), "/delete NAME" and "/delete
    CODE" only ever answered about the default."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    # A learner in it: a circle nobody joined never met, and can be deleted (fac 38).
    assert "Welcome" in await chat.say("Brian", f"/join {await code_of(core, CIRCLE)}")
    clock.set(MEETING_1 + timedelta(minutes=5))
    duplicate = DETROIT_CIRCLE.replace("2026-10-29", "2026-11-05").replace(CIRCLE, CIRCLE.lower())
    assert "is ready" in await chat.say("Amina", duplicate)  # made twice by mistake
    async with open_session(core) as session:
        first, second = (await session.exec(select(Circle).order_by(col(Circle.id)))).all()
    await chat.say("Amina", f"/default {first.join_code}")
    assert "has already met" in await chat.say("Amina", "/delete")  # the default, as asked

    question = await chat.say("Amina", f"/delete {second.join_code}")
    assert question.startswith(f"Delete {CIRCLE.lower()} (from Thursday, November 5"), question
    await chat.say("Amina", "no")
    assert "Which circle is that for?" in await chat.say("Amina", f"/delete {CIRCLE}")


async def test_a_facilitator_takes_a_learner_off_the_roster(chat: Chat, core: Core) -> None:
    """fac 20: "/remove otieno" was an unknown command: someone gone in all but name stayed in
    every attendance list and count."""
    await circle_with_members(chat, core)
    await chat.deliver()
    assert "can use /remove" in await chat.say("Brian", "/remove Chen")
    assert "Make them a learner first" in await chat.say("Amina", "/remove Chen")
    assert await chat.say("Amina", "/remove Brian") == (
        "Take Brian off Python for Everyone? They stop getting its messages and leave its lists "
        "and counts. Only they are told.\nReply 1 for Yes or 2 for No."
    )
    assert await chat.say("Amina", "yes") == "Brian is off Python for Everyone now."
    sent = await chat.deliver()
    [notice] = texts_to(sent, "Brian")
    # Walkthrough 8 (sms 33, mix 12): told kindly, without blame or a code to rejoin at once.
    assert notice.startswith("You're no longer on the list for Python for Everyone.")
    assert texts_to(sent, "Chen") == []  # nothing to anyone else
    roster = await chat.say("Amina", "/roster")
    assert "Brian" not in roster and "Chen" in roster
