"""Walkthrough 8 report findings: check-ins that could never reach a learner who sent STOP are
not counted as unanswered (fac 27); retention explains whom it counts beyond the attendance
line (mix 18); the SMS figure counts every text learners got (sms 34)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.core import Core
from bot.storage.models import Membership, Person, Role
from tests.conftest import Chat
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS
from tests.seasons import Week, open_circle, play_week, starts


async def test_a_learner_who_sent_stop_is_not_counted_as_unanswered(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {"Brian": True})
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await sms.say("Dolores", f"JOIN {code}")
    await sms.say("Dolores", "SKIP")
    await sms.say("Dolores", "STOP")
    await play_week(chat, core, clock, 1, Week(came=("Brian",), ratings={"Brian": 4}))
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))
    report = await chat.say("Amina", "/report")
    assert "Check-ins: 1 of 2 answered (50%)." in report
    assert "1 learner stopped all messages, so wasn't asked." in report
    digest = await chat.say("Amina", "/digest")
    assert "Last check-in: 0 of 1 answered." in digest


async def test_retention_agrees_with_the_attendance_line(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """mix 18: Carmen came to meeting 1 as a learner, then helped run the circle: retention
    keeps her (fac 35), and says so beside an attendance line that doesn't count her."""
    await open_circle(chat, core, {"Carmen": True, "Pepe": True, "Rocio": True})
    await play_week(
        chat, core, clock, 1, Week(came=("Carmen", "Pepe", "Rocio"), ratings={"Carmen": 4})
    )
    async with open_session(core) as session, session.begin():
        carmen = (await session.exec(select(Person).where(Person.display_name == "Carmen"))).one()
        membership = (
            await session.exec(select(Membership).where(Membership.person_id == carmen.id))
        ).one()
        membership.role = Role.COFACILITATOR
        session.add(membership)
    await play_week(chat, core, clock, 2, Week(came=("Rocio",)))
    report = await chat.say("Amina", "/report")
    assert "Attendance: 3 at meeting 1, 1 at meeting 2" in report
    # She is counted as still coming, and the report says why the figures differ.
    assert "2 of the 3 learners at meeting 1 came to meeting 2 (67%)" in report
    assert "(Carmen helps run the circle now, so counts as still coming.)" in report


async def test_the_sms_figure_counts_every_text_a_learner_got(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 34: the answers to a learner's texts (the welcome, the goal and sharing questions,
    the thanks for a check-in) count as well as the scheduled messages."""
    code = await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    got = 0

    async def text(words: str) -> None:
        nonlocal got
        replies = await core.handle(sms.inbound("Kofi", words), SMS_CAPABILITIES)
        got += sum(sms_segments(reply.text) for reply in replies)

    await text(f"JOIN {code}")
    await text("Kofi")
    await text("To sell my beads online")
    await text("1")
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await core.dispatch({"console": chat, "sms": sms})
    await text("4")
    await text("It was good")
    clock.set(starts(2) + timedelta(hours=3))
    await core.tick()
    await core.dispatch({"console": chat, "sms": sms})
    got += sum(sms_segments(message.text) for message in sms.sent)
    report = await chat.say("Amina", "/report")
    assert f"SMS: {got} segments sent to learners' phones." in report
