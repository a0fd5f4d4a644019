"""/export: the roster, attendance and check-ins as CSV files a spreadsheet opens."""

from __future__ import annotations

import csv
import io

from bot.chat.clock import FakeClock
from bot.chat.messages import Attachment
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, handle, open_circle, play_week

WEEKS = (
    Week(yes=("Brian", "Chioma"), came=("Brian", "Chioma", "Dede"),
         ratings={"Brian": 5, "Chioma": 3},
         answers={"Brian": "Loops finally make sense.", "Chioma": "I felt lost in week one."}),
    Week(no=("Dede",), came=("Brian",), ratings={"Brian": 4, "Dede": 2}),
)  # fmt: skip


def rows(attachment: Attachment) -> list[dict[str, str]]:
    assert attachment.media_type == "text/csv"
    return list(csv.DictReader(io.StringIO(attachment.data.decode("utf-8-sig"))))


async def exported(chat: Chat, core: Core, clock: FakeClock) -> dict[str, Attachment]:
    await open_circle(chat, core, {"Brian": True, "Chioma": False, "Dede": True})
    for number, week in enumerate(WEEKS, start=1):
        await play_week(chat, core, clock, number, week)
    [reply] = await handle(chat, "Amina", "/export")
    assert "spreadsheet files (CSV)" in reply.text
    return {attachment.filename: attachment for attachment in reply.attachments}


async def test_export_sends_three_csv_files(chat: Chat, core: Core, clock: FakeClock) -> None:
    files = await exported(chat, core, clock)
    # Named by their circle (walkthrough fac 25): two circles' downloads are told apart.
    assert sorted(files) == [
        "python-for-everyone-attendance.csv",
        "python-for-everyone-checkins.csv",
        "python-for-everyone-roster.csv",
    ]


async def test_the_roster_names_roles_and_platforms(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    roster = rows((await exported(chat, core, clock))["python-for-everyone-roster.csv"])
    assert [(r["Name"], r["Role"], r["Platforms"]) for r in roster] == [
        ("Amina", "facilitator", "console"),
        ("Brian", "learner", "console"),
        ("Chioma", "learner", "console"),
        ("Dede", "learner", "console"),
    ]
    assert {r["Name"]: r["Shares written answers"] for r in roster}["Chioma"] == "no"
    assert all(r["Joined"] == "2026-10-20" and r["Left"] == "" for r in roster)


async def test_attendance_has_a_row_per_learner_per_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    attendance = rows((await exported(chat, core, clock))["python-for-everyone-attendance.csv"])
    table = {(r["Meeting"], r["Name"]): (r["Said they'd come"], r["Came"]) for r in attendance}
    assert table == {
        ("1", "Brian"): ("yes", "yes"),
        ("1", "Chioma"): ("yes", "yes"),
        ("1", "Dede"): ("", "yes"),
        ("2", "Brian"): ("", "yes"),
        ("2", "Chioma"): ("", "no"),
        ("2", "Dede"): ("no", "no"),
    }
    # Dates are the circle's local dates: meeting 2 is after the end of daylight saving time.
    assert {r["Meeting"]: r["Date"] for r in attendance} == {"1": "2026-10-29", "2": "2026-11-05"}


async def test_checkins_show_written_answers_only_from_those_who_share(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    checkins = rows((await exported(chat, core, clock))["python-for-everyone-checkins.csv"])
    by_week = {(r["Meeting"], r["Name"]): r for r in checkins}
    assert {key: r["Rating (1-5)"] for key, r in by_week.items()} == {
        ("1", "Brian"): "5",
        ("1", "Chioma"): "3",
        ("2", "Brian"): "4",
        ("2", "Dede"): "2",
    }
    assert by_week[("1", "Brian")]["Answer (shared with you)"] == "Loops finally make sense."
    assert by_week[("1", "Brian")]["Question"].endswith("?")
    # Chioma said no to sharing: her rating is there, her words are not, anywhere in the file.
    assert by_week[("1", "Chioma")]["Answer (shared with you)"] == ""
    assert by_week[("1", "Chioma")]["Question"] == ""
    exported_file = (await exported_again(chat))["python-for-everyone-checkins.csv"]
    assert "lost" not in exported_file.data.decode("utf-8-sig")


async def exported_again(chat: Chat) -> dict[str, Attachment]:
    [reply] = await handle(chat, "Amina", "/export")
    return {attachment.filename: attachment for attachment in reply.attachments}


async def test_a_learner_cannot_export(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True})
    replies = await handle(chat, "Brian", "/export")
    assert [r.text for r in replies] == ["Only a facilitator or co-facilitator can use /export."]
    assert replies[0].attachments == ()


async def test_a_name_that_looks_like_a_formula_stays_text(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await exported(chat, core, clock)
    await handle(chat, "Dede", '/name =HYPERLINK("http://example.org","x")')
    [reply] = await handle(chat, "Amina", "/export")
    roster = {a.filename: a for a in reply.attachments}["python-for-everyone-roster.csv"]
    names = [r["Name"] for r in rows(roster)]
    assert '\'=HYPERLINK("http://example.org","x")' in names
    assert not any(name.startswith("=") for name in names)


async def test_a_meeting_nobody_took_attendance_for_is_not_absences(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Second walkthrough: the CSV wrote "no" for everyone at a meeting whose attendance was
    never taken, while /report and the digest say "not taken"."""
    await exported(chat, core, clock)
    await play_week(chat, core, clock, 3, Week())  # held, nobody ticked the sheet
    attendance = rows((await exported_again(chat))["python-for-everyone-attendance.csv"])
    assert {r["Came"] for r in attendance if r["Meeting"] == "3"} == {"not taken"}
    assert {r["Came"] for r in attendance if r["Meeting"] == "2"} == {"yes", "no"}
