"""What a facilitator recorded shows in the figures (walkthrough round 2): "nobody came" is a 0,
not "not taken", in /report, /digest and the export; a meeting under way whose attendance is
taken counts already, so nobody sitting in it is told to be drifting away."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Membership, Person, Role
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import Week, handle, open_circle, play_week, starts


async def attendance_rows(chat: Chat) -> list[dict[str, str]]:
    [reply] = await handle(chat, "Amina", "/export")
    [sheet] = [a for a in reply.attachments if a.filename == "python-for-everyone-attendance.csv"]
    return list(csv.DictReader(io.StringIO(sheet.data.decode("utf-8-sig"))))


async def test_nobody_came_is_a_zero_in_the_report_digest_and_export(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma")))
    clock.set(starts(2) + timedelta(hours=2))
    await chat.say("Amina", "/attendance 2")
    assert "Nobody came" in await chat.say("Amina", "done")
    assert await chat.say("Amina", "yes") == "Noted: nobody came to meeting 2."
    assert "Attendance: 2 at meeting 1, 0 at meeting 2" in await chat.say("Amina", "/report")
    assert "Attendance so far: 2 at meeting 1, 0 at meeting 2" in await chat.say("Amina", "/digest")
    second = [row for row in await attendance_rows(chat) if row["Meeting"] == "2"]
    assert [row["Came"] for row in second] == ["no", "no"]


async def test_a_meeting_under_way_with_attendance_taken_counts_already(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",), ratings={"Brian": 4}))
    await play_week(chat, core, clock, 2, Week(came=("Brian",), ratings={"Brian": 4}))
    clock.set(starts(3) + timedelta(minutes=20))
    await chat.say("Amina", "/attendance")
    assert await chat.say("Amina", "all done") == "Saved: 2 of 2 learners came to meeting 3."
    report = await chat.say("Amina", "/report")
    assert "Attendance: 1 at meeting 1, 1 at meeting 2, 2 at meeting 3" in report
    assert "drifting" not in report  # Chioma is in the room
    digest = await chat.say("Amina", "/digest")
    assert "Attendance so far: 1 at meeting 1, 1 at meeting 2, 2 at meeting 3" in digest
    assert "drifting" not in digest


async def test_a_learner_made_co_facilitator_is_kept_in_the_retention_line(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough fac 35: promoting the one learner at meeting 1 made retention 0%."""
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    # Brian's check-in shows he was a learner here (reports.learners_of).
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma"), ratings={"Brian": 5}))
    async with open_session(core) as session:
        brian = (await session.exec(select(Person).where(Person.display_name == "Brian"))).one()
        membership = (
            await session.exec(select(Membership).where(Membership.person_id == brian.id))
        ).one()
        membership.role = Role.COFACILITATOR
        session.add(membership)
        await session.commit()
    await play_week(chat, core, clock, 2, Week(came=("Chioma",)))
    assert "2 of the 2 learners at meeting 1 came to meeting 2 (100%)" in await chat.say(
        "Amina", "/report"
    )


async def test_retention_of_one_learner_is_said_of_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough lang 73: "1 of the 1 learners" (Spanish "1 de las 1 personas")."""
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await play_week(chat, core, clock, 2, Week(came=("Brian", "Chioma")))
    report = await chat.say("Amina", "/report")
    assert (
        "The one learner at meeting 1 came to meeting 2 (100%): the first and latest meetings "
        "with attendance taken."
    ) in report
    assert "1 of the 1" not in report
