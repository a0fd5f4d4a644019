"""Who the figures count, from facilitator walkthroughs: after learners left, /report counts a
check-in's history (who left before it went out wasn't asked; answers given stay) and says so,
while /digest counts only those still in the circle; a co-facilitator is never an absent
learner at the meetings she ran, in the /export CSV or in the attendance counts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, checkin_due, handle, open_circle, play_week, starts

LEFT_NOTE = "Anyone who left counts only in the check-ins sent before they left."


async def leave(chat: Chat, name: str) -> None:
    await chat.say(name, "/leave")
    assert "You've left" in await chat.say(name, "1")


async def test_a_check_in_after_learners_left_in_the_digest_and_report(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    learners = {"Brian": True, "Chioma": True, "Dede": True, "Efua": True}
    await open_circle(chat, core, learners)
    await play_week(chat, core, clock, 1, Week(ratings={"Brian": 4, "Chioma": 3}))
    clock.set(starts(2) + timedelta(hours=3))
    await leave(chat, "Dede")  # after meeting 2, before its check-in: she is never asked it
    clock.set(checkin_due(2))
    await core.tick()
    await chat.deliver()
    for name, rating in (("Brian", "5"), ("Chioma", "4")):
        assert "Thanks" in await chat.say(name, rating)
        await chat.say(name, "It went well.")
    await leave(chat, "Chioma")  # her answer to it stays
    clock.set(starts(3) - timedelta(days=2))

    digest = await chat.say("Amina", "/digest")
    # The digest speaks of those still in: Brian and Efua, Brian answered. Chioma, gone since,
    # is neither asked nor answered there (fac walkthrough: "3 of 3" with one gone).
    assert "Last check-in: 1 of 2 answered. Average rating 5.0 of 5.\n" in digest
    assert "Chioma" not in digest
    assert LEFT_NOTE not in digest  # a sentence on the method, left to /report (lang 19)
    report = await chat.say("Amina", "/report")
    # The history: Brian, Chioma and Efua were asked meeting 2's check-in, Brian and Chioma
    # answered; 2 of 4 for meeting 1, 2 of 3 for meeting 2 (before: 4 of 8, Dede counted as asked).
    assert "Check-ins: 4 of 7 answered (57%)." in report
    assert f"Average rating by meeting (of 5): 1: 3.5, 2: 4.5. {LEFT_NOTE}" in report, report


async def test_the_note_on_who_left_only_where_someone_left(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    await play_week(chat, core, clock, 1, Week(ratings={"Brian": 4}))
    assert "Last check-in: 1 of 2 answered. Average rating 4.0 of 5.\n" in (
        await chat.say("Amina", "/digest")
    )
    assert "left" not in await chat.say("Amina", "/report")


async def attendance_rows(chat: Chat) -> list[dict[str, str]]:
    [reply] = await handle(chat, "Amina", "/export")
    [sheet] = [a for a in reply.attachments if a.filename == "python-for-everyone-attendance.csv"]
    return list(csv.DictReader(io.StringIO(sheet.data.decode("utf-8-sig"))))


async def test_a_co_facilitator_is_no_absent_learner_at_the_meetings_she_ran(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True, "Dede": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance 1")
    assert await chat.say("Amina", "1 2 done") == "Saved: 2 of 3 learners came to meeting 1."
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Brian")
    # Brian runs meetings 2 and 3 with Amina: he says /here at one of them, as anyone may.
    await play_week(chat, core, clock, 2, Week(came=("Brian", "Chioma")))
    await play_week(chat, core, clock, 3, Week(came=("Chioma",)))

    rows = await attendance_rows(chat)
    table = {(r["Meeting"], r["Name"]): r["Came"] for r in rows}
    assert table == {
        ("1", "Brian"): "yes",  # a learner then: his week stays
        ("1", "Chioma"): "yes",
        ("1", "Dede"): "no",
        ("2", "Chioma"): "yes",
        ("2", "Dede"): "no",
        ("3", "Chioma"): "yes",
        ("3", "Dede"): "no",
    }
    # Learners who came, Brian only at meeting 1 (before: "2, 2, 1").
    assert "Attendance: 2 at meeting 1, 1 at meeting 2, 1 at meeting 3" in await chat.say(
        "Amina", "/report"
    )
    assert "Attendance so far: 2 at meeting 1, 1 at meeting 2, 1 at meeting 3" in await chat.say(
        "Amina", "/digest"
    )
