"""Issue 16 (walkthrough): a learner who leaves a circle and later joins it again keeps her
time away. The meetings held while she was gone are not hers: she was not asked their
check-ins, not absent from them, and missing them is no sign of drifting away (/report,
/digest, /attendance, /export). The export says when she left and came back, and she is
welcomed back, told how often the group met meanwhile, not welcomed as someone new."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.core import Core
from tests.conftest import Chat, code_of
from tests.core.test_sms_words import Phones, joined
from tests.seasons import CIRCLE, Week, checkin_due, handle, open_circle, play_week, starts

FIRST_TIMER = "There's no teacher here"  # said in the welcome of someone new only


async def _away_for_meetings_two_and_three(chat: Chat, core: Core, clock: FakeClock) -> str:
    """Otieno and Wanjiru come to meeting 1; Otieno leaves, Wanjiru comes to meetings 2 and 3
    and answers their check-ins; Otieno joins again before meeting 4. Returns his welcome."""
    code = await open_circle(chat, core, {"Otieno": True, "Wanjiru": True})
    ratings = {"Otieno": 4, "Wanjiru": 4}
    await play_week(chat, core, clock, 1, Week(came=("Otieno", "Wanjiru"), ratings=ratings))
    clock.set(checkin_due(1) + timedelta(hours=2))
    await chat.say("Otieno", "/leave")
    assert "You've left" in await chat.say("Otieno", "yes")
    for number in (2, 3):
        await play_week(chat, core, clock, number, Week(came=("Wanjiru",), ratings={"Wanjiru": 5}))
    clock.set(starts(4) - timedelta(days=2))
    return await chat.say("Otieno", f"/join {code}")


async def test_she_is_welcomed_back_and_told_what_she_missed(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    welcome = await _away_for_meetings_two_and_three(chat, core, clock)
    assert "Welcome back to Python for Everyone, Otieno!" in welcome, welcome
    assert "The group met 2 times while you were away." in welcome, welcome
    assert "Meeting 4 of 6" in welcome, welcome
    assert FIRST_TIMER not in welcome, welcome
    assert "has met 3 times already" not in welcome, welcome


async def test_the_meetings_she_was_away_for_are_not_counted_against_her(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _away_for_meetings_two_and_three(chat, core, clock)
    report = await chat.say("Amina", "/report")
    assert "Attendance: 2 at meeting 1, 1 at meeting 2, 1 at meeting 3" in report, report
    # Asked: both at meeting 1, Wanjiru alone at 2 and 3 (before: 4 of 6, Otieno unanswering).
    assert "Check-ins: 4 of 4 answered (100%)." in report, report
    assert "drifting" not in report, report  # he missed no meeting he was a member for
    digest = await chat.say("Amina", "/digest")
    assert "Otieno" not in digest, digest
    sheet = await chat.say("Amina", "/attendance 2")
    assert sheet.startswith("Who came to meeting 2"), sheet
    assert "Wanjiru" in sheet and "Otieno" not in sheet, sheet
    # His own record: the one meeting held while he was in the circle (before: 1 of 3).
    assert "You came to 1 of 1 meeting." in await chat.say("Otieno", "/portfolio")


async def test_the_export_shows_when_she_left_and_came_back(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _away_for_meetings_two_and_three(chat, core, clock)
    [reply] = await handle(chat, "Amina", "/export")
    files = {a.filename: a.data.decode("utf-8-sig") for a in reply.attachments}
    sheet = csv.DictReader(io.StringIO(files["python-for-everyone-attendance.csv"]))
    came = {(r["Meeting"], r["Name"]): r["Came"] for r in sheet}
    assert came == {
        ("1", "Otieno"): "yes",
        ("1", "Wanjiru"): "yes",
        ("2", "Wanjiru"): "yes",
        ("3", "Wanjiru"): "yes",
    }
    roster = {
        r["Name"]: r for r in csv.DictReader(io.StringIO(files["python-for-everyone-roster.csv"]))
    }
    assert roster["Otieno"]["Left"] == ""  # in the circle now
    left = checkin_due(1).date().isoformat()
    back = (starts(4) - timedelta(days=2)).date().isoformat()
    assert roster["Otieno"]["Time away"] == f"left {left}, came back {back}", roster["Otieno"]
    assert roster["Wanjiru"]["Time away"] == ""


async def test_no_check_in_for_a_meeting_held_while_she_was_away(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {"Otieno": True, "Wanjiru": True})
    await play_week(chat, core, clock, 1, Week(came=("Otieno", "Wanjiru")))
    clock.set(checkin_due(1) + timedelta(hours=2))
    await chat.say("Otieno", "/leave")
    assert "You've left" in await chat.say("Otieno", "yes")
    clock.set(starts(2) + timedelta(hours=3))  # meeting 2 is over; its check-in goes tomorrow
    assert "Welcome" in await chat.say("Otieno", f"/join {code}")
    await chat.deliver()
    clock.set(checkin_due(2))
    await core.tick()
    sent = await chat.deliver()
    to_wanjiru = [m.text for m in sent if m.address.chat_id == "wanjiru"]
    to_otieno = [m.text for m in sent if m.address.chat_id == "otieno"]
    assert to_wanjiru, sent  # her check-in for meeting 2
    assert not any("meeting 2" in text for text in to_otieno), to_otieno


async def test_by_sms_she_is_welcomed_back_briefly(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    phone = "+254700000042"
    await joined(chat, phones, phone)  # Wanjiru
    await phones.say(phone, "/skip")  # the goal
    await phones.say(phone, "/skip")  # sharing
    clock.set(starts(1) - timedelta(days=1))
    await phones.say(phone, "LEAVE")
    assert "You've left" in await phones.say(phone, "YES")
    clock.set(starts(2) + timedelta(days=1))
    welcome = await phones.say(phone, "JOIN " + await code_of(core, CIRCLE))
    assert welcome.startswith("Welcome back to Python for Everyone"), welcome
    assert "The group met 2 times while you were away." in welcome, welcome
    assert "No teacher here" not in welcome, welcome
    assert sms_segments(welcome) <= 2, welcome
